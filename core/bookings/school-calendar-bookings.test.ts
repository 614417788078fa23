import { describe, expect, it } from 'vitest';
import { demoTown, type DemoTown } from '../test/town.ts';

const MISSING =
  'calendrier scolaire 2028-2029 non importé : l’administrateur l’importe dans Paramètres › Calendrier scolaire';

const canteen = (t: DemoTown, dates: string[]) => ({
  childId: t.zoe,
  activityId: t.demo.canteen.activityId,
  siteId: t.demo.sites.jaures,
  unitCodes: ['meal' as const],
  selection: { kind: 'days' as const, dates },
  origin: 'counter' as const,
  overrideReason: null,
});

describe('booking in a school year whose calendar was never imported', () => {
  it('refuses each day with the year to import, at the counter and in the grid, without failing', async () => {
    const t = await demoTown('2028-08-21T10:00:00+02:00');
    // The demo's calendar ends with 2027-2028, whose summer has no published end: 31 August is the last day known.
    const plan = await t.call('booking.book', canteen(t, ['2028-08-31', '2028-09-04', '2028-09-05']));
    expect(plan.accepted).toEqual([]);
    expect(plan.refused).toEqual([
      expect.objectContaining({ date: '2028-08-31', code: 'CLOSED', reason: 'vacances scolaires : Été' }),
      expect.objectContaining({ date: '2028-09-04', code: 'CLOSED', reason: MISSING }),
      expect.objectContaining({ date: '2028-09-05', code: 'CLOSED', reason: MISSING }),
    ]);
    const grid = await t.call('booking.grid', {
      childId: t.zoe,
      activityId: t.demo.canteen.activityId,
      siteId: t.demo.sites.jaures,
      from: '2028-09-04',
      to: '2028-09-08',
    });
    expect(grid.cells.map((c) => [c.date, c.state, c.detail])).toEqual(
      ['2028-09-04', '2028-09-05', '2028-09-07', '2028-09-08'].map((d) => [d, 'closed', MISSING]),
    );
    // A month of study and a holiday-centre week say the same, rather than « no opening day ».
    const study = await t.call('booking.preview', {
      ...canteen(t, []),
      activityId: t.demo.study.activityId,
      unitCodes: ['month'],
      selection: { kind: 'month', month: '2028-10' },
    });
    expect(study.refused).toEqual([
      expect.objectContaining({ date: '2028-10-01', code: 'CLOSED', reason: MISSING }),
    ]);
    const week = await t.call('booking.preview', {
      ...canteen(t, []),
      activityId: t.demo.holidays.activityId,
      siteId: t.demo.sites.tilleuls,
      unitCodes: ['day'],
      selection: { kind: 'week', weekStart: '2028-10-23' },
    });
    expect(week.accepted).toEqual([]);
    expect(new Set(week.refused.map((r) => r.reason))).toEqual(new Set([MISSING]));
  });

  it('opens the days once the administrator imports that year', async () => {
    const t = await demoTown('2028-08-21T10:00:00+02:00');
    await t.call('admin.importSchoolCalendar', {
      area: 'Orléans-Tours',
      fileText: [
        'Description;Population;Date de début;Date de fin;Académies;Zones;annee_scolaire',
        'Vacances de la Toussaint;-;2028-10-20T22:00:00+00:00;2028-11-05T23:00:00+00:00;Orléans-Tours;Zone B;2028-2029',
      ].join('\n'),
    });
    const plan = await t.call('booking.preview', canteen(t, ['2028-09-04', '2028-10-23']));
    // Known now: a school day the child is not enrolled for yet, and a day of the Toussaint holidays.
    expect(plan.refused).toEqual([
      expect.objectContaining({ date: '2028-09-04', code: 'NOT_ENROLLED' }),
      expect.objectContaining({
        date: '2028-10-23',
        code: 'CLOSED',
        reason: 'vacances scolaires : Toussaint',
      }),
    ]);
  });
});
