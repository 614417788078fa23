import { sql } from 'kysely';
import { z } from 'zod';
import { query } from '../api/operation.ts';
import { parisDate } from '../time.ts';
import { listBackups } from '../backup/backup.ts';
import { DomainError } from '../api/envelope.ts';
import { readSetting } from './settings.ts';

export const APP_VERSION = '0.1.0';

export const systemOperations = {
  'system.backups': query({
    input: z.object({}),
    async run({ backups }) {
      return { folder: backups?.dir ?? null, backups: backups ? listBackups(backups.dir) : [] };
    },
  }),

  /** A copy now, e.g. before a risky correction; the daily one runs by itself. A query: it changes no data. */
  'system.backupNow': query({
    input: z.object({}),
    async run({ backups }) {
      if (!backups) throw new DomainError('CONFLICT', 'Ce poste n’a pas de dossier de sauvegarde configuré.');
      return backups.take('manuelle');
    },
  }),

  'system.info': query({
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
        /** The town's today, from the core's clock: screens follow it rather than the PC's. */
        today: parisDate(now),
        households: Number(households.n),
      };
    },
  }),
};
