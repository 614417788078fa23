import { sql } from 'kysely';
import { z } from 'zod';
import { query } from '../api/operation.ts';
import { timeZoneLabel } from '../calendar/time-zones.ts';
import { townDate, townTimeZone } from '../time.ts';
import { listBackups } from '../backup/backup.ts';
import { DomainError } from '../api/envelope.ts';
import { readSetting } from '../db/settings.ts';

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
      return backups.take('manuelle');
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
