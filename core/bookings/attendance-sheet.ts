import type { Kysely } from 'kysely';
import { DomainError } from '../api/envelope.ts';
import type { LocalDate } from '../calendar/local-date.ts';
import type { Database } from '../db/schema.ts';

/** A day's list for ALSH staff: every child booked (or present without booking) at a site for one unit. */
export async function attendanceSheet(
  db: Kysely<Database>,
  req: { activityId: string; siteId: string; unitCode: string; date: LocalDate },
) {
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
      .select([
        'bookings.child_id as childId',
        'children.first_name as firstName',
        'children.last_name as lastName',
        'children.class_level as classLevel',
        'households.name as householdName',
        'bookings.attendance',
        'bookings.late',
        'bookings.unbooked',
      ])
      .where('bookings.site_id', '=', req.siteId)
      .where('bookings.unit_id', '=', unit.id)
      .where('bookings.date', '=', req.date)
      .where('bookings.state', '=', 'booked')
      .orderBy('children.last_name')
      .orderBy('children.first_name')
      .execute(),
    db
      .selectFrom('capacities')
      .select(['places', 'date'])
      .where('site_id', '=', req.siteId)
      .where('unit_id', '=', unit.id)
      .where((eb) => eb.or([eb('date', 'is', null), eb('date', '=', req.date)]))
      .execute(),
  ]);
  const places =
    capacity.find((c) => c.date === req.date)?.places ??
    capacity.find((c) => c.date === null)?.places ??
    null;
  return {
    unitLabel: unit.label,
    places,
    counts: {
      booked: rows.length,
      present: rows.filter((r) => r.attendance === 'present').length,
      absent: rows.filter((r) => r.attendance === 'absent_justified' || r.attendance === 'absent_unjustified')
        .length,
      unmarked: rows.filter((r) => r.attendance === null).length,
    },
    children: rows.map((r) => ({ ...r, late: r.late === 1, unbooked: r.unbooked === 1 })),
  };
}
