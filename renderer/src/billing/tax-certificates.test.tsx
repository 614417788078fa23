import { fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { fakeCounter, renderWithCounter } from '../test-support.tsx';
import { FamilyTaxCertificates } from './tax-certificates.tsx';

const NOE = {
  year: 2026,
  householdId: 'h1',
  householdName: 'Lefèvre',
  payerName: 'Mme Sophie Lefèvre',
  payerAddress: '12 rue des Tilleuls\n45000 Orléans',
  childId: 'c2',
  childName: 'Noé Lefèvre',
  birthDate: '2020-09-02',
  paidCents: 37750,
  byActivity: [{ activityName: 'Accueil périscolaire', paidCents: 37750 }],
};

describe('the family’s tax certificates', () => {
  it('asks for last year in January, lists each young child with what was paid, and reads another year on demand', async () => {
    const { api, calls } = fakeCounter({
      'billing.familyTaxCertificates': (input) => ({ ok: true, data: input.year === 2026 ? [NOE] : [] }),
    });
    renderWithCounter(<FamilyTaxCertificates householdId="h1" />, api, { clock: { today: '2027-01-12' } });
    const card = within(await screen.findByTestId('tax-certificates'));
    const row = await card.findByTestId('tax-row');
    expect(row.textContent).toMatch(/^Noé Lefèvre02\/09\/2020377,50\s€Imprimer/);
    expect(card.getByRole('button', { name: 'Imprimer l’attestation de Noé Lefèvre' })).toBeTruthy();

    fireEvent.change(card.getByRole('combobox', { name: 'Année des frais de garde' }), {
      target: { value: '2025' },
    });
    expect(await card.findByText(/Aucun frais de garde payé en 2025/)).toBeTruthy();
    expect(calls.map((c) => c.input)).toEqual([
      { householdId: 'h1', year: 2026 },
      { householdId: 'h1', year: 2025 },
    ]);
  });
});
