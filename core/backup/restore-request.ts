import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The restore the administrator asked for, written in the data folder and honoured by the core host at its next
 * start (core/backup/restore.ts). Apart from the check, so that Electron's main process can write one for
 * `--restore` without bundling the migrations and the journal.
 */
export const RESTORE_REQUEST_FILE = 'restauration-demandee.json';

export interface RestoreRequest {
  file: string;
  requestedAt: string;
  /** Who asked, for the record kept after the restore. */
  by: string;
}

/** Written once the backup is checked; the app then restarts (or `--restore FILE` writes it at start). */
export function writeRestoreRequest(dataDir: string, request: RestoreRequest): void {
  writeFileSync(join(dataDir, RESTORE_REQUEST_FILE), JSON.stringify(request, null, 2));
}
