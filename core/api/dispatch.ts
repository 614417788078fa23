import type { Kysely } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { z } from 'zod';
import type { Database } from '../db/schema.ts';
import { DomainError, fail, ok, type Envelope, type ErrorBody } from './envelope.ts';
import { executeCommand } from './execute.ts';
import { invalidInput } from './validation.ts';
import type { Actor, AnyOperation, Backups, SessionHandle } from './operation.ts';

z.config(z.locales.fr());

export interface DispatchOptions {
  db: Kysely<Database>;
  operations: Readonly<Record<string, AnyOperation>>;
  clock: () => Date;
  session: SessionHandle;
  backups?: Backups | null;
  /** Who acts for this call, or why nobody may: checked before the input is even read. */
  authorize: (name: string, now: Date) => { ok: true; actor: Actor } | { ok: false; error: ErrorBody };
  onInternalError?: (name: string, error: unknown) => void;
}

/**
 * The only door into the core: looks the operation up, validates its input, runs a command in one transaction
 * together with its command-log row, and answers an envelope. Nothing is written unless everything succeeded.
 */
export function createDispatcher(options: DispatchOptions) {
  const { db, operations, clock } = options;

  return async function dispatch(name: string, rawInput: unknown): Promise<Envelope<unknown>> {
    const op = Object.hasOwn(operations, name) ? operations[name] : undefined;
    if (!op) return fail('UNKNOWN_OPERATION', `Opération inconnue : « ${String(name)} ».`);
    const now = clock();
    const allowed = options.authorize(name, now);
    if (!allowed.ok) return { ok: false, error: allowed.error };
    const { actor } = allowed;

    try {
      const { session } = options;
      const backups = options.backups ?? null;
      if (op.kind === 'query') {
        const parsed = op.input.safeParse(rawInput ?? {});
        if (!parsed.success) return invalidInput(name, parsed.error);
        return ok(await op.run({ db, actor, now, session, backups }, parsed.data));
      }
      const done = await db.transaction().execute(async (trx) => {
        const commandId = uuidv7();
        const r = await executeCommand({
          db: trx,
          name,
          op,
          input: rawInput,
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
    } catch (error) {
      if (error instanceof DomainError) return fail(error.code, error.message, error.field);
      options.onInternalError?.(name, error);
      return fail(
        'INTERNAL',
        "Erreur interne : l'opération n'a pas été enregistrée. Réessayez ou prévenez l'administrateur.",
      );
    }
  };
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
