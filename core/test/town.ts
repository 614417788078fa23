import { installDemoActivities } from '../demo/demo-town.ts';
import { DEFAULT_REQUIRED_DOCUMENTS } from '../activities/enrolment.ts';
import { LEFEVRE, testCore } from './fixtures.ts';

/**
 * A core configured as the demo town, with the Lefèvre household whose file is complete for 2026-2027, and a
 * clock the test moves: `at('2026-12-03T23:59:00+01:00')`.
 */
export async function demoTown(start = '2026-08-20T10:00:00+02:00') {
  let now = new Date(start);
  const t = await testCore(() => now);
  const demo = await installDemoActivities(t.call);
  const { householdId } = await t.call('family.createHousehold', LEFEVRE);
  const file = await t.call('family.get', { householdId });
  for (const doc of DEFAULT_REQUIRED_DOCUMENTS) {
    await t.call('enrolment.checkDocument', {
      householdId,
      schoolYear: '2026-2027',
      item: doc.code,
      checked: true,
    });
  }
  return {
    ...t,
    demo,
    householdId,
    zoe: file.children[0]!.id,
    noe: file.children[1]!.id,
    at(instant: string) {
      now = new Date(instant);
    },
  };
}
export type DemoTown = Awaited<ReturnType<typeof demoTown>>;
