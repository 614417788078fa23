import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { InputOf, OperationName, OutputOf } from '../core/contract.ts';
import { operations } from '../core/contract.ts';
import { DomainError } from '../core/api/envelope.ts';
import { command, type AnyOperation } from '../core/api/operation.ts';
import type { Core } from '../core/app.ts';
import { createSyncClient } from '../core/sync/client.ts';
import { TEST_PASSWORD } from '../core/test/fixtures.ts';
import { ADMIN_TOKEN, STORES, townServer, type TownServer } from './harness.ts';

/**
 * Facts keep the time they happened and are never dropped (RULES.md « Time, facts and calendars »): a till worked
 * offline on New Year's Eve stays in December; rules changed centrally meanwhile drop nothing and reuse no number;
 * an override names a régisseur only if the server can prove it.
 */

let town: TownServer | null = null;
afterEach(async () => {
  await town?.close();
  town = null;
});

type Counter = Awaited<ReturnType<TownServer['counter']>> & { online: boolean };

/** A counter whose network the test cuts, on the town's clock. */
async function counterWithNetwork(t: TownServer, name: string): Promise<Counter> {
  const c = (await t.counter(name)) as Counter;
  c.online = true;
  c.sync = createSyncClient(c.core, {
    serverUrl: t.http.url,
    credential: c.credential,
    clock: t.clock,
    fetch: (input, init) => (c.online ? fetch(input, init) : Promise.reject(new TypeError('fetch failed'))),
  });
  return c;
}

async function call<N extends OperationName>(core: Core, name: N, input: InputOf<N>): Promise<OutputOf<N>> {
  const r = await core.invoke(name, input);
  if (!r.ok) throw new Error(`${name}: ${r.error.code} ${r.error.message}`);
  return r.data as OutputOf<N>;
}

const cheque = (number: string) => ({
  number,
  bank: 'Banque Postale',
  drawer: 'M. Éric Lefèvre',
  payeeChecked: true as const,
});

/** The payments a store holds, with their receipts, as the régisseur reads them. */
async function paymentsOf(db: TownServer['store']['db'] | Core['db']) {
  const rows = await (db as TownServer['store']['db'])
    .selectFrom('payments as p')
    .innerJoin('receipts as r', 'r.payment_id', 'p.id')
    .select([
      'p.id',
      'p.mode',
      'p.amount_cents',
      'p.date',
      'p.received_at',
      'p.session_id',
      'r.number',
      'r.series_year',
      'r.issue_date',
    ])
    .orderBy('r.number')
    .execute();
  return rows.map((r) => ({
    ...r,
    amount_cents: Number(r.amount_cents),
    series_year: Number(r.series_year),
  }));
}

