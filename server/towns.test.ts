import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { LEFEVRE } from '../core/test/fixtures.ts';
import { createSyncServer } from './server.ts';
import { openServerStore } from './store.ts';

const url = process.env.GF_TEST_PG_URL?.replace(/[?&]scratch=1/, '');

/** Two towns on one PostgreSQL server (production: one schema per town), as server/ci-postgres.sh provides. */
describe.skipIf(!url)('several towns sharing one PostgreSQL', { timeout: 60_000 }, () => {
  it('keeps each town’s families to its own counters', async () => {
    const suffix = randomBytes(4).toString('hex');
    const towns = [`belleval_${suffix}`, `montfort_${suffix}`];
    const stores = await Promise.all(towns.map((town) => openServerStore({ pgUrl: url as string, town })));
    try {
      const [belleval, montfort] = stores.map((store) =>
        createSyncServer({ store, adminToken: 'a', portalToken: 'p' }),
      );
      await belleval!.adminCommand('family.createHousehold', LEFEVRE);
      const count = async (i: number) =>
        Number(
          (
            await stores[i]!.db.selectFrom('households')
              .select((eb) => eb.fn.countAll().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        );
      expect(await count(0)).toBe(1);
      expect(await count(1)).toBe(0);
      // A counter of the other town pulls nothing of Belleval's.
      const device = await montfort!.enrolDevice('Guichet Montfort');
      const pulled = await montfort!.pull(`Bearer ${device.credential}`, 0, 0);
      const households = (pulled.body as { changes: { table: string }[] }).changes.filter(
        (c) => c.table === 'households',
      );
      expect(households).toEqual([]);
    } finally {
      for (const s of stores) await s.close();
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      for (const town of towns) await c.query(`DROP SCHEMA IF EXISTS town_${town} CASCADE`);
      await c.end();
    }
  });
});
