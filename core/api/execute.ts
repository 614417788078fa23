import type { Kysely, Transaction } from 'kysely';
import type { z } from 'zod';
import type { Database } from '../db/schema.ts';
import type { ErrorBody } from './envelope.ts';
import { idsFor } from './ids.ts';
import {
  isFact,
  type Actor,
  type AnyCommand,
  type AnyOperation,
  type Backups,
  type CommandContext,
  type OverrideKeys,
  type QueryDef,
  type Remark,
  type SessionHandle,
} from './operation.ts';
import { validationError } from './validation.ts';

/**
 * How far ahead of the clock of the store that runs it a fact's own time may be. Further ahead, the time is the
 * counter's clock being wrong rather than when the fact happened: the fact takes the running store's time instead.
 * The central server tells a counter its clock drifts from the same figure (server/push.ts).
 */
export const MAX_CLOCK_DRIFT_MS = 5 * 60_000;

/**
 * Reads an operation's input with its schema: the only place an input is parsed, whoever received it (the
 * dispatcher, a replay, the central server, the shell for its own operations). A refusal is the contract's French
 * answer, every faulty field named.
 */
export function parseInput<S extends z.ZodType>(
  name: string,
  op: { input: S },
  raw: unknown,
):
  | { ok: true; input: z.output<S> }
  | { ok: false; error: z.ZodError; answer: { ok: false; error: ErrorBody } } {
  const parsed = op.input.safeParse(raw ?? {});
  return parsed.success
    ? { ok: true, input: parsed.data }
    : {
        ok: false,
        error: parsed.error,
        answer: { ok: false, error: validationError(name, parsed.error.issues) },
      };
}

export interface Execution {
  /** The caller's transaction: the command's effects, and whatever the caller records with them, commit together. */
  db: Transaction<Database>;
  name: string;
  op: AnyCommand;
  /** The input as received (from the screen, the command log, a push), validated here. */
  input: unknown;
  actor: Actor;
  /** Names the rows the command creates (core/api/ids.ts): the same ids wherever it runs. */
  commandId: string;
  /** When the command was made: now at the counter that makes it; its logged time when it runs again. */
  at: Date;
  /** The clock of the store that runs it now. */
  now: Date;
  session: SessionHandle;
  backups: Backups | null;
  /** The command was made, and judged, elsewhere: its logged input runs again here. */
  replay: boolean;
  maxDriftMs?: number;
  /** The central server's registry of régisseurs' override keys (core/api/operation.ts). */
  overrideKeys?: OverrideKeys;
}

export type Executed =
  | {
      ok: true;
      data: unknown;
      /** What the command log keeps of the input: replayed elsewhere, it does the same thing. */
      logged: unknown;
      /** The time the command ran at (see `commandTime`). */
      at: Date;
      /** What a replayed fact's rules of the moment object to (core/api/facts.ts); empty otherwise. */
      remarks: Remark[];
    }
  | { ok: false; error: z.ZodError };

/**
 * The time policy, derived from the sync kind. A fact keeps the time it happened at the counter, however late it
 * reaches the store that runs it (a till worked offline on New Year's Eve and synced in January stays in December),
 * unless that time is ahead of this store's clock by more than the drift allowed: then it is a wrong clock, and the
 * fact takes this store's time. A request (booking, cancellation…) is judged by the clock of the store that runs it:
 * the server's deadlines are the server's.
 */
export function commandTime(op: AnyOperation, at: Date, now: Date, maxDriftMs = MAX_CLOCK_DRIFT_MS): Date {
  if (!isFact(op) || Number.isNaN(at.getTime())) return now;
  return at.getTime() - now.getTime() > maxDriftMs ? now : at;
}

/**
 * Executes one command, wherever it runs — the counter's dispatcher, the counter's replay after a pull, the central
 * server: validates the input, fixes what must be fixed before it is logged (`prepare`), runs it in the caller's
 * transaction, and says what the command log keeps. Domain refusals are thrown (DomainError) for the caller to turn
 * into its own answer; an invalid input is answered, not thrown, so each caller words it its own way.
 */
export async function executeCommand(e: Execution): Promise<Executed> {
  const { op } = e;
  const parsed = parseInput(e.name, op, e.input);
  if (!parsed.ok) return { ok: false, error: parsed.error };
  const at = commandTime(op, e.at, e.now, e.maxDriftMs);
  const remarks: Remark[] = [];
  const ctx: CommandContext = {
    db: e.db,
    actor: e.actor,
    now: at,
    session: e.session,
    backups: e.backups,
    newId: idsFor(e.commandId),
    replay: e.replay,
    // Only a fact replayed is recorded despite the rules of the moment; a request replayed is judged again.
    ...(e.replay && isFact(op) ? { remarks } : {}),
    ...(e.overrideKeys ? { overrideKeys: e.overrideKeys } : {}),
  };
  const input: unknown = op.prepare ? await op.prepare(parsed.input, ctx) : parsed.input;
  const data: unknown = await op.run(ctx, input);
  return { ok: true, data, logged: op.logInput ? op.logInput(input) : input, at, remarks };
}

export interface QueryExecution {
  db: Kysely<Database>;
  name: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any query of the registry
  op: QueryDef<any, any>;
  input: unknown;
  actor: Actor;
  now: Date;
  session: SessionHandle;
  backups: Backups | null;
}

/**
 * Executes one query, wherever it is asked — the counter's dispatcher, the central server's reads: validates the
 * input and runs it. As for a command, an invalid input is answered and a domain refusal thrown.
 */
export async function executeQuery(
  q: QueryExecution,
): Promise<{ ok: true; data: unknown } | { ok: false; error: z.ZodError }> {
  const parsed = parseInput(q.name, q.op, q.input);
  if (!parsed.ok) return { ok: false, error: parsed.error };
  const { db, actor, now, session, backups } = q;
  const data: unknown = await q.op.run({ db, actor, now, session, backups }, parsed.input);
  return { ok: true, data };
}
