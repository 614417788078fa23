import { describe, expect, it } from 'vitest';
import { demoTown } from '../test/town.ts';

/**
 * The administrator's screens' operations: a tariff replaced from a later date and its history, an activity's
 * accounting codes, the year's public holidays with the Alsace-Moselle option, and the régie's settings read back.
 */

const newPrices = {
  mode: 'brackets' as const,
  brackets: [
    { min: 0, max: 699, cents: 150 },
    { min: 700, max: null, cents: 400 },
  ],
  noQf: 480,
};

describe('tariffs: a new tariff from a later date, never retroactive', () => {
  it('refuses a start today or before, and keeps the history with the state of each tariff', async () => {
    const t = await demoTown('2026-12-04T10:00:00+01:00');
    const activityId = t.demo.canteen.activityId;
    const before = await t.call('admin.tariffs', { activityId });
    expect(before).toEqual([
      expect.objectContaining({ unitCode: 'meal', validFrom: '2025-09-01', state: 'inForce' }),
    ]);

    for (const validFrom of ['2026-12-04', '2026-11-01'])
      expect(
        await t.invoke('admin.newTariff', { activityId, unitCode: 'meal', validFrom, data: newPrices }),
      ).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'validFrom' } });
    expect(await t.call('admin.tariffs', { activityId })).toHaveLength(1);
    expect(
      await t.invoke('admin.newTariff', {
        activityId,
        unitCode: 'week',
        validFrom: '2027-01-01',
        data: newPrices,
      }),
    ).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', field: 'unitCode' } });

    await t.call('admin.newTariff', {
      activityId,
      unitCode: 'meal',
      validFrom: '2027-01-01',
      data: newPrices,
    });
    expect(
      await t.invoke('admin.newTariff', {
        activityId,
        unitCode: 'meal',
        validFrom: '2027-01-01',
        data: newPrices,
      }),
    ).toMatchObject({ ok: false, error: { code: 'CONFLICT', field: 'validFrom' } });
    expect((await t.call('admin.tariffs', { activityId })).map((x) => [x.validFrom, x.state])).toEqual([
      ['2027-01-01', 'future'],
      ['2025-09-01', 'inForce'],
    ]);

    // On 1 January the new one takes over; the old one stays in the history.
    t.at('2027-01-01T08:00:00+01:00');
    expect((await t.call('admin.tariffs', { activityId })).map((x) => [x.validFrom, x.state])).toEqual([
      ['2027-01-01', 'inForce'],
      ['2025-09-01', 'past'],
    ]);
  });
});

describe('accounting codes of an activity', () => {
  it('are kept in its settings, and a code with other characters is refused by name', async () => {
    const t = await demoTown('2026-12-04T10:00:00+01:00');
    const activityId = t.demo.canteen.activityId;
    const refused = await t.invoke('admin.setActivityAccounting', {
      activityId,
      accounting: { imputation: '7067;DROP', productCode: '' },
    });
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', field: 'accounting.imputation' },
    });
    expect(refused.ok ? '' : refused.error.message).toContain('imputation budgétaire');
    await t.call('admin.setActivityAccounting', {
      activityId,
      accounting: { imputation: '7067-251', productCode: 'SR.CANT' },
    });
    const canteen = (await t.call('activities.list', {})).find((a) => a.id === activityId)!;
    expect(canteen.settings.accounting).toEqual({ imputation: '7067-251', productCode: 'SR.CANT' });
    // The rest of its settings is untouched.
    expect(canteen.settings.granularity).toBe('day');
  });
});

describe('public holidays of a year', () => {
  it('are computed, with Good Friday and 26 December when the town is in Alsace-Moselle', async () => {
    const t = await demoTown('2026-12-04T10:00:00+01:00');
    const plain = await t.call('admin.publicHolidays', { year: 2027 });
    expect(plain).toMatchObject({ alsaceMoselle: false, townName: 'Ville de Belleval', zone: 'B' });
    expect(plain.holidays).toHaveLength(11);
    expect(plain.holidays).toContainEqual({ date: '2027-03-29', name: 'Lundi de Pâques' });
    await t.call('admin.setTownCalendar', { townName: 'Ville de Belleval', zone: 'B', alsaceMoselle: true });
    const alsace = await t.call('admin.publicHolidays', { year: 2027 });
    expect(alsace.holidays).toHaveLength(13);
    expect(alsace.holidays).toContainEqual({ date: '2027-03-26', name: 'Vendredi saint' });
    expect(alsace.holidays).toContainEqual({ date: '2027-12-26', name: 'Saint-Étienne' });
  });
});

describe('régie settings', () => {
  it('are read back as saved, float included', async () => {
    const t = await demoTown('2026-12-04T10:00:00+01:00');
    await t.call('regie.saveSettings', {
      modes: ['cash', 'cheque'],
      cashLimitCents: 30000,
      cashLimitOverridable: false,
      cashCeilingCents: 150000,
      floatCents: 10000,
    });
    expect(await t.call('regie.settings', {})).toMatchObject({
      modes: ['cash', 'cheque'],
      cashLimitCents: 30000,
      cashLimitOverridable: false,
      cashCeilingCents: 150000,
      floatCents: 10000,
    });
    expect((await t.call('regie.currentSession', {})).nextFloat).toMatchObject({
      cents: 10000,
      source: 'setting',
    });
  });
});

describe('opening calendar of a unit at a site', () => {
  it('says each day of the month open or closed, with the reason bookings give', async () => {
    const t = await demoTown('2026-12-04T10:00:00+01:00');
    const { canteen, sites } = t.demo;
    await t.call('admin.addClosure', {
      siteId: sites.jaures,
      firstDay: '2026-11-05',
      lastDay: '2026-11-06',
      label: 'travaux de la cuisine',
    });
    const input = { activityId: canteen.activityId, siteId: sites.jaures, unitCode: 'meal' as const };
    const november = await t.call('admin.openingMonth', { ...input, month: '2026-11' });
    const day = (date: string) => november.days.find((d) => d.date === date);
    expect(day('2026-11-02')).toMatchObject({ state: 'open' });
    expect(day('2026-11-04')).toMatchObject({ state: 'notADay' }); // a Wednesday: no canteen
    expect(day('2026-11-05')).toMatchObject({ state: 'closed', reason: 'fermeture : travaux de la cuisine' });
    expect(day('2026-11-11')).toMatchObject({ state: 'notADay' }); // Armistice falls on a Wednesday
    expect(november.openCount).toBe(15);
    // The other site keeps its canteen open on the closure.
    const curie = await t.call('admin.openingMonth', { ...input, siteId: sites.curie, month: '2026-11' });
    expect(curie.days.find((d) => d.date === '2026-11-05')).toMatchObject({ state: 'open' });
    expect(curie.openCount).toBe(17);

    const sitesView = await t.call('admin.sites', {});
    expect(sitesView.closures.map((c) => [c.firstDay, c.siteName, c.label])).toEqual([
      ['2027-05-07', 'tous les sites', 'pont de l’Ascension'],
      ['2026-11-05', 'Groupe scolaire Jean Jaurès', 'travaux de la cuisine'],
    ]);
  });
});
