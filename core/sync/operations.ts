import { z } from 'zod';
import { DomainError } from '../api/envelope.ts';
import { command, query } from '../api/operation.ts';
import { isPushed } from './tables.ts';

/* The sync tables are the counter's own (migration 0006), outside the domain schema's types. */
interface SyncStateRow {
  server_version: number;
  acked_seq: number;
  online: number;
  offline_since: string | null;
  last_sync_at: string | null;
  last_error: string | null;
  clock_warning: string | null;
  blocked: string | null;
}

const BLOCKED: Record<string, string> = {
  VERSION_TOO_OLD: 'Version trop ancienne pour le serveur : mettez l’application à jour (rien n’est perdu).',
  DEVICE_REVOKED: 'Poste révoqué : consultation seulement, plus aucun envoi au serveur.',
};

export const syncOperations = {
  'sync.status': query({
    input: z.object({}),
    async run({ db }) {
      const s = (await db
        .selectFrom('sync_state' as never)
        .selectAll()
        .executeTakeFirst()) as SyncStateRow | undefined;
      const acked = (await db
        .selectFrom('sync_outbox' as never)
        .select('log_seq' as never)
        .where('device_seq' as never, '=', (s?.acked_seq ?? 0) as never)
        .executeTakeFirst()) as { log_seq: number } | undefined;
      const names = await db
        .selectFrom('command_log')
        .select('name')
        .where('seq', '>', acked?.log_seq ?? 0)
        .execute();
      const toSettle = (await db
        .selectFrom('sync_results' as never)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('ack_at' as never, 'is', null)
        .executeTakeFirst()) as { n: number } | undefined;
      return {
        online: s?.online === 1,
        offlineSince: s?.offline_since ?? null,
        lastSyncAt: s?.last_sync_at ?? null,
        pending: names.filter((n) => isPushed(n.name)).length,
        lastError: s?.last_error ?? null,
        clockWarning: s?.clock_warning ?? null,
        blocked: s?.blocked ? (BLOCKED[s.blocked] ?? s.blocked) : null,
        toSettle: Number(toSettle?.n ?? 0),
        serverVersion: s?.server_version ?? 0,
      };
    },
  }),

  'sync.rejections': query({
    input: z.object({ includeAcknowledged: z.boolean().default(false) }),
    async run({ db }, input) {
      let q = db
        .selectFrom('sync_results' as never)
        .selectAll()
        .orderBy('device_seq' as never, 'desc');
      if (!input.includeAcknowledged) q = q.where('ack_at' as never, 'is', null);
      const rows = (await q.execute()) as {
        command_id: string;
        name: string;
        status: string;
        code: string;
        message: string;
        suggestion: string;
        summary: string;
        made_at: string;
        agent_id: string;
        received_at: string;
        ack_by: string | null;
        ack_at: string | null;
      }[];
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
        receivedAt: r.received_at,
        acknowledgedBy: r.ack_by,
        acknowledgedAt: r.ack_at,
      }));
    },
  }),

  'sync.acknowledge': command({
    input: z.object({ commandId: z.string().min(1).max(64) }),
    async run({ db, actor, now }, input) {
      const r = await db
        .updateTable('sync_results' as never)
        .set({ ack_by: actor.agentId, ack_at: now.toISOString() } as never)
        .where('command_id' as never, '=', input.commandId as never)
        .where('ack_at' as never, 'is', null)
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) === 0) {
        throw new DomainError('NOT_FOUND', 'Rien à régulariser pour cette opération (déjà traitée ?).');
      }
      return { acknowledged: true };
    },
  }),
};
