import type { Kysely } from 'kysely';
import type { LocalDate } from '../calendar/local-date.ts';
import type { Database } from '../db/schema.ts';

/** A child's enrolment in an activity for a school year, as the booking rules read it day by day. */
export interface EnrolmentSpan {
  id: string;
  schoolYear: string;
  /** Today's site; null: any site. */
  siteId: string | null;
  status: string;
  /** The child's last day, once ended. */
  endsOn: LocalDate | null;
  /** Each change of site, oldest first: from `fromDate` on, `siteId`; before it, `previousSiteId`. */
  siteChanges: { fromDate: LocalDate; siteId: string | null; previousSiteId: string | null }[];
}

/** The site the enrolment names on `date` (null: any site): the first change after that day says what it was. */
export function siteOn(enrolment: EnrolmentSpan, date: LocalDate): string | null {
  const later = enrolment.siteChanges.find((c) => c.fromDate > date);
  return later ? later.previousSiteId : enrolment.siteId;
}

export async function loadEnrolmentSpans(
  db: Kysely<Database>,
  childId: string,
  activityId: string,
): Promise<EnrolmentSpan[]> {
  return (await enrolmentSpansOf(db, [childId], activityId)).get(childId) ?? [];
}

/** The enrolments of several children in one activity, by child, in two queries (a whole attendance sheet). */
export async function enrolmentSpansOf(
  db: Kysely<Database>,
  childIds: readonly string[],
  activityId: string,
): Promise<Map<string, EnrolmentSpan[]>> {
  const out = new Map<string, EnrolmentSpan[]>();
  if (childIds.length === 0) return out;
  const [enrolments, changes] = await Promise.all([
    db
      .selectFrom('enrolments')
      .select(['id', 'child_id', 'school_year', 'site_id', 'status', 'ends_on'])
      .where('child_id', 'in', [...childIds])
      .where('activity_id', '=', activityId)
      .execute(),
    db
      .selectFrom('enrolment_site_changes')
      .innerJoin('enrolments', 'enrolments.id', 'enrolment_site_changes.enrolment_id')
      .select([
        'enrolment_site_changes.enrolment_id',
        'enrolment_site_changes.from_date',
        'enrolment_site_changes.site_id',
        'enrolment_site_changes.previous_site_id',
      ])
      .where('enrolments.child_id', 'in', [...childIds])
      .where('enrolments.activity_id', '=', activityId)
      .orderBy('enrolment_site_changes.from_date')
      .orderBy('enrolment_site_changes.changed_at')
      .execute(),
  ]);
  for (const e of enrolments) {
    const spans = out.get(e.child_id) ?? [];
    out.set(e.child_id, spans);
    spans.push({
      id: e.id,
      schoolYear: e.school_year,
      siteId: e.site_id,
      status: e.status,
      endsOn: e.ends_on,
      siteChanges: changes
        .filter((c) => c.enrolment_id === e.id)
        .map((c) => ({ fromDate: c.from_date, siteId: c.site_id, previousSiteId: c.previous_site_id })),
    });
  }
  return out;
}
