/**
 * Agents read and type dates the French way (jj/mm/aaaa, mm/aaaa); the contract speaks ISO (YYYY-MM-DD, YYYY-MM).
 * Typing is forgiving: « 3/9/2020 », « 03.09.2020 », « 03-09-2020 » and « 03092020 » all mean 3 September 2020.
 */

const pad = (n: number) => String(n).padStart(2, '0');

function isCalendarDate(year: number, month: number, day: number): boolean {
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

/** 'YYYY-MM-DD' → 'dd/MM/yyyy'; anything else is returned unchanged, so nothing stored is hidden. */
export function isoDateToFr(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : iso;
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

/** 'YYYY-MM' → 'MM/yyyy'. */
export function isoMonthToFr(iso: string): string {
  const m = /^(\d{4})-(\d{2})$/.exec(iso);
  return m ? `${m[2]}/${m[1]}` : iso;
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

/*
 * Calendar days as the contract speaks them ('YYYY-MM-DD'), counted on plain day numbers: a service day is a day
 * on the town hall's wall, never an instant, so no machine time zone may shift it.
 */

const DAY_MS = 86_400_000;
const dayNumber = (iso: string) =>
  Date.UTC(+iso.slice(0, 4), +iso.slice(5, 7) - 1, +iso.slice(8, 10)) / DAY_MS;
const fromDayNumber = (n: number) => new Date(n * DAY_MS).toISOString().slice(0, 10);

// One formatter per zone: building an Intl.DateTimeFormat costs far more than using it.
const wallClocks = new Map<string, Intl.DateTimeFormat>();

/**
 * An instant as the town's clocks showed it: its day 'YYYY-MM-DD' and its time 'HH:MM', in the town's zone (from
 * the core's `system.clock`), never in the browser's. « Today » itself comes from the core: see town-clock.ts.
 */
export function wallClock(instant: string | Date, timeZone: string): { date: string; time: string } {
  let format = wallClocks.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('fr-FR', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    wallClocks.set(timeZone, format);
  }
  const parts = format.formatToParts(typeof instant === 'string' ? new Date(instant) : instant);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return {
    date: `${part('year')}-${part('month')}-${part('day')}`,
    time: `${part('hour')}:${part('minute')}`,
  };
}

/** « 23/11/2026 à 20:15 », an instant on the town's clock. */
export function dateTimeFr(instant: string | Date, timeZone: string): string {
  const { date, time } = wallClock(instant, timeZone);
  return `${isoDateToFr(date)} à ${time}`;
}

export const addDays = (iso: string, days: number): string => fromDayNumber(dayNumber(iso) + days);

/** 1 = Monday … 7 = Sunday. */
export const isoWeekday = (iso: string): number => ((((dayNumber(iso) + 3) % 7) + 7) % 7) + 1;

/** The Monday of the week of `iso`. */
export const mondayOf = (iso: string): string => addDays(iso, 1 - isoWeekday(iso));

const longDay = new Intl.DateTimeFormat('fr-FR', {
  timeZone: 'UTC',
  weekday: 'long',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
});
const shortDay = new Intl.DateTimeFormat('fr-FR', { timeZone: 'UTC', weekday: 'short' });
const monthName = new Intl.DateTimeFormat('fr-FR', { timeZone: 'UTC', month: 'long', year: 'numeric' });
const atNoon = (iso: string) => new Date(`${iso}T12:00:00Z`);

/** « lundi 7 décembre 2026 », for what is read out or shown in full. */
export const longDateFr = (iso: string): string => longDay.format(atNoon(iso));

/** « lun. 07/12 », for a dense list. */
export const shortDateFr = (iso: string): string =>
  `${shortDay.format(atNoon(iso))} ${iso.slice(8, 10)}/${iso.slice(5, 7)}`;

/** 'YYYY-MM' → « décembre 2026 ». */
export const monthNameFr = (month: string): string => monthName.format(atNoon(`${month}-01`));

/** The school year a day belongs to, « 2026-2027 » (from 1 September). */
export function schoolYearOfIso(iso: string): string {
  const year = +iso.slice(0, 4);
  return +iso.slice(5, 7) >= 9 ? `${year}-${year + 1}` : `${year - 1}-${year}`;
}
