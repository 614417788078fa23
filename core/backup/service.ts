import { copyFileSync, existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { backupNow, pruneBackups, type BackupFile } from './backup.ts';

/** The folder the administrator chose for a second copy of each backup (a network share, a USB disk). */
export const COPY_DIR_SETTING = 'device.backupCopyDir';
/** Beside the backups, not named like one: the outcome of the last backup, kept across restarts. */
const STATUS_FILE = 'etat-sauvegardes.json';

export interface BackupOutcome {
  at: string;
  reason: string;
  /** The local file, when the local copy was made. */
  name?: string;
  /** Where the second copy went, when one was asked for and made. */
  copiedTo?: string;
  /** In French, for the banner: what failed. Absent on success. */
  failure?: string;
}

export interface BackupStatus {
  last: BackupOutcome | null;
  /** The last failure, until a backup succeeds again. */
  failing: BackupOutcome | null;
}

export interface BackupService {
  dir: string;
  take(reason: string): Promise<BackupFile>;
  status(): BackupStatus;
  copyDir(): string | null;
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

export function readCopyDir(raw: Database.Database): string | null {
  const row = raw.prepare('SELECT value FROM settings WHERE key = ?').get(COPY_DIR_SETTING) as
    { value: string } | undefined;
  const value = row ? (JSON.parse(row.value) as unknown) : null;
  return typeof value === 'string' && value !== '' ? value : null;
}

/**
 * Every backup of a counter goes through here (daily, before a migration, on demand): the local copy, then the
 * second copy in the chosen folder, and the outcome kept so that a failure is shown on the screens rather than
 * only written to a log nobody reads.
 */
export function createBackupService(raw: Database.Database, dir: string, keep = 14): BackupService {
  const statusFile = join(dir, STATUS_FILE);

  function status(): BackupStatus {
    if (!existsSync(statusFile)) return { last: null, failing: null };
    try {
      return JSON.parse(readFileSync(statusFile, 'utf8')) as BackupStatus;
    } catch {
      return { last: null, failing: null };
    }
  }

  function record(outcome: BackupOutcome): void {
    const next: BackupStatus = { last: outcome, failing: outcome.failure ? outcome : null };
    try {
      writeFileSync(statusFile, JSON.stringify(next, null, 2));
    } catch {
      // The local folder itself cannot be written: the failure is already what the caller reports.
    }
  }

  async function take(reason: string): Promise<BackupFile> {
    const at = new Date();
    let file: BackupFile;
    try {
      file = await backupNow(raw, dir, reason, at);
      pruneBackups(dir, keep);
    } catch (error) {
      const failure = `Sauvegarde impossible dans ${dir} : ${message(error)}`;
      record({ at: at.toISOString(), reason, failure });
      throw new Error(failure, { cause: error });
    }
    const copyDir = readCopyDir(raw);
    if (!copyDir) {
      record({ at: at.toISOString(), reason, name: file.name });
      return file;
    }
    const target = join(copyDir, file.name);
    try {
      // The share may be away (a USB disk unplugged, the network down): the copy is written whole or not at all.
      copyFileSync(file.file, `${target}.partial`);
      renameSync(`${target}.partial`, target);
      pruneBackups(copyDir, keep);
    } catch (error) {
      rmSync(`${target}.partial`, { force: true });
      const failure = `Copie de la sauvegarde vers ${copyDir} impossible : ${message(error)}. La copie locale ${file.name} est faite.`;
      record({ at: at.toISOString(), reason, name: file.name, failure });
      throw new Error(failure, { cause: error });
    }
    record({ at: at.toISOString(), reason, name: file.name, copiedTo: copyDir });
    return file;
  }

  return { dir, take, status, copyDir: () => readCopyDir(raw) };
}
