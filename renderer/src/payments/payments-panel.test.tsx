import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { OutputOf } from '../../../core/contract.ts';
import { fakeCounter, renderWithCounter } from '../test-support.tsx';
import { PaymentsPanel } from './payments-panel.tsx';

type Listed = OutputOf<'payment.listForHousehold'>['payments'][number];

const PAID: Listed = {
  id: 'p1',
  receiptNumber: 'REC-G01-2026-000001',
  date: '2026-12-07',
  receivedAt: '2026-12-07T09:30:00.000Z',
  mode: 'cash',
  modeLabel: 'Espèces',
  amountCents: 35_000,
  invoiceNumbers: [],
  creditCents: 35_000,
  reversed: false,
  reversalReason: null,
  agentName: 'Camille Agent',
  overrideUnproven: null,
};

describe('PaymentsPanel', () => {
  it('marks a cash payment whose régisseur the server could not prove, and says why', async () => {
    const why =
      'Dérogation attribuée à Rémi Régisseur non prouvée : la signature ne correspond pas au mot de passe de « regisseur » pour ce paiement';
    const { api } = fakeCounter({
      'payment.listForHousehold': () => ({
        ok: true,
        data: {
          payments: [
            PAID,
            { ...PAID, id: 'p2', receiptNumber: 'REC-G02-2026-000001', overrideUnproven: why },
          ],
          creditUses: [],
          balance: {
            householdId: 'h1',
            invoicedCents: 0,
            creditNotesCents: 0,
            allocatedCents: 0,
            dueCents: 0,
            paymentsCents: 70_000,
            reversedCents: 0,
            creditCents: 70_000,
            netCents: -70_000,
          },
        },
      }),
      'payment.settings': () => ({ ok: false, error: { code: 'INTERNAL', message: 'non utilisé' } }),
    });
    renderWithCounter(<PaymentsPanel householdId="h1" />, api);
    const rows = await screen.findAllByTestId('payment-row');
    expect(within(rows[0]!).queryByText('Dérogation non prouvée')).toBeNull();
    const marked = within(rows[1]!).getByText('Dérogation non prouvée');
    // Seen and heard: the reason is in the tag's title and read out after it.
    expect(marked.getAttribute('title')).toBe(why);
    expect(marked.textContent).toBe(`Dérogation non prouvée : ${why}`);
  });
});
