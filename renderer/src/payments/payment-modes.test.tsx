import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { OutputOf } from '../../../core/contract.ts';
import { detailProblems, type PaymentDetails } from '../../../shared/payment-details.ts';
import { PAYMENT_MODE_TABLE, type DetailField } from '../../../shared/payment-modes.ts';
import { fakeCounter, renderWithCounter } from '../test-support.tsx';
import { PaymentForm, type PaymentSettings } from './payment-form.tsx';

/** What an agent types in a box of each kind: 2 titles of 10 € make the 20 € paid. */
const TYPED: Record<Exclude<DetailField['kind'], 'check'>, string> = {
  text: 'AB-1234',
  count: '2',
  euros: '10',
};

const SETTINGS: PaymentSettings = {
  modes: PAYMENT_MODE_TABLE.map((m) => ({ mode: m.mode, label: m.label })),
  allModes: PAYMENT_MODE_TABLE.map((m) => ({ mode: m.mode, label: m.label })),
  cashLimitCents: 30_000,
  cashLimitOverridable: true,
  cashCeilingCents: 100_000,
  counterCode: 'G1',
  receiptSeries: 'REC-G1',
  denominations: [],
};

const RECORDED: OutputOf<'payment.record'> = {
  paymentId: 'p1',
  receiptNumber: 'REC-G1-2026-000001',
  householdId: 'h1',
  mode: 'cash',
  modeLabel: 'Espèces',
  amountCents: 2000,
  amountInWords: 'vingt euros',
  allocations: [],
  creditCents: 2000,
  familyCreditCents: 2000,
  dueCents: 0,
  sessionId: 's1',
  warnings: [],
};

describe('the payment form, walking the table of modes (shared/payment-modes.ts)', () => {
  for (const row of PAYMENT_MODE_TABLE)
    it(`offers « ${row.label} » with its boxes, checks them, and sends what the core accepts`, async () => {
      const fake = fakeCounter({
        'payment.proposeAllocation': (input) => ({
          ok: true,
          data: {
            openInvoices: [],
            allocations: [],
            excessCents: input.amountCents,
            familyCreditCents: 0,
            amountInWords: 'vingt euros',
          },
        }),
        'payment.record': (input) => ({ ok: true, data: { ...RECORDED, mode: input.mode } }),
      });
      renderWithCounter(
        <PaymentForm householdId="h1" settings={SETTINGS} onRecorded={() => {}} onClose={() => {}} />,
        fake.api,
      );
      const form = screen.getByRole('form', { name: 'Encaisser un paiement' });
      fireEvent.change(within(form).getByRole('textbox', { name: 'Montant reçu (€)' }), {
        target: { value: '20' },
      });
      const mode = within(form).getByRole<HTMLSelectElement>('combobox', { name: 'Mode de paiement' });
      expect(within(mode).getByRole('option', { name: row.label })).toBeTruthy();
      fireEvent.change(mode, { target: { value: row.mode } });
      const fields = row.details?.fields ?? [];
      if (row.details?.legend)
        expect(within(form).getByRole('group', { name: row.details.legend })).toBeTruthy();

      if (fields.length > 0) {
        // Empty, every box says what it wants, and the core is not asked.
        fireEvent.click(within(form).getByRole('button', { name: 'Valider' }));
        for (const f of fields) {
          expect(within(form).getByLabelText(f.label).getAttribute('aria-invalid')).toBe('true');
          expect(within(form).getByText(f.missing)).toBeTruthy();
        }
        expect(fake.calls.some((c) => c.name === 'payment.record')).toBe(false);
      }

      for (const f of fields) {
        const box = within(form).getByLabelText(f.label);
        if (f.kind === 'check') fireEvent.click(box);
        else fireEvent.change(box, { target: { value: TYPED[f.kind] } });
      }
      fireEvent.click(within(form).getByRole('button', { name: 'Valider' }));
      await screen.findByTestId('payment-done');
      const sent = fake.calls.find((c) => c.name === 'payment.record')?.input as PaymentDetails;
      expect(sent).toMatchObject({ mode: row.mode, amountCents: 2000 });
      expect(detailProblems(sent)).toEqual([]);
      if (row.details) expect(sent[row.details.group]).toBeDefined();
      await waitFor(() => expect(document.activeElement?.textContent).toBe('Imprimer le reçu'));
    });
});
