import { wallClock } from '../../../shared/wall-clock.ts';

/** How the sync screens say times and counts: « 14 h 32 », « le 12/09 à 14 h 32 », « 3 opérations ». */

/** An instant on the town's clock (the zone the core gives, not the browser's). */
const parts = (iso: string, timeZone: string) => {
  const { date, time } = wallClock(iso, timeZone);
  return {
    day: `${date.slice(8, 10)}/${date.slice(5, 7)}`,
    year: date.slice(0, 4),
    time: `${time.slice(0, 2)} h ${time.slice(3, 5)}`,
  };
};

/** « 14 h 32 » today (in the town's time), « le 12/09 à 14 h 32 » another day. */
export function sinceWords(iso: string, now: Date, timeZone: string): string {
  const at = parts(iso, timeZone);
  const today = parts(now.toISOString(), timeZone);
  if (at.day === today.day && at.year === today.year) return at.time;
  return `le ${at.day}${at.year === today.year ? '' : `/${at.year}`} à ${at.time}`;
}

/** « le 12/09/2026 à 14 h 32 », in the town's time. */
export function atWords(iso: string, timeZone: string): string {
  const at = parts(iso, timeZone);
  return `le ${at.day}/${at.year} à ${at.time}`;
}

export const plural = (n: number, one: string, many: string): string =>
  `${n.toLocaleString('fr-FR')} ${n > 1 ? many : one}`;
