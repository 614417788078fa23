import type { Core } from '../app.ts';
import { addDaysTo } from '../calendar/local-date.ts';
import { schoolYearOf } from '../calendar/school-calendar.ts';
import { callerOf } from './call.ts';
import {
  completeFile,
  installDemoTown,
  isPupil,
  markDemoAccounts,
  schoolSite,
  type SeedOptions,
} from './install.ts';
import { createDemoTown } from './town.ts';

export { DEMO_HOUSEHOLDS, DEMO_PASSWORD, type SeedOptions } from './install.ts';

/** The town without a past brings this many families to life (the town with one: DEMO_ACTIVE_FAMILIES, town.ts). */
const DEMO_ACTIVE = 150;

/**
 * Fills the store with the demo town of Belleval without a past: its households, and the first families enrolled
 * and booked from the core's today. The demo a PC starts with has a past too (`createDemoTown`); this one is for
 * callers that want a town as it stands on its first day.
 */
export async function seedDemoTown(
  core: Core,
  options: SeedOptions = {},
): Promise<{ households: number; persons: number }> {
  const call = callerOf(core);
  const { demo, households, persons, fresh } = await installDemoTown(call, options);
  await markDemoAccounts(core, fresh);

  // The core's today in the town's zone, not this PC's: the demo's bookings start on the day the app shows.
  const { today } = await call('system.clock', {});
  const schoolYear = schoolYearOf(today);
  for (const { householdId } of households.slice(0, options.active ?? DEMO_ACTIVE)) {
    await completeFile(call, householdId, schoolYear);
    const file = await call('family.get', { householdId });
    for (const child of file.children.filter(isPupil)) {
      const siteId = schoolSite(demo, child.school);
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
  return { households: households.length, persons };
}

/**
 * On first start only: a store that already holds a household is never touched. Given the store's file and the
 * core's clock, the town comes with its past of the school year up to today (`createDemoTown`); a store that
 * already has accounts (so no demo administrator to act as) gets the town without a past, under whoever is signed in.
 */
export async function seedDemoTownIfEmpty(
  core: Core,
  store?: { path: string; clock?: () => Date; scryptLogN?: number },
): Promise<void> {
  const any = await core.db.selectFrom('households').select('id').limit(1).executeTakeFirst();
  if (any) return;
  if (store && (await createDemoTown(store))) return;
  await seedDemoTown(core);
}
