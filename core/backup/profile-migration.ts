import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Written in the data folder once the database of a Windows profile (versions before the machine-wide folder) has
 * been copied there by electron/data-folder.ts: it is never copied again, and the administrator is told.
 */
export const PROFILE_MIGRATION_FILE = 'migration-profil.json';

export interface ProfileMigration {
  from: string;
  to: string;
  at: string;
}

export function readProfileMigration(dataDir: string): ProfileMigration | null {
  const marker = join(dataDir, PROFILE_MIGRATION_FILE);
  if (!existsSync(marker)) return null;
  try {
    return JSON.parse(readFileSync(marker, 'utf8')) as ProfileMigration;
  } catch {
    return null;
  }
}
