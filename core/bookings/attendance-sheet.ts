import type { Kysely } from 'kysely';
import { DomainError } from '../api/envelope.ts';
import type { LocalDate } from '../calendar/local-date.ts';
import { schoolYearOf } from '../calendar/school-calendar.ts';
import type { Database } from '../db/schema.ts';
import { CLASS_LEVELS } from '../family/schemas.ts';
import { sheetHealth, type SheetHealth } from '../health/records.ts';
import type { HealthMarks } from '../../shared/health.ts';

export interface SheetChild {
  childId: string;
  firstName: string;
  lastName: string;
  classLevel: string;
  householdName: string;
  /** The child's group in the activity (its enrolment's), or null. */
  groupName: string | null;
  attendance: 'present' | 'absent_justified' | 'absent_unjustified' | null;
  late: boolean;
  unbooked: boolean;
  /** What staff must see of the child's fiche sanitaire: marks, not details (core/health/operations.ts). */
  health: HealthMarks | null;
}

export interface Sheet {
  unitLabel: string;
  places: number | null;
  counts: { booked: number; present: number; absent: number; unmarked: number };
  children: SheetChild[];
}

/** Class levels in school order (PS before CP before CM2), not alphabetical; an unknown one last. */
const classRank = (level: string): number => {
  const i = (CLASS_LEVELS as readonly string[]).indexOf(level);
  return i <= 0 ? CLASS_LEVELS.length : i;
};

const collator = new Intl.Collator('fr', { sensitivity: 'base' });

/**
 * The order staff call the children in: by group (the activity's, as enrolled; children without one after), by
 * class in school order, then by name.
 */
export function bySheetOrder(a: SheetChild, b: SheetChild): number {
  if (a.groupName !== b.groupName) {
    if (a.groupName === null) return 1;
    if (b.groupName === null) return -1;
    return collator.compare(a.groupName, b.groupName);
  }
  return (
    classRank(a.classLevel) - classRank(b.classLevel) ||
    collator.compare(a.lastName, b.lastName) ||
    collator.compare(a.firstName, b.firstName)
  );
}

export interface SheetRequest {
  activityId: string;
  siteId: string;
  unitCode: string;
  date: LocalDate;
}

/** A day's list for ALSH staff: every child booked (or present without booking) at a site for one unit. */
export async function attendanceSheet(db: Kysely<Database>, req: SheetRequest): Promise<Sheet> {
  return (await sheetWithHealth(db, req)).sheet;
}

/**
 * The sheet, and each child's fiche as the printed sheet may carry it for a role that may read it: kept apart from
 * the sheet, which any role taking attendance sees.
 */
export async function sheetWithHealth(
  db: Kysely<Database>,
  req: SheetRequest,
): Promise<{ sheet: Sheet; details: Map<string, SheetHealth> }> {
  const unit = await db
    .selectFrom('units')
    .select(['id', 'label'])
    .where('activity_id', '=', req.activityId)
    .where('code', '=', req.unitCode)
    .executeTakeFirst();
  if (!unit) throw new DomainError('NOT_FOUND', 'Unité introuvable pour cette activité.', 'unitCode');
  const [rows, capacity] = await Promise.all([
    db
      .selectFrom('bookings')
      .innerJoin('children', 'children.id', 'bookings.child_id')
      .innerJoin('households', 'households.id', 'bookings.household_id')
      .leftJoin('enrolments', (j) =>
        j
          .onRef('enrolments.child_id', '=', 'bookings.child_id')
          .onRef('enrolments.activity_id', '=', 'bookings.activity_id')
          .on('enrolments.school_year', '=', schoolYearOf(req.date)),
      )
      .leftJoin('groups', 'groups.id', 'enrolments.group_id')
      .select([
        'bookings.child_id as childId',
        'children.first_name as firstName',
        'children.last_name as lastName',
        'children.class_level as classLevel',
        'households.name as householdName',
        'groups.name as groupName',
        'bookings.attendance',
        'bookings.late',
        'bookings.unbooked',
      ])
      .where('bookings.site_id', '=', req.siteId)
      .where('bookings.unit_id', '=', unit.id)
      .where('bookings.date', '=', req.date)
      .where('bookings.state', '=', 'booked')
      .execute(),
    db
      .selectFrom('capacities')
      .select(['places', 'date'])
      .where('site_id', '=', req.siteId)
      .where('unit_id', '=', unit.id)
      .where((eb) => eb.or([eb('date', 'is', null), eb('date', '=', req.date)]))
      .execute(),
  ]);
  const details = await sheetHealth(
    db,
    rows.map((r) => r.childId),
  );
  const places =
    capacity.find((c) => c.date === req.date)?.places ??
    capacity.find((c) => c.date === null)?.places ??
    null;
  const children = rows
    .map((r) => ({
      ...r,
      late: r.late === 1,
      unbooked: r.unbooked === 1,
      health: details.get(r.childId)?.marks ?? null,
    }))
    .sort(bySheetOrder);
  const sheet: Sheet = {
    unitLabel: unit.label,
    places,
    counts: {
      booked: rows.length,
      present: rows.filter((r) => r.attendance === 'present').length,
      absent: rows.filter((r) => r.attendance === 'absent_justified' || r.attendance === 'absent_unjustified')
        .length,
      unmarked: rows.filter((r) => r.attendance === null).length,
    },
    children,
  };
  return { sheet, details };
}
