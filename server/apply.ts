import { DomainError } from '../core/api/envelope.ts';
import { executeCommand } from '../core/api/execute.ts';
import {
  isFact,
  isPushed,
  lookUp,
  type Actor,
  type AnyOperation,
  type OverrideKeys,
  type Remark,
  type SessionHandle,
} from '../core/api/operation.ts';
import { validationError } from '../core/api/validation.ts';
import type { CommandResult } from '../core/sync/protocol.ts';
import { PORTAL_DEVICE, SERVER_DEVICE } from './devices.ts';
import { beginWrite, portalSeq, retryingDeadlocks, type ServerDb, type ServerTrx } from './store.ts';

/** A command to apply: a counter's, numbered by it; the server's own or the portal's, numbered here. */
export interface Incoming {
  seq: number | null; // null: the server numbers it (its own and the portal's commands)
  /** The counter's own device id, under which its cash sessions and series are kept on both sides. */
  localDeviceId?: string | undefined;
  id: string;
  name: string;
  input: unknown;
  agentId: string;
  agentName: string;
  at: string;
}

export type Applied = CommandResult | { status: 'gap' } | { status: 'replay'; result: CommandResult };

class Rejection extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

export interface ApplyDeps {
  db: ServerDb;
  clock: () => Date;
  operations: Readonly<Record<string, AnyOperation>>;
  /** The server's handlers never read the session; the counter's agent is checked where the command was made. */
  session: SessionHandle;
  maxDriftMs: number;
}

/**
 * What the administrator registered for a régisseur (`registerOverrideKey`), read when a proof is checked: in the
 * command's own transaction (on SQLite, reading through another connection would wait for it forever).
 */
const overrideKeysIn =
  (trx: ServerTrx): OverrideKeys =>
  async (username) => {
    const v = await trx
      .selectFrom('override_keys')
      .select(['key', 'display_name'])
      .where('username', '=', username)
      .executeTakeFirst();
    return v ? { key: Buffer.from(v.key, 'base64'), displayName: v.display_name } : null;
  };

/** The result of a command as the server stored it. */
export function toResult(r: {
  seq: number;
  command_id: string;
  status: string;
  code: string | null;
  message: string | null;
  refused: string | null;
}): CommandResult {
  const seq = Number(r.seq);
  if (r.status === 'applied') {
    return {
      seq,
      id: r.command_id,
      status: 'applied',
      ...(r.refused ? { refused: JSON.parse(r.refused) as unknown[] } : {}),
      ...(r.message ? { note: r.message, code: r.code ?? 'AS_CREDIT' } : {}),
    };
  }
  return {
    seq,
    id: r.command_id,
    status: r.status as 'rejected' | 'held',
    code: r.code ?? 'INCONNU',
    message: r.message ?? '',
  };
}

const childOf = (input: unknown): string => String((input as { childId?: unknown } | null)?.childId ?? '');

