/* The families' requests (portal or counter): their kinds and states, and the words for them. */

export const REQUEST_KINDS = ['cancellation', 'pickup', 'document', 'other'] as const;
export type RequestKind = (typeof REQUEST_KINDS)[number];

export const REQUEST_STATES = ['pending', 'accepted', 'refused'] as const;
export type RequestState = (typeof REQUEST_STATES)[number];

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

/** A short reference the family and the agent can read to each other on the phone. */
export const referenceOf = (requestId: string): string => requestId.replace(/-/g, '').slice(-6).toUpperCase();
