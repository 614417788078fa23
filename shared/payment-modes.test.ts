import { describe, expect, it } from 'vitest';
import { detailProblems, fieldProblem, type PaymentDetails } from './payment-details.ts';
import {
  DEFAULT_MODES,
  DEPOSIT_SLIP_MODES,
  MODE_LABELS,
  needsSession,
  PAYMENT_MODE_TABLE,
  PAYMENT_MODES,
  type DetailField,
  type PaymentMode,
} from './payment-modes.ts';

/** What an agent could type in a box of each kind, once read. */
const SAMPLE: Record<DetailField['kind'], string | boolean | number> = {
  text: 'AB-1234',
  check: true,
  count: 2,
  euros: 1000,
};

/** A payment of `mode` with every box of its details filled as the table asks: 2 titles of 10 € make 20 €. */
function sample(mode: PaymentMode): PaymentDetails {
  const input: Record<string, unknown> = { mode, amountCents: 2000 };
  const details = PAYMENT_MODE_TABLE.find((m) => m.mode === mode)?.details;
  if (details) {
    const group = Object.fromEntries(
      details.fields.map((f) => [f.name.slice(details.group.length + 1), SAMPLE[f.kind]]),
    );
    input[details.group] = details.group === 'vouchers' ? [group] : group;
  }
  return input as unknown as PaymentDetails;
}

describe('the payment modes, one table', () => {
  it('gives every mode its label, its till, and boxes that say what they want', () => {
    expect(new Set(PAYMENT_MODES).size).toBe(PAYMENT_MODE_TABLE.length);
    for (const row of PAYMENT_MODE_TABLE) {
      expect(row.mode).toMatch(/^[a-z_]+$/);
      expect(MODE_LABELS[row.mode]).toBe(row.label);
      expect(row.label.trim()).not.toBe('');
      expect(needsSession(row.mode)).toBe(row.till);
      for (const f of row.details?.fields ?? []) {
        expect(f.name.startsWith(`${row.details?.group}.`)).toBe(true);
        expect(f.label.trim()).not.toBe('');
        expect(f.missing).toMatch(/\.$/);
        expect(fieldProblem(f, SAMPLE[f.kind])).toBeNull();
        expect(fieldProblem(f, f.kind === 'check' ? false : f.kind === 'text' ? '  ' : null)).toBe(f.missing);
      }
      // Only a cheque's details make a line of the deposit slip (number, bank, drawer).
      if (row.depositSlip) expect(row.details?.group).toBe('cheque');
    }
    expect(DEPOSIT_SLIP_MODES).toEqual(['cheque']);
    expect(DEFAULT_MODES).toEqual(PAYMENT_MODES);
  });

  it('accepts every mode with its own details, and refuses them missing or under another mode', () => {
    for (const mode of PAYMENT_MODES) {
      const input = sample(mode);
      expect(detailProblems(input)).toEqual([]);
      const group = PAYMENT_MODE_TABLE.find((m) => m.mode === mode)?.details?.group;
      if (group) {
        expect(detailProblems({ ...input, [group]: undefined })).toEqual([
          { field: group, message: expect.stringMatching(/^Indiquez /) },
        ]);
        const other = PAYMENT_MODES.find(
          (m) => PAYMENT_MODE_TABLE.find((r) => r.mode === m)?.details?.group !== group,
        )!;
        expect(detailProblems({ ...input, mode: other })[0]).toEqual({
          field: group,
          message: `Ce détail ne concerne pas le mode « ${MODE_LABELS[other]} ».`,
        });
      }
    }
  });

  it('refuses titles that do not make the amount, and any text that looks like a card number', () => {
    expect(
      detailProblems({ mode: 'ancv', amountCents: 4500, vouchers: [{ faceValueCents: 2000, count: 2 }] }),
    ).toEqual([
      {
        field: 'vouchers',
        message:
          'Les titres remis font 2 × 20,00\u00a0€ = 40,00\u00a0€, pas 45,00\u00a0€ : un titre ne se fractionne pas ni ne rend la monnaie.',
      },
    ]);
    expect(
      detailProblems({
        mode: 'cesu',
        amountCents: 4500,
        vouchers: [
          { faceValueCents: 2000, count: 2 },
          { faceValueCents: 500, count: 1 },
        ],
      }),
    ).toEqual([]);
    expect(
      detailProblems({ mode: 'card', amountCents: 100, card: { authorisation: '4970 1012 3456 7890' } }),
    ).toEqual([{ field: 'card.authorisation', message: expect.stringContaining('numéro de carte') }]);
    expect(
      detailProblems({ mode: 'cash', amountCents: 100, note: 'carte 4970-1012-3456-7890' })[0]?.field,
    ).toBe('note');
  });
});
