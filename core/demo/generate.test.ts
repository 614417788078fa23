import { describe, expect, it } from 'vitest';
import { fold } from '../search/normalize.ts';
import { countRows, testCore } from '../test/fixtures.ts';
import { classForBirthYear, generateHouseholds, personsIn } from './generate.ts';

const TOWN = generateHouseholds(2_000, 2026);
const accented = (s: string) => fold(s) !== s.toLowerCase();

describe('demo household generator', () => {
  it('gives the same town for the same seed and another town for another seed', () => {
    expect(generateHouseholds(100, 2026)).toEqual(TOWN.slice(0, 100));
    expect(JSON.stringify(generateHouseholds(100, 2026))).toBe(JSON.stringify(TOWN.slice(0, 100)));
    expect(generateHouseholds(100, 2027)).not.toEqual(TOWN.slice(0, 100));
  });

  it('produces households every one of which the create command accepts', async () => {
    const { core, invoke } = await testCore();
    const sample = TOWN.slice(0, 200);
    const refused = [];
    for (const input of sample) {
      const r = await invoke('family.createHousehold', input);
      if (!r.ok) refused.push(`${input.name}: ${r.error.message}`);
    }
    expect(refused).toEqual([]);
    const persons =
      (await countRows(core, 'guardians')) +
      (await countRows(core, 'children')) +
      (await countRows(core, 'pickup_persons'));
    expect(persons).toBe(sample.reduce((n, h) => n + personsIn(h), 0));
  });

  it('uses accented, apostrophed and compound surnames', () => {
    const surnames = new Set(TOWN.flatMap((h) => h.guardians.map((g) => g.lastName)));
    expect(surnames.size).toBeGreaterThan(200);
    expect([...surnames].filter(accented).length).toBeGreaterThan(20);
    expect([...surnames].some((s) => s.includes("'"))).toBe(true);
    expect([...surnames].some((s) => s.includes(' '))).toBe(true);
    const firstNames = TOWN.flatMap((h) => [...h.guardians, ...(h.children ?? [])].map((p) => p.firstName));
    expect(firstNames.filter(accented).length).toBeGreaterThan(firstNames.length / 20);
  });

  it('finds a generated accented surname from an unaccented fragment', async () => {
    const { call } = await testCore();
    const sample = TOWN.slice(0, 200);
    const ids: string[] = [];
    for (const input of sample) ids.push((await call('family.createHousehold', input)).householdId);
    const index = sample.findIndex((h) => h.guardians.some((g) => /[éèêëàâçîïôöüù]/i.test(g.lastName)));
    expect(index).toBeGreaterThanOrEqual(0);
    const household = sample[index]!;
    const guardian = household.guardians.find((g) => /[éèêëàâçîïôöüù]/i.test(g.lastName))!;

    const fragment = fold(guardian.lastName)
      .replace(/[^a-z]/g, '')
      .slice(0, 5);
    expect(fragment).not.toBe(guardian.lastName.slice(0, 5));
    const byFragment = await call('family.search', { text: fragment, limit: 50 });
    expect(
      byFragment.flatMap((h) => h.matches.map((m) => m.label)).some((l) => l.includes(guardian.lastName)),
    ).toBe(true);

    const byName = await call('family.search', {
      text: `${fold(guardian.lastName)} ${fold(guardian.firstName)}`,
    });
    expect(byName.map((h) => h.householdId)).toContain(ids[index]);
  });

  it('places children in the class of their birth year for 2026-2027', () => {
    expect(classForBirthYear(2020).level).toBe('CP');
    expect(classForBirthYear(2023).level).toBe('PS');
    expect(classForBirthYear(2016).level).toBe('CM2');
    expect(classForBirthYear(2015).level).toBe('6e');
    expect(classForBirthYear(2013)).toEqual({ level: '', stage: 'college' });
    for (const child of TOWN.flatMap((h) => h.children ?? [])) {
      expect(child.birthDate >= '2012-01-01' && child.birthDate <= '2023-12-31').toBe(true);
      expect(child.classLevel).toBe(classForBirthYear(Number(child.birthDate.slice(0, 4))).level);
      expect(child.school).not.toBe('');
    }
  });

  it('looks like a real town: households, siblings and quotients', () => {
    const single = TOWN.filter((h) => h.guardians.length === 1).length / TOWN.length;
    expect(single).toBeGreaterThan(0.15);
    expect(single).toBeLessThan(0.25);
    for (const h of TOWN) {
      expect(h.children?.length).toBeGreaterThanOrEqual(1);
      expect(h.children?.length).toBeLessThanOrEqual(4);
      const births = (h.children ?? []).map((c) => Date.parse(c.birthDate));
      // Twins share a day; other siblings are at least a year apart.
      births
        .slice(1)
        .forEach((b, i) => expect(b === births[i] || b - births[i]! >= 364 * 86_400_000).toBe(true));
    }
    const withQf = TOWN.flatMap((h) => (h.qf ? [h.qf] : []));
    const withoutQf = 1 - withQf.length / TOWN.length;
    expect(withoutQf).toBeGreaterThan(0.05);
    expect(withoutQf).toBeLessThan(0.15);
    expect(withQf.filter((q) => q.value >= 300 && q.value <= 2000).length / withQf.length).toBeGreaterThan(
      0.8,
    );
    expect(withQf.filter((q) => q.source === 'CAF').length / withQf.length).toBeGreaterThan(0.7);
    expect(new Set(withQf.map((q) => q.source))).toEqual(new Set(['CAF', 'MSA', 'avis_imposition']));
    expect(withQf.every((q) => q.effectiveMonth >= '2026-01')).toBe(true);
    expect(TOWN.filter((h) => h.city !== 'Belleval').length).toBeGreaterThan(0);
  });
});
