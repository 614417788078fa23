import type { OutputOf } from '../../../core/contract.ts';
import { dateTimeFr } from '../dates.ts';

export type RequestSummary = OutputOf<'request.inbox'>['requests'][number];
export type RequestKind = RequestSummary['kind'];
export type RequestState = RequestSummary['state'];

// Keyed by the contract's own unions: a kind or state added to the core without its French word fails the typecheck.

export const KIND_LABELS: Record<RequestKind, string> = {
  cancellation: 'Annulation',
  pickup: 'Personne autorisée',
  document: 'Document',
  other: 'Autre demande',
};

export const STATE_LABELS: Record<RequestState, string> = {
  pending: 'En attente',
  accepted: 'Acceptée',
  refused: 'Refusée',
};

/** « 14/09/2026 à 19:00 », an ISO instant on the town's clock (its zone from the core, not the browser's). */
export const frDateTime = (instant: string, timeZone: string): string => dateTimeFr(instant, timeZone);
