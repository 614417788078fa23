import { fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { HouseholdFile } from '../../../core/family/read.ts';
import { fakeCounter, renderWithCounter } from '../test-support.tsx';
import { FamilyPage } from './family-page.tsx';

const FILE: HouseholdFile = {
  id: 'h1',
  name: 'Lefèvre',
  addressLine1: '12 rue des Tilleuls',
  addressLine2: '',
  postalCode: '45000',
  city: 'Orléans',
  email: '',
  phoneHome: '',
  phoneMobile: '',
  payerRank: 1,
  invoiceDelivery: 'papier',
  cafNumber: '',
  createdAt: '2026-01-05T09:00:00Z',
  updatedAt: '2026-01-05T09:00:00Z',
  guardians: [
    {
      id: 'g1',
      rank: 1,
      civility: 'Mme',
      lastName: 'Lefèvre',
      firstName: 'Sophie',
      relationship: 'mère',
      phoneMobile: '06 12 34 56 78',
      phoneWork: '',
      email: '',
      mayPickUp: true,
    },
  ],
  children: [
    {
      id: 'c1',
      lastName: 'Lefèvre',
      firstName: 'Zoé',
      birthDate: '2018-03-14',
      school: 'Jean Jaurès',
      classLevel: 'CE1',
      imageConsent: true,
    },
    {
      id: 'c2',
      lastName: 'Lefèvre',
      firstName: 'Noé',
      birthDate: '2020-06-02',
      school: 'Jean Jaurès',
      classLevel: 'GS',
      imageConsent: false,
    },
  ],
  pickupPersons: [],
  qfHistory: [],
  currentQf: null,
};

const ALSH = ['family.read', 'booking.write', 'booking.override', 'attendance', 'health'] as const;
const AGENT = [
  'family.read',
  'family.write',
  'booking.write',
  'booking.override',
  'billing.read',
  'payment.take',
] as const;

function counter() {
  return fakeCounter({
    'family.get': () => ({ ok: true, data: FILE }),
    'health.read': ({ childId }) => ({
      ok: true,
      data: { childId, notes: childId === 'c1' ? 'Allergie aux arachides — PAI' : '' },
    }),
    'health.save': ({ childId }) => ({ ok: true, data: { childId } }),
  });
}

describe('Santé / PAI on the Dossier tab', () => {
  it('keeps each child’s notes hidden until asked, then reads (and logs) that child only', async () => {
    const { api, calls } = counter();
    renderWithCounter(<FamilyPage householdId="h1" />, api, { permissions: [...ALSH] });
    const section = within(await screen.findByRole('region', { name: 'Santé / PAI' }));
    expect(section.getByText(/Cette consultation est enregistrée\./)).toBeTruthy();
    expect(section.queryByText(/arachides/)).toBeNull();
    expect(calls.some((c) => c.name === 'health.read')).toBe(false);

    fireEvent.click(section.getByRole('button', { name: 'Afficher les informations de santé de Zoé' }));
    expect(await section.findByText('Allergie aux arachides — PAI')).toBeTruthy();
    expect(calls.filter((c) => c.name === 'health.read').map((c) => c.input)).toEqual([{ childId: 'c1' }]);
    // Noé's stay hidden until asked for as well.
    expect(section.getByRole('button', { name: 'Afficher les informations de santé de Noé' })).toBeTruthy();
  });

  it('edits the notes through health.save', async () => {
    const { api, calls } = counter();
    renderWithCounter(<FamilyPage householdId="h1" />, api, { permissions: [...ALSH] });
    const section = within(await screen.findByRole('region', { name: 'Santé / PAI' }));
    fireEvent.click(section.getByRole('button', { name: 'Afficher les informations de santé de Noé' }));
    expect(await section.findByText('Aucune information de santé.')).toBeTruthy();
    fireEvent.click(section.getByRole('button', { name: 'Modifier les informations de santé de Noé' }));
    const notes = section.getByLabelText('Allergies, traitements, PAI');
    fireEvent.change(notes, { target: { value: 'Asthme : ventoline dans le sac' } });
    fireEvent.click(section.getByRole('button', { name: 'Enregistrer' }));
    expect(await section.findByText('Asthme : ventoline dans le sac')).toBeTruthy();
    expect(calls.find((c) => c.name === 'health.save')?.input).toEqual({
      childId: 'c2',
      notes: 'Asthme : ventoline dans le sac',
    });
  });

  it('is not offered to a role without `health`, and nothing is read', async () => {
    const { api, calls } = counter();
    renderWithCounter(<FamilyPage householdId="h1" />, api, { permissions: [...AGENT] });
    await screen.findByRole('heading', { level: 1, name: 'Foyer Lefèvre' });
    expect(screen.queryByRole('region', { name: 'Santé / PAI' })).toBeNull();
    expect(screen.queryByRole('button', { name: /informations de santé/ })).toBeNull();
    expect(calls.map((c) => c.name)).toEqual(['family.get']);
  });

  it('marks the Dossier read-only for a role without `family.write`, editable otherwise', async () => {
    const alsh = counter();
    const { unmount } = renderWithCounter(<FamilyPage householdId="h1" />, alsh.api, {
      permissions: [...ALSH],
    });
    const panel = await screen.findByRole('tabpanel');
    expect(panel.className).toContain('read-only');
    expect(screen.queryByRole('region', { name: 'Départ d’un enfant' })).toBeNull();
    unmount();
    const agent = counter();
    renderWithCounter(<FamilyPage householdId="h1" />, agent.api, { permissions: [...AGENT] });
    expect((await screen.findByRole('tabpanel')).className).not.toContain('read-only');
    expect(screen.getByRole('region', { name: 'Départ d’un enfant' })).toBeTruthy();
    // The export is the administrator's.
    expect(screen.queryByRole('button', { name: 'Exporter les données du foyer' })).toBeNull();
  });
});
