import { describe, expect, it } from 'vitest';
import { LEFEVRE, testCore, type TestCore } from '../test/fixtures.ts';
import { toFtsQuery } from './normalize.ts';

async function town(): Promise<TestCore & { ids: Record<string, string> }> {
  const t = await testCore();
  const ids: Record<string, string> = {};
  ids.lefevre = (await t.call('family.createHousehold', LEFEVRE)).householdId;
  ids.martin = (
    await t.call('family.createHousehold', {
      name: 'Martin',
      guardians: [
        {
          rank: 1,
          civility: 'M.',
          lastName: 'Martin',
          firstName: 'Hugo',
          phoneMobile: '07 11 22 33 44',
          email: 'hugo.martin@exemple.fr',
        },
      ],
      children: [{ lastName: 'Martin', firstName: 'Chloé', birthDate: '2017-06-01' }],
    })
  ).householdId;
  ids.martinez = (
    await t.call('family.createHousehold', {
      name: 'Martinez',
      guardians: [{ rank: 1, civility: 'Mme', lastName: 'Martinez', firstName: 'Inès' }],
      children: [{ lastName: 'Martinez', firstName: 'Zoé', birthDate: '2019-02-11' }],
    })
  ).householdId;
  return { ...t, ids };
}

const names = (hits: { householdName: string }[]) => hits.map((h) => h.householdName);

describe('family search', () => {
  it('is blind to case and accents', async () => {
    const { call } = await town();
    expect(names(await call('family.search', { text: 'lefevre' }))).toEqual(['Lefèvre']);
    expect(names(await call('family.search', { text: 'LEFÈVRE' }))).toEqual(['Lefèvre']);
    expect(names(await call('family.search', { text: 'eric' }))).toEqual(['Lefèvre']);
    expect(names(await call('family.search', { text: 'zoe' })).sort()).toEqual(['Lefèvre', 'Martinez']);
  });

  it('matches prefixes as the agent types, every word required', async () => {
    const { call } = await town();
    expect(names(await call('family.search', { text: 'lef' }))).toEqual(['Lefèvre']);
    expect(names(await call('family.search', { text: 'zoe mart' }))).toEqual(['Martinez']);
    expect(await call('family.search', { text: 'zoe dupont' })).toEqual([]);
  });

  it('ranks an exact name above a longer name it prefixes', async () => {
    const { call } = await town();
    expect(names(await call('family.search', { text: 'martin' }))).toEqual(['Martin', 'Martinez']);
  });

  it('answers one or two letters with the exact name first, then names starting with them', async () => {
    const { call } = await town();
    await call('family.createHousehold', {
      name: 'Ly',
      guardians: [{ rank: 1, civility: 'Mme', lastName: 'Ly', firstName: 'Mai' }],
    });
    await call('family.createHousehold', {
      name: 'Lyautey',
      guardians: [{ rank: 1, civility: 'M.', lastName: 'Lyautey', firstName: 'Paul' }],
    });
    expect(names(await call('family.search', { text: 'ly' }))).toEqual(['Ly', 'Lyautey']);
    expect(names(await call('family.search', { text: 'LE' }))).toEqual(['Lefèvre']);
  });

  it('finds a household by phone, typed with or without spaces, and by e-mail', async () => {
    const { call, ids } = await town();
    expect((await call('family.search', { text: '06 12 34' }))[0]?.householdId).toBe(ids.lefevre);
    expect((await call('family.search', { text: '0612345678' }))[0]?.householdId).toBe(ids.lefevre);
    expect((await call('family.search', { text: '+33 7 11 22 33 44' }))[0]?.householdId).toBe(ids.martin);
    expect((await call('family.search', { text: 'hugo.martin@exe' }))[0]?.householdId).toBe(ids.martin);
  });

  it('says which member matched, with the household summary', async () => {
    const { call } = await town();
    const [hit] = await call('family.search', { text: 'noe' });
    expect(hit).toMatchObject({
      householdName: 'Lefèvre',
      summary: 'Sophie Lefèvre et Éric Lefèvre — enfants : Zoé, Noé',
      matches: [{ kind: 'child', label: 'Noé Lefèvre (GS)' }],
    });
  });

  it('follows edits: a renamed child is found under the new name only', async () => {
    const { call, ids } = await town();
    const file = await call('family.get', { householdId: ids.lefevre! });
    const noe = file.children[1]!;
    await call('family.saveChild', {
      householdId: ids.lefevre!,
      childId: noe.id,
      lastName: 'Lefèvre',
      firstName: 'Léon',
      birthDate: noe.birthDate,
    });
    expect(await call('family.search', { text: 'noe' })).toEqual([]);
    expect(names(await call('family.search', { text: 'leon' }))).toEqual(['Lefèvre']);
  });

  it('treats search syntax as plain text and ignores empty input', async () => {
    const { call } = await town();
    for (const text of ['"', 'NEAR(a b)', 'martin*', "l'é", '-', 'a OR b', '*']) {
      await expect(call('family.search', { text })).resolves.toBeInstanceOf(Array);
    }
    expect(await call('family.search', { text: '   ' })).toEqual([]);
    expect(toFtsQuery('  ')).toBeNull();
  });
});
