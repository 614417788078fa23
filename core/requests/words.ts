import type { Activity } from '../activities/config.ts';
import { formatShortDate } from '../billing/format.ts';
import type { Selection } from '../bookings/selection.ts';
import { timeOfDay, type TownTimeZone } from '../calendar/time-zones.ts';
import { townDate } from '../time.ts';
import type { CancellationDetails, DocumentDetails, PickupDetails } from './schemas.ts';
import type { RequestKind, RequestState } from './table.ts';

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

/** « 14/09/2026 à 18:05 », on the town's clock, from an ISO instant. */
export function frDateTime(instant: string, zone: TownTimeZone): string {
  const at = new Date(instant);
  return `${formatShortDate(townDate(at, zone))} à ${timeOfDay(at, zone)}`;
}

/** A short reference the family and the agent can read to each other on the phone. */
export const referenceOf = (requestId: string) => requestId.replace(/-/g, '').slice(-6).toUpperCase();

export function describeSelection(s: Selection): string {
  switch (s.kind) {
    case 'days':
      return [...new Set(s.dates)].sort().map(formatShortDate).join(', ');
    case 'period':
      return `du ${formatShortDate(s.from)} au ${formatShortDate(s.to)} (${s.weekdays.map((d) => WEEKDAYS[d - 1]).join(', ')})`;
    case 'week':
      return `semaine du ${formatShortDate(s.weekStart)}`;
    case 'month':
      return `mois ${s.month.slice(5, 7)}/${s.month.slice(0, 4)}`;
  }
}
const WEEKDAYS = ['lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi', 'dimanche'];

/** « Accueil périscolaire (soir), Groupe scolaire Jean Jaurès » — or the ids, should the activity be gone. */
export function describeService(d: CancellationDetails, activity: Activity | undefined): string {
  if (!activity) return 'activité inconnue';
  const units = d.unitCodes.map((c) => activity.units.find((u) => u.code === c)?.label ?? c).join(', ');
  const site = activity.sites.find((s) => s.id === d.siteId)?.name;
  return `${activity.name} (${units.toLowerCase()})${site ? `, ${site}` : ''}`;
}

export const describePickup = (p: PickupDetails) =>
  [`${p.firstName} ${p.lastName}`, p.relationship && `(${p.relationship})`, p.phone && `— ${p.phone}`]
    .filter(Boolean)
    .join(' ');

export const describeDocument = (d: DocumentDetails) => `${d.fileName} (${d.fileType})`;
