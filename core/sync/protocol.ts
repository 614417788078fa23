import { z } from 'zod';

/** Bodies exchanged with the central server; both sides parse with these schemas. */
export const MAX_PUSH_COMMANDS = 1000;
export const MAX_PUSH_BYTES = 4 * 1024 * 1024;

export const pushedCommandSchema = z.object({
  seq: z.int().min(1),
  id: z.string().min(1).max(64),
  name: z.string().min(1).max(80),
  input: z.unknown(),
  agentId: z.string().min(1).max(64),
  /** The counter's own device id, which its local records (cash sessions, series) are kept under. */
  deviceId: z.string().min(1).max(64).optional(),
  at: z.iso.datetime({ offset: true }),
});
export type PushedCommand = z.infer<typeof pushedCommandSchema>;

export const pushBodySchema = z.object({
  deviceId: z.string().min(1).max(64),
  schemaVersion: z.int().min(0),
  appVersion: z.string().min(1).max(40),
  /** The device's clock when it sent the push, to tell it when it drifts. */
  sentAt: z.iso.datetime({ offset: true }).optional(),
  commands: z.array(pushedCommandSchema).max(MAX_PUSH_COMMANDS),
});
export type PushBody = z.infer<typeof pushBodySchema>;

export type CommandResult =
  | {
      seq: number;
      id: string;
      status: 'applied';
      /**
       * Parts of the command the server refused while applying the rest (days of a booking), in the shape its
       * declaration gives them (`partial`, core/api/operation.ts), which reads them back.
       */
      refused?: unknown[];
      /**
       * Applied, but something for the régisseur to look at: a payment put to the family's credit, a fact the rules
       * changed meanwhile would no longer accept, an override whose régisseur could not be proven…
       */
      note?: string;
      /** What the note is about (AS_CREDIT, MODE_REFUSED, OVERRIDE_UNPROVEN…: core/sync/words.ts). */
      code?: string;
      replay?: true;
    }
  | { seq: number; id: string; status: 'rejected'; code: string; message: string; replay?: true }
  /** A fact the rules would refuse: kept on the server as it happened, for the régie to settle. */
  | { seq: number; id: string; status: 'held'; code: string; message: string; replay?: true };

export interface PushResponse {
  lastAckedSeq: number;
  results: CommandResult[];
  /** Set when the batch stopped at a command whose predecessor the server has not received. */
  gapAt: number | null;
  clock: { serverTime: string; driftMs: number; warning: string | null };
}

export interface RowChange {
  table: string;
  key: unknown[];
  /** The row as the server holds it now; null when it was deleted. */
  row: Record<string, unknown> | null;
}

export interface PullResponse {
  serverVersion: number;
  hasMore: boolean;
  lastAckedSeq: number;
  results: CommandResult[];
  changes: RowChange[];
  revoked: boolean;
}

export interface SyncErrorBody {
  error: { code: string; message: string };
}

/**
 * The server's 409 when a device's numbers already hold other commands of it: its store went back in time (restored
 * from a backup). It says the device's last number and what it holds from the first number in conflict.
 */
export interface SeqConflictBody extends SyncErrorBody {
  lastSeq: number;
  received: { seq: number; id: string }[];
}
