import { describe, expect, it } from 'vitest';
import { LEFEVRE, testCore } from '../test/fixtures.ts';

describe('privacy of child data', () => {
  it('lists in a dry run the children who left long enough ago, then anonymises them and keeps their invoices’ rows', async () => {
    const { core, call } = await testCore(new Date('2026-11-23T10:00:00Z'));
    const { householdId } = await call('family.createHousehold', LEFEVRE);
    const [zoe, noe] = (await call('family.get', { householdId })).children;
    await call('family.setChildLeft', { householdId, childId: zoe!.id, leftOn: '2023-07-04' });
    await call('family.setChildLeft', { householdId, childId: noe!.id, leftOn: '2024-07-04' });

    const dry = await call('privacy.retention', { dryRun: true });
    expect(dry).toMatchObject({
      dryRun: true,
      years: 3,
      leftBefore: '2023-11-23',
      anonymised: 0,
      children: [{ name: 'Zoé Lefèvre', leftOn: '2023-07-04' }],
    });
    expect((await call('family.get', { householdId })).children.map((c) => c.firstName)).toEqual([
      'Zoé',
      'Noé',
    ]);

    const done = await call('privacy.retention', { dryRun: false });
    expect(done.anonymised).toBe(1);
    const after = await call('family.get', { householdId });
    expect(after.children.map((c) => `${c.firstName} ${c.lastName} ${c.birthDate}`)).toEqual([
      'Noé Lefèvre 2020-09-02',
      'Enfant anonymisé 2023-01-01',
    ]);
    expect(await call('family.search', { text: 'zoe' })).toEqual([]);
    expect(core.raw.prepare('SELECT count(*) AS n FROM children').get()).toEqual({ n: 2 });
    expect((await call('privacy.retention', { dryRun: true })).children).toEqual([]);
  });

  it('exports a household’s data as a readable file, health notes included', async () => {
    const { call } = await testCore();
    const { householdId } = await call('family.createHousehold', LEFEVRE);
    const [zoe] = (await call('family.get', { householdId })).children;
    await call('health.save', { childId: zoe!.id, pai: true, notes: 'Asthme : ventoline dans le sac' });
    const { fileName, json } = await call('privacy.exportHousehold', { householdId });
    expect(fileName).toBe('donnees-foyer-lefèvre.json');
    const doc = JSON.parse(json) as {
      foyer: { name: string; children: unknown[] };
      sante: { enfant: string; fiches: { par: string; fiche: string }[] }[];
    };
    expect(doc.foyer.name).toBe('Lefèvre');
    expect(doc.foyer.children).toHaveLength(2);
    expect(doc.sante).toEqual([
      {
        enfant: 'Zoé',
        fiches: [
          {
            enregistree_le: '2026-11-23T10:00:00.000Z',
            par: 'Administrateur',
            fiche: 'PAI en place\nAsthme : ventoline dans le sac',
          },
        ],
      },
    ]);
  });
});
