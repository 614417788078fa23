import { afterEach, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, PORTAL_TOKEN, townServer, type TownServer } from './harness.ts';
import { createSyncServer } from './server.ts';
import { openServerStore, type StoreOptions } from './store.ts';

/**
 * On PostgreSQL a server process keeps the town's set-up from one family's request to the next (server/apply.ts):
 * a change to it — here a closure the administration adds, on the same process (PGlite) or on another process of
 * the same town (PostgreSQL) — must reach the very next request, never the set-up read before it.
 */
const PG = process.env.GF_TEST_PG_URL;
const STORES: [string, () => StoreOptions][] = [
  ['PGlite, the administration on the same process', () => ({ pglite: true })],
  ...(PG
    ? ([
        [
          'PostgreSQL, the administration on another process',
          () => {
            const u = new URL(PG);
            u.searchParams.delete('scratch');
            return { pgUrl: u.toString(), town: `setup_${process.pid}_${Date.now().toString(36)}` };
          },
        ],
      ] as [string, () => StoreOptions][])
    : []),
];

describe.each(STORES)('the portal’s set-up kept between requests, %s', (_, options) => {
  let t: TownServer | undefined;
  const extra: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const close of extra.splice(0)) await close();
    await t?.close();
    t = undefined;
  });

  it('refuses a day closed since the last request', async () => {
    const storeOptions = options();
    t = await townServer(storeOptions);
    const town = t;
    // The administration: this process on PGlite, a second process of the same town on PostgreSQL.
    let admin = town.call;
    if ('pgUrl' in storeOptions) {
      const store = await openServerStore(storeOptions);
      const other = createSyncServer({
        store,
        clock: town.clock,
        adminToken: ADMIN_TOKEN,
        portalToken: PORTAL_TOKEN,
      });
      await other.ready;
      admin = (name, input) => other.adminCommand(name, input) as never;
      extra.push(() => store.close());
    }
    const book = async (dates: string[]) => {
      const res = await fetch(`${town.http.url}/portal/bookings`, {
        method: 'POST',
        headers: { authorization: `Bearer ${PORTAL_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          action: 'book',
          householdId: town.householdId,
          childId: town.zoe,
          activityId: town.demo.care.activityId,
          siteId: town.demo.sites.jaures,
          unitCodes: ['evening'],
          selection: { kind: 'days', dates },
        }),
      });
      expect(res.status).toBe(200);
      return (
        (await res.json()) as {
          plan: { accepted: { date: string }[]; refused: { date: string; code: string }[] };
        }
      ).plan;
    };

    const before = await book(['2026-09-14', '2026-09-15']);
    expect(before.accepted.map((d) => d.date)).toEqual(['2026-09-14', '2026-09-15']);
    await admin('admin.addClosure', {
      siteId: null,
      firstDay: '2026-09-17',
      lastDay: '2026-09-17',
      label: 'Grève',
    });
    const after = await book(['2026-09-17', '2026-09-18']);
    expect(after.accepted.map((d) => d.date)).toEqual(['2026-09-18']);
    expect(after.refused.map((d) => [d.date, d.code])).toEqual([['2026-09-17', 'CLOSED']]);
  });
});
