import { installDemoActivities } from '../core/demo/demo-town.ts';
import { DEFAULT_REQUIRED_DOCUMENTS } from '../core/activities/enrolment.ts';
import type { InputOf, OperationName, OutputOf } from '../core/contract.ts';
import type { Core } from '../core/app.ts';
import { seriesPrefixKey } from '../core/system/device-keys.ts';
import { createSyncClient, type SyncClient } from '../core/sync/client.ts';
import { writeSetting } from '../core/db/settings.ts';
import { LEFEVRE, openTestCore } from '../core/test/fixtures.ts';
import { createSyncServer, type SyncServerOptions } from './server.ts';
import { openServerStore, type StoreOptions } from './store.ts';

export const ADMIN_TOKEN = 'jeton-admin-test';
export const PORTAL_TOKEN = 'jeton-portail-test';

/** Which stores the server suite runs on: SQLite, PGlite, and a real PostgreSQL when GF_TEST_PG_URL is set. */
export const STORES: [string, () => StoreOptions][] = [
  ['SQLite', () => ({ sqlite: ':memory:' })],
  ['PGlite', () => ({ pglite: true })],
  ...(process.env.GF_TEST_PG_URL
    ? [
        ['PostgreSQL', () => ({ pgUrl: process.env.GF_TEST_PG_URL as string })] as [
          string,
          () => StoreOptions,
        ],
      ]
    : []),
];

/** One server on loopback, configured as the demo town with the Lefèvre family, and a clock tests move. */
export async function townServer(
  storeOptions: StoreOptions,
  start = '2026-08-20T10:00:00+02:00',
  serverOptions: Partial<SyncServerOptions> = {},
) {
  let now = new Date(start);
  const clock = () => now;
  const store = await openServerStore(storeOptions);
  const server = createSyncServer({
    store,
    clock,
    adminToken: ADMIN_TOKEN,
    portalToken: PORTAL_TOKEN,
    onInternalError: (where, error) => console.error(`[serveur de test] ${where}:`, error),
    ...serverOptions,
  });
  const call = <N extends OperationName>(name: N, input: InputOf<N>) =>
    server.adminCommand(name, input) as Promise<OutputOf<N>>;
  const demo = await installDemoActivities(call);
  const { householdId } = await call('family.createHousehold', LEFEVRE);
  const children = await store.db
    .selectFrom('children')
    .select(['id', 'first_name'])
    .where('household_id', '=', householdId)
    .orderBy('birth_date')
    .execute();
  for (const doc of DEFAULT_REQUIRED_DOCUMENTS) {
    await call('enrolment.checkDocument', {
      householdId,
      schoolYear: '2026-2027',
      item: doc.code,
      checked: true,
    });
  }
  const noe = children.find((c) => c.first_name === 'Noé')!.id;
  const zoe = children.find((c) => c.first_name === 'Zoé')!.id;
  for (const childId of [zoe, noe]) {
    await call('enrolment.enrol', {
      childId,
      activityId: demo.care.activityId,
      schoolYear: '2026-2027',
      siteId: null,
    });
  }
  const http = await server.listen();
  const counters: Core[] = [];

  /** A counter PC: its own store, enrolled with the server, with its sync client (not started: tests drive it). */
  async function counter(
    name: string,
  ): Promise<{ core: Core; sync: SyncClient; deviceId: string; credential: string; seriesPrefix: string }> {
    const core = await openTestCore({ path: ':memory:', clock });
    counters.push(core);
    const res = await fetch(`${http.url}/devices`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name }),
    });
    const device = (await res.json()) as { deviceId: string; credential: string; seriesPrefix: string };
    // What connecting a counter to the server stores (local settings, never synced).
    await writeSetting(core.db, 'sync.serverUrl', http.url);
    await writeSetting(core.db, seriesPrefixKey(core.deviceId), device.seriesPrefix);
    const sync = createSyncClient(core, { serverUrl: http.url, credential: device.credential, clock });
    return { core, sync, ...device };
  }

  return {
    store,
    server,
    http,
    demo,
    householdId,
    zoe,
    noe,
    call,
    counter,
    /** The town's clock, which the server and every counter read. */
    clock,
    at(instant: string) {
      now = new Date(instant);
    },
    async close() {
      for (const c of counters) await c.close();
      await http.close();
      await store.close();
    },
  };
}
export type TownServer = Awaited<ReturnType<typeof townServer>>;

/** A care evening request (capacity set by the test), as a counter or the portal sends it. */
export const careEvening = (t: TownServer, childId: string, dates: string[]) => ({
  childId,
  activityId: t.demo.care.activityId,
  siteId: t.demo.sites.jaures,
  unitCodes: ['evening' as const],
  selection: { kind: 'days' as const, dates },
  origin: 'counter' as const,
});
