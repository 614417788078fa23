import type { Activity } from '../activities/config.ts';
import { formatShortDate, formatShortMonth, weekdayName } from '../../shared/dates.ts';
import type { Selection } from '../bookings/selection.ts';
import type { CancellationDetails, DocumentDetails, PickupDetails } from './schemas.ts';

// The kinds' and states' words and the short reference are the screens' too (shared/requests.ts).
export { KIND_LABELS, referenceOf, STATE_LABELS } from '../../shared/requests.ts';

export function describeSelection(s: Selection): string {
  switch (s.kind) {
    case 'days':
      return [...new Set(s.dates)].sort().map(formatShortDate).join(', ');
    case 'period':
      return `du ${formatShortDate(s.from)} au ${formatShortDate(s.to)} (${s.weekdays.map(weekdayName).join(', ')})`;
    case 'week':
      return `semaine du ${formatShortDate(s.weekStart)}`;
    case 'month':
      return `mois ${formatShortMonth(s.month)}`;
  }
}

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
