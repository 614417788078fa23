import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';

import type { RequestKind, RequestState } from '../../shared/requests.ts';

// The kinds and states are the screens' too, with their words (shared/requests.ts).
export { REQUEST_KINDS, REQUEST_STATES, type RequestKind, type RequestState } from '../../shared/requests.ts';

/** migrations/0008_requests.ts, as kysely sees it. */
export interface FamilyRequestsTable {
  id: string;
  household_id: string;
  child_id: string | null;
  kind: RequestKind;
  /** JSON object; its shape depends on the kind (schemas.ts). */
  details: string;
  message: string;
  received_at: string;
  state: RequestState;
  reply: string;
  answered_by: string | null;
  answered_by_name: string | null;
  answered_at: string | null;
}

export type RequestsDatabase = Database & { family_requests: FamilyRequestsTable };

/**
 * The core's handles see the requests table too. Kept here rather than in the shared schema file so the module
 * stays in one folder; the server's store (SQLite or PostgreSQL) gets the same table from the same migration.
 */
export const withRequests = (db: Kysely<Database>): Kysely<RequestsDatabase> =>
  db as unknown as Kysely<RequestsDatabase>;
export const trxWithRequests = (trx: Transaction<Database>): Transaction<RequestsDatabase> =>
  trx as unknown as Transaction<RequestsDatabase>;
