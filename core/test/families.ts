import { DEFAULT_REQUIRED_DOCUMENTS } from '../activities/enrolment.ts';
import type { InputOf } from '../contract.ts';
import type { DemoTown } from './town.ts';

/** One more family of the demo town, its file complete for 2026-2027: what the month's paperwork tests post or mail. */
export async function addFamily(
  t: DemoTown,
  f: {
    name: string;
    address: string;
    postalCode: string;
    city: string;
    delivery: 'papier' | 'email';
    email?: string;
    children: { firstName: string; birthDate: string }[];
  },
): Promise<{ householdId: string; childIds: string[] }> {
  const input: InputOf<'family.createHousehold'> = {
    name: f.name,
    addressLine1: f.address,
    postalCode: f.postalCode,
    city: f.city,
    email: f.email ?? '',
    invoiceDelivery: f.delivery,
    guardians: [{ rank: 1, civility: 'Mme', lastName: f.name, firstName: 'Claire' }],
    children: f.children.map((c) => ({ lastName: f.name, firstName: c.firstName, birthDate: c.birthDate })),
    qf: { value: 640, source: 'CAF', effectiveMonth: '2026-01' },
  };
  const { householdId } = await t.call('family.createHousehold', input);
  for (const doc of DEFAULT_REQUIRED_DOCUMENTS)
    await t.call('enrolment.checkDocument', {
      householdId,
      schoolYear: '2026-2027',
      item: doc.code,
      checked: true,
    });
  const file = await t.call('family.get', { householdId });
  return { householdId, childIds: file.children.map((c) => c.id) };
}

type Activity = 'canteen' | 'care' | 'wednesday';

/**
 * Enrols the child and books the given days of an activity of the demo town by the family (before the deadlines:
 * call it while the town's clock is still in August). Care is booked morning and evening.
 */
export async function bookDays(t: DemoTown, childId: string, activity: Activity, dates: string[]) {
  await t.call('enrolment.enrol', {
    childId,
    activityId: t.demo[activity].activityId,
    schoolYear: '2026-2027',
  });
  const units: InputOf<'booking.book'>['unitCodes'] =
    activity === 'canteen' ? ['meal'] : activity === 'care' ? ['morning', 'evening'] : ['day'];
  return t.call('booking.book', {
    childId,
    activityId: t.demo[activity].activityId,
    siteId: activity === 'wednesday' ? t.demo.sites.tilleuls : t.demo.sites.jaures,
    unitCodes: units,
    selection: { kind: 'days', dates },
    origin: 'portal',
  });
}
