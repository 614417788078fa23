import { copyFileSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import Database from 'better-sqlite3';
import { MIGRATIONS } from '../../migrations/index.ts';
import { verifyJournal } from '../journal/journal.ts';
import { migrate } from '../db/migrate.ts';
import { openSqlite } from '../db/open.ts';
import { integrityCheck, restoreBackup } from './backup.ts';
import { RESTORE_REQUEST_FILE, type RestoreRequest } from './restore-request.ts';

export { RESTORE_REQUEST_FILE, writeRestoreRequest, type RestoreRequest } from './restore-request.ts';

/**
 * Restoring a counter from a backup, without a command line: the administrator chooses a backup in the app, which
 * checks it and writes a request in the data folder; at the next start the core host honours it before it opens the
 * database (Electron's utility process, the browser host's worker and the tests alike), the current file kept aside.
 */
/** What the last restore did, for the Sauvegardes section after the restart. */
export const RESTORE_DONE_FILE = 'restauration-faite.json';

export interface BackupCheck {
  file: string;
  integrity: string;
  schemaVersion: number;
  journalEntries: number;
}

export interface RestoreDone {
  file: string;
  at: string;
  by: string;
  /** The database that was replaced, kept aside. */
  previous: string | null;
  /** Why nothing was restored, when the request could not be honoured. */
  failure?: string;
}

const newestSchema = () => MIGRATIONS.at(-1)?.version ?? 0;

function schemaVersion(file: string): number {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const table = db
      .prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'schema_migrations'")
      .get() as {
      n: number;
    };
    if (!table.n) return 0;
    return (
      (db.prepare('SELECT max(version) AS v FROM schema_migrations').get() as { v: number | null }).v ?? 0
    );
  } finally {
    db.close();
  }
}

/**
 * What the app requires of a backup before it replaces the database with it: SQLite's integrity check, a schema
 * this version knows, and a régie journal that still verifies once the copy is brought to this version's schema (on
 * a scratch copy: the backup itself is never written to). Throws in French, naming the file and what failed.
 */
export async function checkBackup(file: string, scratchDir: string): Promise<BackupCheck> {
  const name = basename(file);
  if (!existsSync(file)) throw new Error(`La sauvegarde ${name} est introuvable.`);
  let integrity: string;
  try {
    integrity = integrityCheck(file);
  } catch (error) {
    throw new Error(`${name} n’est pas une base Guichet Famille lisible (${(error as Error).message}).`, {
      cause: error,
    });
  }
  if (integrity !== 'ok')
    throw new Error(`La sauvegarde ${name} est endommagée (${integrity}) : restauration refusée.`);
  const version = schemaVersion(file);
  if (version === 0) throw new Error(`${name} n’est pas une sauvegarde de Guichet Famille.`);
  if (version > newestSchema())
    throw new Error(
      `La sauvegarde ${name} vient d’une version plus récente de Guichet Famille (schéma ${version}, cette application connaît le schéma ${newestSchema()}) : installez d’abord la dernière version.`,
    );
  const scratch = join(scratchDir, 'verification-restauration.sqlite');
  for (const suffix of ['', '-wal', '-shm']) rmSync(scratch + suffix, { force: true });
  copyFileSync(file, scratch);
  const handle = openSqlite(scratch);
  try {
    await migrate(handle.db, MIGRATIONS, 'sqlite');
    // Every entry: the checkpoints come with the file being judged, they cannot vouch for it.
    const journal = await verifyJournal(handle.db, { full: true });
    if (!journal.ok)
      throw new Error(
        `Le journal de la régie de ${name} ne se vérifie pas (${journal.firstProblem?.message ?? 'anomalie'}) : restauration refusée.`,
      );
    return { file, integrity, schemaVersion: version, journalEntries: journal.entries };
  } finally {
    await handle.db.destroy();
    for (const suffix of ['', '-wal', '-shm']) rmSync(scratch + suffix, { force: true });
  }
}

export function readRestoreDone(dataDir: string): RestoreDone | null {
  const file = join(dataDir, RESTORE_DONE_FILE);
  if (!existsSync(file)) return null;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as RestoreDone;
  } catch {
    return null;
  }
}

/**
 * Run before the database is opened: honours a pending request (checked again, the file may have changed since),
 * keeps the current database aside as `.before-restore`, and records what happened. A request that cannot be
 * honoured leaves the database as it was, and says why in the record; it is never tried twice.
 */
export async function applyPendingRestore(
  dataDir: string,
  database: string,
  now = new Date(),
): Promise<RestoreDone | null> {
  const requestFile = join(dataDir, RESTORE_REQUEST_FILE);
  if (!existsSync(requestFile)) return null;
  let request: RestoreRequest;
  try {
    request = JSON.parse(readFileSync(requestFile, 'utf8')) as RestoreRequest;
  } catch (error) {
    // A request that cannot be read restores nothing, and the counter still opens.
    const failure = `Demande de restauration illisible (${error instanceof Error ? error.message : String(error)}).`;
    const done: RestoreDone = { file: '?', at: now.toISOString(), by: '?', previous: null, failure };
    rmSync(requestFile, { force: true });
    writeFileSync(join(dataDir, RESTORE_DONE_FILE), JSON.stringify(done, null, 2));
    return done;
  }
  rmSync(requestFile, { force: true });
  let done: RestoreDone;
  try {
    await checkBackup(request.file, dataDir);
    const { previous } = restoreBackup(request.file, database);
    done = { file: request.file, at: now.toISOString(), by: request.by, previous };
  } catch (error) {
    done = {
      file: request.file,
      at: now.toISOString(),
      by: request.by,
      previous: null,
      failure: error instanceof Error ? error.message : String(error),
    };
  }
  writeFileSync(join(dataDir, RESTORE_DONE_FILE), JSON.stringify(done, null, 2));
  return done;
}
