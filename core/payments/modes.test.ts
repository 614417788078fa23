import { describe, expect, it } from 'vitest';
import { DEPOSIT_SLIP_MODES, PAYMENT_MODE_TABLE, type DetailField } from '../../shared/payment-modes.ts';
import { payTown } from './fixtures.ts';
import { REGIE_DEFAULTS } from './modes.ts';

/** What an agent could type in a box of each kind, once read: 2 titles of 10 € make the 20 € paid. */
const SAMPLE: Record<DetailField['kind'], string | boolean | number> = {
  text: 'AB-1234',
  check: true,
  count: 2,
  euros: 1000,
};

/**
 * Every row of shared/payment-modes.ts, taken for real: the contract's schema, the rules, the database's CHECK
 * constraints on `payments` (a new mode fails here until its migration widens them), the till, what is read back.
 */
describe('every payment mode of the table', () => {
  it('is accepted by a régie that never chose, taken through the contract, stored and read back', async () => {
    const t = await payTown();
    const till = await t.call('regie.openSession', { floatCents: 0 });
    expect((await t.call('payment.settings', {})).modes.map((m) => m.mode)).toEqual(REGIE_DEFAULTS.modes);
    for (const row of PAYMENT_MODE_TABLE) {
      const input: Record<string, unknown> = {
        householdId: t.householdId,
        mode: row.mode,
        amountCents: 2000,
      };
      if (row.details) {
        const { group, fields } = row.details;
        const line = Object.fromEntries(fields.map((f) => [f.name.slice(group.length + 1), SAMPLE[f.kind]]));
        input[group] = group === 'vouchers' ? [line] : line;
      }
      const r = await t.call('payment.record', input as never);
      expect(r).toMatchObject({ mode: row.mode, modeLabel: row.label, amountCents: 2000 });
      expect(r.sessionId).toBe(row.till ? till.id : null);
      const stored = await t.call('payment.get', { paymentId: r.paymentId });
      for (const group of ['cheque', 'card', 'vouchers', 'online'] as const)
        expect(stored[group] !== null).toBe(row.details?.group === group);
    }
    const { session } = await t.call('regie.currentSession', {});
    expect(session?.totals.map((m) => [m.mode, m.count])).toEqual(
      PAYMENT_MODE_TABLE.map((m) => [m.mode, m.till ? 1 : 0]),
    );
    const report = await t.call('regie.collectionReport', { from: '2026-10-05', to: '2026-10-05' });
    expect(report.byMode.map((m) => [m.mode, m.label, m.count])).toEqual(
      PAYMENT_MODE_TABLE.map((m) => [m.mode, m.label, 1]),
    );
    expect((await t.call('regie.pendingCheques', {})).count).toBe(DEPOSIT_SLIP_MODES.length);
  });
});
