import { backupNow, listBackups, pruneBackups } from './backup.ts';
import type Database from 'better-sqlite3';

const DAY_MS = 86_400_000;

/**
 * A daily backup while the app runs: one at start when the last is over a day old, then checked every hour.
 * Keeps `keep` backups per reason. Returns the function that stops it.
 */
export function startBackupSchedule(
  raw: Database.Database,
  dir: string,
  keep = 14,
  log: (m: string) => void = console.log,
): () => void {
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      const last = listBackups(dir).find((b) => b.reason === 'quotidienne');
      if (!last || Date.now() - Date.parse(last.at) >= DAY_MS) {
        const b = await backupNow(raw, dir, 'quotidienne');
        pruneBackups(dir, keep);
        log(`Sauvegarde quotidienne : ${b.file}`);
      }
    } catch (error) {
      log(`Sauvegarde quotidienne impossible : ${String(error)}`);
    } finally {
      running = false;
    }
  };
  void tick();
  const timer = setInterval(() => void tick(), 3_600_000);
  timer.unref();
  return () => clearInterval(timer);
}
