import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { townServer, type TownServer } from './harness.ts';

/**
 * On PostgreSQL, writers run side by side and a change's version is given at its commit (server/tables.ts): a
 * transaction that began first and commits last must still reach a counter that pulled in between.
 */
describe.skipIf(!process.env.GF_TEST_PG_URL)('change feed versions on PostgreSQL', () => {
  let t: TownServer | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('a change committed after a counter’s pull reaches it at its next pull, though its transaction began first', async () => {
    t = await townServer({ pgUrl: process.env.GF_TEST_PG_URL as string });
    const town = t;
    const counter = await town.counter('Guichet A');
    expect((await counter.sync.syncOnce()).ok).toBe(true);

    await town.store.db.connection().execute(async (slow) => {
      await sql`BEGIN`.execute(slow);
      // A family's file, not the set-up: two writers of the set-up wait on each other (server/tables.ts).
      await sql`UPDATE households SET name = 'Lefèvre-Martin' WHERE id = ${town.householdId}`.execute(slow);
      // Meanwhile the administration adds a closure and commits first; the counter pulls it.
      await town.call('admin.addClosure', {
        siteId: null,
        firstDay: '2027-04-30',
        lastDay: '2027-04-30',
        label: 'pont du 1er mai',
      });
      expect((await counter.sync.syncOnce()).ok).toBe(true);
      const closures = await counter.core.db.selectFrom('closures').select('label').execute();
      expect(closures.map((c) => c.label)).toContain('pont du 1er mai');
      await sql`COMMIT`.execute(slow);
    });

    expect((await counter.sync.syncOnce()).ok).toBe(true);
    const household = await counter.core.db
      .selectFrom('households')
      .select('name')
      .where('id', '=', town.householdId)
      .executeTakeFirstOrThrow();
    expect(household.name).toBe('Lefèvre-Martin');
  });
});