describe.each(STORES)('facts through sync on %s', { timeout: 90_000 }, (_label, storeOptions) => {
  it('a till worked offline on 31 December and synced on 4 January stays in December, everywhere', async () => {
    const t = (town = await townServer(storeOptions(), '2026-12-30T17:00:00+01:00'));
    const a = await counterWithNetwork(t, 'Guichet A');
    const b = await counterWithNetwork(t, 'Guichet B');
    for (const c of [a, b]) expect((await c.sync.syncOnce()).ok).toBe(true);

    // Thursday 31 December 2026: the town hall's line is down all day at counter A.
    a.online = false;
    t.at('2026-12-31T08:30:00+01:00');
    const till = await call(a.core, 'regie.openSession', { floatCents: 5000 });
    const taken: { paymentId: string; receiptNumber: string; at: string; amountCents: number }[] = [];
    const pay = async (at: string, input: Omit<InputOf<'payment.record'>, 'householdId'>) => {
      t.at(at);
      const p = await call(a.core, 'payment.record', { householdId: t.householdId, ...input });
      // The receipt handed to the family.
      expect((await call(a.core, 'payment.receiptPdf', { paymentId: p.paymentId })).duplicate).toBe(false);
      taken.push({
        paymentId: p.paymentId,
        receiptNumber: p.receiptNumber,
        at,
        amountCents: input.amountCents,
      });
    };
    await pay('2026-12-31T09:15:00+01:00', { mode: 'cash', amountCents: 4500 });
    await pay('2026-12-31T10:40:00+01:00', { mode: 'cheque', amountCents: 6200, cheque: cheque('0004711') });
    await pay('2026-12-31T11:05:00+01:00', { mode: 'cash', amountCents: 2000 });
    expect(taken.map((p) => p.receiptNumber)).toEqual([
      `REC-${a.seriesPrefix}-2026-000001`,
      `REC-${a.seriesPrefix}-2026-000002`,
      `REC-${a.seriesPrefix}-2026-000003`,
    ]);
    t.at('2026-12-31T16:30:00+01:00');
    const slip = await call(a.core, 'regie.depositSlip.create', {});
    expect(slip).toMatchObject({
      number: `BOR-${a.seriesPrefix}-2026-000001`,
      chequeCount: 1,
      totalCents: 6200,
    });
    t.at('2026-12-31T17:00:00+01:00');
    // 50 € float + 45 € + 20 € in cash: 115 € counted.
    const closed = await call(a.core, 'regie.closeSession', {
      sessionId: till.id,
      counted: [
        { denominationCents: 10000, count: 1 },
        { denominationCents: 1000, count: 1 },
        { denominationCents: 500, count: 1 },
      ],
      reason: '',
    });
    expect(closed).toMatchObject({ closed: true, differenceCents: 0 });
    expect((await a.sync.syncOnce()).ok).toBe(false);

    // Monday 4 January 2027: back online.
    t.at('2027-01-04T08:45:00+01:00');
    a.online = true;
    expect((await a.sync.syncOnce()).ok).toBe(true);
    expect((await b.sync.syncOnce()).ok).toBe(true);
    expect(await call(a.core, 'sync.status', {})).toMatchObject({ pending: 0, toSettle: 0 });

    const expected = taken.map((p) => ({
      id: p.paymentId,
      number: p.receiptNumber,
      date: '2026-12-31',
      issue_date: '2026-12-31',
      series_year: 2026,
      session_id: till.id,
      received_at: new Date(p.at).toISOString(),
      amount_cents: p.amountCents,
    }));
    for (const db of [t.store.db, a.core.db, b.core.db]) {
      expect(await paymentsOf(db)).toEqual(expected.map((e) => expect.objectContaining(e)));
      const session = await (db as TownServer['store']['db'])
        .selectFrom('cash_sessions')
        .select(['id', 'open_date', 'opened_at', 'closed_at', 'counted_cents', 'difference_cents'])
        .execute();
      expect(
        session.map((s) => ({
          ...s,
          counted_cents: Number(s.counted_cents),
          difference_cents: Number(s.difference_cents),
        })),
      ).toEqual([
        {
          id: till.id,
          open_date: '2026-12-31',
          opened_at: '2026-12-31T07:30:00.000Z',
          closed_at: '2026-12-31T16:00:00.000Z',
          counted_cents: 11500,
          difference_cents: 0,
        },
      ]);
      const slips = await (db as TownServer['store']['db'])
        .selectFrom('deposit_slips')
        .select(['number', 'date', 'series_year'])
        .execute();
      expect(slips.map((s) => ({ ...s, series_year: Number(s.series_year) }))).toEqual([
        { number: `BOR-${a.seriesPrefix}-2026-000001`, date: '2026-12-31', series_year: 2026 },
      ]);
    }

    // The collection report of 31 December has the day's three receipts; January's has none of them.
    const december = (await t.server.query('regie.collectionReport', {
      from: '2026-12-31',
      to: '2026-12-31',
      byPayer: true,
    })) as OutputOf<'regie.collectionReport'>;
    expect(december.totals).toMatchObject({ count: 3, netCents: 12700 });
    expect(december.byMode.filter((m) => m.count > 0)).toEqual([
      expect.objectContaining({ mode: 'cash', count: 2, netCents: 6500 }),
      expect.objectContaining({ mode: 'cheque', count: 1, netCents: 6200 }),
    ]);
    expect(december.byPayer?.flatMap((p) => p.receipts.map((r) => r.number)).sort()).toEqual(
      taken.map((p) => p.receiptNumber),
    );
    const january = (await t.server.query('regie.collectionReport', {
      from: '2027-01-01',
      to: '2027-01-31',
      byPayer: false,
    })) as OutputOf<'regie.collectionReport'>;
    expect(january.totals).toMatchObject({ count: 0, netCents: 0 });

    // The journal holds together on the server and on both counters.
    expect(await t.server.query('regie.verifyJournal', {})).toMatchObject({ ok: true, firstProblem: null });
    for (const c of [a, b])
      expect(await c.core.invoke('regie.verifyJournal', {})).toMatchObject({ ok: true, data: { ok: true } });

    // And January starts its own series at counter A.
    await call(a.core, 'regie.openSession', { floatCents: 5000 });
    const first = await call(a.core, 'payment.record', {
      householdId: t.householdId,
      mode: 'cash',
      amountCents: 1000,
    });
    expect(first.receiptNumber).toBe(`REC-${a.seriesPrefix}-2027-000001`);
  });

  it('a counter replaying its facts after a pull keeps their day, till and numbers (a PC revoked while offline)', async () => {
    const t = (town = await townServer(storeOptions(), '2026-12-31T08:00:00+01:00'));
    const a = await counterWithNetwork(t, 'Guichet A');
    expect((await a.sync.syncOnce()).ok).toBe(true);
    a.online = false;
    t.at('2026-12-31T09:00:00+01:00');
    const till = await call(a.core, 'regie.openSession', { floatCents: 1000 });
    t.at('2026-12-31T09:30:00+01:00');
    const paid = await call(a.core, 'payment.record', {
      householdId: t.householdId,
      mode: 'cash',
      amountCents: 3000,
    });
    // Meanwhile the administrator revokes the PC: on 4 January its push is refused, its pull still comes, and the
    // counter rebuilds its state as « server state + its own operations », which run again on the 4th.
    const revoked = await fetch(`${t.http.url}/devices/${a.deviceId}/revoke`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(revoked.status).toBe(200);
    t.at('2027-01-04T08:45:00+01:00');
    a.online = true;
    expect((await a.sync.syncOnce()).error).toContain('révoqué');
    expect(await call(a.core, 'sync.status', {})).toMatchObject({ pending: 2 });
    expect(await paymentsOf(a.core.db)).toEqual([
      expect.objectContaining({
        id: paid.paymentId,
        number: `REC-${a.seriesPrefix}-2026-000001`,
        date: '2026-12-31',
        session_id: till.id,
      }),
    ]);
    expect(
      a.core.raw.prepare('SELECT open_date, opened_at FROM cash_sessions WHERE id = ?').get(till.id),
    ).toEqual({ open_date: '2026-12-31', opened_at: '2026-12-31T08:00:00.000Z' });
  });

  it('rules changed centrally while a counter is offline: nothing dropped, no number reused, the régisseur is told', async () => {
    const t = (town = await townServer(storeOptions(), '2026-12-07T08:30:00+01:00'));
    const a = await counterWithNetwork(t, 'Guichet A');
    expect((await a.sync.syncOnce()).ok).toBe(true);
    const till = await call(a.core, 'regie.openSession', { floatCents: 2000 });
    expect((await a.sync.syncOnce()).ok).toBe(true);

    // Counter A goes offline; meanwhile the administrator stops accepting cheques and lowers the cash limit to 200 €.
    a.online = false;
    t.at('2026-12-07T09:00:00+01:00');
    await t.call('regie.saveSettings', {
      modes: ['cash', 'card'],
      cashLimitCents: 20_000,
      cashLimitOverridable: true,
      cashCeilingCents: 50_000,
    });
    // Counter A still works under the rules it had: a cheque, and 250 € in cash, under the 300 € it knew.
    t.at('2026-12-07T10:00:00+01:00');
    const byCheque = await call(a.core, 'payment.record', {
      householdId: t.householdId,
      mode: 'cheque',
      amountCents: 8000,
      cheque: cheque('0009001'),
    });
    t.at('2026-12-07T10:20:00+01:00');
    const inCash = await call(a.core, 'payment.record', {
      householdId: t.householdId,
      mode: 'cash',
      amountCents: 25_000,
    });
    expect([byCheque.receiptNumber, inCash.receiptNumber]).toEqual([
      `REC-${a.seriesPrefix}-2026-000001`,
      `REC-${a.seriesPrefix}-2026-000002`,
    ]);

    t.at('2026-12-07T11:00:00+01:00');
    a.online = true;
    expect((await a.sync.syncOnce()).ok).toBe(true);

    // Nothing dropped: both payments on the server and at the counter, with the numbers the family holds.
    const kept = [
      expect.objectContaining({ id: byCheque.paymentId, number: byCheque.receiptNumber, mode: 'cheque' }),
      expect.objectContaining({ id: inCash.paymentId, number: inCash.receiptNumber, mode: 'cash' }),
    ];
    expect(await paymentsOf(t.store.db)).toEqual(kept);
    expect(await paymentsOf(a.core.db)).toEqual(kept);
    // Still in the till, and the cheque still waits for its deposit slip.
    const current = await call(a.core, 'regie.currentSession', {});
    expect(current.session?.id).toBe(till.id);
    expect(current.session?.totals.filter((m) => m.count > 0)).toEqual([
      expect.objectContaining({ mode: 'cash', count: 1, netCents: 25_000 }),
      expect.objectContaining({ mode: 'cheque', count: 1, netCents: 8000 }),
    ]);
    expect((await call(a.core, 'regie.pendingCheques', {})).cheques.map((c) => c.paymentId)).toEqual([
      byCheque.paymentId,
    ]);

    // The régisseur sees what the new rules object to, payment by payment, with the receipt to look for.
    const settle = await call(a.core, 'sync.rejections', {});
    expect(settle).toEqual([
      expect.objectContaining({
        status: 'to_review',
        code: 'CASH_LIMIT',
        summary: expect.stringContaining(`reçu ${inCash.receiptNumber}`),
        message: expect.stringMatching(/^Enregistré tel qu’il a été fait au guichet.*200,00/),
      }),
      expect.objectContaining({
        status: 'to_review',
        code: 'MODE_REFUSED',
        summary: expect.stringContaining(`reçu ${byCheque.receiptNumber}`),
        message: expect.stringContaining('n’accepte pas le mode « Chèque »'),
      }),
    ]);
    const onServer = await t.store.db
      .selectFrom('received_commands')
      .select(['command_id', 'status', 'code'])
      .where('name', '=', 'payment.record')
      .orderBy('seq')
      .execute();
    expect(onServer.map((r) => [r.status, r.code])).toEqual([
      ['applied', 'MODE_REFUSED'],
      ['applied', 'CASH_LIMIT'],
    ]);

    // New payments follow the new rules, and take the next number.
    expect(
      await a.core.invoke('payment.record', {
        householdId: t.householdId,
        mode: 'cheque',
        amountCents: 1000,
        cheque: cheque('0009002'),
      }),
    ).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'mode' } });
    const next = await call(a.core, 'payment.record', {
      householdId: t.householdId,
      mode: 'cash',
      amountCents: 1000,
    });
    expect(next.receiptNumber).toBe(`REC-${a.seriesPrefix}-2026-000003`);
    expect((await a.sync.syncOnce()).ok).toBe(true);
    expect((await paymentsOf(t.store.db)).map((p) => p.number)).toEqual([
      byCheque.receiptNumber,
      inCash.receiptNumber,
      next.receiptNumber,
    ]);
    expect(await t.server.query('regie.verifyJournal', {})).toMatchObject({ ok: true });
    expect(await a.core.invoke('regie.verifyJournal', {})).toMatchObject({ ok: true, data: { ok: true } });
  });

  it('a fact the server cannot record at all is held for the régie, and its receipt number is never printed again', async () => {
    // No rule refuses a well-formed payment of this version any more: the server here refuses one, as it would a
    // payment naming a family merged away centrally, to see what the counter does with a number it printed.
    const payment = operations['payment.record'];
    const refusing: AnyOperation = command({
      ...payment,
      async run(ctx, input) {
        if (input.note === 'foyer fusionné')
          throw new DomainError('NOT_FOUND', 'Ce foyer a été fusionné avec un autre au serveur central.');
        return payment.run(ctx, input);
      },
    });
    const t = (town = await townServer(storeOptions(), '2026-12-07T08:30:00+01:00', {
      operations: { ...operations, 'payment.record': refusing },
    }));
    const a = await counterWithNetwork(t, 'Guichet A');
    expect((await a.sync.syncOnce()).ok).toBe(true);
    await call(a.core, 'regie.openSession', { floatCents: 0 });
    a.online = false;
    const paid = [];
    for (const note of ['', 'foyer fusionné'])
      paid.push(
        await call(a.core, 'payment.record', {
          householdId: t.householdId,
          mode: 'cash',
          amountCents: 1500,
          note,
        }),
      );
    a.online = true;
    expect((await a.sync.syncOnce()).ok).toBe(true);
    expect(await call(a.core, 'sync.rejections', {})).toEqual([
      expect.objectContaining({
        status: 'held',
        code: 'NOT_FOUND',
        summary: expect.stringContaining(`reçu REC-${a.seriesPrefix}-2026-000002`),
      }),
    ]);
    // The counter now shows the server's state, without the held payment; its next receipt is n° 3, not n° 2 again.
    expect((await paymentsOf(a.core.db)).map((p) => p.number)).toEqual([paid[0]?.receiptNumber]);
    const next = await call(a.core, 'payment.record', {
      householdId: t.householdId,
      mode: 'cash',
      amountCents: 700,
    });
    expect(next.receiptNumber).toBe(`REC-${a.seriesPrefix}-2026-000003`);
    expect((await a.sync.syncOnce()).ok).toBe(true);
    expect((await paymentsOf(t.store.db)).map((p) => p.number)).toEqual([
      `REC-${a.seriesPrefix}-2026-000001`,
      `REC-${a.seriesPrefix}-2026-000003`,
    ]);
    // The hole in the series is shown, on the server and at the counter: n° 2 was handed to a family.
    const report = (await t.server.query('regie.verifyJournal', {})) as OutputOf<'regie.verifyJournal'>;
    expect(report.ok).toBe(false);
    expect(report.problems.map((p) => p.message)).toEqual([
      expect.stringContaining(
        `Série REC-${a.seriesPrefix}-2026-… : 3 numéro(s) attribué(s), 2 document(s) présent(s)`,
      ),
    ]);
    expect(await call(a.core, 'sync.rejections', {})).toEqual([
      expect.objectContaining({ code: 'NUMBER_GAP', status: 'to_review' }),
      expect.objectContaining({ code: 'NOT_FOUND', status: 'held' }),
    ]);
  });

  it('an override is believed only when the server can prove the régisseur signed it', async () => {
    const t = (town = await townServer(storeOptions(), '2026-12-07T08:30:00+01:00'));
    // The central administrator registers Rémi's key; his password never leaves the command line's machine.
    const registered = await adminCli(
      t,
      ['register-regisseur', 'regisseur', 'Rémi Régisseur'],
      `${TEST_PASSWORD}\n`,
    );
    expect(registered.stdout).toContain('Régisseur « Rémi Régisseur » (regisseur) enregistré');
    const stored = await t.store.db.selectFrom('override_keys').selectAll().execute();
    expect(JSON.stringify(stored)).not.toContain(TEST_PASSWORD);
    // A counter PC's credential cannot register one.
    const a = await counterWithNetwork(t, 'Guichet A');
    const intruder = await fetch(`${t.http.url}/admin/override-keys`, {
      method: 'POST',
      headers: { authorization: `Bearer ${a.credential}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        username: 'regisseur',
        displayName: 'X',
        salt: 'A'.repeat(24),
        logN: 10,
        key: 'A'.repeat(44),
      }),
    });
    expect(intruder.status).toBe(401);

    const b = await counterWithNetwork(t, 'Guichet B');
    for (const [c, password] of [
      [a, TEST_PASSWORD],
      // Counter B's owner makes himself a « Rémi Régisseur » account with a password of his own.
      [b, 'mot-de-passe-de-l-intrus'],
    ] as const) {
      for (const [username, displayName, role] of [
        ['agent', 'Camille Agent', 'agent'],
        ['regisseur', 'Rémi Régisseur', 'regisseur'],
      ] as const)
        await call(c.core, 'staff.save', {
          username,
          displayName,
          role,
          password: role === 'agent' ? TEST_PASSWORD : password,
        });
      await call(c.core, 'regie.openSession', { floatCents: 0 });
      expect((await c.sync.syncOnce()).ok).toBe(true);
      await call(c.core, 'auth.login', { username: 'agent', password: TEST_PASSWORD });
    }

    const overCash = (reason: string, password?: string) => ({
      householdId: t.householdId,
      mode: 'cash' as const,
      amountCents: 35_000,
      override: password ? { reason, username: 'regisseur', password } : { reason },
    });
    // At A, the agent calls Rémi, who types his password; later Rémi signs in and authorises one himself.
    const typed = await call(
      a.core,
      'payment.record',
      overCash('Famille sans compte bancaire', TEST_PASSWORD),
    );
    await call(a.core, 'auth.login', { username: 'regisseur', password: TEST_PASSWORD });
    const signedIn = await call(a.core, 'payment.record', overCash('Remboursement d’un trop-perçu'));
    // At B, the intruder's « Rémi » authorises one: accepted by B, which only knows its own accounts.
    const forged = await call(b.core, 'payment.record', overCash('Urgence', 'mot-de-passe-de-l-intrus'));
    // And a PC that pushes by hand an override naming Rémi, with no signature at all.
    const bare = await pushByHand(t, {
      reason: 'Sans signature',
      byId: 'remi',
      byName: 'Rémi Régisseur',
      username: 'regisseur',
    });
    for (const c of [a, b]) expect((await c.sync.syncOnce()).ok).toBe(true);
    expect((await a.sync.syncOnce()).ok).toBe(true);

    const proofs = await t.store.db
      .selectFrom('payments')
      .select(['id', 'override_proof', 'override_proof_note', 'amount_cents'])
      .execute();
    const proofOf = (id: string) => proofs.find((p) => p.id === id);
    expect(proofOf(typed.paymentId)).toMatchObject({ override_proof: 'proven', override_proof_note: null });
    expect(proofOf(signedIn.paymentId)).toMatchObject({ override_proof: 'proven' });
    // Recorded all the same — the cash was received — but never believed.
    expect(proofOf(forged.paymentId)).toMatchObject({
      override_proof: 'unproven',
      override_proof_note: expect.stringContaining('la signature ne correspond pas'),
    });
    expect(proofOf(bare)).toMatchObject({
      override_proof: 'unproven',
      override_proof_note: expect.stringContaining('pas transmis de signature'),
    });

    // Counter B's régisseur finds it in « À régulariser »; every counter shows it on the payment.
    expect(await call(b.core, 'sync.rejections', {})).toEqual([
      expect.objectContaining({
        status: 'to_review',
        code: 'OVERRIDE_UNPROVEN',
        message: expect.stringContaining(
          'Dérogation au plafond des espèces attribuée à Rémi Régisseur non prouvée',
        ),
      }),
    ]);
    expect(await call(a.core, 'sync.rejections', {})).toEqual([]);
    for (const c of [a, b]) {
      const detail = await call(c.core, 'payment.get', { paymentId: forged.paymentId });
      expect(detail.override).toMatchObject({ byName: 'Rémi Régisseur', proof: 'unproven' });
      expect(await call(c.core, 'payment.get', { paymentId: typed.paymentId })).toMatchObject({
        override: { proof: 'proven' },
      });
      const list = await call(c.core, 'payment.listForHousehold', { householdId: t.householdId });
      expect(
        list.payments
          .filter((p) => p.overrideUnproven)
          .map((p) => p.id)
          .sort(),
      ).toEqual([forged.paymentId, bare].sort());
    }
    // The signature travels in the log, never the password.
    const log = b.core.raw.prepare('SELECT name, input FROM command_log').all() as {
      name: string;
      input: string;
    }[];
    expect(JSON.stringify(log)).not.toContain('mot-de-passe-de-l-intrus');
    const logged = log.find((l) => l.name === 'payment.record');
    expect(JSON.parse(logged?.input ?? '{}')).toMatchObject({
      override: { username: 'regisseur', signature: expect.stringMatching(/^[\w-]{43}$/) },
    });
  });
});

/** Runs server/admin-cli.ts against the town's server, with `stdin` piped in. */
function adminCli(t: TownServer, args: string[], stdin: string): Promise<{ stdout: string; stderr: string }> {
  const cli = fileURLToPath(new URL('./admin-cli.ts', import.meta.url));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, '--url', t.http.url, ...args], {
      env: { ...process.env, GF_ADMIN_TOKEN: ADMIN_TOKEN },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve({ stdout, stderr }) : reject(new Error(`admin-cli ${code}: ${stderr}`)),
    );
    child.stdin.end(stdin);
  });
}

/**
 * A PC enrolled like any other pushes, by hand, a till and a cash payment over the limit whose override names a
 * régisseur: what a device credential alone allows. Returns the payment's id.
 */
async function pushByHand(t: TownServer, override: Record<string, string>): Promise<string> {
  const res = await fetch(`${t.http.url}/devices`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Poste bricolé' }),
  });
  const device = (await res.json()) as { deviceId: string; credential: string };
  const sessionId = '01940000-0000-7000-8000-0000000000a1';
  const paymentId = '01940000-0000-7000-8000-0000000000b1';
  const at = t.clock().toISOString();
  const commands = [
    { name: 'regie.openSession', input: { sessionId, floatCents: 0 } },
    {
      name: 'payment.record',
      input: {
        paymentId,
        householdId: t.householdId,
        mode: 'cash',
        amountCents: 40_000,
        allocations: [],
        sessionId,
        override,
      },
    },
  ].map((c, i) => ({
    seq: i + 1,
    id: `01940000-0000-7000-8000-00000000000${i + 1}`,
    agentId: 'bricoleur',
    deviceId: device.deviceId,
    at,
    ...c,
  }));
  const push = await fetch(`${t.http.url}/push`, {
    method: 'POST',
    headers: { authorization: `Bearer ${device.credential}`, 'content-type': 'application/json' },
    body: JSON.stringify({ deviceId: device.deviceId, schemaVersion: 0, appVersion: 'bricolé', commands }),
  });
  const body = (await push.json()) as { results: { status: string; code?: string }[] };
  expect(body.results).toEqual([
    expect.objectContaining({ status: 'applied' }),
    expect.objectContaining({ status: 'applied', code: 'OVERRIDE_UNPROVEN' }),
  ]);
  return paymentId;
}
