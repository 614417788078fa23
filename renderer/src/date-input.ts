/**
 * Agents type dates the French way (jj/mm/aaaa, mm/aaaa); the contract speaks ISO (YYYY-MM-DD, YYYY-MM). Typing is
 * forgiving: « 3/9/2020 », « 03.09.2020 », « 03-09-2020 » and « 03092020 » all mean 3 September 2020. Showing a day
 * is shared with the core (shared/dates.ts: `formatShortDate` gives back what these read).
 */

const pad = (n: number) => String(n).padStart(2, '0');

function isCalendarDate(year: number, month: number, day: number): boolean {
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

/** What the agent typed → 'YYYY-MM-DD', or null when it is not a real date with a four-digit year. */
export function frDateToIso(text: string): string | null {
  const t = text.trim();
  const m = /^(\d{1,2})[/.\-\s](\d{1,2})[/.\-\s](\d{4})$/.exec(t) ?? /^(\d{2})(\d{2})(\d{4})$/.exec(t);
  if (!m) return null;
  const [day, month, year] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (!isCalendarDate(year, month, day)) return null;
  return `${year}-${pad(month)}-${pad(day)}`;
}

/** 'MM/yyyy' (or « 1/2026 », « 01.2026 », « 012026 ») → 'YYYY-MM', or null. */
export function frMonthToIso(text: string): string | null {
  const t = text.trim();
  const m = /^(\d{1,2})[/.\-\s](\d{4})$/.exec(t) ?? /^(\d{2})(\d{4})$/.exec(t);
  if (!m) return null;
  const [month, year] = [Number(m[1]), Number(m[2])];
  if (month < 1 || month > 12) return null;
  return `${year}-${pad(month)}`;
}
