import { APP_VERSION } from '../core/system/operations.ts';
import { ConfigError, readServerConfig, type ServerConfig } from './config.ts';
import { createLogger, logRequests } from './logger.ts';
import { createSyncServer } from './server.ts';
import { openServerStore } from './store.ts';

/**
 * The central server:
 *   node server/main.ts --env-file /etc/guichet-famille/serveur.env
 * The file (or the environment, as systemd's EnvironmentFile= gives it) holds GF_ADMIN_TOKEN, GF_PORTAL_TOKEN and
 * GF_PG_URL or GF_DB; see server/config.ts and docs/serveur.md. `--db`, `--port`, `--host`, `--town` and `--pg`
 * without a password may also be given on the command line.
 */
let config: ServerConfig;
try {
  config = readServerConfig(process.argv.slice(2), process.env);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(`Configuration refusée : ${error.message}`);
  process.exit(2);
}

const pgPassword = (() => {
  if (!('pgUrl' in config.store)) return '';
  try {
    return decodeURIComponent(new URL(config.store.pgUrl).password);
  } catch {
    return '';
  }
})();
const log = createLogger({
  level: config.logLevel,
  secrets: [config.adminToken, config.portalToken, pgPassword],
});
for (const warning of config.warnings) log.warn(warning);

// Node stops on these by default; they still stop the server (systemd restarts it), but said in the journal's form.
process.on('uncaughtException', (error) => {
  log.fatal({ err: error }, 'Erreur non rattrapée : arrêt du serveur');
  process.exit(1);
});
process.on('unhandledRejection', (error) => {
  log.fatal({ err: error }, 'Promesse rejetée sans traitement : arrêt du serveur');
  process.exit(1);
});

let store: Awaited<ReturnType<typeof openServerStore>>;
try {
  store = await openServerStore(config.store);
} catch (error) {
  log.fatal({ err: error, store: config.storeLabel }, 'Base de données inaccessible au démarrage');
  process.exit(1);
}
const server = createSyncServer({
  store,
  adminToken: config.adminToken,
  portalToken: config.portalToken,
  mail: config.mail,
  onInternalError: (where, error) =>
    log.error(
      { err: error, where: pathOf(where) },
      where === '/healthz' ? 'Contrôle de santé en échec' : 'Erreur interne',
    ),
});
const http = await server.listen(config.port, config.host);
logRequests(http.server, log, server.requestDevice);
log.info(
  {
    version: APP_VERSION,
    database: store.dialect,
    store: config.storeLabel,
    envFile: config.envFile,
    url: http.url,
  },
  `Serveur Guichet Famille ${APP_VERSION} (${store.dialect}) : ${http.url}`,
);

let stopping = false;
const stop = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, 'Arrêt du serveur demandé');
  await http.close();
  await store.close();
  log.info('Serveur arrêté');
  process.exit(0);
};
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));

/** The path of a request, without its query: the journal keeps where, not what. */
function pathOf(where: string): string {
  return where.startsWith('/') ? new URL(where, 'http://serveur').pathname : where;
}
