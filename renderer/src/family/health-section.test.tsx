import { fireEvent, screen, waitFor, within } from '@testing-library/react';
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

const ALSH = [
  'family.read',
  'booking.write',
  'booking.override',
  'attendance',
  'health',
  'health.write',
] as const;
const AGENT = [
  'family.read',
  'family.write',
  'health.write',
  'booking.write',
  'booking.override',
  'billing.read',
  'payment.take',
] as const;

const ZOE_FICHE = {
  pai: true,
  allergies: 'Allergie aux arachides',
  meal: 'packed' as const,
  treatment: '',
  doctor: '',
  notes: '',
  recordedAt: '2026-09-02T08:00:00Z',
  recordedByName: 'Accueil',
  versions: 1,
};

function counter() {
  return fakeCounter({
    'family.get': () => ({ ok: true, data: FILE }),
    'health.status': () => ({
      ok: true,
      data: [
        {
          childId: 'c1',
          versions: 1,
          lastRecordedAt: '2026-09-02T08:00:00Z',
          lastRecordedBy: 'Accueil',
          earlierNotes: false,
        },
        { childId: 'c2', versions: 0, lastRecordedAt: null, lastRecordedBy: null, earlierNotes: false },
      ],
    }),
    'health.read': ({ childId }) => ({
      ok: true,
      data: { childId, record: childId === 'c1' ? ZOE_FICHE : null, notes: '' },
    }),
    'health.save': ({ childId }) => ({ ok: true, data: { childId, recordId: 'r2', version: 2 } }),
  });
}

describe('Santé / PAI on the Dossier tab', () => {
  it('keeps each child’s fiche hidden until asked, then reads (and logs) that child only', async () => {
    const { api, calls } = counter();
    renderWithCounter(<FamilyPage householdId="h1" />, api, { permissions: [...ALSH] });
    const section = within(await screen.findByRole('region', { name: 'Santé / PAI' }));
    expect(section.getByText(/Cette consultation est enregistrée\./)).toBeTruthy();
    expect(section.queryByText(/arachides/)).toBeNull();
    expect(calls.some((c) => c.name === 'health.read')).toBe(false);

    fireEvent.click(section.getByRole('button', { name: 'Afficher les informations de santé de Zoé' }));
    expect(await section.findByText('Allergie aux arachides')).toBeTruthy();
    expect(section.getByText('Panier repas fourni par la famille (PAI)')).toBeTruthy();
    expect(calls.filter((c) => c.name === 'health.read').map((c) => c.input)).toEqual([{ childId: 'c1' }]);
    // Noé's stays hidden until asked for as well.
    expect(section.getByRole('button', { name: 'Afficher les informations de santé de Noé' })).toBeTruthy();
  });

  it('lets the counter agent enter a new fiche in an empty form, without ever reading one', async () => {
    const { api, calls } = counter();
    renderWithCounter(<FamilyPage householdId="h1" />, api, { permissions: [...AGENT] });
    const section = within(await screen.findByRole('region', { name: 'Santé / PAI' }));
    expect(await section.findByText(/Fiche saisie le 02\/09\/2026 à 10:00 par Accueil\./)).toBeTruthy();
    expect(section.getByText('Aucune fiche sanitaire saisie.')).toBeTruthy();
    expect(section.queryByRole('button', { name: /Afficher les informations de santé/ })).toBeNull();

    fireEvent.click(section.getByRole('button', { name: 'Saisir une nouvelle fiche sanitaire de Zoé' }));
    const allergies = section.getByLabelText('Allergies') as HTMLInputElement;
    expect(allergies.value).toBe('');
    expect((section.getByLabelText('Projet d’accueil individualisé (PAI)') as HTMLInputElement).checked).toBe(
      false,
    );
    fireEvent.click(section.getByLabelText('Projet d’accueil individualisé (PAI)'));
    fireEvent.change(allergies, { target: { value: 'arachide' } });
    fireEvent.change(section.getByLabelText('Repas à la cantine'), { target: { value: 'adapted' } });
    fireEvent.click(section.getByRole('button', { name: 'Enregistrer la fiche' }));
    expect(
      await section.findByRole('button', { name: 'Saisir une nouvelle fiche sanitaire de Zoé' }),
    ).toBeTruthy();
    expect(calls.find((c) => c.name === 'health.save')?.input).toEqual({
      childId: 'c1',
      pai: true,
      allergies: 'arachide',
      meal: 'adapted',
      treatment: '',
      doctor: '',
      notes: '',
    });
    expect(section.queryByText('arachide')).toBeNull();
    expect(calls.some((c) => c.name === 'health.read')).toBe(false);
  });

  it('is not offered to a role with neither `health` nor `health.write`, and nothing is asked', async () => {
    const { api, calls } = counter();
    renderWithCounter(<FamilyPage householdId="h1" />, api, { permissions: ['family.read', 'billing.read'] });
    await screen.findByRole('heading', { level: 1, name: 'Foyer Lefèvre' });
    expect(screen.queryByRole('region', { name: 'Santé / PAI' })).toBeNull();
    expect(screen.queryByRole('button', { name: /informations de santé/ })).toBeNull();
    // The file, the header's alerts (whose PAI flag the core withholds from a role without `health`) and the
    // family's direct-debit mandates (its Prélèvement section): nothing of health.
    await waitFor(() =>
      expect(calls.map((c) => c.name).sort()).toEqual([
        'directDebit.mandates',
        'family.get',
        'overview.family',
      ]),
    );
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
