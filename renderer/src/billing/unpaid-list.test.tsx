import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { fakeCounter, renderWithCounter } from '../test-support.tsx';
import { unpaidCsv, type Unpaid } from './unpaid-csv.ts';
import { UnpaidList } from './unpaid-list.tsx';
import { INVOICES } from './test-fixtures.ts';

const base = INVOICES[0]!;
/** Lefèvre owes 45,00 + 4,40 € (above the minimum in all); Martin owes 3,30 € alone (below it). */
const UNPAID: Unpaid = {
  asOf: '2026-10-26',
  minimumCents: 1500,
  invoices: [
    {
      ...base,
      id: 'i1',
      number: 'GUI-2026-000001',
      dueDate: '2026-09-20',
      totalCents: 4500,
      remainingCents: 4500,
      daysLate: 36,
      belowMinimum: false,
      titreExport: 'PES-2026-000003',
    },
    {
      ...base,
      id: 'i2',
      number: 'FAC-2026-000001',
      totalCents: 440,
      remainingCents: 440,
      daysLate: 1,
      belowMinimum: true,
    },
    {
      ...base,
      id: 'i3',
      number: 'FAC-2026-000002',
      householdId: 'h2',
      householdName: 'Martin',
      payerName: 'Mme Claire Martin; dite « Clo »',
      payerAddress: '3 place du Marché\n45000 Orléans',
      totalCents: 550,
      creditedCents: 220,
      remainingCents: 330,
      daysLate: 1,
      belowMinimum: true,
    },
  ],
  debtors: [
    {
      householdId: 'h1',
      householdName: 'Lefèvre',
      payerName: base.payerName,
      payerAddress: base.payerAddress,
      remainingCents: 4940,
      invoices: 2,
      belowMinimum: false,
    },
    {
      householdId: 'h2',
      householdName: 'Martin',
      payerName: 'Mme Claire Martin; dite « Clo »',
      payerAddress: '3 place du Marché\n45000 Orléans',
      remainingCents: 330,
      invoices: 1,
      belowMinimum: true,
    },
  ],
  totals: { invoices: 3, remainingCents: 5270, debtorsBelowMinimum: 1 },
};

describe('the unpaid invoices', () => {
  it('lists debtors and their overdue invoices, flags debts under 15 €, and asks again for another date', async () => {
    const fake = fakeCounter({ 'billing.unpaid': () => ({ ok: true, data: UNPAID }) });
    renderWithCounter(<UnpaidList today="2026-10-26" onOpenFamily={() => {}} />, fake.api);
    const debtors = await screen.findAllByTestId('unpaid-debtor');
    expect(screen.getByTestId('unpaid-totals').textContent).toMatch(
      /Débiteurs2Factures échues3Reste dû52,70\s€Débiteurs sous 15,00\s€1/,
    );
    expect(
      within(debtors[0]!)
        .getAllByRole('row')
        .map((r) => r.textContent),
    ).toEqual([
      expect.stringMatching(
        /^Foyer Lefèvre Mme Sophie Lefèvre — 12 rue des Tilleuls, 45000 Orléans · 2 factures49,40\s€$/,
      ),
      // Already handed to the Trésorerie: the list says where it went.
      expect.stringMatching(
        /^Facture GUI-2026-00000120\/09\/202636 jours45,00\s€—45,00\s€transmise au comptable \(PES-2026-000003\)$/,
      ),
      expect.stringMatching(/^Facture FAC-2026-00000125\/10\/20261 jour4,40\s€—4,40\s€moins de 15,00\s€$/),
    ]);
    expect(
      within(debtors[1]!)
        .getAllByRole('row')
        .map((r) => r.textContent),
    ).toEqual([
      expect.stringMatching(/^Foyer Martin .* · 1 facture3,30\s€moins de 15,00\s€$/),
      expect.stringMatching(/^Facture FAC-2026-000002.*5,50\s€− 2,20\s€3,30\s€moins de 15,00\s€$/),
    ]);

    fireEvent.change(screen.getByLabelText('Échues avant le'), { target: { value: '1/11/2026' } });
    fireEvent.submit(screen.getByRole('form', { name: 'Date des impayés' }));
    await waitFor(() =>
      expect(fake.calls.at(-1)).toEqual({ name: 'billing.unpaid', input: { asOf: '2026-11-01' } }),
    );
  });

  it('exports them as a CSV the comptable’s spreadsheet reads: « ; », French decimals, quoted when needed', () => {
    const lines = unpaidCsv(UNPAID).split('\r\n');
    expect(lines[0]!.startsWith('\uFEFFDébiteur (foyer);Payeur;Adresse du payeur;Facture')).toBe(true);
    expect(lines.slice(1)).toEqual([
      'Lefèvre;Mme Sophie Lefèvre;12 rue des Tilleuls, 45000 Orléans;GUI-2026-000001;02/10/2026;20/09/2026;36;45,00;0,00;0,00;45,00;non;49,40;non',
      'Lefèvre;Mme Sophie Lefèvre;12 rue des Tilleuls, 45000 Orléans;FAC-2026-000001;02/10/2026;25/10/2026;1;4,40;0,00;0,00;4,40;oui;49,40;non',
      'Martin;"Mme Claire Martin; dite « Clo »";3 place du Marché, 45000 Orléans;FAC-2026-000002;02/10/2026;25/10/2026;1;5,50;2,20;0,00;3,30;oui;3,30;oui',
      '',
    ]);
  });
});
