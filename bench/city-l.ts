/**
 * City L of issue 16: 50,000 persons (about 20,000 children with their guardians), a school year of bookings from
 * the rentrée to the summer, the attendance marked up to the evening before TODAY, and the invoices of September and
 * October issued by the real month run. November is left to bill: it is the month `invoice.month_run_city_ms` runs.
 *
 * Households go through `family.createHousehold` (search index, command log and all), the activities through the
 * administrator's commands. Enrolments, file checks and bookings are bulk rows in one transaction with prepared
 * statements, the columns and invariants the enrolment, booking and attendance commands write (one live booking per
 * child, unit and day; cancelled rows keep who and when; places set to the city's numbers), but without a command
 * log entry per booking: millions of commands would take an hour. The past months' invoices are the real run's.
 *
 * Building takes minutes on a shared machine, so the file is kept under node_modules/.cache keyed by a hash of the
 * code that decides what it holds (core, migrations, shared and this file); `cityLPath()` builds it only when no
 * file for this code exists. Open it with `openCore`/`openTestCore` (administrator `admin`, TEST_PASSWORD) and the
 * clock at TODAY or later: a clock before TODAY would see invoices issued in its future.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { v7 as uuidv7 } from 'uuid';
import { isPublicHoliday } from '../core/calendar/holidays.ts';
import { addDaysTo } from '../core/calendar/local-date.ts';
import { loadSchoolCalendar, schoolDayOn } from '../core/calendar/school-calendar.ts';
import type { Core } from '../core/app.ts';
import type { InputOf, OperationName, OutputOf } from '../core/contract.ts';
import { installDemoActivities, type DemoActivities } from '../core/demo/demo-town.ts';
import { createHouseholdGenerator, personsIn } from '../core/demo/generate.ts';
import { DEFAULT_REQUIRED_DOCUMENTS } from '../core/activities/enrolment.ts';
import { isPupil, schoolSite } from '../core/demo/install.ts';
import { NEIGHBOUR_COMMUNES } from '../core/demo/names.ts';
import { createRng, type Rng } from '../core/demo/random.ts';
import { openTestCore } from '../core/test/fixtures.ts';
import { msSince, now } from './stats.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const SEED = 16_016;
const PERSONS = 50_000;
const SCHOOL_YEAR = '2026-2027';
const FIRST_DAY = '2026-09-01';
const LAST_DAY = '2027-07-02';
/** The town's today for the fixture: attendance is marked before it, September and October are invoiced. */
export const CITY_L_TODAY = '2026-12-03';
/** The month left to bill, and the day the régisseur runs it. */
export const CITY_L_MONTH = '2026-11';
export const CITY_L_ISSUE_DATE = '2026-12-03';
const PAST_RUNS = [
  { month: '2026-09', issueDate: '2026-10-02' },
  { month: '2026-10', issueDate: '2026-11-03' },
] as const;
/** A pupil of another commune's school eats and stays there, as in the demo's history. */
const OTHER_TOWNS_SCHOOLS = new Set(NEIGHBOUR_COMMUNES.map((c) => c.school));
/** Places per site and day, the city's groupes scolaires: no slot ever holds more bookings than its places. */
const CITY_PLACES = 10_000;

/**
 * Path of city L's file for the current code, built on first use. Each caller copies it before writing: a month
 * can only be billed once.
 */
export async function cityLPath(): Promise<string> {
  const dir =
    process.env.GF_CITY_L_CACHE_DIR ?? join(ROOT, 'node_modules', '.cache', 'guichet-famille-city-l');
  const file = join(dir, `city-l-${codeHash()}.sqlite`);
  if (existsSync(file)) return file;
  mkdirSync(dir, { recursive: true });
  const partial = `${file}.${process.pid}.partial`;
  rmSync(partial, { force: true });
  await buildCityL(partial);
  // Renamed once complete, so an interrupted build never leaves a file taken for the city; older code's copies go.
  renameSync(partial, file);
  for (const name of readdirSync(dir))
    if (join(dir, name) !== file && !name.endsWith('.partial')) rmSync(join(dir, name), { force: true });
  return file;
}

