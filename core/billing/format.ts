/** French wording of dates and amounts for invoices. Dates are ISO calendar days, read at noon UTC so no zone shifts them. */

const euros = new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR' });

/**
 * « 1 234,50 € » with the narrow no-break space French uses between thousands, as core/pricing's `formatEuros`,
 * with the formatter built once: an invoice formats dozens of amounts and PDFs are rendered by the hundred.
 */
export const formatEuros = (cents: number): string => euros.format(cents / 100);

const at = (isoDate: string) => new Date(`${isoDate}T12:00:00Z`);

const longDate = new Intl.DateTimeFormat('fr-FR', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'UTC',
});
const shortDate = new Intl.DateTimeFormat('fr-FR', {
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  timeZone: 'UTC',
});
const monthYear = new Intl.DateTimeFormat('fr-FR', { month: 'long', year: 'numeric', timeZone: 'UTC' });
const weekdayShort = new Intl.DateTimeFormat('fr-FR', { weekday: 'short', day: 'numeric', timeZone: 'UTC' });

/** « 25 octobre 2026 » */
export const formatLongDate = (isoDate: string): string => longDate.format(at(isoDate));

/** « 07/09/2026 » */
export const formatShortDate = (isoDate: string): string => shortDate.format(at(isoDate));

/** « septembre 2026 » */
export const formatMonth = (month: string): string => monthYear.format(at(`${month}-01`));

/** « lun. 7 » */
export const formatDayOfMonth = (isoDate: string): string => weekdayShort.format(at(isoDate));

/** The last calendar day of a month 'YYYY-MM'. */
export function lastDayOf(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const day = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return `${month}-${String(day).padStart(2, '0')}`;
}

/** The month after 'YYYY-MM'. */
export function nextMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

export function addDays(isoDate: string, days: number): string {
  const d = at(isoDate);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

const monthShort = new Intl.DateTimeFormat('fr-FR', { month: 'short', year: 'numeric', timeZone: 'UTC' });

/** « le 7 sept. 2026 », « les 1, 3, 4 et 7 sept. 2026 » — the days of each month, then the month once. */
export function formatDates(dates: readonly string[]): string {
  const byMonth = new Map<string, number[]>();
  for (const d of [...dates].sort()) {
    const m = d.slice(0, 7);
    const days = byMonth.get(m) ?? [];
    days.push(Number(d.slice(8, 10)));
    byMonth.set(m, days);
  }
  return [...byMonth.entries()]
    .map(([m, days]) => {
      const list = days.length > 1 ? `${days.slice(0, -1).join(', ')} et ${days.at(-1)}` : String(days[0]);
      return `${days.length > 1 ? 'les ' : 'le '}${list} ${monthShort.format(at(`${m}-01`))}`;
    })
    .join(' ; ');
}
