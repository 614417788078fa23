import type { FamilyRequestsTable } from '../db/schema.ts';

/** The table itself is core/db/schema.ts `FamilyRequestsTable` (migrations/0008). */
export type { FamilyRequestsTable };

// The kinds and states are the screens' too, with their words (shared/requests.ts).
export { REQUEST_KINDS, REQUEST_STATES, type RequestKind, type RequestState } from '../../shared/requests.ts';
