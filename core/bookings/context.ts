import type { Kysely, Selectable } from 'kysely';
import { loadActivity, loadOpeningCalendar, type Activity } from '../activities/config.ts';
import { DomainError } from '../api/envelope.ts';
import type { OpeningCalendar } from '../calendar/openings.ts';
import { rows } from '../db/fast-sql.ts';
import type { Database, QfRecordsTable } from '../db/schema.ts';
import { childFileCached, setupCached } from '../db/setup-cache.ts';
import { qfInForce, type QfRecord } from '../family/qf.ts';
import { tariffDataSchema, type TariffData } from '../pricing/tariff.ts';
import { loadEnrolmentSpans, type EnrolmentSpan } from './enrolment-span.ts';

/** Everything the booking rules read about one child and one activity, loaded once per command. */
export interface BookingContext {
  activity: Activity;
  child: { id: string; householdId: string; firstName: string; lastName: string };
  site: { id: string; name: string };
  calendar: OpeningCalendar;
  enrolments: EnrolmentSpan[];
  qfFor(month: string): number | null;
  tariffFor(unitCode: string, date: string): TariffData | null;
}

export async function loadBookingContext(
  db: Kysely<Database>,
  childId: string,
  activityId: string,
  siteId: string,
): Promise<BookingContext> {
  // Fixed texts (core/db/fast-sql.ts) and, under a push's cache, read once per child: every request reads them.
  const [child] = await childFileCached(db, `child:${childId}`, () =>
    rows<{ id: string; household_id: string; first_name: string; last_name: string }>(
      db,
      'SELECT id, household_id, first_name, last_name FROM children WHERE id = ?',
      [childId],
    ),
  );
  if (!child) throw new DomainError('NOT_FOUND', 'Enfant introuvable.', 'childId');
  const activity = await loadActivity(db, activityId);
  const site = activity.sites.find((s) => s.id === siteId);
  if (!site)
    throw new DomainError('VALIDATION', `Le site choisi n’accueille pas « ${activity.name} ».`, 'siteId');
  const [calendar, enrolments, qfs, parsedTariffs] = await Promise.all([
    loadOpeningCalendar(db, siteId),
    loadEnrolmentSpans(db, childId, activityId),
    childFileCached(db, `qf:${child.household_id}`, () =>
      rows<Selectable<QfRecordsTable>>(db, 'SELECT * FROM qf_records WHERE household_id = ?', [
        child.household_id,
      ]),
    ),
    setupCached(db, `tariffs:${activityId}`, async () =>
      (
        await db
          .selectFrom('tariffs')
          .selectAll()
          .where('activity_id', '=', activityId)
          .orderBy('valid_from', 'desc')
          .execute()
      ).map((t) => ({ ...t, parsed: tariffDataSchema.parse(JSON.parse(t.data)) })),
    ),
  ]);
  const qfHistory: QfRecord[] = qfs.map((q) => ({
    id: q.id,
    value: q.value,
    source: q.source,
    effectiveMonth: q.effective_month,
    endMonth: q.end_month,
    recordedAt: q.recorded_at,
  }));
  const qfCache = new Map<string, number | null>();
  return {
    activity,
    child: {
      id: child.id,
      householdId: child.household_id,
      firstName: child.first_name,
      lastName: child.last_name,
    },
    site,
    calendar,
    enrolments,
    qfFor(month) {
      if (!qfCache.has(month)) qfCache.set(month, qfInForce(qfHistory, month)?.value ?? null);
      return qfCache.get(month) ?? null;
    },
    tariffFor(unitCode, date) {
      const t = parsedTariffs.find(
        (x) =>
          x.unit_code === unitCode && x.valid_from <= date && (x.valid_to === null || date <= x.valid_to),
      );
      return t?.parsed ?? null;
    },
  };
}
