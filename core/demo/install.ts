import { installDemoActivities, type DemoActivities } from './demo-town.ts';
import { DEFAULT_REQUIRED_DOCUMENTS } from '../activities/enrolment.ts';
import type { Core } from '../app.ts';
import { writeSetting } from '../db/settings.ts';
import type { Call } from './call.ts';
import { DEMO_SEED, generateHouseholds, personsIn, type DemoHousehold } from './generate.ts';

export interface SeedOptions {
  seed?: number;
  households?: number;
  /** Households whose file is complete and whose children are enrolled and booked, so the grids are alive. */
  active?: number;
}

export const DEMO_HOUSEHOLDS = 2_000;
/** The demo town's accounts all share this password; the login screen of the demo says so. */
export const DEMO_PASSWORD = 'belleval';
/**
 * The demo counter's code in its receipt and deposit-slip series (« REC-G1-2026-000001 »). Named rather than taken
 * from the device id, so that the same seed and today give the same numbers on every PC.
 */
export const DEMO_COUNTER_CODE = 'G1';
export const DEMO_ADMIN = { username: 'admin', displayName: 'Claire Fontaine (administratrice)' };
export const DEMO_STAFF = [
  { username: 'accueil', displayName: 'Camille Durand (accueil)', role: 'agent' },
  { username: 'regie', displayName: 'Patrick Morel (régisseur)', role: 'regisseur' },
  { username: 'alsh', displayName: 'Inès Bertin (ALSH)', role: 'alsh' },
] as const;

export interface InstalledTown {
  demo: DemoActivities;
  households: { householdId: string; input: DemoHousehold }[];
  persons: number;
  /** The store was new: the demo accounts were created, and the administrator is the one signed in. */
  fresh: boolean;
}

/**
 * The town as RULES.md configures it and its households, through the commands as an agent's work would be:
 * validated, indexed for search and logged, so the demo exercises the real path. A new store also gets the demo
 * accounts; a store already signed in (tests) is filled under its own administrator.
 */
export async function installDemoTown(call: Call, options: SeedOptions = {}): Promise<InstalledTown> {
  const fresh = (await call('auth.status', {})).setupNeeded;
  if (fresh) {
    await call('auth.setupAdmin', { ...DEMO_ADMIN, password: DEMO_PASSWORD });
    for (const agent of DEMO_STAFF) await call('staff.save', { ...agent, password: DEMO_PASSWORD });
    await call('regie.saveSettings', {
      modes: ['cash', 'cheque', 'card', 'ancv', 'cesu', 'online'],
      cashLimitCents: 30_000,
      cashLimitOverridable: true,
      cashCeilingCents: 100_000,
      counterCode: DEMO_COUNTER_CODE,
    });
  }
  const demo = await installDemoActivities(call);
  const inputs = generateHouseholds(options.households ?? DEMO_HOUSEHOLDS, options.seed ?? DEMO_SEED);
  let persons = 0;
  const households: InstalledTown['households'] = [];
  for (const [i, input] of inputs.entries()) {
    let householdId: string;
    try {
      ({ householdId } = await call('family.createHousehold', input));
    } catch (error) {
      throw new Error(`Foyer de démonstration n° ${i + 1} (${input.name}) : ${(error as Error).message}`, {
        cause: error,
      });
    }
    households.push({ householdId, input });
    persons += personsIn(input);
  }
  return { demo, households, persons, fresh };
}

/** The file's documents checked for the school year: its enrolments are then validated as they are made. */
export async function completeFile(call: Call, householdId: string, schoolYear: string): Promise<void> {
  for (const doc of DEFAULT_REQUIRED_DOCUMENTS)
    await call('enrolment.checkDocument', { householdId, schoolYear, item: doc.code, checked: true });
}

/** Where a pupil eats and stays before and after class: the Curie schools at Marie Curie, the others at Jaurès. */
export const schoolSite = (demo: DemoActivities, school: string): string =>
  school.includes('Curie') ? demo.sites.curie : demo.sites.jaures;

/** Pupils of a nursery or primary class: the children the town's school services take. */
export const isPupil = (child: { classLevel: string }): boolean =>
  child.classLevel !== '' && child.classLevel !== '6e';

/** The login screen of the demo lists its accounts; only a store the demo created has them. */
export async function markDemoAccounts(core: Core, fresh: boolean): Promise<void> {
  if (!fresh) return;
  await writeSetting(core.db, 'demo.accounts', {
    password: DEMO_PASSWORD,
    usernames: [...DEMO_STAFF.map((s) => s.username), DEMO_ADMIN.username],
  });
}
