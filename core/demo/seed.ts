import type { Core } from '../app.ts';
import { installDemoActivities } from './demo-town.ts';
import { DEFAULT_REQUIRED_DOCUMENTS } from '../activities/enrolment.ts';
import type { InputOf, OperationName, OutputOf } from '../contract.ts';
import { addDaysTo } from '../calendar/local-date.ts';
import { schoolYearOf } from '../calendar/school-calendar.ts';
import { writeSetting } from '../db/settings.ts';
import { DEMO_SEED, generateHouseholds, personsIn } from './generate.ts';

export interface SeedOptions {
  seed?: number;
  households?: number;
  /** Households whose file is complete and whose children are enrolled and booked, so the grids are alive. */
  active?: number;
}

export const DEMO_HOUSEHOLDS = 2_000;
/** The demo town's accounts all share this password; the login screen of the demo says so. */
export const DEMO_PASSWORD = 'belleval';
const DEMO_ADMIN = { username: 'admin', displayName: 'Claire Fontaine (administratrice)' };
const DEMO_STAFF = [
  { username: 'accueil', displayName: 'Camille Durand (accueil)', role: 'agent' },
  { username: 'regie', displayName: 'Patrick Morel (régisseur)', role: 'regisseur' },
  { username: 'alsh', displayName: 'Inès Bertin (ALSH)', role: 'alsh' },
] as const;
const DEMO_ACTIVE = 150;

/**
 * Fills the store with the demo town of Belleval. Everything goes through the commands, as an agent's work
 * would: validated, indexed for search and logged, so the demo exercises the real path.
 */
export async function seedDemoTown(
  core: Core,
  options: SeedOptions = {},
): Promise<{ households: number; persons: number }> {
  const call = async <N extends OperationName>(name: N, input: InputOf<N>): Promise<OutputOf<N>> => {
    const r = await core.invoke(name, input);
    if (!r.ok) throw new Error(`Démonstration : ${name} refusé : ${r.error.message}`);
    return r.data as OutputOf<N>;
  };
  // A new store gets the demo accounts; a signed-in one (tests) seeds under its own administrator.
  const fresh = (await call('auth.status', {})).setupNeeded;
  if (fresh) {
    await call('auth.setupAdmin', { ...DEMO_ADMIN, password: DEMO_PASSWORD });
    for (const agent of DEMO_STAFF) await call('staff.save', { ...agent, password: DEMO_PASSWORD });
    await writeSetting(core.db, 'demo.accounts', {
      password: DEMO_PASSWORD,
      usernames: [
        DEMO_STAFF[0].username,
        DEMO_STAFF[1].username,
        DEMO_STAFF[2].username,
        DEMO_ADMIN.username,
      ],
    });
  }
  const demo = await installDemoActivities(call);
  const inputs = generateHouseholds(options.households ?? DEMO_HOUSEHOLDS, options.seed ?? DEMO_SEED);
  let persons = 0;
  const householdIds: string[] = [];
  for (const [i, input] of inputs.entries()) {
    const r = await core.invoke('family.createHousehold', input);
    if (!r.ok)
      throw new Error(`Foyer de démonstration n° ${i + 1} (${input.name}) refusé : ${r.error.message}`);
    householdIds.push((r.data as { householdId: string }).householdId);
    persons += personsIn(input);
  }

  // The core's today in the town's zone, not this PC's: the demo's bookings start on the day the app shows.
  const { today } = await call('system.clock', {});
  const schoolYear = schoolYearOf(today);
  for (const householdId of householdIds.slice(0, options.active ?? DEMO_ACTIVE)) {
    for (const doc of DEFAULT_REQUIRED_DOCUMENTS) {
      await call('enrolment.checkDocument', { householdId, schoolYear, item: doc.code, checked: true });
    }
    const file = await call('family.get', { householdId });
    for (const child of file.children.filter((c) => c.classLevel && c.classLevel !== '6e')) {
      const siteId = child.school.includes('Curie') ? demo.sites.curie : demo.sites.jaures;
      for (const activity of [demo.canteen, demo.care]) {
        await call('enrolment.enrol', {
          childId: child.id,
          activityId: activity.activityId,
          schoolYear,
          siteId,
        });
      }
      // The coming weeks of canteen, as most families book them online.
      await call('booking.book', {
        childId: child.id,
        activityId: demo.canteen.activityId,
        siteId,
        unitCodes: ['meal'],
        selection: { kind: 'period', from: today, to: addDaysTo(today, 42), weekdays: [1, 2, 4, 5] },
        origin: 'portal',
      });
    }
  }
  // The demo opens on its login screen, like a counter in the morning.
  if (fresh) await call('auth.logout', {});
  return { households: inputs.length, persons };
}

/** On first start only: a store that already holds a household is never touched. */
export async function seedDemoTownIfEmpty(core: Core): Promise<void> {
  const any = await core.db.selectFrom('households').select('id').limit(1).executeTakeFirst();
  if (!any) await seedDemoTown(core);
}
