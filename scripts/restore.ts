/**
 * Restores the counter's database from a backup, with the app closed:
 *   node scripts/restore.ts <backup.sqlite> [database.sqlite]
 * The backup is checked first; the current file is kept aside as `.before-restore`.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { restoreBackup } from '../core/backup/backup.ts';

const [backup, target] = process.argv.slice(2);
if (!backup) {
  console.error('Usage : node scripts/restore.ts <sauvegarde.sqlite> [base.sqlite]');
  process.exit(2);
}
const database =
  target ??
  join(
    process.env.GF_DATA_DIR ??
      join(process.env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'Guichet Famille'),
    'guichet-famille.sqlite',
  );
try {
  const { checked, previous } = restoreBackup(backup, database);
  console.log(`Base restaurée : ${database} (vérification d’intégrité : ${checked}).`);
  if (previous) console.log(`L’ancienne base est conservée : ${previous}`);
} catch (error) {
  console.error(String(error instanceof Error ? error.message : error));
  process.exit(1);
}
