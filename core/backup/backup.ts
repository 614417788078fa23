import { copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import Database from 'better-sqlite3';

export interface BackupFile {
  file: string;
  name: string;
  reason: string;
  at: string;
  bytes: number;
}

const NAME = /^guichet-famille-(\d{8}-\d{6})-([a-z0-9-]+)\.sqlite$/;

const stamp = (d: Date) => d.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);

/**
 * Copies the live database with SQLite's online backup, which reads a consistent snapshot while the app keeps
 * writing. The copy is written under a temporary name and renamed once whole, so a crash mid-backup never
 * leaves a half file that looks like a backup.
 */
export async function backupNow(
  raw: Database.Database,
  dir: string,
  reason: string,
  now = new Date(),
): Promise<BackupFile> {
  mkdirSync(dir, { recursive: true });
  const name = `guichet-famille-${stamp(now)}-${reason}.sqlite`;
  const file = join(dir, name);
  const partial = `${file}.partial`;
  await raw.backup(partial);
  renameSync(partial, file);
  return { file, name, reason, at: now.toISOString(), bytes: statSync(file).size };
}

export function listBackups(dir: string): BackupFile[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .map((name) => ({ name, m: NAME.exec(name) }))
    .filter((x): x is { name: string; m: RegExpExecArray } => x.m !== null)
    .map(({ name, m }) => {
      const s = m[1] as string;
      const at = `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}T${s.slice(9, 11)}:${s.slice(11, 13)}:${s.slice(13, 15)}Z`;
      const file = join(dir, name);
      return { file, name, reason: m[2] as string, at, bytes: statSync(file).size };
    })
    .sort((a, b) => b.at.localeCompare(a.at) || b.name.localeCompare(a.name));
}

/** Keeps the newest `keep` backups of each reason (daily, migration, manual) and deletes the rest. */
export function pruneBackups(dir: string, keep: number): string[] {
  const removed: string[] = [];
  const seen = new Map<string, number>();
  for (const b of listBackups(dir)) {
    const n = (seen.get(b.reason) ?? 0) + 1;
    seen.set(b.reason, n);
    if (n > keep) {
      rmSync(b.file, { force: true });
      removed.push(b.name);
    }
  }
  for (const name of readdirSync(dir))
    if (name.endsWith('.partial')) rmSync(join(dir, name), { force: true });
  return removed;
}

export function integrityCheck(file: string): string {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return (db.pragma('integrity_check', { simple: true }) as string) ?? 'inconnu';
  } finally {
    db.close();
  }
}

/**
 * Replaces the database file by a backup, with the app closed. The backup is checked first, the current file is
 * kept aside (`.before-restore`), and the restored file must pass `PRAGMA integrity_check`, or nothing changes.
 */
export function restoreBackup(
  backupFile: string,
  target: string,
): { checked: string; previous: string | null } {
  const check = integrityCheck(backupFile);
  if (check !== 'ok')
    throw new Error(
      `La sauvegarde ${basename(backupFile)} est endommagée (${check}) : restauration refusée.`,
    );
  const previous = existsSync(target) ? `${target}.before-restore` : null;
  const staging = `${target}.restoring`;
  copyFileSync(backupFile, staging);
  // The write-ahead log belongs to the file being replaced: it goes aside with it, never onto the restored one.
  for (const suffix of ['-wal', '-shm']) {
    if (!existsSync(`${target}${suffix}`)) continue;
    if (previous) renameSync(`${target}${suffix}`, `${previous}${suffix}`);
    else rmSync(`${target}${suffix}`, { force: true });
  }
  if (previous) renameSync(target, previous);
  renameSync(staging, target);
  return { checked: integrityCheck(target), previous };
}
