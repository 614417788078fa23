import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_REQUIRED_DOCUMENTS } from '../core/activities/enrolment.ts';
import { createHouseholdGenerator } from '../core/demo/generate.ts';
import { ADMIN_TOKEN, PORTAL_TOKEN, townServer, type TownServer } from './harness.ts';
import { createSyncServer } from './server.ts';
import { openServerStore, type ServerStore } from './store.ts';

/**
 * Several server processes on one PostgreSQL town (each its own pool: what separate processes are to PostgreSQL)
 * take random concurrent portal bookings and cancellations of holiday weeks on slots of one place, while a
 * counter pulls: no slot ever holds more children than places, each child's weeks are exactly what the answers it
 * was given imply, and the counter ends with the server's rows.
 */
const PG = process.env.GF_TEST_PG_URL;
const PLACES = 1;
const CHILDREN = 6;
const WEEKS = ['2026-10-19', '2026-10-26'];

interface Action {
  child: number;
  kind: 'book' | 'cancel';
  site: number;
  week: number;
  server: number;
}

describe.skipIf(!PG)('the portal under concurrent families, several server processes, PostgreSQL', () => {
  const town = `prop_${randomBytes(6).toString('hex')}`;
  const base = (() => {
    const u = new URL(PG ?? 'postgres://x/y');
    u.searchParams.delete('scratch');
    return u.toString();
  })();
  let t: TownServer;
  const others: { store: ServerStore; url: string; close(): Promise<void> }[] = [];
  const children: { id: string; householdId: string }[] = [];
  let unitId = '';

  beforeAll(async () => {
    t = await townServer({ pgUrl: base, town }, '2026-09-20T08:00:00+02:00');
    for (let i = 0; i < 2; i++) {
      const store = await openServerStore({ pgUrl: base, town });
      const server = createSyncServer({
        store,
        clock: t.clock,
        adminToken: ADMIN_TOKEN,
        portalToken: PORTAL_TOKEN,
      });
      await server.ready;
      const http = await server.listen();
      others.push({ store, url: http.url, close: async () => (await http.close(), await store.close()) });
    }
    unitId = t.demo.holidays.unitIds.day as string;
    await sql`UPDATE capacities SET places = ${PLACES} WHERE unit_id = ${unitId}`.execute(t.store.db);
    const next = createHouseholdGenerator(7);
    while (children.length < CHILDREN) {
      const h = next();
      if (!h.children?.length) continue;
      const { householdId } = await t.call('family.createHousehold', h);
      for (const doc of DEFAULT_REQUIRED_DOCUMENTS) {
        await t.call('enrolment.checkDocument', {
          householdId,
          schoolYear: '2026-2027',
          item: doc.code,
          checked: true,
        });
      }
      const kid = await t.store.db
        .selectFrom('children')
        .select('id')
        .where('household_id', '=', householdId)
        .orderBy('birth_date', 'desc')
        .executeTakeFirstOrThrow();
      try {
        await t.call('enrolment.enrol', {
          childId: kid.id,
          activityId: t.demo.holidays.activityId,
          schoolYear: '2026-2027',
          siteId: null,
        });
      } catch {
        continue;
      }
      children.push({ id: kid.id, householdId });
    }
  }, 120_000);

  afterAll(async () => {
    for (const o of others) await o.close();
    await t?.close();
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    await admin.query(`DROP SCHEMA IF EXISTS town_${town} CASCADE`);
    await admin.end();
  });

  it('never overbooks a slot, never loses a cancellation, and a counter pulling meanwhile ends with the server’s rows', async () => {
    const urls = () => [t.http.url, ...others.map((o) => o.url)];
    const sites = [t.demo.sites.tilleuls, t.demo.sites.parc];
    const counter = await t.counter('Guichet');
    expect((await counter.sync.syncOnce()).ok).toBe(true);
    /** Each child's weeks as its answers say: week → site. Carried over the runs, as the server's rows are. */
    const told = new Map<string, Map<string, string>>();
    let weeksBooked = 0;
    const action = fc.record({
      child: fc.integer({ min: 0, max: CHILDREN - 1 }),
      kind: fc.constantFrom('book' as const, 'cancel' as const),
      site: fc.integer({ min: 0, max: 1 }),
      week: fc.integer({ min: 0, max: WEEKS.length - 1 }),
      server: fc.integer({ min: 0, max: 2 }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 8, maxLength: 30 }), async (actions: Action[]) => {
        // A family clicks one request after the other; the families all click at once, on any server.
        const byChild = new Map<number, Action[]>();
        for (const a of actions) byChild.set(a.child, [...(byChild.get(a.child) ?? []), a]);
        let pulling = true;
        const puller = (async () => {
          while (pulling) expect((await counter.sync.syncOnce()).ok).toBe(true);
        })();
        await Promise.all(
          [...byChild.values()].map(async (mine) => {
            for (const a of mine) {
              const child = children[a.child]!;
              const weekStart = WEEKS[a.week]!;
              const res = await fetch(`${urls()[a.server]}/portal/bookings`, {
                method: 'POST',
                headers: { authorization: `Bearer ${PORTAL_TOKEN}`, 'content-type': 'application/json' },
                body: JSON.stringify({
                  action: a.kind,
                  householdId: child.householdId,
                  childId: child.id,
                  activityId: t.demo.holidays.activityId,
                  siteId: sites[a.site],
                  unitCodes: ['day'],
                  selection: { kind: 'week', weekStart },
                }),
              });
              const body = (await res.json()) as {
                plan?: { accepted: unknown[]; refused: { code: string; reason: string }[] };
                error?: { code: string; message: string };
              };
              expect([200, 422], JSON.stringify(body)).toContain(res.status);
              if (res.status === 422) {
                expect(body.error?.message).toBeTruthy();
                continue;
              }
              const weeks = told.get(child.id) ?? new Map<string, string>();
              told.set(child.id, weeks);
              if (body.plan!.accepted.length === 0) {
                expect(body.plan!.refused.every((r) => r.code && r.reason)).toBe(true);
                continue;
              }
              if (a.kind === 'book') {
                weeks.set(weekStart, sites[a.site]!);
                weeksBooked += 1;
              } else weeks.delete(weekStart);
            }
          }),
        );
        pulling = false;
        await puller;

        const booked = await t.store.db
          .selectFrom('bookings')
          .select(['child_id', 'site_id', 'date'])
          .where('unit_id', '=', unitId)
          .where('state', '=', 'booked')
          .execute();
        const perSlot = new Map<string, number>();
        for (const b of booked)
          perSlot.set(`${b.site_id}|${b.date}`, (perSlot.get(`${b.site_id}|${b.date}`) ?? 0) + 1);
        expect(Math.max(0, ...perSlot.values())).toBeLessThanOrEqual(PLACES);
        for (const child of children) {
          const onServer = [
            ...new Set(
              booked
                .filter((b) => b.child_id === child.id)
                .map((b) => `${WEEKS.find((w) => b.date >= w && b.date < addDays(w, 7))}@${b.site_id}`),
            ),
          ].sort();
          const expected = [...(told.get(child.id) ?? new Map<string, string>())]
            .map(([w, s]) => `${w}@${s}`)
            .sort();
          expect(onServer, `child ${child.id}`).toEqual(expected);
        }

        expect((await counter.sync.syncOnce()).ok).toBe(true);
        const rows = (r: { id: string; state: string }[]) => r.map((b) => `${b.id} ${b.state}`).sort();
        const mine = await counter.core.db.selectFrom('bookings').select(['id', 'state']).execute();
        const theirs = await t.store.db.selectFrom('bookings').select(['id', 'state']).execute();
        expect(rows(mine)).toEqual(rows(theirs));
      }),
      { numRuns: 15 },
    );
    // The places were really fought over: weeks were booked, and more were asked than there are places.
    expect(weeksBooked).toBeGreaterThan(sites.length * WEEKS.length * PLACES);
  }, 300_000);
});

const addDays = (date: string, n: number) => {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
};
