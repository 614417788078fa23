import type { OutputOf } from '../../../core/contract.ts';
import type { Envelope } from '../../../core/api/envelope.ts';

export type Status = OutputOf<'sync.status'>;
export type Rejection = OutputOf<'sync.rejections'>[number];

/** A counter connected and in step with the server. */
export const ONLINE: Status = {
  connected: true,
  online: true,
  offlineSince: null,
  lastSyncAt: '2026-09-14T12:35:00Z',
  pending: 0,
  lastError: null,
  clockWarning: null,
  blocked: null,
  toSettle: 0,
  serverVersion: 40,
};

export const FULL_EVENING: Rejection = {
  commandId: 'cmd-1',
  name: 'booking.book',
  status: 'refused_days',
  code: 'FULL',
  message: 'Refusé par le serveur : 15/09/2026 (complet).',
  suggestion: 'Complet : proposer un autre jour ou un autre site à la famille, et la prévenir.',
  summary: 'Réservation — Noé Lefèvre — Accueil périscolaire — 15/09/2026',
  madeAt: '2026-09-14T08:05:00Z',
  agentId: 'a1',
  agentName: 'Camille Durand',
  receivedAt: '2026-09-14T08:40:00Z',
  acknowledgedBy: null,
  acknowledgedByName: null,
  acknowledgedAt: null,
};

export const LATE_CANCEL: Rejection = {
  ...FULL_EVENING,
  commandId: 'cmd-2',
  name: 'booking.cancel',
  status: 'rejected',
  code: 'DEADLINE_PASSED',
  message: 'Annulation hors délai à l’heure du serveur.',
  suggestion:
    'Hors délai à l’heure du serveur : ressaisir avec un motif de dérogation si le service l’accepte.',
  summary: 'Annulation — Zoé Lefèvre — Restauration scolaire — 17/09/2026',
};

/** The shell's sync operations are outside the registry's names: the fakes take them by plain name. */
export const shellHandlers = (handlers: Record<string, (input: unknown) => Envelope<unknown>>) =>
  handlers as object;