/** Hash of the sources that decide the file's rows and schema; tests do not, so editing one keeps the file. */
function codeHash(): string {
  const hash = createHash('sha256');
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
      a.name.localeCompare(b.name),
    )) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) {
        hash.update(relative(ROOT, full));
        hash.update(readFileSync(full));
      }
    }
  };
  for (const d of ['core', 'migrations', 'shared']) walk(join(ROOT, d));
  hash.update(readFileSync(fileURLToPath(import.meta.url)));
  return hash.digest('hex').slice(0, 16);
}

type Call = <N extends OperationName>(name: N, input: InputOf<N>) => Promise<OutputOf<N>>;

export async function buildCityL(path: string): Promise<void> {
  const start = now();
  let clock = new Date('2026-08-24T09:00:00+02:00');
  const core = await openTestCore({ path, clock: () => clock });
  const call: Call = async (name, input) => {
    const r = await core.invoke(name, input);
    if (!r.ok) throw new Error(`${name} : ${r.error.message}`);
    return r.data as never;
  };
  try {
    const demo = await installDemoActivities(call);
    for (const [siteId, unitId] of core.raw
      .prepare('SELECT site_id, unit_id FROM capacities')
      .raw()
      .all() as [string, string][])
      await call('admin.setCapacity', { siteId, unitId, places: CITY_PLACES });

    const next = createHouseholdGenerator(SEED);
    let persons = 0;
    while (persons < PERSONS) {
      const h = next();
      await call('family.createHousehold', h);
      persons += personsIn(h);
    }
    const households = now();
    const agentId =
      (core.raw.prepare("SELECT id FROM staff WHERE username = 'admin'").pluck().get() as string) ?? '';
    const days = schoolDaysOf(await loadSchoolCalendar(core.db), closedDays(core));
    const counts = insertYear(core, demo, days, agentId);
    const bulk = now();

    for (const run of PAST_RUNS) {
      clock = new Date(`${run.issueDate}T09:00:00+01:00`);
      await call('billing.runMonth', run);
    }
    clock = new Date(`${CITY_L_TODAY}T09:00:00+01:00`);
    core.raw.pragma('wal_checkpoint(TRUNCATE)');
    console.log(
      `  city L: ${persons} persons, ${counts.children} children (${counts.pupils} pupils), ${counts.enrolments} enrolments,` +
        ` ${counts.bookings} bookings; households ${(Number(households - start) / 1e9).toFixed(1)} s,` +
        ` bookings ${(Number(bulk - households) / 1e9).toFixed(1)} s, ${PAST_RUNS.length} month runs ${(Number(now() - bulk) / 1e9).toFixed(1)} s;` +
        ` built in ${(msSince(start) / 1000).toFixed(1)} s`,
    );
  } finally {
    await core.close();
  }
}

/** Days the whole town is closed (the demo's pont de l'Ascension): nothing is booked on them. */
function closedDays(core: Core): Set<string> {
  const out = new Set<string>();
  const rows = core.raw
    .prepare('SELECT first_day, last_day FROM closures WHERE site_id IS NULL')
    .raw()
    .all() as [string, string][];
  for (const [first, last] of rows) for (const d of dayRange(first, last)) out.add(d);
  return out;
}

interface Day {
  date: string;
  /** 1 = Monday … 5 = Friday. */
  weekday: number;
}

function schoolDaysOf(calendar: Awaited<ReturnType<typeof loadSchoolCalendar>>, closed: Set<string>): Day[] {
  const out: Day[] = [];
  for (const date of dayRange(FIRST_DAY, LAST_DAY)) {
    const weekday = new Date(`${date}T12:00:00Z`).getUTCDay();
    if (weekday === 0 || weekday === 6) continue;
    if (closed.has(date) || isPublicHoliday(date)) continue;
    if (schoolDayOn(calendar, date).kind !== 'school') continue;
    out.push({ date, weekday });
  }
  return out;
}

