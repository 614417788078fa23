import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { basename, isAbsolute, join } from 'node:path';
import { z } from 'zod';
import { DomainError } from '../api/envelope.ts';
import { command, query, shell, type Backups } from '../api/operation.ts';
import { writeSetting } from '../db/settings.ts';
import { readProfileMigration } from './profile-migration.ts';
import { checkBackup, readRestoreDone, writeRestoreRequest } from './restore.ts';
import { COPY_DIR_SETTING } from './service.ts';

const NO_FOLDER = 'Ce poste n’a pas de dossier de sauvegarde configuré.';

function need(backups: Backups | null): Backups {
  if (!backups) throw new DomainError('CONFLICT', NO_FOLDER);
  return backups;
}

/** A backup of the list by its name, or any file by its full path (a copy on the share, a USB disk). */
const backupChoice = z.object({
  file: z
    .string()
    .trim()
    .min(1)
    .max(1000)
    .refine((f) => isAbsolute(f) || basename(f) === f, {
      message: 'nom d’une sauvegarde ou chemin complet attendu',
    }),
});

function resolveChoice(backups: Backups, file: string): string {
  return isAbsolute(file) ? file : join(backups.dir, file);
}

async function checked(backups: Backups, file: string) {
  try {
    return await checkBackup(resolveChoice(backups, file), backups.dataDir);
  } catch (error) {
    throw new DomainError('CONFLICT', error instanceof Error ? error.message : String(error), 'file');
  }
}

/**
 * The administrator's Sauvegardes section: the second folder, the health of backups (a failure shows on the home
 * page too), and restoring one without a command line.
 */
export const backupOperations = {
  /** The banner of the home page and of Sauvegardes: the last backup failed. Any agent sees it, to call the admin. */
  'backup.health': query({
    permission: 'public',
    label: 'État des sauvegardes',
    input: z.object({}),
    async run({ backups }) {
      if (!backups) return { configured: false, failing: null, last: null };
      const { failing, last } = backups.status();
      return { configured: true, failing, last };
    },
  }),

  'backup.settings': query({
    permission: 'admin',
    label: 'Réglages des sauvegardes',
    input: z.object({}),
    async run({ db, backups }) {
      const row = await db
        .selectFrom('settings')
        .select('value')
        .where('key', '=', COPY_DIR_SETTING)
        .executeTakeFirst();
      const copyDir = row ? (JSON.parse(row.value) as string | null) : null;
      return {
        folder: backups?.dir ?? null,
        dataDir: backups?.dataDir ?? null,
        copyDir: copyDir || null,
        restored: backups ? readRestoreDone(backups.dataDir) : null,
        migratedFromProfile: backups ? readProfileMigration(backups.dataDir) : null,
      };
    },
  }),

  /** Local to this PC (`device.` settings never travel): each counter has its own share or disk. */
  'backup.setCopyDir': command({
    permission: 'admin',
    sync: 'local',
    label: 'Dossier de copie des sauvegardes',
    input: z.object({ copyDir: z.string().trim().max(500) }),
    async run({ db, backups }, { copyDir }) {
      need(backups);
      if (copyDir !== '') {
        if (!isAbsolute(copyDir))
          throw new DomainError(
            'VALIDATION',
            'Indiquez le chemin complet du dossier (par exemple \\\\serveur\\partage ou E:\\).',
            'copyDir',
          );
        if (!existsSync(copyDir) || !statSync(copyDir).isDirectory())
          throw new DomainError(
            'VALIDATION',
            `Le dossier ${copyDir} est introuvable depuis ce poste.`,
            'copyDir',
          );
        try {
          accessSync(copyDir, constants.W_OK);
        } catch {
          throw new DomainError('VALIDATION', `Ce poste ne peut pas écrire dans ${copyDir}.`, 'copyDir');
        }
      }
      await writeSetting(db, COPY_DIR_SETTING, copyDir || null);
      return { copyDir: copyDir || null };
    },
  }),

  /** What the app requires before restoring (core/backup/restore.ts): shown before the administrator confirms. */
  'backup.check': query({
    permission: 'admin',
    label: 'Vérification d’une sauvegarde',
    input: backupChoice,
    async run({ backups }, { file }) {
      return checked(need(backups), file);
    },
  }),

  /**
   * Checked again, then written as a request the core host honours at its next start, before it opens the file. A
   * query: the database is not touched now, and the request must survive the restore it asks for.
   */
  'backup.requestRestore': query({
    permission: 'admin',
    label: 'Demande de restauration',
    input: backupChoice,
    async run({ backups, actor, now }, { file }) {
      const b = need(backups);
      const check = await checked(b, file);
      writeRestoreRequest(b.dataDir, {
        file: check.file,
        requestedAt: now.toISOString(),
        by: actor.agentName,
      });
      return check;
    },
  }),

  /** The shell restarts the app (Electron) or the core host (browser host), which then honours the request. */
  'shell.restart': shell<{ restarting: true }>()({
    permission: 'admin',
    label: 'Redémarrage de l’application',
    input: z.object({}),
  }),
};
