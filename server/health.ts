import { statSync } from 'node:fs';
import { sql } from 'kysely';
import type { Dialect } from '../migrations/types.ts';
import type { ServerDb } from './store.ts';

/** The parts of an HTTP answer this module needs (server.ts's Reply). */
interface Reply {
  status: number;
  body: unknown;
}

export interface HealthOptions {
  db: ServerDb;
  dialect: Dialect;
  appVersion: string;
  /** The newest migration this server knows: an older schema in the store means it was not migrated. */
  expectedSchemaVersion: number;
  clock: () => Date;
  /** A database that has not answered by then counts as unreachable: a supervisor's probe must not hang. */
  timeoutMs?: number;
  onFailure?: (error: unknown) => void;
}

/** The SQLite file the store opened, as the disk knew it then: path, device and inode. */
interface FileIdentity {
  file: string;
  dev: number;
  ino: number;
}

/**
 * `GET /healthz`, without authentication, for a supervisor (systemd, a monitoring probe, the proxy): 200 when the
 * database answers with the schema this version expects, 503 otherwise. It says the app version and the schema
 * version, never why in detail (the detail goes to the journal): the route is public.
 *
 * On SQLite, a deleted or replaced file keeps answering through the handle the server holds open, while every write
 * goes to a file nobody will find again: the check compares the file on disk with the one opened.
 */
export function healthCheck(options: HealthOptions): () => Promise<Reply> {
  const timeoutMs = options.timeoutMs ?? 3000;
  const opened: Promise<FileIdentity | null> =
    options.dialect === 'sqlite' ? sqliteFile(options.db).catch(() => null) : Promise.resolve(null);

  async function probe(): Promise<number> {
    const identity = await opened;
    if (identity) {
      let now: { dev: number; ino: number } | null;
      try {
        now = statSync(identity.file);
      } catch {
        now = null;
      }
      if (!now || now.dev !== identity.dev || now.ino !== identity.ino)
        throw new Error(`Fichier de base supprimé ou remplacé depuis le démarrage : ${identity.file}`);
    }
    const r = await sql<{
      v: number | string | null;
    }>`SELECT max(version) AS v FROM schema_migrations`.execute(options.db);
    return Number(r.rows[0]?.v ?? 0);
  }

  return async () => {
    const base = {
      app: 'guichet-famille-serveur',
      version: options.appVersion,
      database: options.dialect,
      expectedSchemaVersion: options.expectedSchemaVersion,
      time: options.clock().toISOString(),
    };
    let timer: NodeJS.Timeout | undefined;
    try {
      const schemaVersion = await Promise.race([
        probe(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`Base de données sans réponse après ${timeoutMs} ms`)),
            timeoutMs,
          );
        }),
      ]);
      if (schemaVersion !== options.expectedSchemaVersion) {
        options.onFailure?.(
          new Error(`Schéma ${schemaVersion} en base, ${options.expectedSchemaVersion} attendu`),
        );
        return {
          status: 503,
          body: { ...base, status: 'indisponible', schemaVersion, error: 'Schéma de base inattendu.' },
        };
      }
      return { status: 200, body: { ...base, status: 'ok', schemaVersion } };
    } catch (error) {
      options.onFailure?.(error);
      return {
        status: 503,
        body: { ...base, status: 'indisponible', schemaVersion: null, error: 'Base de données injoignable.' },
      };
    } finally {
      clearTimeout(timer);
    }
  };
}

async function sqliteFile(db: ServerDb): Promise<FileIdentity | null> {
  const r = await sql<{ name: string; file: string }>`PRAGMA database_list`.execute(db);
  const file = r.rows.find((row) => row.name === 'main')?.file;
  if (!file) return null; // an in-memory store: nothing on disk to lose
  const s = statSync(file);
  return { file, dev: s.dev, ino: s.ino };
}
