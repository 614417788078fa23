import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import type { InputOf, OperationName, OutputOf } from '../core/contract.ts';
import { careEvening, STORES, townServer, type TownServer } from './harness.ts';

/**
 * The money side of the central server on each of its stores: the month run, the till, payments and receipts go
 * through the same core code as on a counter, and the store itself refuses to rewrite what the régie has written.
 * Prices for the Lefèvre household (QF 640, bracket 400–699): evening care 2,10 €; a child present without booking
 * pays 2,10 € + 10,00 €.
 */

let town: TownServer | null = null;
afterEach(async () => {
  await town?.close();
  town = null;
});

/** Runs `statement` on the store and returns the refusal it met (the test fails if it went through). */
async function refusal(t: TownServer, statement: ReturnType<typeof sql>): Promise<string> {
  try {
    await statement.execute(t.store.db);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error(`accepté : ${statement.compile(t.store.db).sql}`);
}

describe.each(STORES)('finance on the %s store', { timeout: 60_000 }, (_label, storeOptions) => {
  it('invoices September, takes cash and a cheque at the till, and keeps what it wrote', async () => {
    const t = (town = await townServer(storeOptions()));
    const ask = <N extends OperationName>(name: N, input: InputOf<N>) =>
      t.server.query(name, input) as Promise<OutputOf<N>>;

    // Zoé is booked three evenings; on the 18th she is absent with a justification. Noé comes on the 17th unbooked.
    const booked = await t.call(
      'booking.book',
      careEvening(t, t.zoe, ['2026-09-15', '2026-09-17', '2026-09-18']),
    );
    expect(booked.accepted).toHaveLength(3);
    t.at('2026-09-18T19:00:00+02:00');
    const mark = (childId: string, date: string, status: 'present' | 'absent_justified') =>
      t.call('attendance.mark', {
        childId,
        activityId: t.demo.care.activityId,
        siteId: t.demo.sites.jaures,
        unitCode: 'evening',
        date,
        status,
      });
    await mark(t.zoe, '2026-09-15', 'present');
    await mark(t.zoe, '2026-09-17', 'present');
    await mark(t.zoe, '2026-09-18', 'absent_justified');
    expect((await mark(t.noe, '2026-09-17', 'present')).unbooked).toBe(true);

    // Zoé 2 × 2,10 € + Noé 12,10 € = 16,30 €, one invoice for the household.
    t.at('2026-10-02T09:00:00+02:00');
    const run = await t.call('billing.runMonth', { month: '2026-09', issueDate: '2026-10-02' });
    expect(run).toMatchObject({
      invoices: 1,
      services: 3,
      totalCents: 1630,
      dueDate: '2026-10-25',
      firstNumber: 'FAC-2026-000001',
      lastNumber: 'FAC-2026-000001',
    });
    const [invoice] = (await ask('billing.listInvoices', { householdId: t.householdId })).invoices;
    expect(invoice).toMatchObject({ number: 'FAC-2026-000001', totalCents: 1630, remainingCents: 1630 });

    // The till: 50 € float, then 10 € in cash and the remaining 6,30 € by cheque, both on the Lefèvre invoice.
    t.at('2026-10-05T09:00:00+02:00');
    const session = await t.call('regie.openSession', { floatCents: 5000 });
    const cash = await t.call('payment.record', {
      householdId: t.householdId,
      mode: 'cash',
      amountCents: 1000,
      allocations: [{ invoiceId: invoice!.id, amountCents: 1000 }],
    });
    expect(cash).toMatchObject({ dueCents: 630, creditCents: 0, sessionId: session.id });
    t.at('2026-10-05T09:20:00+02:00');
    const cheque = await t.call('payment.record', {
      householdId: t.householdId,
      mode: 'cheque',
      amountCents: 630,
      cheque: { number: '0001234', bank: 'Crédit Agricole', drawer: 'M. Éric Lefèvre', payeeChecked: true },
    });
    expect(cheque.allocations).toEqual([
      expect.objectContaining({ invoiceId: invoice!.id, amountCents: 630, remainingCents: 0 }),
    ]);
    expect(cheque).toMatchObject({ dueCents: 0, familyCreditCents: 0 });

    expect(await ask('billing.getInvoice', { invoiceId: invoice!.id })).toMatchObject({
      totalCents: 1630,
      remainingCents: 0,
    });
    expect(await ask('payment.familyBalance', { householdId: t.householdId })).toMatchObject({
      invoicedCents: 1630,
      allocatedCents: 1630,
      dueCents: 0,
      paymentsCents: 1630,
      creditCents: 0,
    });

    // Receipts: consecutive numbers of one series, from the first of the year.
    const numbers = [cash.receiptNumber, cheque.receiptNumber].map((n) => /^(REC-.+-2026-)(\d{6})$/.exec(n));
    expect(numbers[0]?.[1]).toBe(numbers[1]?.[1]);
    expect(numbers.map((m) => Number(m?.[2]))).toEqual([1, 2]);

    // The cheque goes on a deposit slip; the till closes on the 60 € counted, and the journal holds together.
    const slip = await t.call('regie.depositSlip.create', {});
    expect(slip).toMatchObject({ chequeCount: 1, totalCents: 630 });
    const closed = await t.call('regie.closeSession', {
      sessionId: session.id,
      counted: [
        { denominationCents: 5000, count: 1 },
        { denominationCents: 1000, count: 1 },
      ],
      reason: '',
    });
    expect(closed).toMatchObject({ closed: true, countedCents: 6000, differenceCents: 0 });
    expect(closed.totals.filter((m) => m.count > 0)).toEqual([
      expect.objectContaining({ mode: 'cash', count: 1, netCents: 1000 }),
      expect.objectContaining({ mode: 'cheque', count: 1, netCents: 630 }),
    ]);
    expect(await ask('regie.verifyJournal', {})).toMatchObject({
      ok: true,
      entries: 5, // the invoice, two payments, the deposit slip, the closing
      firstProblem: null,
    });
    expect(await ask('regie.collectionReport', { from: '2026-10-05', to: '2026-10-05' })).toMatchObject({
      totals: expect.objectContaining({ netCents: 1630 }),
    });

    // What the régie wrote stays as written, whatever SQL tries.
    expect(await refusal(t, sql`UPDATE payments SET amount_cents = 1`)).toMatch(/écriture de la régie/);
    expect(await refusal(t, sql`DELETE FROM payments`)).toMatch(/écriture de la régie/);
    expect(await refusal(t, sql`DELETE FROM receipts`)).toMatch(/écriture de la régie/);
    expect(await refusal(t, sql`UPDATE allocations SET amount_cents = 1`)).toMatch(/écriture de la régie/);
    expect(await refusal(t, sql`UPDATE invoices SET total_cents = 0`)).toMatch(/document émis/);
    expect(await refusal(t, sql`DELETE FROM invoices`)).toMatch(/document émis/);
    expect(await refusal(t, sql`DELETE FROM invoice_lines`)).toMatch(/document émis/);
    expect(await refusal(t, sql`UPDATE series SET next_number = 1`)).toMatch(/série de numérotation/);
    expect(await refusal(t, sql`UPDATE cash_sessions SET counted_cents = 0`)).toMatch(/caisse clôturée/);
    expect(await refusal(t, sql`DELETE FROM cash_sessions`)).toMatch(/ne se supprime pas/);
    expect(
      await refusal(
        t,
        sql`INSERT INTO payments (id, household_id, mode, amount_cents, received_at, date, session_id, household_name,
          payer_name, agent_id, agent_name, device_id)
          VALUES ('p-tard', ${t.householdId}, 'cash', 100, 'x', '2026-10-05', ${session.id}, 'L', 'L', 'a', 'a', 'd')`,
      ),
    ).toMatch(/caisse clôturée/);
    // A card number never gets into a row, and the last 4 digits are 4 digits.
    expect(
      await refusal(
        t,
        sql`INSERT INTO payments (id, household_id, mode, amount_cents, received_at, date, household_name, payer_name,
          online_reference, note, agent_id, agent_name, device_id)
          VALUES ('p-pan', ${t.householdId}, 'online', 100, 'x', '2026-10-05', 'L', 'L', 'r', '4970 1012 3456 7890', 'a', 'a', 'd')`,
      ),
    ).toMatch(/payments_no_pan/);
    expect(
      await refusal(
        t,
        sql`INSERT INTO payments (id, household_id, mode, amount_cents, received_at, date, household_name, payer_name,
          online_reference, card_last4, agent_id, agent_name, device_id)
          VALUES ('p-l4', ${t.householdId}, 'online', 100, 'x', '2026-10-05', 'L', 'L', 'r', '12a4', 'a', 'a', 'd')`,
      ),
    ).toMatch(/card_last4/);
    const still = await sql<{
      n: number | string;
    }>`SELECT count(*) AS n FROM payments`.execute(t.store.db);
    expect(Number(still.rows[0]?.n)).toBe(2);

    // A correction is a new entry: the cheque comes back unpaid, its allocation is undone, the invoice is due again.
    t.at('2026-10-12T10:00:00+02:00');
    const reversal = await t.call('payment.reverse', {
      paymentId: cheque.paymentId,
      reason: 'Chèque impayé',
    });
    expect(reversal).toMatchObject({ amountCents: 630, undoneCents: 630, dueCents: 630, sessionId: null });
    expect(await ask('billing.getInvoice', { invoiceId: invoice!.id })).toMatchObject({
      remainingCents: 630,
    });
    // Checked after the closing: the routine check reads the one entry written since, the full check all six.
    expect(await ask('regie.verifyJournal', {})).toMatchObject({ ok: true, since: 5, entries: 1 });
    expect(await ask('regie.verifyJournal', { full: true })).toMatchObject({ ok: true, entries: 6 });
  });
});
