import { sql } from 'kysely';
import { z } from 'zod';
import { query } from '../api/operation.ts';
import { timeZoneLabel } from '../calendar/time-zones.ts';
import { townDate, townTimeZone } from '../time.ts';
import { listBackups } from '../backup/backup.ts';
import { DomainError } from '../api/envelope.ts';
import { readSetting } from '../db/settings.ts';
import { join } from 'node:path';
import { diagnosticReport } from './diagnostics.ts';
import { createFileLog, LOG_FOLDER, RENDERER_LOG_FILE } from './file-log.ts';

export const APP_VERSION = '0.1.0';

export const systemOperations = {
  'system.backups': query({
    permission: 'admin',
    label: 'Liste des sauvegardes',
    input: z.object({}),
    async run({ backups }) {
      return { folder: backups?.dir ?? null, backups: backups ? listBackups(backups.dir) : [] };
    },
  }),

  /** A copy now, e.g. before a risky correction; the daily one runs by itself. A query: it changes no data. */
  'system.backupNow': query({
    permission: 'admin',
    label: 'Sauvegarde immédiate',
    input: z.object({}),
    async run({ backups }) {
      if (!backups) throw new DomainError('CONFLICT', 'Ce poste n’a pas de dossier de sauvegarde configuré.');
      try {
        return await backups.take('manuelle');
      } catch (error) {
        // The service's French words (which folder, what failed): the agent must see them, not « erreur interne ».
        throw new DomainError('CONFLICT', error instanceof Error ? error.message : String(error));
      }
    },
  }),

  /**
   * The core's clock and the town's zone: every « today » a screen shows or proposes, and every hour it writes,
   * comes from here rather than from the PC's own clock and zone.
   */
  'system.clock': query({
    // Before sign-in too: the date and hour of the town are no secret, and every screen needs them.
    permission: 'public',
    label: 'Date et heure de la commune',
    input: z.object({}),
    async run({ db, now }) {
      const timeZone = await townTimeZone(db);
      return {
        now: now.toISOString(),
        today: townDate(now, timeZone),
        timeZone,
        timeZoneLabel: timeZoneLabel(timeZone),
      };
    },
  }),

  /**
   * Aide › « Copier le rapport de diagnostic »: public, so that a counter whose sign-in fails can still send it; it
   * holds no family data and no secret (core/system/diagnostics.ts).
   */
  'system.diagnostics': query({
    permission: 'public',
    label: 'Rapport de diagnostic',
    input: z.object({}),
    async run({ db, actor, now, backups }) {
      const report = await diagnosticReport(db, {
        appVersion: APP_VERSION,
        deviceId: actor.deviceId,
        dataDir: backups?.dataDir ?? null,
        now,
      });
      return { report };
    },
  }),

  /** The window's error boundary: what broke the screen, into renderer.log (the window cannot write files). */
  'system.logClientError': query({
    permission: 'public',
    label: 'Erreur de l’écran',
    input: z.object({
      message: z.string().max(2000),
      stack: z.string().max(8000).optional(),
      where: z.string().max(500).optional(),
    }),
    async run({ backups }, input) {
      const line = `${input.message}${input.where ? ` (écran ${input.where})` : ''}${input.stack ? `\n${input.stack}` : ''}`;
      if (backups) createFileLog(join(backups.dataDir, LOG_FOLDER, RENDERER_LOG_FILE)).error(line);
      else console.error('[écran]', line);
      return { logged: true };
    },
  }),

  'system.info': query({
    permission: 'public',
    label: 'Informations du poste',
    input: z.object({}),
    async run({ db, actor, now }) {
      const [households, version] = await Promise.all([
        db
          .selectFrom('households')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow(),
        sql<{ v: number }>`SELECT max(version) AS v FROM schema_migrations`.execute(db),
      ]);
      return {
        appVersion: APP_VERSION,
        schemaVersion: version.rows[0]?.v ?? 0,
        townName: (await readSetting(db, 'town.name')) ?? 'Commune',
        agent: { id: actor.agentId, name: actor.agentName },
        deviceId: actor.deviceId,
        /** The town's today, from the core's clock (see `system.clock`). */
        today: townDate(now, await townTimeZone(db)),
        households: Number(households.n),
      };
    },
  }),
};
