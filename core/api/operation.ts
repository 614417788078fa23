import type { Kysely, Transaction } from 'kysely';
import type { z } from 'zod';
import type { Session } from '../auth/session.ts';
import type { BackupFile } from '../backup/backup.ts';
import type { Database } from '../db/schema.ts';

/** Who acts and from where: recorded with every command. A placeholder agent until staff accounts exist. */
export interface Actor {
  agentId: string;
  agentName: string;
  deviceId: string;
}

/** The signed-in agent of this app, and the scrypt cost new passwords get (lowered in tests). */
export interface SessionHandle extends Session {
  scryptLogN: number;
}

export interface Backups {
  dir: string;
  take(reason: string): Promise<BackupFile>;
}

export interface QueryContext {
  db: Kysely<Database>;
  actor: Actor;
  now: Date;
  session: SessionHandle;
  /** This store's backups; null for a store without a backup folder (tests in memory). */
  backups: Backups | null;
}

export interface CommandContext extends QueryContext {
  db: Transaction<Database>;
  newId: () => string;
  /**
   * Set when a logged command runs again elsewhere: on the central server, or on the counter rebuilding its state
   * after a pull. What was checked where the command was made (a régisseur's password) is then taken as logged.
   */
  replay?: boolean;
  /**
   * Set when a fact runs again (see core/api/execute.ts): the rules of the moment it no longer meets are noted here
   * for the régisseur instead of refusing it (core/api/facts.ts).
   */
  remarks?: Remark[];
  /** The central server's registry of régisseurs' override keys; absent on a counter, which cannot judge proofs. */
  overrideKeys?: OverrideKeys;
}

/** What a replayed fact's rules of the moment object to: recorded all the same, shown to the régisseur. */
export interface Remark {
  code: string;
  /** In French, for the « À régulariser » list. */
  message: string;
}

/**
 * The key a régisseur registered centrally (derived from their password, core/payments/override-proof.ts), by
 * username; null for a username nobody registered.
 */
export type OverrideKeys = (username: string) => Promise<{ key: Buffer; displayName: string } | null>;

export interface CommandDef<S extends z.ZodType, R> {
  kind: 'command';
  input: S;
  /**
   * Fills in what must be fixed before the command is logged (new entity ids), so that replaying the logged
   * input elsewhere (the central server) creates the same rows.
   */
  prepare?: (input: z.output<S>, ctx: CommandContext) => z.output<S> | Promise<z.output<S>>;
  /** What the command log keeps of the input, when it must not keep all of it (a password). */
  logInput?: (input: z.output<S>) => unknown;
  run: (ctx: CommandContext, input: z.output<S>) => Promise<R>;
}

export interface QueryDef<S extends z.ZodType, R> {
  kind: 'query';
  input: S;
  run: (ctx: QueryContext, input: z.output<S>) => Promise<R>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the registry holds operations of every shape
export type AnyOperation = CommandDef<any, any> | QueryDef<any, any>;

export const command = <S extends z.ZodType, R>(def: Omit<CommandDef<S, R>, 'kind'>): CommandDef<S, R> => ({
  kind: 'command',
  ...def,
});

export const query = <S extends z.ZodType, R>(def: Omit<QueryDef<S, R>, 'kind'>): QueryDef<S, R> => ({
  kind: 'query',
  ...def,
});
