import { TZDate } from '@date-fns/tz';
import type * as DateFnsFormat from 'date-fns/format';
import type * as DateFnsFr from 'date-fns/locale/fr';
import { weekdayName } from '../../shared/dates.ts';
import type { DeadlineRule } from './deadlines.ts';
import { toInstant } from './local-date.ts';
import type { Instant } from './local-date.ts';
import type { TownTimeZone } from './time-zones.ts';
import { commonjs } from '../commonjs.ts';

const { format } = commonjs.require('date-fns/format') as typeof DateFnsFormat;
const { fr } = commonjs.require('date-fns/locale/fr') as typeof DateFnsFr;

/** '08:30' → '8 h 30', the way French typography writes a time. */
function frenchTime(time = '23:59'): string {
  const [hours, minutes] = time.split(':');
  return `${Number(hours)} h ${minutes}`;
}

/** « le lundi et le mardi », « le lundi, le mardi et le jeudi » */
function frenchList(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} et ${items.at(-1)}`;
}

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

function describeWeekdayRule(rule: Extract<DeadlineRule, { kind: 'weekdayOfPreviousWeek' }>): string {
  const groups = new Map<string, { weekday: number; weeksBefore: number; services: number[] }>();
  for (const [service, target] of Object.entries(rule.byWeekday)) {
    if (!target) continue;
    const key = `${target.weekday}:${target.weeksBefore}`;
    const group = groups.get(key) ?? { ...target, services: [] };
    group.services.push(Number(service));
    groups.set(key, group);
  }
  const at = `à ${frenchTime(rule.time)}`;
  const phrases = [...groups.values()]
    .sort((a, b) => Math.min(...a.services) - Math.min(...b.services))
    .map(({ weekday, weeksBefore, services }) => {
      const day = weekdayName(weekday);
      // "Le jeudi précédent" only reads right when that Thursday is the nearest one before every service day.
      let when: string;
      if (weeksBefore === 0) when = `le ${day} de la même semaine`;
      else if (weeksBefore === 1 && services.every((s) => s <= weekday)) when = `le ${day} précédent`;
      else if (weeksBefore === 1) when = `le ${day} de la semaine précédente`;
      else when = `le ${day}, ${weeksBefore} semaines avant`;
      return { services, text: `${when} ${at}` };
    });
  if (phrases.length === 1) return phrases[0]?.text ?? '';
  return phrases
    .map(({ services, text }) => `pour ${frenchList(services.map((s) => `le ${weekdayName(s)}`))} : ${text}`)
    .join(' ; ');
}

/** The rule as a family reads it on the portal or hears it at the counter. */
export function describeDeadline(rule: DeadlineRule): string {
  switch (rule.kind) {
    case 'weekdayOfPreviousWeek':
      return describeWeekdayRule(rule);
    case 'hoursBefore':
      return rule.workingHoursOnly
        ? `${rule.hours} h ouvrées avant le jour (week-ends et jours fériés non comptés)`
        : `${rule.hours} h avant le jour`;
    case 'workingDaysBefore':
      return `${plural(rule.days, 'jour ouvré', 'jours ouvrés')} avant le jour, à ${frenchTime(rule.time)}`;
    case 'beforePeriodStart': {
      const period = rule.period === 'month' ? 'du mois' : 'de la semaine';
      const workingDays = rule.workingDays ?? 0;
      return workingDays > 0
        ? `${plural(workingDays, 'jour ouvré', 'jours ouvrés')} avant le début ${period}, à ${frenchTime(rule.time)}`
        : `la veille du début ${period}, à ${frenchTime(rule.time)}`;
    }
    case 'none':
      return 'sans date limite';
  }
}

/** « jeudi 3 décembre 2026 à 23 h 59 », « mardi 1er décembre 2026 à 0 h 00 », on the town's wall clock. */
export function formatDeadline(deadline: Instant, zone: TownTimeZone): string {
  // date-fns' getters and format read a TZDate on its own zone's clock, not on the machine's.
  const local = new TZDate(toInstant(deadline), zone);
  const day = local.getDate() === 1 ? '1er' : String(local.getDate());
  return `${format(local, 'EEEE', { locale: fr })} ${day} ${format(local, "MMMM yyyy 'à' H 'h' mm", { locale: fr })}`;
}

/** The refusal a family sees past the deadline: « Réservation close depuis le jeudi 3 décembre 2026 à 23 h 59 ». */
export function closedMessage(
  deadline: Instant,
  zone: TownTimeZone,
  action: 'book' | 'cancel' = 'book',
): string {
  const what = action === 'book' ? 'Réservation close' : 'Annulation impossible';
  return `${what} depuis le ${formatDeadline(deadline, zone)}`;
}
