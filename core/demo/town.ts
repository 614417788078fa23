import { openCore, type Core } from '../app.ts';
import { addDaysTo, wallClockInstant, weekStartOf, type LocalDate } from '../calendar/local-date.ts';
import { townDate, townTimeZone } from '../time.ts';
import { callerOf } from './call.ts';
import { createDemoClock } from './clock.ts';
import { DEMO_SEED } from './generate.ts';
import { playSchoolYear, type HistorySummary } from './history.ts';
import { DEMO_PASSWORD, DEMO_STAFF, installDemoTown, markDemoAccounts, type SeedOptions } from './install.ts';

/**
 * How many families have a past: their file complete, their children enrolled, booked, billed and paying. The rest
 * of the town's 2,000 households are on file only. A few hundred keep the first start within seconds (every day of
 * the term is played through the contract) while the grids, the sheets and the month's run are full enough to learn on.
 */
export const DEMO_ACTIVE_FAMILIES = 200;

/** The demo's agents never lock: the seeding moves their clock by days between two of their commands. */
const NEVER_IDLE_MINUTES = 60 * 24 * 365 * 100;

export interface DemoTownOptions extends SeedOptions {
  /** The SQLite file, already migrated or new: the demo opens it once per agent, on the same device. */
  path: string;
  /** The clock the core is opened with: its today is where the past ends. */
  clock?: () => Date;
  /** scrypt cost of the demo accounts' passwords (tests only). */
  scryptLogN?: number;
}

export interface DemoTownSummary {
  households: number;
  persons: number;
  today: LocalDate;
  history: HistorySummary;
}

/** How far back the past goes at most: its months are played day by day at first start, so their number is the time. */
export const DEMO_PAST_MONTHS = 3;

/**
 * The school year that has a past on `today` and the day that past begins. From September on, the year under way,
 * from its start or from the first of the month DEMO_PAST_MONTHS before today's, whichever is later (a demo
 * started in June begins in March: the town's counter « opened » then); in July and August, the year about to
 * start, with no past yet.
 */
export function demoSchoolYear(today: LocalDate): {
  schoolYear: string;
  yearStart: LocalDate;
  pastStart: LocalDate;
} {
  const year = Number(today.slice(0, 4));
  const month = Number(today.slice(5, 7));
  const start = month >= 7 ? year : year - 1;
  const yearStart = `${start}-09-01`;
  const back = new Date(Date.UTC(year, month - 1 - DEMO_PAST_MONTHS, 1)).toISOString().slice(0, 10);
  return { schoolYear: `${start}-${start + 1}`, yearStart, pastStart: back > yearStart ? back : yearStart };
}

/**
 * The demo town of Belleval with the past of its school year, up to the day before the core's today: a week before
 * the start of term the administrator sets the town up and the counter completes the families' files; families book
 * online; then every day is played as it would have happened — tills opened and closed, payments, attendance, the
 * month's run early the next month, credit notes, requests — each command at its hour, by the agent whose work it is,
 * through the contract. Today is left untouched: its till is to open, its attendance sheets to mark.
 *
 * Each agent works on their own connection to the file (same device, as at one counter PC), signed in once: the
 * history needs the four of them every day, and signing in again costs a password hash each time. Null when the
 * store already has accounts: there is then no demo administrator to act as.
 */
export async function createDemoTown(options: DemoTownOptions): Promise<DemoTownSummary | null> {
  const base = options.clock ?? (() => new Date());
  const cores: Core[] = [];
  try {
    // Opened on the base clock first, only to read what today is in the town (the zone is the town's setting).
    const probe = await openCore({ path: options.path, clock: base });
    cores.push(probe);
    if (!(await callerOf(probe)('auth.status', {})).setupNeeded) return null;
    const zone = await townTimeZone(probe.db);
    const today = townDate(base(), zone);
    const { schoolYear, pastStart } = demoSchoolYear(today);
    // The Monday of the week before the past starts; never today or later, which must stay untouched.
    const setupWeek = addDaysTo(weekStartOf(pastStart), -7);
    const setupDay = setupWeek < today ? setupWeek : addDaysTo(today, -1);
    const clock = createDemoClock(wallClockInstant(setupDay, zone, 8, 0));

    const open = async (username: string | null) => {
      const core = await openCore({
        path: options.path,
        clock: clock.now,
        idleMinutes: NEVER_IDLE_MINUTES,
        ...(options.scryptLogN ? { scryptLogN: options.scryptLogN } : {}),
      });
      cores.push(core);
      // Thousands of small transactions: not waiting for the disk at each checkpoint makes the first start about a
      // fifth shorter on a loaded PC. A crash of the app loses nothing committed (WAL); only a power cut during the
      // very first start could, and the demo is then made again by deleting its folder (README). Closed with the seeding:
      // the core host's own connection keeps its usual pragmas.
      core.raw.pragma('synchronous = OFF');
      const call = callerOf(core, username ?? 'admin');
      if (username) await call('auth.login', { username, password: DEMO_PASSWORD });
      return { core, call };
    };
    const admin = await open(null);
    const town = await installDemoTown(admin.call, options);
    await markDemoAccounts(admin.core, town.fresh);
    const [accueil, regie, alsh] = await Promise.all(
      DEMO_STAFF.map(async (s) => (await open(s.username)).call),
    );
    if (!accueil || !regie || !alsh) throw new Error('Démonstration : comptes introuvables.');
    const history = await playSchoolYear({
      agents: { accueil, regie, alsh, portal: admin.call },
      db: admin.core.db,
      clock,
      zone,
      setupDay,
      pastStart,
      schoolYear,
      today,
      demo: town.demo,
      households: town.households.slice(0, options.active ?? DEMO_ACTIVE_FAMILIES),
      seed: options.seed ?? DEMO_SEED,
    });
    return { households: town.households.length, persons: town.persons, today, history };
  } finally {
    for (const core of cores.reverse()) await core.close();
  }
}