function dayRange(first: string, last: string): string[] {
  const out: string[] = [];
  for (
    let d = new Date(`${first}T12:00:00Z`);
    d.toISOString().slice(0, 10) <= last;
    d.setUTCDate(d.getUTCDate() + 1)
  )
    out.push(d.toISOString().slice(0, 10));
  return out;
}

/**
 * The files completed, the pupils enrolled at their school's site (Wednesdays at the leisure centres) and their
 * year booked the way families book: a usual week of canteen, morning and evening care, some Wednesdays and study
 * by the month. Past days end as a real term does (late adds, cancellations, absences, presences without booking).
 */
function insertYear(core: Core, demo: DemoActivities, days: readonly Day[], agentId: string) {
  const raw = core.raw;
  const rng = createRng(SEED);
  const kids = raw
    .prepare('SELECT id, household_id, class_level, school FROM children ORDER BY rowid')
    .all() as { id: string; household_id: string; class_level: string; school: string }[];
  const householdIds = raw.prepare('SELECT id FROM households ORDER BY rowid').pluck().all() as string[];
  const setUpAt = '2026-08-24T07:30:00.000Z';
  const fileCheck = raw.prepare(
    'INSERT INTO file_checks (household_id, school_year, item, checked_at, agent_id) VALUES (?, ?, ?, ?, ?)',
  );
  const childCheck = raw.prepare(
    'INSERT INTO child_file_checks (child_id, school_year, item, checked_at, agent_id) VALUES (?, ?, ?, ?, ?)',
  );
  const enrol = raw.prepare(
    `INSERT INTO enrolments (id, child_id, activity_id, school_year, site_id, group_id, status, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, NULL, 'validated', ?, ?)`,
  );
  const insert = raw.prepare(
    `INSERT INTO bookings (id, child_id, household_id, activity_id, unit_id, site_id, date, state, origin, late, late_reason,
       unbooked, booked_at, booked_by, cancelled_at, cancelled_by, cancel_late, cancel_reason, attendance)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const counts = { children: kids.length, pupils: 0, enrolments: 0, bookings: 0 };
  const book = (
    kid: { id: string; household_id: string },
    activityId: string,
    unitId: string,
    siteId: string,
    date: string,
  ) => {
    const f = date < CITY_L_TODAY ? pastFate(rng) : futureFate(rng);
    const before = addDaysTo(date, -1);
    counts.bookings++;
    insert.run(
      uuidv7(),
      kid.id,
      kid.household_id,
      activityId,
      unitId,
      siteId,
      date,
      f.state,
      f.unbooked ? 'counter' : 'portal',
      f.late,
      f.late ? 'ajout demandé par la famille' : null,
      f.unbooked,
      f.late || f.unbooked ? `${f.unbooked ? date : before}T08:15:00.000Z` : '2026-08-28T18:00:00.000Z',
      agentId,
      f.state === 'cancelled' ? `${f.cancelLate ? date : before}T07:00:00.000Z` : null,
      f.state === 'cancelled' ? agentId : null,
      f.cancelLate,
      f.state === 'cancelled' ? 'demande de la famille' : null,
      f.attendance,
    );
  };
  // The migrations' indexes on bookings, dropped for the bulk insert and made again after it, in the same
  // transaction: sorting three million keys once is minutes faster than placing them one by one, and the unique
  // index made again checks the one-live-booking rule over the whole year.
  const indexes = raw
    .prepare(
      "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'bookings' AND sql IS NOT NULL",
    )
    .all() as { name: string; sql: string }[];
  raw.transaction(() => {
    for (const index of indexes) raw.exec(`DROP INDEX ${index.name}`);
    for (const householdId of householdIds)
      for (const doc of DEFAULT_REQUIRED_DOCUMENTS)
        if (doc.per === 'household') fileCheck.run(householdId, SCHOOL_YEAR, doc.code, setUpAt, agentId);
    for (const kid of kids) {
      if (!isPupil({ classLevel: kid.class_level }) || OTHER_TOWNS_SCHOOLS.has(kid.school)) continue;
      counts.pupils++;
      for (const doc of DEFAULT_REQUIRED_DOCUMENTS)
        if (doc.per === 'child') childCheck.run(kid.id, SCHOOL_YEAR, doc.code, setUpAt, agentId);
      const site = schoolSite(demo, kid.school);
      const plan: { activityId: string; unitId: string; siteId: string; on: (d: Day) => boolean }[] = [];
      if (rng.chance(0.85)) {
        const week = usualWeek(rng, 4);
        plan.push({
          activityId: demo.canteen.activityId,
          unitId: demo.canteen.unitIds.meal as string,
          siteId: site,
          on: (d) => week.has(d.weekday),
        });
      }
      if (rng.chance(0.25))
        plan.push({
          activityId: demo.care.activityId,
          unitId: demo.care.unitIds.morning as string,
          siteId: site,
          on: (d) => d.weekday !== 3,
        });
      if (rng.chance(0.45)) {
        const week = usualWeek(rng, rng.int(1, 4));
        plan.push({
          activityId: demo.care.activityId,
          unitId: demo.care.unitIds.evening as string,
          siteId: site,
          on: (d) => week.has(d.weekday),
        });
      }
      if (rng.chance(0.3))
        plan.push({
          activityId: demo.wednesday.activityId,
          unitId: demo.wednesday.unitIds.day as string,
          siteId: rng.chance(0.5) ? demo.sites.tilleuls : demo.sites.parc,
          on: (d) => d.weekday === 3,
        });
      const study = kid.class_level.startsWith('C') && rng.chance(0.15);
      const enrolled = new Set(plan.map((p) => p.activityId));
      if (study) enrolled.add(demo.study.activityId);
      for (const activityId of enrolled) {
        const siteId =
          activityId === demo.wednesday.activityId
            ? plan.find((p) => p.activityId === activityId)!.siteId
            : site;
        enrol.run(uuidv7(), kid.id, activityId, SCHOOL_YEAR, siteId, setUpAt, setUpAt);
        counts.enrolments++;
      }
      for (const d of days)
        for (const p of plan) if (p.on(d)) book(kid, p.activityId, p.unitId, p.siteId, d.date);
      if (study)
        // A month booking stands on the month's first day, school day or not (as the study grid books it).
        for (const month of ['09', '10', '11', '12', '01', '02', '03', '04', '05', '06'])
          book(
            kid,
            demo.study.activityId,
            demo.study.unitIds.month as string,
            site,
            `${month < '09' ? '2027' : '2026'}-${month}-01`,
          );
    }
    for (const index of indexes) raw.exec(index.sql);
  })();
  return counts;
}

/** Which of the four class days (Monday, Tuesday, Thursday, Friday) a family uses, `count` of them. */
function usualWeek(rng: Rng, count: number): Set<number> {
  const all = [1, 2, 4, 5];
  while (all.length > count) all.splice(rng.int(0, all.length - 1), 1);
  return new Set(all);
}

/** A past day as a town sees it by the evening: the proportions of town M's September. */
function pastFate(rng: Rng) {
  const r = rng.next();
  if (r < 0.05) return { state: 'cancelled', late: 0, unbooked: 0, cancelLate: 0, attendance: null };
  if (r < 0.08) return { state: 'cancelled', late: 0, unbooked: 0, cancelLate: 1, attendance: null };
  const late = rng.chance(0.02) ? 1 : 0;
  const unbooked = !late && rng.chance(0.01) ? 1 : 0;
  const a = rng.next();
  const attendance = unbooked
    ? 'present'
    : a < 0.03
      ? 'absent_justified'
      : a < 0.05
        ? 'absent_unjustified'
        : 'present';
  return { state: 'booked', late, unbooked, cancelLate: 0, attendance };
}

/** A day to come: booked ahead, a few already cancelled in time, nobody marked yet. */
function futureFate(rng: Rng) {
  return rng.chance(0.03)
    ? { state: 'cancelled', late: 0, unbooked: 0, cancelLate: 0, attendance: null }
    : { state: 'booked', late: 0, unbooked: 0, cancelLate: 0, attendance: null };
}
