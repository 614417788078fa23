import { listBackups } from './backup.ts';
import type { BackupService } from './service.ts';

const DAY_MS = 86_400_000;

/**
 * A daily backup while the app runs: one at start when the last is over a day old, then checked every hour. A
 * failure is recorded by the service (shown on the home page and in Sauvegardes) and logged; the next hour tries
 * again. Returns the function that stops it.
 */
export function startBackupSchedule(
  backups: BackupService,
  log: (level: 'info' | 'error', m: string) => void = (_level, m) => console.log(m),
): () => void {
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      const last = listBackups(backups.dir).find((b) => b.reason === 'quotidienne');
      const failing = backups.status().failing;
      if (!last || Date.now() - Date.parse(last.at) >= DAY_MS || failing?.reason === 'quotidienne') {
        const b = await backups.take('quotidienne');
        log('info', `Sauvegarde quotidienne : ${b.file}`);
      }
    } catch (error) {
      log(
        'error',
        `Sauvegarde quotidienne impossible : ${error instanceof Error ? error.message : String(error)}`,
      );
    } finally {
      running = false;
    }
  };
  void tick();
  const timer = setInterval(() => void tick(), 3_600_000);
  timer.unref();
  return () => clearInterval(timer);
}
