import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { HouseholdFile } from '../../../core/family/read.ts';
import { fakeCounter, renderWithCounter } from '../test-support.tsx';
import { FamilyPage } from './family-page.tsx';

const qf640 = {
  id: 'q1',
  value: 640,
  source: 'CAF',
  effectiveMonth: '2026-01',
  endMonth: null,
  recordedAt: '2026-01-05T09:00:00Z',
  validUntil: null,
};
const qf300 = {
  id: 'q0',
  value: 300,
  source: 'MSA',
  effectiveMonth: '2025-01',
  endMonth: '2025-12',
  recordedAt: '2025-01-05T09:00:00Z',
  validUntil: '2025-12',
};

const FILE: HouseholdFile = {
  id: 'h1',
  name: 'Lefèvre',
  addressLine1: '12 rue des Tilleuls',
  addressLine2: '',
  postalCode: '45000',
  city: 'Orléans',
  email: '',
  phoneHome: '',
  phoneMobile: '06 12 34 56 78',
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
  ],
  pickupPersons: [],
  qfHistory: [qf640, qf300],
  currentQf: qf640,
};

describe('FamilyPage', () => {
  it('shows the file with French dates and the QF in force highlighted', async () => {
    const { api } = fakeCounter({ 'family.get': () => ({ ok: true, data: FILE }) });
    renderWithCounter(<FamilyPage householdId="h1" />, api);
    const heading = await screen.findByRole('heading', { level: 1, name: 'Foyer Lefèvre' });
    // Focus moves in an effect once the file is shown: on a loaded machine it lands a tick after the heading.
    await waitFor(() => expect(document.activeElement).toBe(heading));
    expect(screen.getByTestId('qf-in-force').textContent).toBe('QF en vigueur : 640 (CAF, depuis 01/2026)');
    expect(screen.getByRole('row', { name: /Zoé Lefèvre/ }).textContent).toContain('14/03/2018');
    const rows = screen.getAllByTestId('qf-row');
    expect(rows.map((r) => r.className)).toEqual(['in-force', '']);
    expect(rows[0]!.textContent).toContain('En vigueur');
    expect(rows[1]!.textContent).toContain('12/2025');
  });

  it('has a keyboard tab list where Dossier, Inscriptions, Réservations and Factures are available', async () => {
    const { api } = fakeCounter({ 'family.get': () => ({ ok: true, data: FILE }) });
    renderWithCounter(<FamilyPage householdId="h1" />, api);
    // The page turns the keyboard to the file once it is shown: the agent's keys come after that.
    const heading = await screen.findByRole('heading', { level: 1, name: 'Foyer Lefèvre' });
    await waitFor(() => expect(document.activeElement).toBe(heading));
    const tabs = screen.getAllByRole('tab');
    expect(
      tabs.map((t) => [t.textContent, t.getAttribute('aria-selected'), t.getAttribute('aria-disabled')]),
    ).toEqual([
      ['Dossier', 'true', null],
      ['Inscriptions', 'false', null],
      ['Réservations', 'false', null],
      ['Factures', 'false', null],
      ['Règlements', 'false', null],
    ]);
    expect(tabs.map((t) => t.tabIndex)).toEqual([0, -1, -1, -1, -1]);
    fireEvent.keyDown(tabs[0]!, { key: 'ArrowRight' });
    expect(document.activeElement).toBe(tabs[1]);
    fireEvent.keyDown(tabs[1]!, { key: 'End' });
    expect(document.activeElement).toBe(tabs[4]);
    fireEvent.keyDown(tabs[4]!, { key: 'ArrowRight' });
    expect(document.activeElement).toBe(tabs[0]);
  });

  it('hides the Factures tab from a role that may not read invoices', async () => {
    const { api } = fakeCounter({ 'family.get': () => ({ ok: true, data: FILE }) });
    renderWithCounter(<FamilyPage householdId="h1" />, api, {
      permissions: ['family.read', 'booking.write', 'attendance'],
    });
    const tabs = await screen.findAllByRole('tab');
    expect(tabs.map((t) => t.textContent)).toEqual(['Dossier', 'Inscriptions', 'Réservations']);
  });

  it('corrects a QF in place: Escape cancels, Enter saves, the new value shows in force', async () => {
    let file = FILE;
    const { api, calls } = fakeCounter({
      'family.get': () => ({ ok: true, data: file }),
      'family.updateQf': (input) => {
        const corrected = { ...qf640, value: input.value };
        file = { ...file, qfHistory: [corrected, qf300], currentQf: corrected };
        return { ok: true, data: { qfId: input.qfId } };
      },
    });
    renderWithCounter(<FamilyPage householdId="h1" />, api);
    const section = within(await screen.findByRole('region', { name: 'Quotient familial' }));

    fireEvent.click(section.getByRole('button', { name: 'Corriger le QF de 01/2026' }));
    const value = section.getByRole('textbox', { name: 'Quotient familial' }) as HTMLInputElement;
    expect(document.activeElement).toBe(value);
    fireEvent.keyDown(value, { key: 'Escape' });
    expect(section.queryByRole('textbox', { name: 'Quotient familial' })).toBeNull();
    expect(document.activeElement).toBe(section.getByRole('button', { name: 'Corriger le QF de 01/2026' }));

    fireEvent.click(section.getByRole('button', { name: 'Corriger le QF de 01/2026' }));
    const again = section.getByRole('textbox', { name: 'Quotient familial' });
    expect((again as HTMLInputElement).value).toBe('640');
    fireEvent.change(again, { target: { value: '712' } });
    fireEvent.keyDown(again, { key: 'Enter' });

    await waitFor(() => expect(screen.getByTestId('qf-in-force').textContent).toContain('712'));
    expect(calls.find((c) => c.name === 'family.updateQf')?.input).toEqual({
      householdId: 'h1',
      qfId: 'q1',
      value: 712,
      source: 'CAF',
      effectiveMonth: '2026-01',
      endMonth: null,
      checkedVia: null,
      checkedOn: null,
    });
    expect(screen.getByTestId('live-region').textContent).toBe('Quotient familial corrigé.');
  });

  it('records where and when the QF was checked: choosing CDAP dates it the town’s today, the row shows who checked', async () => {
    let file = FILE;
    const { api, calls } = fakeCounter({
      'family.get': () => ({ ok: true, data: file }),
      'family.updateQf': (input) => {
        const checked = {
          ...qf640,
          checkedVia: input.checkedVia,
          checkedOn: input.checkedOn,
          checkedBy: 'Agathe Accueil',
        };
        file = { ...file, qfHistory: [checked, qf300], currentQf: checked, cafNumber: '1234567' };
        return { ok: true, data: { qfId: input.qfId } };
      },
    });
    renderWithCounter(<FamilyPage householdId="h1" />, api, { clock: { today: '2026-12-04' } });
    const section = within(await screen.findByRole('region', { name: 'Quotient familial' }));
    fireEvent.click(section.getByRole('button', { name: 'Corriger le QF de 01/2026' }));
    fireEvent.change(section.getByRole('combobox', { name: 'QF consulté sur' }), {
      target: { value: 'cdap' },
    });
    const day = section.getByRole('textbox', { name: /Date de consultation/ }) as HTMLInputElement;
    expect(day.value).toBe('04/12/2026');
    fireEvent.keyDown(day, { key: 'Enter' });

    await waitFor(() => expect(section.getByText('CDAP (CAF), 04/12/2026 — Agathe Accueil')).toBeTruthy());
    expect(calls.find((c) => c.name === 'family.updateQf')?.input).toMatchObject({
      checkedVia: 'cdap',
      checkedOn: '2026-12-04',
    });
    const household = within(screen.getByRole('region', { name: 'Foyer' }));
    expect(household.getByText('1234567')).toBeTruthy();
  });

  it('never shows health notes from the file itself (they are read on demand, see health-section.test)', async () => {
    const withNotes = { ...FILE, children: [{ ...FILE.children[0]!, healthNotes: 'Allergie arachide' }] };
    const { api } = fakeCounter({ 'family.get': () => ({ ok: true, data: withNotes }) });
    renderWithCounter(<FamilyPage householdId="h1" />, api);
    await screen.findByRole('heading', { level: 1 });
    expect(document.body.textContent).not.toContain('arachide');
  });
});
