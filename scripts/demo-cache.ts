/**
 * The demo town with its past, kept after `npm start` made it, so that the next start on an empty data folder the
 * same day (a newcomer who deletes the folder to start again, a test of the first start) copies it instead of
 * playing the whole term again: on a build machine shared by several engineers that takes half a minute.
 *
 * A copy is only as good as the day and the code that made it: the past ends the evening before the town's today,
 * and the core, its migrations and the shared values decide what the past holds. Both are in its name; any other
 * copy is stale and removed when a new one is kept.
 */
import Database from 'better-sqlite3';
import { copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_TOWN_TIME_ZONE } from '../core/calendar/time-zones.ts';
import { townDate } from '../core/time.ts';

/** Newest change under `dir`, in milliseconds: the code a copy was made with. */
function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

export interface DemoCache {
  dir: string;
  /** The copy for today and this code, whether it exists yet or not. */
  file: string;
}

/**
 * Where today's copy goes. The demo town's zone is the default one (Europe/Paris): its today is the one the core
 * will see when it opens the new file.
 */
export function demoCache(root: string, now = new Date()): DemoCache {
  const dir = process.env.GF_DEMO_CACHE_DIR ?? join(root, 'node_modules', '.cache', 'guichet-famille-demo');
  const code = Math.max(...['core', 'migrations', 'shared'].map((d) => newestMtime(join(root, d))));
  const today = townDate(now, DEFAULT_TOWN_TIME_ZONE);
  return { dir, file: join(dir, `belleval-${today}-${Math.round(code).toString(36)}.sqlite`) };
}

/**
 * Puts today's copy at `dbPath` when there is no file there yet; true if it did. Copied to a side name and renamed,
 * so a start cut short never leaves half a file the core would take for a town.
 */
export function restoreDemoTown(cache: DemoCache, dbPath: string): boolean {
  if (existsSync(dbPath) || !existsSync(cache.file)) return false;
  const partial = `${dbPath}.copie`;
  copyFileSync(cache.file, partial);
  renameSync(partial, dbPath);
  return true;
}

/**
 * Keeps a copy of the town just made at `dbPath` (open in the core host: VACUUM INTO reads one consistent state of
 * it, its WAL included) as today's, and removes the older ones.
 */
export function keepDemoTown(cache: DemoCache, dbPath: string): void {
  mkdirSync(cache.dir, { recursive: true });
  const partial = `${cache.file}.partial`;
  rmSync(partial, { force: true });
  const db = new Database(dbPath, { readonly: true });
  try {
    db.prepare('VACUUM INTO ?').run(partial);
  } finally {
    db.close();
  }
  renameSync(partial, cache.file);
  for (const name of readdirSync(cache.dir))
    if (join(cache.dir, name) !== cache.file) rmSync(join(cache.dir, name), { force: true });
}
