import { parseArgs } from 'node:util';
import { createSyncServer } from './server.ts';
import { openServerStore } from './store.ts';

/**
 * `node server/main.ts --db server.sqlite --port 8787`, or `--pg postgres://… --town belleval` (one schema per town
 * on a shared PostgreSQL). Tokens from the environment.
 */
const { values } = parseArgs({
  options: {
    db: { type: 'string', default: 'server.sqlite' },
    pg: { type: 'string' },
    town: { type: 'string' },
    port: { type: 'string', default: '8787' },
    host: { type: 'string', default: '127.0.0.1' },
  },
});
const adminToken = process.env.GF_ADMIN_TOKEN ?? '';
const portalToken = process.env.GF_PORTAL_TOKEN ?? '';
if (!adminToken || !portalToken) {
  console.error('GF_ADMIN_TOKEN et GF_PORTAL_TOKEN doivent être définis.');
  process.exit(1);
}
const store = await openServerStore(
  values.pg
    ? { pgUrl: values.pg, ...(values.town ? { town: values.town } : {}) }
    : { sqlite: values.db as string },
);
const server = createSyncServer({
  store,
  adminToken,
  portalToken,
  onInternalError: (where, error) => console.error(`[serveur] ${where}:`, error),
});
const http = await server.listen(Number(values.port), values.host);
console.log(`Serveur Guichet Famille (${store.dialect}) : ${http.url}`);
const stop = async () => {
  await http.close();
  await store.close();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
