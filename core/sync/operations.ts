import type { Kysely } from 'kysely';
import { z } from 'zod';
import { DomainError } from '../api/envelope.ts';
import { command, isPushed, lookUp, query, type AnyOperation } from '../api/operation.ts';
import type { Database } from '../db/schema.ts';
import { counterCodeKey, seriesPrefixKey } from '../system/device-keys.ts';
import { readSetting, writeSetting } from '../db/settings.ts';
import { SYNC_SETTINGS } from './credential-format.ts';
import { SEALED_CREDENTIAL } from '../secrets/credential-vault.ts';

const BLOCKED: Record<string, string> = {
  VERSION_TOO_OLD: 'Version trop ancienne pour le serveur : mettez l’application à jour (rien n’est perdu).',
  DEVICE_REVOKED: 'Poste révoqué : consultation seulement, plus aucun envoi au serveur.',
};

export { CREDENTIAL, SYNC_SETTINGS } from './credential-format.ts';

/** The registry is passed lazily, as to core/api/check.ts: the status counts what will be pushed, by declaration. */
export const syncOperations = (registry: () => Readonly<Record<string, AnyOperation>>) => ({
  'sync.status': query({
    permission: 'family.read',
    label: 'État de la synchronisation',
    input: z.object({}),
    async run({ db }) {
      const s = await db.selectFrom('sync_state').selectAll().executeTakeFirst();
      const acked = await db
        .selectFrom('sync_outbox')
        .select('log_seq')
        .where('device_seq', '=', s?.acked_seq ?? 0)
        .executeTakeFirst();
      const names = await db
        .selectFrom('command_log')
        .select('name')
        .where('seq', '>', acked?.log_seq ?? 0)
        .execute();
      const toSettle = await db
        .selectFrom('sync_results')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('ack_at', 'is', null)
        .executeTakeFirst();
      return {
        online: s?.online === 1,
        offlineSince: s?.offline_since ?? null,
        lastSyncAt: s?.last_sync_at ?? null,
        pending: names.filter((n) => isPushed(lookUp(registry(), n.name))).length,
        lastError: s?.last_error ?? null,
        clockWarning: s?.clock_warning ?? null,
        blocked: s?.blocked ? (BLOCKED[s.blocked] ?? s.blocked) : null,
        toSettle: Number(toSettle?.n ?? 0),
        serverVersion: s?.server_version ?? 0,
        /** Whether an administrator has connected this PC to the central server (« Non relié » otherwise). */
        connected: (await readSetting(db, SYNC_SETTINGS.serverUrl)) !== undefined,
      };
    },
  }),

  'sync.rejections': query({
    permission: 'family.read',
    label: 'Opérations à régulariser',
    input: z.object({ includeAcknowledged: z.boolean().default(false) }),
    async run({ db }, input) {
      let q = db.selectFrom('sync_results').selectAll().orderBy('device_seq', 'desc');
      if (!input.includeAcknowledged) q = q.where('ack_at', 'is', null);
      const rows = await q.execute();
      const names = await agentNames(db, [
        ...rows.map((r) => r.agent_id),
        ...rows.flatMap((r) => (r.ack_by ? [r.ack_by] : [])),
      ]);
      return rows.map((r) => ({
        commandId: r.command_id,
        name: r.name,
        status: r.status,
        code: r.code,
        message: r.message,
        suggestion: r.suggestion,
        summary: r.summary,
        madeAt: r.made_at,
        agentId: r.agent_id,
        agentName: names.get(r.agent_id) ?? null,
        receivedAt: r.received_at,
        acknowledgedBy: r.ack_by,
        acknowledgedByName: r.ack_by ? (names.get(r.ack_by) ?? null) : null,
        acknowledgedAt: r.ack_at,
      }));
    },
  }),

  'sync.acknowledge': command({
    permission: 'booking.write',
    sync: 'local',
    label: 'Opération régularisée',
    input: z.object({ commandId: z.string().min(1).max(64) }),
    async run({ db, actor, now }, input) {
      const r = await db
        .updateTable('sync_results')
        .set({ ack_by: actor.agentId, ack_at: now.toISOString() })
        .where('command_id', '=', input.commandId)
        .where('ack_at', 'is', null)
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) === 0) {
        throw new DomainError('NOT_FOUND', 'Rien à régulariser pour cette opération (déjà traitée ?).');
      }
      return { acknowledged: true };
    },
  }),

  /** How this PC is connected to the central server, for the administrator's « Serveur central » screen. */
  'sync.connection': query({
    // Connecting the PC to the central server is the administrator’s; the shell alone runs the two commands.
    permission: 'admin',
    label: 'Liaison au serveur central',
    input: z.object({}),
    async run({ db, actor }) {
      const read = (key: string) => readSetting<string>(db, key);
      const serverUrl = (await read(SYNC_SETTINGS.serverUrl)) ?? null;
      return {
        connected: serverUrl !== null,
        serverUrl,
        deviceId: (await read(SYNC_SETTINGS.deviceId)) ?? null,
        deviceName: (await read(SYNC_SETTINGS.deviceName)) ?? null,
        seriesPrefix: (await read(counterCodeKey(actor.deviceId))) ?? null,
        connectedAt: (await read(SYNC_SETTINGS.connectedAt)) ?? null,
        connectedBy: (await read(SYNC_SETTINGS.connectedBy)) ?? null,
      };
    },
  }),

  /**
   * Stores what the shell checked with the server (`GET /device`): the address, the credential sealed with this
   * PC's key (core/secrets/credential-vault.ts: never in clear in the database, so never in a backup) and the counter's
   * series. Only the shell runs it (electron/sync-runner.ts refuses it from the window), after that check.
   */
  'sync.saveConnection': command({
    permission: 'admin',
    sync: 'local',
    label: 'Enregistrement de la liaison au serveur central',
    shellOnly: true,
    input: z.object({
      serverUrl: z
        .string()
        .trim()
        .max(300)
        .regex(/^https?:\/\/[^\s/]+/, { message: 'adresse http:// ou https:// attendue' }),
      credential: z.string().regex(SEALED_CREDENTIAL, { message: 'identifiant du poste chiffré attendu' }),
      deviceId: z.string().min(1).max(64),
      deviceName: z.string().trim().min(1).max(80),
      seriesPrefix: z.string().regex(/^[A-Z0-9]{1,8}$/, { message: 'code de guichet du serveur invalide' }),
    }),
    // The secret never reaches the command log (nor a backup's copy of it).
    logInput: ({ credential: _secret, ...rest }) => rest,
    async run({ db, actor, now }, input) {
      const previous = await readSetting<string>(db, SYNC_SETTINGS.deviceId);
      if (previous && previous !== input.deviceId && (await hasSynced(db))) {
        const name = (await readSetting<string>(db, SYNC_SETTINGS.deviceName)) ?? previous;
        throw new DomainError(
          'CONFLICT',
          `Ce poste a déjà travaillé avec le serveur comme « ${name} » : ses envois sont numérotés sous cet identifiant. Reliez-le avec l’identifiant d’origine, ou reliez un poste neuf avec le nouveau.`,
          'credential',
        );
      }
      if (!(await hasSynced(db)) && (await readSetting(db, 'demo.accounts')) !== undefined) {
        throw new DomainError(
          'CONFLICT',
          'Ce poste contient la ville de démonstration : le relier enverrait ses familles fictives au serveur de la commune. Reliez un poste dont la base est neuve.',
        );
      }
      // Local settings (sync., device.) are never undone by a rebase: sync's tracking leaves them out.
      await writeSetting(db, SYNC_SETTINGS.serverUrl, input.serverUrl);
      await writeSetting(db, SYNC_SETTINGS.credential, input.credential);
      await writeSetting(db, SYNC_SETTINGS.deviceId, input.deviceId);
      await writeSetting(db, SYNC_SETTINGS.deviceName, input.deviceName);
      await writeSetting(db, SYNC_SETTINGS.connectedAt, now.toISOString());
      await writeSetting(db, SYNC_SETTINGS.connectedBy, actor.agentName);
      // Receipts, deposit slips and invoices made here are numbered in this counter's own series.
      await writeSetting(db, counterCodeKey(actor.deviceId), input.seriesPrefix);
      await writeSetting(db, seriesPrefixKey(actor.deviceId), input.seriesPrefix);
      return { saved: true };
    },
  }),

  /**
   * Forgets the address and the credential: nothing is sent any more. The device's identity and its series stay,
   * so the numbers already issued keep their series and the same PC can be connected again under the same name.
   */
  'sync.forgetConnection': command({
    permission: 'admin',
    sync: 'local',
    label: 'Oubli de la liaison au serveur central',
    shellOnly: true,
    input: z.object({}),
    async run({ db }) {
      await db
        .deleteFrom('settings')
        .where('key', 'in', [
          SYNC_SETTINGS.serverUrl,
          SYNC_SETTINGS.credential,
          SYNC_SETTINGS.connectedAt,
          SYNC_SETTINGS.connectedBy,
        ])
        .execute();
      return { disconnected: true };
    },
  }),
});

async function hasSynced(db: Kysely<Database>): Promise<boolean> {
  const s = await db.selectFrom('sync_state').selectAll().executeTakeFirst();
  const outbox = await db.selectFrom('sync_outbox').select('device_seq').limit(1).executeTakeFirst();
  return (s?.server_version ?? 0) > 0 || (s?.acked_seq ?? 0) > 0 || outbox !== undefined;
}

/** Staff names for the « À régulariser » list (a deleted account has none). */
async function agentNames(db: Kysely<Database>, ids: string[]): Promise<Map<string, string>> {
  const unique = [...new Set(ids)];
  if (!unique.length) return new Map();
  const rows = await db
    .selectFrom('staff')
    .select(['id', 'display_name'])
    .where('id', 'in', unique)
    .execute();
  return new Map(rows.map((r) => [r.id, r.display_name]));
}
