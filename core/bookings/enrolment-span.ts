import type { Kysely, Selectable } from 'kysely';
import type { LocalDate } from '../calendar/local-date.ts';
import { rows } from '../db/fast-sql.ts';
import type { Database, EnrolmentSiteChangesTable, EnrolmentsTable } from '../db/schema.ts';
import { childFileCached } from '../db/setup-cache.ts';

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

/**
 * One child's enrolments in one activity: what every booking request reads, in fixed texts (core/db/fast-sql.ts)
 * and, under a push's cache, once per push (core/db/setup-cache.ts). The rules only read the spans.
 */
export function loadEnrolmentSpans(
  db: Kysely<Database>,
  childId: string,
  activityId: string,
): Promise<EnrolmentSpan[]> {
  return childFileCached(db, `enrolments:${childId}:${activityId}`, async () => {
    const [enrolments, changes] = await Promise.all([
      rows<EnrolmentRow>(
        db,
        'SELECT id, child_id, school_year, site_id, status, ends_on FROM enrolments WHERE child_id = ? AND activity_id = ?',
        [childId, activityId],
      ),
      rows<SiteChangeRow>(
        db,
        `SELECT c.enrolment_id, c.from_date, c.site_id, c.previous_site_id
         FROM enrolment_site_changes c JOIN enrolments e ON e.id = c.enrolment_id
         WHERE e.child_id = ? AND e.activity_id = ? ORDER BY c.from_date, c.changed_at`,
        [childId, activityId],
      ),
    ]);
    return spansOf(enrolments, changes).get(childId) ?? [];
  });
}

/** The enrolments of several children in one activity, by child, in two queries (a whole attendance sheet). */
export async function enrolmentSpansOf(
  db: Kysely<Database>,
  childIds: readonly string[],
  activityId: string,
): Promise<Map<string, EnrolmentSpan[]>> {
  if (childIds.length === 0) return new Map();
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
  return spansOf(enrolments, changes);
}

type EnrolmentRow = Pick<
  Selectable<EnrolmentsTable>,
  'id' | 'child_id' | 'school_year' | 'site_id' | 'status' | 'ends_on'
>;
type SiteChangeRow = Pick<
  Selectable<EnrolmentSiteChangesTable>,
  'enrolment_id' | 'from_date' | 'site_id' | 'previous_site_id'
>;

function spansOf(
  enrolments: readonly EnrolmentRow[],
  changes: readonly SiteChangeRow[],
): Map<string, EnrolmentSpan[]> {
  const out = new Map<string, EnrolmentSpan[]>();
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
