import type { Kysely } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { z } from 'zod';
import type { Database } from '../db/schema.ts';
import { DomainError, fail, ok, type Envelope, type ErrorBody } from './envelope.ts';
import { executeCommand, executeQuery, parseInput } from './execute.ts';
import { invalidInput } from './validation.ts';
import { lookUp, type Actor, type AnyOperation, type Backups, type SessionHandle } from './operation.ts';

z.config(z.locales.fr());

/** Who acts for a call, or why nobody may: what the operation's declaration asks of the agent signed in. */
export type Authorize = (
  name: string,
  op: AnyOperation,
  now: Date,
) => { ok: true; actor: Actor } | { ok: false; error: ErrorBody };

export interface DispatchOptions {
  db: Kysely<Database>;
  operations: Readonly<Record<string, AnyOperation>>;
  clock: () => Date;
  session: SessionHandle;
  backups?: Backups | null;
  /** Checked before the input is even read. */
  authorize: Authorize;
  onInternalError?: (name: string, error: unknown) => void;
}

/** An operation let in: who acts, and its input as its schema read it. */
export interface Admitted {
  name: string;
  op: AnyOperation;
  actor: Actor;
  now: Date;
  input: unknown;
}

export interface Dispatch {
  (name: string, rawInput: unknown): Promise<Envelope<unknown>>;
  /**
   * For a shell operation (core/api/operation.ts `shell`): whether the agent signed in may, and its input as its
   * schema reads it, for the shell to answer. Nothing runs here.
   */
  admit(name: string, rawInput: unknown): Promise<Envelope<unknown>>;
}

/**
 * The only door into the core: looks the operation up, checks who may, validates its input, runs a query, or a
 * command in one transaction together with its command-log row, and answers an envelope. Nothing is written unless
 * everything succeeded. A shell operation is the shell's to answer (`admit`): here it is only judged.
 */
export function createDispatcher(options: DispatchOptions): Dispatch {
  const { db, operations, clock } = options;

  function letIn(name: string, rawInput: unknown): { admitted: Admitted } | { refused: Envelope<never> } {
    const op = lookUp(operations, name);
    if (!op) return { refused: fail('UNKNOWN_OPERATION', `Opération inconnue : « ${String(name)} ».`) };
    const now = clock();
    const allowed = options.authorize(name, op, now);
    if (!allowed.ok) return { refused: { ok: false, error: allowed.error } };
    // Queries and commands are read where they run (core/api/execute.ts), with the rest of their execution.
    if (op.kind !== 'shell') return { admitted: { name, op, actor: allowed.actor, now, input: rawInput } };
    const parsed = parseInput(name, op, rawInput);
    if (!parsed.ok) return { refused: parsed.answer };
    return { admitted: { name, op, actor: allowed.actor, now, input: parsed.input } };
  }

  async function run({ name, op, actor, now, input }: Admitted): Promise<Envelope<unknown>> {
    const { session } = options;
    const backups = options.backups ?? null;
    if (op.kind === 'shell') {
      return fail(
        'UNKNOWN_OPERATION',
        `« ${op.label} » est assurée par l’application du guichet elle-même : elle n’est pas disponible ici.`,
      );
    }
    if (op.kind === 'query') {
      const r = await executeQuery({ db, name, op, input, actor, now, session, backups });
      return r.ok ? ok(r.data) : invalidInput(name, r.error);
    }
    const done = await db.transaction().execute(async (trx) => {
      const commandId = uuidv7();
      const r = await executeCommand({
        db: trx,
        name,
        op,
        input,
        actor,
        commandId,
        at: now,
        now,
        session,
        backups,
        replay: false,
      });
      if (!r.ok) return r;
      await trx
        .insertInto('command_log')
        .values({
          id: commandId,
          name,
          input: JSON.stringify(r.logged),
          agent_id: actor.agentId,
          device_id: actor.deviceId,
          at: now.toISOString(),
        })
        .execute();
      return r;
    });
    return done.ok ? ok(done.data) : invalidInput(name, done.error);
  }

  async function dispatch(name: string, rawInput: unknown): Promise<Envelope<unknown>> {
    const door = letIn(name, rawInput);
    if ('refused' in door) return door.refused;
    try {
      return await run(door.admitted);
    } catch (error) {
      if (error instanceof DomainError) return fail(error.code, error.message, error.field);
      options.onInternalError?.(name, error);
      return fail(
        'INTERNAL',
        "Erreur interne : l'opération n'a pas été enregistrée. Réessayez ou prévenez l'administrateur.",
      );
    }
  }

  async function admit(name: string, rawInput: unknown): Promise<Envelope<unknown>> {
    const op = lookUp(operations, name);
    if (op?.kind !== 'shell')
      return fail('UNKNOWN_OPERATION', `Opération inconnue de l’application : « ${String(name)} ».`);
    const door = letIn(name, rawInput);
    return 'refused' in door ? door.refused : ok(door.admitted.input);
  }

  return Object.assign(dispatch, { admit });
}

/** Merges operation groups, refusing two operations of the same name. */
export function mergeOperations<T extends Record<string, AnyOperation>[]>(
  ...groups: T
): UnionToIntersection<T[number]> {
  const all: Record<string, AnyOperation> = {};
  for (const group of groups) {
    for (const [name, op] of Object.entries(group)) {
      if (Object.hasOwn(all, name)) throw new Error(`Opération déclarée deux fois : ${name}`);
      all[name] = op;
    }
  }
  return all as UnionToIntersection<T[number]>;
}

type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void
  ? I
  : never;