/** Applying a push, one command at a time, exactly once each, in each device's order. */
export function applier(deps: ApplyDeps) {
  const { db, clock, operations, session, maxDriftMs } = deps;

  /** Runs one operation inside the caller's transaction, through the same function as a counter's dispatcher. */
  async function runCommand(
    trx: ServerTrx,
    cmd: Incoming,
    actor: Actor,
    now: Date,
  ): Promise<{ data: unknown; input: unknown; remarks: Remark[]; op: AnyOperation }> {
    const { name } = cmd;
    const op = lookUp(operations, name);
    if (op?.kind !== 'command' || (!isPushed(op) && actor.deviceId !== SERVER_DEVICE)) {
      throw new Rejection(
        'UNKNOWN_OPERATION',
        `Opération « ${name} » inconnue du serveur ou non synchronisée.`,
      );
    }
    const r = await executeCommand({
      db: trx,
      name,
      op,
      input: cmd.input,
      actor,
      commandId: cmd.id,
      at: new Date(cmd.at),
      now,
      session,
      backups: null,
      // A counter's command was made and judged at the counter; the server's own and the portal's are made here.
      replay: cmd.seq !== null,
      maxDriftMs,
      overrideKeys: overrideKeysIn(trx),
    });
    if (!r.ok) {
      throw new Rejection('VALIDATION', validationError(name, r.error.issues).message);
    }
    return { data: r.data, input: r.logged, remarks: r.remarks, op };
  }

  async function storedResult(from: ServerDb, deviceId: string, seq: number): Promise<CommandResult> {
    const r = await from
      .selectFrom('received_commands')
      .selectAll()
      .where('device_id', '=', deviceId)
      .where('seq', '=', seq)
      .executeTakeFirstOrThrow();
    return toResult(r);
  }

  /**
   * Applies one command exactly once: in one transaction at a new server version, checks the device's sequence,
   * runs the rules, records the result and moves the device's acknowledged seq. A business refusal rolls the
   * effects back and records the refusal in a second transaction, so the queue never jams.
   */
  async function applyOne(
    deviceId: string,
    cmd: Incoming,
    /** Receives what the command answered, for the server's own callers (administration, portal). */
    sink: { data?: unknown } = {},
  ): Promise<Applied> {
    const now = clock();
    const actor: Actor = {
      agentId: cmd.agentId,
      agentName: cmd.agentName,
      deviceId: cmd.localDeviceId ?? deviceId,
    };
    // The portal's requests are its families', independent of each other: they wait only for the same child's.
    const portal = deviceId === PORTAL_DEVICE && cmd.seq === null ? { childId: childOf(cmd.input) } : null;
    const checkSeq = async (trx: ServerTrx) => {
      const numbered = portal ? await portalSeq(trx) : null;
      if (numbered !== null) return { seq: numbered, state: 'next' as const, numbered: true };
      const d = await trx
        .selectFrom('devices')
        .select('last_seq')
        .where('id', '=', deviceId)
        .executeTakeFirstOrThrow();
      const last = Number(d.last_seq);
      const seq = cmd.seq ?? last + 1;
      if (seq <= last) return { seq, state: 'replay' as const };
      if (seq > last + 1) return { seq, state: 'gap' as const };
      return { seq, state: 'next' as const, numbered: false };
    };
    const record = async (
      trx: ServerTrx,
      seq: number,
      input: unknown,
      status: string,
      extra: { code?: string | undefined; message?: string; refused?: unknown[] },
      numbered: boolean,
    ) => {
      await trx
        .insertInto('received_commands')
        .values({
          device_id: deviceId,
          seq,
          command_id: cmd.id,
          name: cmd.name,
          input: JSON.stringify(input ?? null),
          agent_id: cmd.agentId,
          device_at: cmd.at,
          received_at: now.toISOString(),
          status,
          code: extra.code ?? null,
          message: extra.message ?? null,
          refused: extra.refused?.length ? JSON.stringify(extra.refused) : null,
        })
        .execute();
      if (numbered) return;
      await trx
        .updateTable('devices')
        .set({ last_seq: seq, last_seen_at: now.toISOString() })
        .where('id', '=', deviceId)
        .execute();
    };

    try {
      return await retryingDeadlocks(() =>
        db.transaction().execute(async (trx): Promise<Applied> => {
          await beginWrite(trx, portal);
          const s = await checkSeq(trx);
          if (s.state === 'replay')
            return { status: 'replay', result: await storedResult(trx, deviceId, s.seq) };
          if (s.state === 'gap') return { status: 'gap' };
          const { data, input, remarks, op } = await runCommand(trx, cmd, actor, now);
          // What a request's refusal in part looks like is its declaration's (the days of a booking plan).
          const refused: unknown[] = op.kind === 'command' && op.partial ? op.partial.refused(data) : [];
          // A fact the rules of the moment now object to is recorded all the same; its counter is told what to look at.
          const note = remarks.length
            ? { code: remarks[0]?.code, message: remarks.map((r) => r.message).join(' ') }
            : {};
          await record(trx, s.seq, input, 'applied', { refused, ...note }, s.numbered);
          sink.data = data;
          return {
            seq: s.seq,
            id: cmd.id,
            status: 'applied',
            ...(refused.length ? { refused } : {}),
            ...(note.message ? { note: note.message, code: note.code } : {}),
          };
        }),
      );
    } catch (error) {
      if (!(error instanceof DomainError) && !(error instanceof Rejection)) throw error;
      // What is refused here broke no rule of the moment (a fact stands despite those, core/api/facts.ts): a request
      // the server judges otherwise, or a fact that fails integrity, kept as received for the régie to settle.
      const code = error.code;
      const status =
        isFact(lookUp(operations, cmd.name)) && error instanceof DomainError ? 'held' : 'rejected';
      return db.transaction().execute(async (trx): Promise<Applied> => {
        await beginWrite(trx, portal);
        const s = await checkSeq(trx);
        if (s.state === 'replay')
          return { status: 'replay', result: await storedResult(trx, deviceId, s.seq) };
        if (s.state === 'gap') return { status: 'gap' };
        await record(trx, s.seq, cmd.input, status, { code, message: error.message }, s.numbered);
        return { seq: s.seq, id: cmd.id, status, code, message: error.message };
      });
    }
  }

  return { applyOne };
}

export type Applier = ReturnType<typeof applier>;
