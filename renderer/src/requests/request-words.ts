import type { OutputOf } from '../../../core/api/contract.ts';

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

const parisDateTime = new Intl.DateTimeFormat('fr-FR', {
  timeZone: 'Europe/Paris',
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});

/** « 14/09/2026 à 19:00 », the counter's (Paris) time of an ISO instant. */
export const frDateTime = (instant: string): string =>
  parisDateTime.format(new Date(instant)).replace(' ', ' à ');
