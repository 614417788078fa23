/*
 * Calendar days written the French way, for screens, receipts, invoices and messages alike. A day 'YYYY-MM-DD' is
 * read at noon UTC so that no zone shifts it; an instant is said on the town's clock (wall-clock.ts).
 */

const atNoon = (isoDate: string) => new Date(`${isoDate}T12:00:00Z`);

const longDate = new Intl.DateTimeFormat('fr-FR', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'UTC',
});
const weekdayDate = new Intl.DateTimeFormat('fr-FR', {
  weekday: 'long',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'UTC',
});
const weekdayShort = new Intl.DateTimeFormat('fr-FR', { weekday: 'short', timeZone: 'UTC' });
const monthYear = new Intl.DateTimeFormat('fr-FR', { month: 'long', year: 'numeric', timeZone: 'UTC' });
const monthShort = new Intl.DateTimeFormat('fr-FR', { month: 'short', year: 'numeric', timeZone: 'UTC' });

/**
 * « 07/09/2026 ». Anything that is not 'YYYY-MM-DD' comes back unchanged: what is stored is never hidden, and a
 * half-typed value in a field stays as typed.
 */
export function formatShortDate(isoDate: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : isoDate;
}

/** « 25 octobre 2026 » */
export const formatLongDate = (isoDate: string): string => longDate.format(atNoon(isoDate));

/** « lundi 7 décembre 2026 », for what is read out or shown in full. */
export const formatWeekdayDate = (isoDate: string): string => weekdayDate.format(atNoon(isoDate));

/** « lun. 07/12 », for a dense list. */
export const formatWeekdayShort = (isoDate: string): string =>
  `${weekdayShort.format(atNoon(isoDate))} ${isoDate.slice(8, 10)}/${isoDate.slice(5, 7)}`;

/** 'YYYY-MM' → « septembre 2026 ». */
export const formatMonth = (month: string): string => monthYear.format(atNoon(`${month}-01`));

/** 'YYYY-MM' → « 09/2026 »; anything else comes back unchanged. */
export function formatShortMonth(month: string): string {
  const m = /^(\d{4})-(\d{2})$/.exec(month);
  return m ? `${m[2]}/${m[1]}` : month;
}

/** « le 7 sept. 2026 », « les 1, 3, 4 et 7 sept. 2026 ; le 2 oct. 2026 »: the days of each month, then the month once. */
export function formatDates(dates: readonly string[]): string {
  const byMonth = new Map<string, number[]>();
  for (const d of [...dates].sort()) {
    const days = byMonth.get(d.slice(0, 7)) ?? [];
    days.push(Number(d.slice(8, 10)));
    byMonth.set(d.slice(0, 7), days);
  }
  return [...byMonth.entries()]
    .map(([month, days]) => {
      const list = days.length > 1 ? `${days.slice(0, -1).join(', ')} et ${days.at(-1)}` : String(days[0]);
      return `${days.length > 1 ? 'les' : 'le'} ${list} ${monthShort.format(atNoon(`${month}-01`))}`;
    })
    .join(' ; ');
}

export const WEEKDAY_NAMES = [
  'lundi',
  'mardi',
  'mercredi',
  'jeudi',
  'vendredi',
  'samedi',
  'dimanche',
] as const;

/** 1 → « lundi » … 7 → « dimanche ». */
export const weekdayName = (weekday: number): string => WEEKDAY_NAMES[weekday - 1] ?? String(weekday);
