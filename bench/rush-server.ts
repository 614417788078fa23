/**
 * One central server process of bench/rush.bench.ts: the real server on the bench's PostgreSQL town schema, at the
 * town's opening morning (a fixed clock, so the holiday weeks stay bookable whatever the day the bench runs), with
 * the capacity guard the bench measures (core/db/on-postgres.ts).
 * Prints `{"url": …}` once it listens; stops on SIGTERM.
 */
import type { CapacityGuard } from '../core/db/on-postgres.ts';
import { ADMIN_TOKEN, PORTAL_TOKEN } from '../server/harness.ts';
import { createSyncServer } from '../server/server.ts';
import { openServerStore } from '../server/store.ts';

const [pgUrl, town, at, guard] = process.argv.slice(2) as [string, string, string, CapacityGuard];
const store = await openServerStore({ pgUrl, town, capacityGuard: guard });
const server = createSyncServer({
  store,
  clock: () => new Date(at),
  adminToken: ADMIN_TOKEN,
  portalToken: PORTAL_TOKEN,
  onInternalError: (where, error) => console.error(`[rush-server] ${where}:`, error),
});
await server.ready;
const http = await server.listen(0);
console.log(JSON.stringify({ url: http.url }));
process.once('SIGTERM', () => {
  void http
    .close()
    .then(() => store.close())
    .then(() => process.exit(0));
});
