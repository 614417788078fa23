import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import type { Core } from '../core/app.ts';
import { openTestCore } from '../core/test/fixtures.ts';
import { installDemoActivities } from '../core/demo/demo-town.ts';
import { DEFAULT_REQUIRED_DOCUMENTS } from '../core/activities/enrolment.ts';
import type { InputOf, OperationName, OutputOf } from '../core/contract.ts';
import { createHouseholdGenerator } from '../core/demo/generate.ts';
import { formatSummary, msSince, now, percentile, result, summarize, type BenchResult } from './stats.ts';

const YEAR_RUNS = 30;
const SHEET_CHILDREN = 300;
const SHEET_RUNS = 300;

function caller(core: Core) {
  return async <N extends OperationName>(name: N, input: InputOf<N>): Promise<OutputOf<N>> => {
    const r = await core.invoke(name, input);
    if (!r.ok) throw new Error(`${name}: ${r.error.message}`);
    return r.data as OutputOf<N>;
  };
}

/** Children with a complete file, enrolled in the canteen and evening care for 2026-2027. */
async function enrolChildren(core: Core, count: number) {
  const call = caller(core);
  const demo = await installDemoActivities(call);
  const generate = createHouseholdGenerator(2027);
  const children: string[] = [];
  while (children.length < count) {
    const { householdId } = await call('family.createHousehold', generate());
    for (const doc of DEFAULT_REQUIRED_DOCUMENTS) {
      await call('enrolment.checkDocument', {
        householdId,
        schoolYear: '2026-2027',
        item: doc.code,
        checked: true,
      });
    }
    for (const child of (await call('family.get', { householdId })).children) {
      if (children.length === count) break;
      for (const a of [demo.canteen, demo.care]) {
        await call('enrolment.enrol', {
          childId: child.id,
          activityId: a.activityId,
          schoolYear: '2026-2027',
          siteId: demo.sites.jaures,
        });
      }
      children.push(child.id);
    }
  }
  return { call, demo, children };
}

export async function run(): Promise<BenchResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'gf-bench-bookings-'));
  // Before the school year: every day bookable, so each run does every check and books every day.
  const core = await openTestCore({
    path: join(dir, 'town.sqlite'),
    clock: () => new Date('2026-08-20T10:00:00+02:00'),
  });
  try {
    const { call, demo, children } = await enrolChildren(core, SHEET_CHILDREN + YEAR_RUNS * 2);
    const yearRequest = (childId: string) => ({
      childId,
      activityId: demo.canteen.activityId,
      siteId: demo.sites.jaures,
      unitCodes: ['meal' as const],
      selection: { kind: 'period' as const, from: '2026-09-01', to: '2027-07-02', weekdays: [1, 2, 4, 5] },
      origin: 'counter' as const,
    });

    // booking.school_year_ms: the whole year of canteen for one child, every check, one transaction.
    const yearChildren = children.slice(SHEET_CHILDREN);
    const app: number[] = [];
    let days = 0;
    for (const childId of yearChildren.slice(0, YEAR_RUNS)) {
      const start = now();
      const plan = await call('booking.book', yearRequest(childId));
      app.push(msSince(start));
      days = plan.accepted.length;
    }
    // Baseline: the same rows inserted raw, in one transaction, with no check at all.
    const rows = core.raw
      .prepare('SELECT unit_id, date FROM bookings WHERE child_id = ? ORDER BY date')
      .all(yearChildren[0]) as { unit_id: string; date: string }[];
    const insert = core.raw.prepare(
      `INSERT INTO bookings (id, child_id, household_id, activity_id, unit_id, site_id, date, state, origin, booked_at, booked_by)
       SELECT ?, id, household_id, ?, ?, ?, ?, 'booked', 'counter', ?, 'bench' FROM children WHERE id = ?`,
    );
    const raw: number[] = [];
    for (const childId of yearChildren.slice(YEAR_RUNS, YEAR_RUNS * 2)) {
      const start = now();
      core.raw.transaction(() => {
        for (const r of rows)
          insert.run(
            uuidv7(),
            demo.canteen.activityId,
            r.unit_id,
            demo.sites.jaures,
            r.date,
            new Date().toISOString(),
            childId,
          );
      })();
      raw.push(msSince(start));
    }
    console.log(`  booking.book, a school year (${days} days)  ${formatSummary(summarize(app))}`);
    console.log(`  raw inserts of the same rows             ${formatSummary(summarize(raw))}`);

    // booking.attendance_sheet_ms: the evening list of a 300-child site.
    const date = '2026-11-23';
    await call('admin.setCapacity', {
      siteId: demo.sites.jaures,
      unitId: demo.care.unitIds.evening as string,
      places: 400,
    });
    for (const childId of children.slice(0, SHEET_CHILDREN)) {
      await call('booking.book', {
        ...yearRequest(childId),
        activityId: demo.care.activityId,
        unitCodes: ['evening'],
        selection: { kind: 'days', dates: [date] },
      });
    }
    const sheetInput = {
      activityId: demo.care.activityId,
      siteId: demo.sites.jaures,
      unitCode: 'evening' as const,
      date,
    };
    const sheet = await call('attendance.sheet', sheetInput);
    if (sheet.children.length < SHEET_CHILDREN)
      throw new Error(`attendance sheet lists ${sheet.children.length} children`);
    const rawSheet = core.raw.prepare(
      `SELECT b.child_id, c.first_name, c.last_name, c.class_level, h.name, b.attendance, b.late, b.unbooked
       FROM bookings b JOIN children c ON c.id = b.child_id JOIN households h ON h.id = b.household_id
       WHERE b.site_id = ? AND b.unit_id = ? AND b.date = ? AND b.state = 'booked' ORDER BY c.last_name, c.first_name`,
    );
    const sheetApp: number[] = [];
    const sheetRaw: number[] = [];
    for (let i = 0; i < SHEET_RUNS; i++) {
      let start = now();
      await call('attendance.sheet', sheetInput);
      sheetApp.push(msSince(start));
      start = now();
      rawSheet.all(demo.sites.jaures, demo.care.unitIds.evening, date);
      sheetRaw.push(msSince(start));
    }
    console.log(
      `  attendance.sheet (${sheet.children.length} children)     ${formatSummary(summarize(sheetApp))}`,
    );
    console.log(`  raw query                                ${formatSummary(summarize(sheetRaw))}`);
    return [
      result('booking.school_year_ms', percentile(app, 50), 'ms', percentile(raw, 50)),
      result('booking.attendance_sheet_ms', percentile(sheetApp, 95), 'ms', percentile(sheetRaw, 95)),
    ];
  } finally {
    await core.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
