import type { Kysely, Transaction } from 'kysely';
import type { z } from 'zod';
import type { Permission } from '../auth/roles.ts';
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

/**
 * Who may run an operation: the permission the signed-in agent's role must grant (core/auth/roles.ts), or 'public'
 * for what answers before sign-in too (the login screen's own operations).
 */
export type Access = Permission | 'public';

/**
 * What sync does with a command made at a counter (RULES.md « Time, facts and calendars »):
 * - 'fact': it happened there (money received, paper printed, a till opened): the central server records it whatever
 *   its rules now say (core/api/facts.ts), at the time it happened;
 * - 'request': the server judges it again, by its own rules and its own clock, and may refuse it, or part of it;
 * - 'local': it never leaves the PC (accounts, the town's set-up, sync's own bookkeeping); the central server runs
 *   such commands only for its own administration.
 */
export type SyncKind = 'local' | 'fact' | 'request';

/** What every operation declares, whatever its kind. */
interface Declared<S extends z.ZodType> {
  input: S;
  /** Checked before the input is even read (core/auth/authorize.ts). */
  permission: Access;
  /** In French, as the agent names it: the « À régulariser » list, the shell's refusals. */
  label: string;
}

/**
 * A request the central server may apply in part — a booking plan whose days it takes but some: the declaration says
 * which parts a run refused (the server sends them back with the command's result), what a part looks like once it
 * has travelled (`part`, read back with it), whether the counter had done such a part itself (only then is there
 * something to settle: it told the family so) and how the « À régulariser » list words the parts it had.
 */
export interface PartialRefusal<P, R, Part extends { code: string }> {
  part: z.ZodType<Part>;
  refused(output: R): Part[];
  /** Asked on the counter, of its own state before the server's rows replace it. */
  hadLocally(db: Kysely<Database>, input: P, part: Part): Promise<boolean>;
  message(parts: Part[]): string;
}

/**
 * A command: validated, prepared, run in one transaction with its row in the command log, which sync pushes unless
 * it is 'local'. `P` is what `prepare` fixes before the command is logged (new ids, the number printed): the logged
 * input, which every replay parses again and prepares again (a prepared input prepares to itself).
 */
export interface CommandDef<
  S extends z.ZodType,
  P,
  R,
  Part extends { code: string } = { code: string },
> extends Declared<S> {
  kind: 'command';
  sync: SyncKind;
  /**
   * Fills in what must be fixed before the command is logged (new entity ids), so that replaying the logged
   * input elsewhere (the central server) creates the same rows.
   */
  prepare?: (input: z.output<S>, ctx: CommandContext) => P | Promise<P>;
  /** What the command log keeps of the input, when it must not keep all of it (a password). */
  logInput?: (input: P) => unknown;
  run: (ctx: CommandContext, input: P) => Promise<R>;
  /** Only for a 'request' the server may apply in part. */
  partial?: PartialRefusal<NoInfer<P>, NoInfer<R>, Part>;
  /**
   * Run by the shell alone, after checks the window cannot make (the central server's answer to a credential):
   * refused when the window asks (electron/sync-runner.ts).
   */
  shellOnly?: true;
}

export interface QueryDef<S extends z.ZodType, R> extends Declared<S> {
  kind: 'query';
  run: (ctx: QueryContext, input: z.output<S>) => Promise<R>;
}

/**
 * An operation the shell answers (printing, the link to the central server): declared here so that the window calls
 * it through the same typed contract and the core says who may and what the input is (`admit`, core/api/dispatch.ts);
 * the core's dispatcher never runs it. `R` is what the shell answers.
 */
export interface ShellDef<S extends z.ZodType, R> extends Declared<S> {
  kind: 'shell';
  /** Type only: what the shell answers. */
  answer?: R;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the registry holds operations of every shape
export type AnyCommand = CommandDef<any, any, any, any>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the registry holds operations of every shape
export type AnyOperation = AnyCommand | QueryDef<any, any> | ShellDef<any, any>;

type CommandSpec<S extends z.ZodType, P, R, Part extends { code: string }> = Omit<
  CommandDef<S, P, R, Part>,
  'kind'
>;

/** Declares a command; its permission, sync kind and label are required, so that none can be forgotten. */
export const command = <
  S extends z.ZodType,
  R,
  P = z.output<S>,
  Part extends { code: string } = { code: string },
>(
  def: CommandSpec<S, P, R, Part>,
): CommandDef<S, P, R, Part> => ({ kind: 'command', ...def });

export const query = <S extends z.ZodType, R>(def: Omit<QueryDef<S, R>, 'kind'>): QueryDef<S, R> => ({
  kind: 'query',
  ...def,
});

/** `shell<Answer>()({ input, permission, label })`: the answer's type is named, the rest inferred. */
export const shell =
  <R>() =>
  <S extends z.ZodType>(def: Omit<ShellDef<S, R>, 'kind' | 'answer'>): ShellDef<S, R> => ({
    kind: 'shell',
    ...def,
  });

/** A fact or a request: what a counter pushes to the central server. */
export const isPushed = (op: AnyOperation | undefined): op is AnyCommand =>
  op?.kind === 'command' && op.sync !== 'local';

export const isFact = (op: AnyOperation | undefined): op is AnyCommand =>
  op?.kind === 'command' && op.sync === 'fact';

/** The declaration of `name`, or undefined: inherited keys (`constructor`) are no operations. */
export const lookUp = (
  operations: Readonly<Record<string, AnyOperation>>,
  name: string,
): AnyOperation | undefined => (Object.hasOwn(operations, name) ? operations[name] : undefined);
