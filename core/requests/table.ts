import type { FamilyRequestsTable } from '../db/schema.ts';

/** The table itself is core/db/schema.ts `FamilyRequestsTable` (migrations/0008). */
export type { FamilyRequestsTable };
export type RequestKind = FamilyRequestsTable['kind'];
export type RequestState = FamilyRequestsTable['state'];

export const REQUEST_KINDS = [
  'cancellation',
  'pickup',
  'document',
  'other',
] as const satisfies readonly RequestKind[];

export const REQUEST_STATES = ['pending', 'accepted', 'refused'] as const satisfies readonly RequestState[];
