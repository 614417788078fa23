/**
 * Restores the counter's database from a backup, with the app closed:
 *   node scripts/restore.ts <backup.sqlite> [database.sqlite]
 * The backup is checked first; the current file is kept aside as `.before-restore`. For a development copy only:
 * an installed counter restores from the app (core/backup/restore.ts).
 */
import { join } from 'node:path';
import { restoreBackup } from '../core/backup/backup.ts';
import { DATABASE_FILE, resolveDataFolder } from '../electron/data-folder.ts';

const [backup, target] = process.argv.slice(2);
if (!backup) {
  console.error('Usage : node scripts/restore.ts <sauvegarde.sqlite> [base.sqlite]');
  process.exit(2);
}
// The development copy's folder, resolved as `npm start` does. An installed counter restores from the app
// (Paramètres › Sauvegardes) or with `guichet-famille --restore <fichier>`.
const database =
  target ??
  join(
    resolveDataFolder({ argv: process.argv, env: process.env, platform: process.platform, installed: false })
      .dir,
    DATABASE_FILE,
  );
try {
  const { checked, previous } = restoreBackup(backup, database);
  console.log(`Base restaurée : ${database} (vérification d’intégrité : ${checked}).`);
  if (previous) console.log(`L’ancienne base est conservée : ${previous}`);
} catch (error) {
  console.error(String(error instanceof Error ? error.message : error));
  process.exit(1);
}
