import { afterEach, describe, expect, it } from 'vitest';
import { createSyncClient } from '../core/sync/client.ts';
import { careEvening, STORES, townServer, type TownServer } from './harness.ts';

let town: TownServer | null = null;
afterEach(async () => {
  await town?.close();
  town = null;
});

const SEPTEMBER_EVENINGS = ['2026-09-08', '2026-09-10', '2026-09-15'];

/** September evenings booked centrally, then the central monthly run on 5 October: one FAC invoice for the Lefèvre. */
async function invoicedTown(storeOptions: Parameters<typeof townServer>[0]) {
  const t = await townServer(storeOptions);
  await t.call('booking.book', careEvening(t, t.zoe, SEPTEMBER_EVENINGS));
  t.at('2026-10-05T09:00:00+02:00');
  const run = (await t.call('billing.runMonth', { month: '2026-09', issueDate: '2026-10-05' })) as {
    invoices: number;
  };
  expect(run.invoices).toBe(1);
  return t;
}

describe.each(STORES)('money through sync on %s', { timeout: 60_000 }, (_label, storeOptions) => {
  it('the central run’s invoice reaches the counters; two counters paying it offline: both payments kept once, the second as credit', async () => {
    const t = (town = await invoicedTown(storeOptions()));
    const a = await t.counter('Guichet A');
    const b = await t.counter('Guichet B');
    for (const c of [a, b]) expect((await c.sync.syncOnce()).ok).toBe(true);

    // The invoice came with the pull; a connected counter does not run the month itself.
    const onA = await a.core.invoke('payment.familyBalance', { householdId: t.householdId });
    const due = (onA as { ok: true; data: { dueCents: number } }).data.dueCents;
    expect(due).toBeGreaterThan(0);
    expect(
      await a.core.invoke('billing.runMonth', { month: '2026-09', issueDate: '2026-10-05' }),
    ).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', message: expect.stringContaining('serveur central') },
    });

    // Both counters offline, each takes the whole amount in cash for the same invoice.
    const pay = async (c: typeof a) => {
      expect((await c.core.invoke('regie.openSession', { floatCents: 0 })).ok).toBe(true);
      const r = await c.core.invoke('payment.record', {
        householdId: t.householdId,
        mode: 'cash',
        amountCents: due,
        note: '',
      });
      expect(r.ok).toBe(true);
      return (r as { ok: true; data: { paymentId: string; receiptNumber: string } }).data;
    };
    const pa = await pay(a);
    const pb = await pay(b);
    // Each counter numbers its receipts in its own series: no number is ever taken twice.
    expect(pa.receiptNumber).toBe(`REC-${a.seriesPrefix}-2026-000001`);
    expect(pb.receiptNumber).toBe(`REC-${b.seriesPrefix}-2026-000001`);
    expect(pa.receiptNumber).not.toBe(pb.receiptNumber);

    expect((await a.sync.syncOnce()).ok).toBe(true);
    expect((await b.sync.syncOnce()).ok).toBe(true);
    expect((await a.sync.syncOnce()).ok).toBe(true);

    // The server holds both payments, once each, with the receipts the families were handed.
    const server = await t.store.db
      .selectFrom('payments')
      .innerJoin('receipts', 'receipts.payment_id', 'payments.id')
      .select(['payments.id', 'receipts.number', 'payments.amount_cents'])
      .orderBy('receipts.number')
      .execute();
    expect(server.map((p) => [p.id, p.number, Number(p.amount_cents)]).sort()).toEqual(
      [
        [pa.paymentId, pa.receiptNumber, due],
        [pb.paymentId, pb.receiptNumber, due],
      ].sort(),
    );
    // A paid the invoice; B's payment, received all the same, waits as the family's credit.
    const balance = (await t.server.query('payment.familyBalance', { householdId: t.householdId })) as {
      dueCents: number;
      creditCents: number;
    };
    expect(balance).toMatchObject({ dueCents: 0, creditCents: due });
    const onB = await b.core.invoke('sync.rejections', {});
    expect(onB).toMatchObject({
      ok: true,
      data: [{ status: 'as_credit', code: 'AS_CREDIT', summary: expect.stringContaining('Paiement') }],
    });
    expect(await a.core.invoke('sync.rejections', {})).toEqual({ ok: true, data: [] });

    // Both counters now show the server's state: two payments, the invoice paid, the credit.
    for (const c of [a, b]) {
      const local = await c.core.invoke('payment.familyBalance', { householdId: t.householdId });
      expect(local).toMatchObject({ ok: true, data: { dueCents: 0, creditCents: due } });
      const receipts = c.core.raw.prepare('SELECT number FROM receipts ORDER BY number').pluck().all();
      expect(receipts).toEqual([pa.receiptNumber, pb.receiptNumber].sort());
      // The local journal is the server's chain, and it still verifies.
      expect(await c.core.invoke('regie.verifyJournal', {})).toMatchObject({ ok: true, data: { ok: true } });
    }
  });

  it('a holiday week paid at booking is taken only while the server answers, and numbered in the counter’s series', async () => {
    const t = (town = await townServer(storeOptions(), '2026-09-20T10:00:00+02:00'));
    await t.call('enrolment.enrol', {
      childId: t.zoe,
      activityId: t.demo.holidays.activityId,
      schoolYear: '2026-2027',
      siteId: null,
    });
    const a = await t.counter('Guichet A');
    let online = true;
    const sync = createSyncClient(a.core, {
      serverUrl: t.http.url,
      credential: a.credential,
      // This PC's clock is months ahead: it is told, and its pushes are still taken.
      clock: () => new Date('2026-12-20T10:00:00+01:00'),
      fetch: (url, init) => (online ? fetch(url, init) : Promise.reject(new TypeError('fetch failed'))),
    });
    expect((await sync.syncOnce()).ok).toBe(true);
    const week = {
      childId: t.zoe,
      activityId: t.demo.holidays.activityId,
      siteId: t.demo.sites.tilleuls,
      unitCodes: ['day' as const],
      selection: { kind: 'week' as const, weekStart: '2026-10-19' },
      origin: 'counter' as const,
    };
    online = false;
    expect((await sync.syncOnce()).ok).toBe(false);
    expect(await a.core.invoke('booking.book', week)).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', message: expect.stringContaining('hors ligne') },
    });
    // Monthly-billed bookings still work offline.
    expect((await a.core.invoke('booking.book', careEvening(t, t.zoe, ['2026-09-24']))).ok).toBe(true);

    online = true;
    expect((await sync.syncOnce()).ok).toBe(true);
    expect(await a.core.invoke('sync.status', {})).toMatchObject({
      ok: true,
      data: { clockWarning: expect.stringContaining("réglez l'heure du poste") },
    });
    const r = await a.core.invoke('booking.book', week);
    expect(r).toMatchObject({
      ok: true,
      data: { invoice: { number: `GUI-${a.seriesPrefix}-2026-000001`, totalCents: 4500 } },
    });
    const invoiceId = (r as { data: { invoice: { invoiceId: string } } }).data.invoice.invoiceId;
    expect((await sync.syncOnce()).ok).toBe(true);
    // The server holds the very invoice the family was handed: same id, same number, same amount.
    const onServer = await t.store.db
      .selectFrom('invoices')
      .select(['id', 'number', 'total_cents'])
      .where('kind', '=', 'booking')
      .execute();
    expect(onServer.map((i) => [i.id, i.number, Number(i.total_cents)])).toEqual([
      [invoiceId, `GUI-${a.seriesPrefix}-2026-000001`, 4500],
    ]);
  });
});
