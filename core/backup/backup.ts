import {
  closeSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { basename, join } from 'node:path';
import Database from 'better-sqlite3';

export interface BackupFile {
  file: string;
  name: string;
  reason: string;
  at: string;
  bytes: number;
}

/**
 * `guichet-famille-20261123-100000-123-quotidienne.sqlite`: the UTC instant to the millisecond, then, when two
 * backups fall on the same millisecond, `-2`, `-3`…, then the reason. Names of earlier versions, to the second
 * only, still read.
 */
const NAME = /^guichet-famille-(\d{8})-(\d{6})(?:-(\d{3}))?(?:-(\d+))?-([a-z][a-z0-9-]*)\.sqlite$/;
const REASON = /^[a-z][a-z0-9-]*$/;
const PARTIAL = '.partial';

const stamp = (d: Date) => {
  const iso = d.toISOString(); // 2026-11-23T10:00:00.123Z
  return `${iso.slice(0, 10).replace(/-/g, '')}-${iso.slice(11, 19).replace(/:/g, '')}-${iso.slice(20, 23)}`;
};

/**
 * Reserves a name no other backup has, nor is being written under: the `.partial` file is created exclusively, so
 * two backups started in the same millisecond (the daily one and a manual one) never share a file.
 */
function reserveName(dir: string, reason: string, now: Date): string {
  for (let n = 1; ; n++) {
    const name = `guichet-famille-${stamp(now)}${n > 1 ? `-${n}` : ''}-${reason}.sqlite`;
    if (existsSync(join(dir, name))) continue;
    try {
      closeSync(openSync(join(dir, name + PARTIAL), 'wx'));
      return name;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}

/**
 * Copies the live database with SQLite's online backup, which reads a consistent snapshot while the app keeps
 * writing. Every backup gets a file of its own. The copy is written under a temporary name and renamed once
 * whole, so a crash mid-backup never leaves a half file that looks like a backup; the next start clears it.
 */
export async function backupNow(
  raw: Database.Database,
  dir: string,
  reason: string,
  now = new Date(),
): Promise<BackupFile> {
  if (!REASON.test(reason)) throw new Error(`Motif de sauvegarde invalide : « ${reason} ».`);
  mkdirSync(dir, { recursive: true });
  const name = reserveName(dir, reason, now);
  const file = join(dir, name);
  const partial = file + PARTIAL;
  try {
    await raw.backup(partial);
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  }
  renameSync(partial, file);
  return { file, name, reason, at: now.toISOString(), bytes: statSync(file).size };
}

/** The backups of the folder, newest first; a copy cut short (`.partial`) is not one. */
export function listBackups(dir: string): BackupFile[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .map((name) => ({ name, m: NAME.exec(name) }))
    .filter((x): x is { name: string; m: RegExpExecArray } => x.m !== null)
    .map(({ name, m }) => {
      const [, d = '', t = '', ms = '000', n = '1', reason = ''] = m;
      const at = `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}T${t.slice(0, 2)}:${t.slice(2, 4)}:${t.slice(4, 6)}.${ms}Z`;
      const file = join(dir, name);
      return { file, name, reason, at, bytes: statSync(file).size, n: Number(n) };
    })
    .sort((a, b) => b.at.localeCompare(a.at) || b.n - a.n)
    .map(({ n: _n, ...b }) => b);
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
  return removed;
}

/**
 * Deletes the copies a backup cut short left behind (the app killed or the machine stopped mid-copy). Run at
 * start, before this process takes any backup: a `.partial` file then belongs to no backup still running.
 */
export function removeLeftovers(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const left = readdirSync(dir).filter(
    (name) => name.endsWith(PARTIAL) && NAME.test(name.slice(0, -PARTIAL.length)),
  );
  for (const name of left) rmSync(join(dir, name), { force: true });
  return left;
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
