import fc from 'fast-check';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { DEFAULT_REQUIRED_DOCUMENTS } from '../core/activities/enrolment.ts';
import { createSyncClient } from '../core/sync/client.ts';
import { LEFEVRE } from '../core/test/fixtures.ts';
import { careEvening, PORTAL_TOKEN, townServer, type TownServer } from './harness.ts';

/**
 * Two counters and the families' portal against one server, in random interleavings: bookings, cancellations and
 * payments, with counters going offline and coming back. Whatever the order, the server never books more children
 * than places, keeps every payment a counter took exactly once, numbers without gaps, and every refusal reaches the
 * counter that made the request; once everyone is back online, both counters show the server's state.
 */
const DATES = ['2026-10-08', '2026-10-13', '2026-10-15'];
const PLACES = 2;
const RUNS = Number(process.env.GF_SYNC_RUNS ?? 100);

type Counter = Awaited<ReturnType<TownServer['counter']>> & { online: boolean };

type Action =
  | { kind: 'book' | 'cancel'; by: 0 | 1 | 'portal'; child: number; dates: number[] }
  | { kind: 'pay'; by: 0 | 1; household: number; amountCents: number; mode: 'cash' | 'cheque' }
  | { kind: 'sync'; by: 0 | 1 }
  | { kind: 'network'; by: 0 | 1; online: boolean };

const counterIndex = fc.constantFrom(0 as const, 1 as const);
const action: fc.Arbitrary<Action> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constantFrom('book' as const, 'cancel' as const),
      by: fc.constantFrom(0 as const, 1 as const, 'portal' as const),
      child: fc.nat(3),
      dates: fc.uniqueArray(fc.nat(DATES.length - 1), { minLength: 1, maxLength: 3 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('pay' as const),
      by: counterIndex,
      household: fc.nat(1),
      amountCents: fc.integer({ min: 100, max: 6000 }),
      mode: fc.constantFrom('cash' as const, 'cheque' as const),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('sync' as const), by: counterIndex }) },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('network' as const), by: counterIndex, online: fc.boolean() }),
  },
);

/** The demo town, a second family, two places a day on three October evenings, and September invoiced centrally. */
async function contestedTown() {
  const t = await townServer({ sqlite: ':memory:' }, '2026-09-01T10:00:00+02:00');
  const { householdId: martin } = await t.call('family.createHousehold', {
    ...LEFEVRE,
    name: 'Martin',
    email: 'martin@exemple.fr',
    guardians: [{ ...LEFEVRE.guardians[0]!, lastName: 'Martin', firstName: 'Inès' }],
    children: (LEFEVRE.children ?? []).map((c, i) => ({
      ...c,
      lastName: 'Martin',
      firstName: ['Léo', 'Lou'][i]!,
    })),
  });
  for (const doc of DEFAULT_REQUIRED_DOCUMENTS)
    await t.call('enrolment.checkDocument', {
      householdId: martin,
      schoolYear: '2026-2027',
      item: doc.code,
      checked: true,
    });
  const others = await t.store.db
    .selectFrom('children')
    .select('id')
    .where('household_id', '=', martin)
    .orderBy('first_name')
    .execute();
  for (const c of others)
    await t.call('enrolment.enrol', {
      childId: c.id,
      activityId: t.demo.care.activityId,
      schoolYear: '2026-2027',
      siteId: null,
    });
  for (const date of DATES)
    await t.call('admin.setCapacity', {
      siteId: t.demo.sites.jaures,
      unitId: t.demo.care.unitIds.evening as string,
      date,
      places: PLACES,
    });
  await t.call('booking.book', careEvening(t, t.zoe, ['2026-09-08', '2026-09-10']));
  t.at('2026-10-05T09:00:00+02:00');
  await t.call('billing.runMonth', { month: '2026-09', issueDate: '2026-10-05' });
  const children = [t.zoe, t.noe, ...others.map((c) => c.id)];
  const households = [t.householdId, martin];
  const household = (child: string) => (children.indexOf(child) < 2 ? t.householdId : martin);
  return { t, children, households, household };
}

