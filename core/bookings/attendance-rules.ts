import type { Unit } from '../activities/config.ts';
import type { ErrorCode } from '../api/envelope.ts';
import { formatLongDate } from '../billing/format.ts';
import type { LocalDate } from '../calendar/local-date.ts';
import type { BookingContext } from './context.ts';
import { enrolmentRefusal, type RefusalCode } from './plan.ts';
import { candidateDays } from './selection.ts';

/** What the attendance rules read of a booking context: no price, no QF. */
export type AttendanceContext = Pick<
  BookingContext,
  'activity' | 'child' | 'site' | 'calendar' | 'enrolments'
>;

export interface AttendanceRefusal {
  code: RefusalCode | 'FUTURE_DAY';
  error: ErrorCode;
  field: 'date' | 'childId';
  /** For the agent: what is wrong with this line of the sheet, and what to do instead. */
  message: string;
}

/**
 * Why a presence or an absence may not be noted for this child, unit and day, or null if it may. A mark is what
 * the monthly run bills (a presence without booking, an unjustified absence), so it is held to the rules a booking
 * is held to: a day the activity runs at this site for this unit, by a child enrolled there, and a day that has
 * come in the town.
 */
export function attendanceRefusal(
  ctx: AttendanceContext,
  unit: Unit,
  date: LocalDate,
  today: LocalDate,
): AttendanceRefusal | null {
  const refused = `Pointage impossible le ${formatLongDate(date)}`;
  // The booking rules' own expansion of one asked day: the same reasons, worded as the grid words them.
  const days = candidateDays(
    { kind: 'days', dates: [date] },
    ctx.activity.settings,
    unit.weekdays,
    ctx.calendar,
  );
  const closed = days.skipped[0];
  if (closed) {
    return {
      code: 'CLOSED',
      error: 'VALIDATION',
      field: 'date',
      message: `${refused} : ${closed.reason} (« ${ctx.activity.name} », ${unit.label}, ${ctx.site.name}). Vérifiez le jour choisi.`,
    };
  }
  if (date > today) {
    return {
      code: 'FUTURE_DAY',
      error: 'VALIDATION',
      field: 'date',
      message: `${refused} : ce jour n’est pas encore arrivé. Pointez le jour même ; une absence annoncée s’annule sur la grille de réservation.`,
    };
  }
  const enrolment = enrolmentRefusal(ctx, date);
  if (!enrolment) return null;
  const name = ctx.child.firstName;
  const advice: Record<string, string> = {
    NOT_ENROLLED: `Inscrivez ${name} à l’activité, puis pointez à nouveau.`,
    ENROLMENT_PENDING: `Complétez le dossier de ${name} pour valider l’inscription, puis pointez à nouveau.`,
    OTHER_SITE: `Pointez ${name} sur la feuille de son site d’inscription.`,
    ENROLMENT_ENDED: `L’inscription de ${name} est terminée : elle ne se pointe plus.`,
  };
  const reason = enrolment.code === 'NOT_ENROLLED' ? enrolment.reason : `${name} : ${enrolment.reason}`;
  return {
    code: enrolment.code,
    error: 'CONFLICT',
    field: 'childId',
    message: `${refused} : ${reason}. ${advice[enrolment.code] ?? ''}`.trim(),
  };
}
