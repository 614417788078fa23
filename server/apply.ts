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
import { rows } from '../core/db/fast-sql.ts';
import type { Database } from '../core/db/schema.ts';
import { withSetupCache, type SetupCache, type SharedSetup } from '../core/db/setup-cache.ts';
import { PORTAL_DEVICE, SERVER_DEVICE } from './devices.ts';
import {
  beginWrite,
  beginPortalWrite,
  retryingDeadlocks,
  type ServerDb,
  type ServerTables,
  type ServerTrx,
} from './store.ts';

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

/** Applying a push, exactly once each command, in each device's order. */
export function applier(deps: ApplyDeps) {
  const { db, clock, operations, session, maxDriftMs } = deps;
  /** The set-up the portal's last request read, at its version (PostgreSQL). */
  let portalSetup: SharedSetup | null = null;

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
   * Applies a counter's commands, in its order, exactly once each: all in one transaction (one server version),
   * each behind its own savepoint. A business refusal rolls back to the command's savepoint and is recorded in the
   * same transaction, so the queue never jams; any other error rolls the whole push back, and the counter's retry
   * finds nothing of it applied. Stops at a gap, and at a replay whose id differs (the caller tells the counter to
   * renumber). The town's set-up is read once for the whole push (core/db/setup-cache.ts).
   */
  async function applyPush(
    deviceId: string,
    cmds: readonly Incoming[],
    /** Receives what the last command answered, for the server's own callers (administration, portal). */
    sink: { data?: unknown } = {},
  ): Promise<Applied[]> {
    const now = clock();
    // A family's portal request is independent of the others: it waits only for the same child's (store.ts).
    const only = cmds.length === 1 ? cmds[0] : undefined;
    const portal = deviceId === PORTAL_DEVICE && only?.seq === null ? { childId: childOf(only.input) } : null;
    return retryingDeadlocks(db, () =>
      db.transaction().execute(async (trx): Promise<Applied[]> => {
        if (!portal) await beginWrite(trx);
        const started = portal ? await beginPortalWrite(trx, portal.childId) : null;
        if (started && only) {
          // The town's set-up is kept from one family's request to the next while no one changes it.
          if (portalSetup?.version !== started.setupVersion)
            portalSetup = { version: started.setupVersion, values: new Map() };
          const setup = withSetupCache(trx, portalSetup);
          return [await applyNext(setup, deviceId, only, started.seq, now, sink)];
        }
        const device = await trx
          .selectFrom('devices')
          .select('last_seq')
          .where('id', '=', deviceId)
          .executeTakeFirstOrThrow();
        const before = Number(device.last_seq);
        let last = before;
        const setup = withSetupCache(trx);
        const out: Applied[] = [];
        for (const cmd of cmds) {
          const seq = cmd.seq ?? last + 1;
          if (seq <= last) {
            const result = await storedResult(trx, deviceId, seq);
            out.push({ status: 'replay', result });
            if (result.id !== cmd.id) break;
            continue;
          }
          if (seq > last + 1) {
            out.push({ status: 'gap' });
            break;
          }
          out.push(await applyNext(setup, deviceId, cmd, seq, now, sink));
          last = seq;
        }
        if (last !== before)
          await trx
            .updateTable('devices')
            .set({ last_seq: last, last_seen_at: now.toISOString() })
            .where('id', '=', deviceId)
            .execute();
        return out;
      }),
    );
  }

  /** The command next in its device's order, inside the push's transaction, behind its own savepoint. */
  async function applyNext(
    setup: SetupCache<Database & ServerTables>,
    deviceId: string,
    cmd: Incoming,
    seq: number,
    now: Date,
    sink: { data?: unknown },
  ): Promise<CommandResult> {
    const trx = setup.db;
    const actor: Actor = {
      agentId: cmd.agentId,
      agentName: cmd.agentName,
      deviceId: cmd.localDeviceId ?? deviceId,
    };
    // Fixed texts (core/db/fast-sql.ts): a push runs these once per command.
    const run = (text: string, params: readonly unknown[] = []) =>
      rows<unknown, Database & ServerTables>(trx, text, params);
    const record = (
      input: unknown,
      status: string,
      extra: { code?: string | undefined; message?: string; refused?: unknown[] },
    ) =>
      run(
        `INSERT INTO received_commands (device_id, seq, command_id, name, input, agent_id, device_at, received_at,
         status, code, message, refused) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [
          deviceId,
          seq,
          cmd.id,
          cmd.name,
          JSON.stringify(input ?? null),
          cmd.agentId,
          cmd.at,
          now.toISOString(),
          status,
          extra.code ?? null,
          extra.message ?? null,
          extra.refused?.length ? JSON.stringify(extra.refused) : null,
        ],
      );

    await run('SAVEPOINT command');
    try {
      const { data, input, remarks, op } = await runCommand(trx, cmd, actor, now);
      // What a request's refusal in part looks like is its declaration's (the days of a booking plan).
      const refused: unknown[] = op.kind === 'command' && op.partial ? op.partial.refused(data) : [];
      // A fact the rules of the moment now object to is recorded all the same; its counter is told what to look at.
      const note = remarks.length
        ? { code: remarks[0]?.code, message: remarks.map((r) => r.message).join(' ') }
        : {};
      await record(input, 'applied', { refused, ...note });
      await run('RELEASE SAVEPOINT command');
      sink.data = data;
      return {
        seq,
        id: cmd.id,
        status: 'applied',
        ...(refused.length ? { refused } : {}),
        ...(note.message ? { note: note.message, code: note.code } : {}),
      };
    } catch (error) {
      if (!(error instanceof DomainError) && !(error instanceof Rejection)) throw error;
      // PostgreSQL refuses every statement after a failed one until the savepoint is rolled back.
      await run('ROLLBACK TO SAVEPOINT command');
      await run('RELEASE SAVEPOINT command');
      // What the refused command read or wrote of the set-up is gone with its savepoint.
      setup.clear();
      // What is refused here broke no rule of the moment (a fact stands despite those, core/api/facts.ts): a request
      // the server judges otherwise, or a fact that fails integrity, kept as received for the régie to settle.
      const code = error.code;
      const status =
        isFact(lookUp(operations, cmd.name)) && error instanceof DomainError ? 'held' : 'rejected';
      await record(cmd.input, status, { code, message: error.message });
      return { seq, id: cmd.id, status, code, message: error.message };
    }
  }

  /**
   * Applies one command exactly once (the server's own, the portal's: numbered here when `seq` is null), as a push
   * of one.
   */
  async function applyOne(
    deviceId: string,
    cmd: Incoming,
    /** Receives what the command answered, for the server's own callers (administration, portal). */
    sink: { data?: unknown } = {},
  ): Promise<Applied> {
    const [r] = await applyPush(deviceId, [cmd], sink);
    if (!r) throw new Error('applyPush: aucun résultat pour une commande');
    return r;
  }

  return { applyOne, applyPush };
}

export type Applier = ReturnType<typeof applier>;
