import { formatShortDate } from './dates.ts';

/*
 * Instants as the town's clocks show them. The zone is the town's (its `town.timeZone` setting, which the core
 * reads and the screens get from `system.clock`), never the zone of the machine running the code.
 */

// One formatter per zone: building an Intl.DateTimeFormat costs far more than using it.
const clocks = new Map<string, Intl.DateTimeFormat>();

function clockOf(timeZone: string): Intl.DateTimeFormat {
  let clock = clocks.get(timeZone);
  if (!clock) {
    clock = new Intl.DateTimeFormat('fr-FR', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    clocks.set(timeZone, clock);
  }
  return clock;
}

// The last instant read per zone: formatting costs ~20 µs, and the commands of a push all ask for the same « now ».
const lastRead = new Map<string, { ms: number; date: string; time: string }>();

/** The town's day 'YYYY-MM-DD' and time 'HH:MM' at `instant` (a Date, or an ISO string with its offset). */
export function wallClock(instant: string | Date, timeZone: string): { date: string; time: string } {
  const at = typeof instant === 'string' ? new Date(instant) : instant;
  const ms = at.getTime();
  const last = lastRead.get(timeZone);
  if (last && last.ms === ms) return { date: last.date, time: last.time };
  const parts = clockOf(timeZone).formatToParts(at);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  const read = {
    date: `${part('year')}-${part('month')}-${part('day')}`,
    time: `${part('hour')}:${part('minute')}`,
  };
  lastRead.set(timeZone, { ms, ...read });
  return read;
}

/** « 18:05 », what the town's clocks showed at `instant`. */
export const timeOfDay = (instant: string | Date, timeZone: string): string =>
  wallClock(instant, timeZone).time;

/** « 23/11/2026 à 20:15 », an instant on the town's clock. */
export function formatDateTime(instant: string | Date, timeZone: string): string {
  const { date, time } = wallClock(instant, timeZone);
  return `${formatShortDate(date)} à ${time}`;
}

/** « 23/11/2026 20:15 », for a dense column of a table. */
export function formatDateTimeCompact(instant: string | Date, timeZone: string): string {
  const { date, time } = wallClock(instant, timeZone);
  return `${formatShortDate(date)} ${time}`;
}
