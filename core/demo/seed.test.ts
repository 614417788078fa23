import { describe, expect, it } from 'vitest';
import { readSetting } from '../db/settings.ts';
import { countRows, testCore } from '../test/fixtures.ts';
import { seedDemoTown, seedDemoTownIfEmpty } from './seed.ts';

describe('demo town seeding', () => {
  it('creates the households through the command, logged, and names the town', async () => {
    const { core, call } = await testCore();
    const seeded = await seedDemoTown(core, { households: 40, seed: 3, active: 0 });
    expect(seeded.households).toBe(40);
    expect(await countRows(core, 'households')).toBe(40);
    const households = core.raw
      .prepare("SELECT count(*) AS n FROM command_log WHERE name = 'family.createHousehold'")
      .get();
    expect(households).toEqual({ n: 40 });
    const persons =
      (await countRows(core, 'guardians')) +
      (await countRows(core, 'children')) +
      (await countRows(core, 'pickup_persons'));
    expect(seeded.persons).toBe(persons);
    expect(await readSetting(core.db, 'town.name')).toBe('Ville de Belleval');
    expect((await call('system.info', {})).townName).toBe('Ville de Belleval');
  });

  it('configures the town as RULES.md and brings the first households to life: enrolled and booked', async () => {
    const { core, call } = await testCore();
    await seedDemoTown(core, { households: 12, seed: 3, active: 6 });
    const activities = await call('activities.list', {});
    expect(activities.map((a) => a.name)).toEqual([
      'Restauration scolaire',
      'Accueil périscolaire',
      'Mercredis récréatifs',
      'Accueil de loisirs (vacances)',
      'Étude surveillée',
      'Classe de découverte',
      'École municipale des sports',
    ]);
    expect(await countRows(core, 'enrolments')).toBeGreaterThan(0);
    const pending = core.raw
      .prepare("SELECT count(*) AS n FROM enrolments WHERE status <> 'validated'")
      .get();
    expect(pending).toEqual({ n: 0 });
  });

  it('only seeds an empty store', async () => {
    const { core } = await testCore();
    await seedDemoTown(core, { households: 5, active: 0 });
    await seedDemoTownIfEmpty(core);
    expect(await countRows(core, 'households')).toBe(5);
  });
});