async function counterWithNetwork(t: TownServer, name: string): Promise<Counter> {
  const c = (await t.counter(name)) as Counter;
  c.online = true;
  // Offline is the network failing under the client, as when the town hall's line drops.
  c.sync = createSyncClient(c.core, {
    serverUrl: t.http.url,
    credential: c.credential,
    clock: () => new Date('2026-10-05T09:00:00+02:00'),
    fetch: (input, init) => (c.online ? fetch(input, init) : Promise.reject(new TypeError('fetch failed'))),
  });
  return c;
}

describe('two counters and the portal in random interleavings', { timeout: 600_000 }, () => {
  it(`keep places, payments, numbering and refusals right (${RUNS} runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 5, maxLength: 25 }), async (actions) => {
        const { t, children, households, household } = await contestedTown();
        try {
          const counters = [
            await counterWithNetwork(t, 'Guichet A'),
            await counterWithNetwork(t, 'Guichet B'),
          ];
          for (const c of counters) {
            expect((await c.sync.syncOnce()).ok).toBe(true);
            expect((await c.core.invoke('regie.openSession', { floatCents: 0 })).ok).toBe(true);
          }
          const payments: { by: number; paymentId: string; receiptNumber: string; amountCents: number }[] =
            [];
          /** What each counter told the family it had done: the days its booking or cancellation accepted. */
          const told: { by: number; child: string; commandId: string; dates: string[] }[] = [];

          for (const a of actions) {
            if (a.kind === 'sync') await counters[a.by]!.sync.syncOnce();
            else if (a.kind === 'network') counters[a.by]!.online = a.online;
            else if (a.kind === 'pay') {
              const c = counters[a.by]!;
              const r = await c.core.invoke('payment.record', {
                householdId: households[a.household]!,
                mode: a.mode,
                amountCents: a.amountCents,
                note: '',
                ...(a.mode === 'cheque'
                  ? {
                      cheque: {
                        number: `${1000 + payments.length}`,
                        bank: 'Banque Postale',
                        drawer: 'Famille',
                        payeeChecked: true,
                      },
                    }
                  : {}),
              });
              expect(r.ok).toBe(true);
              const d = (r as { data: { paymentId: string; receiptNumber: string } }).data;
              payments.push({ by: a.by, ...d, amountCents: a.amountCents });
            } else {
              const child = children[a.child]!;
              const request = {
                ...careEvening(
                  t,
                  child,
                  a.dates.map((i) => DATES[i]!),
                ),
                origin: 'counter' as const,
              };
              if (a.by === 'portal') {
                const res = await fetch(`${t.http.url}/portal/bookings`, {
                  method: 'POST',
                  headers: { authorization: `Bearer ${PORTAL_TOKEN}`, 'content-type': 'application/json' },
                  body: JSON.stringify({ action: a.kind, householdId: household(child), ...request }),
                });
                expect([200, 422]).toContain(res.status);
              } else {
                const c = counters[a.by]!;
                const r = await c.core.invoke(a.kind === 'book' ? 'booking.book' : 'booking.cancel', request);
                // The counter judges by its own (possibly stale) state: a refusal there is a plan, not an error.
                expect(r.ok || (r as { error: { code: string } }).error.code !== 'INTERNAL').toBe(true);
                const accepted = r.ok ? (r.data as { accepted: { date: string }[] }).accepted : [];
                const id = c.core.raw
                  .prepare('SELECT id FROM command_log ORDER BY seq DESC LIMIT 1')
                  .pluck()
                  .get();
                if (r.ok)
                  told.push({ by: a.by, child, commandId: id as string, dates: accepted.map((d) => d.date) });
              }
            }
          }

          // Everyone back online: a few rounds each until nothing waits.
          for (const c of counters) c.online = true;
          for (let round = 0; round < 3; round++) for (const c of counters) await c.sync.syncOnce();
          for (const c of counters)
            expect(await c.core.invoke('sync.status', {})).toMatchObject({ ok: true, data: { pending: 0 } });

          // Never more children than places.
          const over = await sql<{ date: string; n: number }>`
            SELECT date, count(*) AS n FROM bookings WHERE state = 'booked' AND date IN (${sql.join(DATES)})
            GROUP BY date, unit_id, site_id HAVING count(*) > ${PLACES}`.execute(t.store.db);
          expect(over.rows).toEqual([]);

          // Every payment a counter took, on the server once, with the receipt number the family was handed.
          const onServer = await t.store.db
            .selectFrom('payments')
            .innerJoin('receipts', 'receipts.payment_id', 'payments.id')
            .select(['payments.id', 'receipts.number', 'payments.amount_cents'])
            .execute();
          expect(onServer.map((p) => [p.id, p.number, Number(p.amount_cents)]).sort()).toEqual(
            payments.map((p) => [p.paymentId, p.receiptNumber, p.amountCents]).sort(),
          );

          // Every series numbered 1..n without a gap, on the server and on both counters.
          for (const db of [t.store.db, ...counters.map((c) => c.core.db)]) {
            for (const table of ['receipts', 'invoices'] as const) {
              const seqs = await sql<{ series_code: string; seq: number }>`
                SELECT series_code, seq FROM ${sql.table(table)} ORDER BY series_code, seq`.execute(db);
              const bySeries = new Map<string, number[]>();
              for (const r of seqs.rows)
                bySeries.set(r.series_code, [...(bySeries.get(r.series_code) ?? []), Number(r.seq)]);
              for (const list of bySeries.values())
                expect(list).toEqual(Array.from({ length: list.length }, (_, i) => i + 1));
            }
          }

          // Every command the server refused, or held, is in the « À régulariser » list of the counter that made it.
          for (const c of counters) {
            const refused = await t.store.db
              .selectFrom('received_commands')
              .select('command_id')
              .where('device_id', '=', c.deviceId)
              .where('status', '!=', 'applied')
              .execute();
            const listed = new Set(
              (c.core.raw.prepare('SELECT command_id FROM sync_results').pluck().all() as string[]) ?? [],
            );
            for (const r of refused) expect(listed.has(r.command_id)).toBe(true);
          }
          // And every day a counter had accepted that the server then refused: the agent told the family « done ».
          // (Unless the same counter later changed that child's day again: its last word is what it told.)
          for (const [i, w] of told.entries()) {
            const later = told.slice(i + 1).some((x) => x.by === w.by && x.child === w.child);
            if (later || !w.dates.length) continue;
            const r = await t.store.db
              .selectFrom('received_commands')
              .select(['refused'])
              .where('command_id', '=', w.commandId)
              .executeTakeFirstOrThrow();
            const refusedDays = (JSON.parse(r.refused ?? '[]') as { date: string }[]).map((d) => d.date);
            if (refusedDays.some((d) => w.dates.includes(d))) {
              const listed = counters[w.by]!.core.raw.prepare(
                'SELECT 1 FROM sync_results WHERE command_id = ?',
              ).get(w.commandId);
              expect(listed, `refus de ${w.commandId} absent du guichet`).toBeTruthy();
            }
          }

          // Both counters now show what the server holds.
          const serverBooked = await t.store.db
            .selectFrom('bookings')
            .select(['id', 'state'])
            .orderBy('id')
            .execute();
          const serverPayments = onServer.map((p) => p.id).sort();
          for (const c of counters) {
            expect(c.core.raw.prepare('SELECT id, state FROM bookings ORDER BY id').all()).toEqual(
              serverBooked,
            );
            expect(c.core.raw.prepare('SELECT id FROM payments ORDER BY id').pluck().all()).toEqual(
              serverPayments,
            );
            expect(await c.core.invoke('regie.verifyJournal', {})).toMatchObject({
              ok: true,
              data: { ok: true },
            });
          }
        } finally {
          await t.close();
        }
      }),
      { numRuns: RUNS, endOnFailure: true },
    );
  });
});
