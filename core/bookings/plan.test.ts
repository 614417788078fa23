import { describe, expect, it } from 'vitest';
import { countRows } from '../test/fixtures.ts';
import { demoTown, type DemoTown } from '../test/town.ts';

/**
 * The booking rules of core/bookings/plan.ts as the counter and the portal meet them, on the demo town (RULES.md
 * « Activities »): what a holiday week, an enrolment, an activity's way of booking, the town's calendar and a
 * site's places let a family book, and what each refusal says.
 */

type Activity = Exclude<keyof DemoTown['demo'], 'sites'>;

function enrol(
  t: DemoTown,
  childId: string,
  activity: Activity,
  options: { siteId?: string | null; schoolYear?: string } = {},
) {
  return t.call('enrolment.enrol', {
    childId,
    activityId: t.demo[activity].activityId,
    schoolYear: options.schoolYear ?? '2026-2027',
    siteId: options.siteId ?? null,
  });
}

function holidayWeek(t: DemoTown, childId: string, siteId: string, weekStart: string) {
  return {
    childId,
    activityId: t.demo.holidays.activityId,
    siteId,
    unitCodes: ['day' as const],
    selection: { kind: 'week' as const, weekStart },
    origin: 'portal' as const,
  };
}

function canteenDays(t: DemoTown, dates: string[], siteId = t.demo.sites.jaures) {
  return {
    childId: t.zoe,
    activityId: t.demo.canteen.activityId,
    siteId,
    unitCodes: ['meal' as const],
    selection: { kind: 'days' as const, dates },
    origin: 'portal' as const,
  };
}

const WEEK_OF_19_OCTOBER = ['2026-10-19', '2026-10-20', '2026-10-21', '2026-10-22', '2026-10-23'];
const WEEK_OF_26_OCTOBER = ['2026-10-26', '2026-10-27', '2026-10-28', '2026-10-29', '2026-10-30'];

describe('a holiday week, whole or not at all', () => {
  it('refuses the whole week when one day is full, saying which day and why, and books nothing', async () => {
    const t = await demoTown('2026-09-20T10:00:00+02:00');
    await enrol(t, t.zoe, 'holidays');
    await t.call('admin.setCapacity', {
      siteId: t.demo.sites.tilleuls,
      unitId: t.demo.holidays.unitIds.day as string,
      date: '2026-10-21',
      places: 0,
    });
    const r = await t.call('booking.book', holidayWeek(t, t.zoe, t.demo.sites.tilleuls, '2026-10-19'));
    expect(r.accepted).toEqual([]);
    expect(r.invoice).toBeNull();
    const whole = 'semaine refusée entière : le 2026-10-21, complet (0 place)';
    expect(r.refused.map((d) => [d.date, d.code, d.reason])).toEqual([
      ['2026-10-19', 'WEEK_INCOMPLETE', whole],
      ['2026-10-20', 'WEEK_INCOMPLETE', whole],
      ['2026-10-21', 'FULL', 'complet (0 place)'],
      ['2026-10-22', 'WEEK_INCOMPLETE', whole],
      ['2026-10-23', 'WEEK_INCOMPLETE', whole],
    ]);
    expect(await countRows(t.core, 'bookings')).toBe(0);
  });

  it('books the open days of a week with a public holiday in it: a closed day does not refuse the week', async () => {
    const t = await demoTown('2026-11-20T10:00:00+01:00');
    await enrol(t, t.zoe, 'holidays');
    const r = await t.call('booking.book', holidayWeek(t, t.zoe, t.demo.sites.tilleuls, '2026-12-28'));
    expect(r.accepted.map((d) => d.date)).toEqual(['2026-12-28', '2026-12-29', '2026-12-30', '2026-12-31']);
    expect(r.refused).toEqual([expect.objectContaining({ date: '2027-01-01', code: 'CLOSED' })]);
    // Four days at 9,00 €, paid at booking.
    expect(r.invoice).toMatchObject({ totalCents: 3600 });
  });
});

describe('one site per holiday week', () => {
  it('lets the weeks just before and just after be spent at another site', async () => {
    const t = await demoTown('2026-09-20T10:00:00+02:00');
    await enrol(t, t.zoe, 'holidays');
    await enrol(t, t.noe, 'holidays');
    const { tilleuls, parc } = t.demo.sites;
    // Zoé: Les Tilleuls, then Le Parc the next week (Friday 23 at Les Tilleuls is the week before).
    await t.call('booking.book', holidayWeek(t, t.zoe, tilleuls, '2026-10-19'));
    const zoe = await t.call('booking.book', holidayWeek(t, t.zoe, parc, '2026-10-26'));
    expect(zoe.accepted.map((d) => d.date)).toEqual(WEEK_OF_26_OCTOBER);
    // Noé the other way round: Monday 26 at Les Tilleuls is the week after.
    await t.call('booking.book', holidayWeek(t, t.noe, tilleuls, '2026-10-26'));
    const noe = await t.call('booking.book', holidayWeek(t, t.noe, parc, '2026-10-19'));
    expect(noe.accepted.map((d) => d.date)).toEqual(WEEK_OF_19_OCTOBER);
  });

  it('holds the week at the site of a single Monday, and says a week already booked there is booked', async () => {
    const t = await demoTown('2026-11-20T10:00:00+01:00');
    await enrol(t, t.zoe, 'holidays');
    const { tilleuls, parc } = t.demo.sites;
    // Les Tilleuls closes from Tuesday 22 to Thursday 24 December (25: Christmas): only Monday 21 is booked there.
    await t.call('admin.addClosure', {
      siteId: tilleuls,
      firstDay: '2026-12-22',
      lastDay: '2026-12-24',
      label: 'fermeture de Noël',
    });
    const monday = await t.call('booking.book', holidayWeek(t, t.zoe, tilleuls, '2026-12-21'));
    expect(monday.accepted.map((d) => d.date)).toEqual(['2026-12-21']);
    const elsewhere = await t.call('booking.book', holidayWeek(t, t.zoe, parc, '2026-12-21'));
    expect(elsewhere.accepted).toEqual([]);
    expect(
      elsewhere.refused.filter((d) => d.code !== 'CLOSED').map((d) => [d.date, d.code, d.reason]),
    ).toEqual(
      ['2026-12-21', '2026-12-22', '2026-12-23', '2026-12-24'].map((date) => [
        date,
        'OTHER_SITE',
        'déjà réservé cette semaine sur un autre site : une semaine se passe sur un seul site',
      ]),
    );
    const again = await t.call('booking.book', holidayWeek(t, t.zoe, tilleuls, '2026-12-21'));
    expect(again.refused.filter((d) => d.code !== 'CLOSED').map((d) => [d.date, d.code])).toEqual([
      ['2026-12-21', 'ALREADY_BOOKED'],
    ]);
  });
});

describe('what the enrolment allows', () => {
  it('books only at the site the child is enrolled at', async () => {
    const t = await demoTown();
    await enrol(t, t.zoe, 'canteen', { siteId: t.demo.sites.jaures });
    const curie = await t.call('booking.book', canteenDays(t, ['2026-09-03'], t.demo.sites.curie));
    expect(curie.accepted).toEqual([]);
    expect(curie.refused).toEqual([
      expect.objectContaining({
        date: '2026-09-03',
        code: 'OTHER_SITE',
        reason: 'inscrit(e) sur un autre site',
      }),
    ]);
    const jaures = await t.call('booking.book', canteenDays(t, ['2026-09-03']));
    expect(jaures.accepted.map((d) => d.date)).toEqual(['2026-09-03']);
  });

  it('opens this school year only: next year needs its own enrolment, validated once the file is complete', async () => {
    const t = await demoTown('2027-06-20T10:00:00+02:00');
    await enrol(t, t.zoe, 'canteen');
    // Thursday 1 July 2027 is in 2026-2027; Thursday 2 September 2027 in 2027-2028.
    const r = await t.call('booking.book', canteenDays(t, ['2027-07-01', '2027-09-02']));
    expect(r.accepted.map((d) => d.date)).toEqual(['2027-07-01']);
    expect(r.refused).toEqual([
      expect.objectContaining({
        date: '2027-09-02',
        code: 'NOT_ENROLLED',
        reason: 'Zoé n’est pas inscrit(e) à « Restauration scolaire » pour 2027-2028',
      }),
    ]);
    // Enrolled for 2027-2028 with the file not yet checked for that year: pending, still no booking.
    await enrol(t, t.zoe, 'canteen', { schoolYear: '2027-2028' });
    const pending = await t.call('booking.book', canteenDays(t, ['2027-09-02']));
    expect(pending.refused).toEqual([
      expect.objectContaining({
        code: 'ENROLMENT_PENDING',
        reason: 'inscription 2027-2028 en attente : dossier incomplet',
      }),
    ]);
  });
  it('books up to the last day of an ended enrolment, and refuses the days after it, naming that last day', async () => {
    const t = await demoTown('2026-11-20T10:00:00+01:00');
    const { enrolmentId } = await enrol(t, t.zoe, 'canteen');
    await t.call('enrolment.end', { enrolmentId, lastDay: '2026-12-08', reason: 'déménagement' });
    // Tuesday 8 December is the last day; Thursday 10 is after it.
    const r = await t.call('booking.book', canteenDays(t, ['2026-12-08', '2026-12-10']));
    expect(r.accepted.map((d) => d.date)).toEqual(['2026-12-08']);
    expect(r.refused).toEqual([
      expect.objectContaining({
        date: '2026-12-10',
        code: 'ENROLMENT_ENDED',
        reason: 'inscription terminée le 8 décembre 2026',
      }),
    ]);
  });
});

describe('how each activity is booked', () => {
  const refusal = async (
    t: DemoTown,
    activity: Activity,
    unit: string,
    selection: Record<string, unknown>,
    siteId = t.demo.sites.jaures,
  ) => {
    const r = await t.invoke('booking.book', {
      childId: t.zoe,
      activityId: t.demo[activity].activityId,
      siteId,
      unitCodes: [unit as 'meal'],
      selection: selection as { kind: 'days'; dates: string[] },
      origin: 'counter',
    });
    return r.ok ? undefined : r.error;
  };
  // The form puts the message on the choice of days, the field the agent has to change.
  const onSelection = (message: string) => ({ code: 'VALIDATION', field: 'selection', message });

  it('refuses the selections an activity is not booked by, naming the right one on the choice of days', async () => {
    const t = await demoTown('2026-09-20T10:00:00+02:00');
    for (const a of ['canteen', 'study', 'holidays'] as const) await enrol(t, t.zoe, a);
    const days = { kind: 'days', dates: ['2026-10-22'] };
    const week = { kind: 'week', weekStart: '2026-10-19' };
    const month = { kind: 'month', month: '2026-11' };
    const period = { kind: 'period', from: '2026-11-09', to: '2026-11-13', weekdays: [1, 2, 4, 5] };
    const byDay = onSelection('« Restauration scolaire » se réserve à la journée ou par période.');
    expect(await refusal(t, 'canteen', 'meal', week)).toMatchObject(byDay);
    expect(await refusal(t, 'canteen', 'meal', month)).toMatchObject(byDay);
    expect(await refusal(t, 'canteen', 'meal', period)).toBeUndefined();
    const byMonth = onSelection('« Étude surveillée » se réserve au mois.');
    expect(await refusal(t, 'study', 'month', days)).toMatchObject(byMonth);
    expect(await refusal(t, 'study', 'month', week)).toMatchObject(byMonth);
    expect(await refusal(t, 'study', 'month', month)).toBeUndefined();
    const byWeek = onSelection('« Accueil de loisirs (vacances) » se réserve à la semaine entière.');
    const tilleuls = t.demo.sites.tilleuls;
    expect(await refusal(t, 'holidays', 'day', days, tilleuls)).toMatchObject(byWeek);
    expect(await refusal(t, 'holidays', 'day', month, tilleuls)).toMatchObject(byWeek);
    expect(await refusal(t, 'holidays', 'day', week, tilleuls)).toBeUndefined();
    expect(await refusal(t, 'classTrip', 'meal', days)).toMatchObject(
      onSelection('« Classe de découverte » ne se réserve pas : l’inscription suffit.'),
    );
  });
});

describe('an activity set up without the holiday centre’s options', () => {
  // A sports camp the town books by the week with no deadline, no tariff entered yet, and no rule of one site per week.
  async function sportsCamp() {
    const t = await demoTown('2026-09-20T10:00:00+02:00');
    const { tilleuls, parc } = t.demo.sites;
    const { activityId } = await t.call('admin.saveActivity', {
      code: 'stage-sport',
      name: 'Stage multisport',
      kind: 'holiday_centre',
      settings: {
        calendar: 'holidays',
        granularity: 'week',
        bookingDeadline: { kind: 'none' },
        cancelDeadline: { kind: 'none' },
        payment: 'monthly',
        lateAdd: null,
        unbookedPresence: null,
        lateCancellationBilled: false,
        unjustifiedAbsenceBilled: false,
        flatFee: false,
        wholeWeekOneSite: false,
      },
      units: [{ code: 'day', label: 'Journée', weekdays: [1, 2, 3, 4, 5] }],
      siteIds: [tilleuls, parc],
    });
    await t.call('enrolment.enrol', { childId: t.zoe, activityId, schoolYear: '2026-2027', siteId: null });
    const week = (siteId: string) => ({
      childId: t.zoe,
      activityId,
      siteId,
      unitCodes: ['day' as const],
      selection: { kind: 'week' as const, weekStart: '2026-10-19' },
      origin: 'portal' as const,
    });
    return { t, week, tilleuls, parc };
  }

  it('shows a week with no deadline and no price rather than inventing them', async () => {
    const { t, week, tilleuls } = await sportsCamp();
    const r = await t.call('booking.preview', week(tilleuls));
    expect(r.refused).toEqual([]);
    expect(r.accepted.map((d) => [d.date, d.late, d.deadline, d.price])).toEqual(
      WEEK_OF_19_OCTOBER.map((date) => [date, false, null, null]),
    );
  });

  it('refuses the same week at another site as already booked, not for the site', async () => {
    const { t, week, tilleuls, parc } = await sportsCamp();
    await t.call('booking.book', week(tilleuls));
    const r = await t.call('booking.book', week(parc));
    expect(r.accepted).toEqual([]);
    expect(r.refused.map((d) => [d.date, d.code])).toEqual(
      WEEK_OF_19_OCTOBER.map((date) => [date, 'ALREADY_BOOKED']),
    );
  });
});

describe('several units at once', () => {
  it('books morning and evening care day by day, and refuses a unit the activity does not have', async () => {
    const t = await demoTown();
    await enrol(t, t.zoe, 'care');
    const care = (unitCodes: ('morning' | 'evening' | 'meal')[]) => ({
      childId: t.zoe,
      activityId: t.demo.care.activityId,
      siteId: t.demo.sites.jaures,
      unitCodes,
      selection: { kind: 'days' as const, dates: ['2026-09-04', '2026-09-03'] },
      origin: 'portal' as const,
    });
    const r = await t.call('booking.book', care(['morning', 'evening']));
    expect(r.accepted.map((d) => [d.date, d.unitLabel, d.price?.cents])).toEqual([
      ['2026-09-03', 'Soir', 210],
      ['2026-09-03', 'Matin', 130],
      ['2026-09-04', 'Soir', 210],
      ['2026-09-04', 'Matin', 130],
    ]);
    const again = await t.call('booking.book', care(['evening', 'morning']));
    expect(new Set(again.refused.map((d) => d.reason))).toEqual(new Set(['déjà réservé']));
    expect(again.refused.map((d) => [d.date, d.unitCode, d.code])).toEqual([
      ['2026-09-03', 'evening', 'ALREADY_BOOKED'],
      ['2026-09-03', 'morning', 'ALREADY_BOOKED'],
      ['2026-09-04', 'evening', 'ALREADY_BOOKED'],
      ['2026-09-04', 'morning', 'ALREADY_BOOKED'],
    ]);
    expect(await t.invoke('booking.book', care(['meal']))).toMatchObject({
      ok: false,
      error: {
        code: 'VALIDATION',
        message: '« Accueil périscolaire » n’a pas d’unité « meal ».',
        field: 'unitCodes',
      },
    });
  });
});

describe('the town’s calendar and the site’s places', () => {
  it('counts Good Friday out of the working days before a Wednesday in Alsace-Moselle', async () => {
    const t = await demoTown();
    await enrol(t, t.zoe, 'wednesday');
    const wednesday = {
      childId: t.zoe,
      activityId: t.demo.wednesday.activityId,
      siteId: t.demo.sites.tilleuls,
      unitCodes: ['day' as const],
      selection: { kind: 'days' as const, dates: ['2027-03-31'] },
      origin: 'portal' as const,
    };
    // Five working days before Wednesday 31 March 2027 (Easter Monday 29 a holiday): Tuesday 23 elsewhere in France.
    t.at('2027-03-23T10:00:00+01:00');
    expect((await t.call('booking.preview', wednesday)).accepted.map((d) => d.date)).toEqual(['2027-03-31']);
    // With Good Friday 26 a holiday too, the fifth working day back is Monday 22: closed since then.
    await t.call('admin.setTownCalendar', { townName: 'Ville de Belleval', zone: 'B', alsaceMoselle: true });
    expect((await t.call('booking.preview', wednesday)).refused).toEqual([
      expect.objectContaining({
        code: 'DEADLINE_PASSED',
        reason: 'Réservation close depuis le lundi 22 mars 2027 à 23 h 59',
      }),
    ]);
  });

  it('books a unit without a capacity with no limit, and tells the places left where there is one', async () => {
    const t = await demoTown();
    await enrol(t, t.zoe, 'care');
    const evening = (date: string) => ({
      childId: t.zoe,
      activityId: t.demo.care.activityId,
      siteId: t.demo.sites.jaures,
      unitCodes: ['evening' as const],
      selection: { kind: 'days' as const, dates: [date] },
      origin: 'portal' as const,
    });
    const limited = await t.call('booking.book', evening('2026-09-03'));
    expect(limited.accepted[0]).toMatchObject({ date: '2026-09-03', placesLeft: 59 });
    await t.call('admin.setCapacity', {
      siteId: t.demo.sites.jaures,
      unitId: t.demo.care.unitIds.evening as string,
      places: null,
    });
    const open = await t.call('booking.book', evening('2026-09-04'));
    expect(open.accepted[0]).toMatchObject({ date: '2026-09-04', placesLeft: null });
  });

  it('counts a day’s places down child by child, and says how many there were once it is full', async () => {
    const t = await demoTown();
    const { childId: lea } = await t.call('family.saveChild', {
      householdId: t.householdId,
      lastName: 'Lefèvre',
      firstName: 'Léa',
      birthDate: '2016-05-02',
    });
    for (const item of ['fiche_sanitaire', 'assurance']) {
      await t.call('enrolment.checkDocument', {
        householdId: t.householdId,
        schoolYear: '2026-2027',
        item,
        childId: lea,
        checked: true,
      });
    }
    for (const child of [t.zoe, t.noe, lea]) await enrol(t, child, 'care');
    await t.call('admin.setCapacity', {
      siteId: t.demo.sites.jaures,
      unitId: t.demo.care.unitIds.evening as string,
      date: '2026-09-03',
      places: 2,
    });
    const evening = (childId: string) =>
      t.call('booking.book', {
        childId,
        activityId: t.demo.care.activityId,
        siteId: t.demo.sites.jaures,
        unitCodes: ['evening'],
        selection: { kind: 'days', dates: ['2026-09-03'] },
        origin: 'portal',
      });
    expect((await evening(t.zoe)).accepted).toEqual([expect.objectContaining({ placesLeft: 1 })]);
    expect((await evening(t.noe)).accepted).toEqual([expect.objectContaining({ placesLeft: 0 })]);
    const third = await evening(lea);
    expect(third.accepted).toEqual([]);
    expect(third.refused).toEqual([
      expect.objectContaining({ date: '2026-09-03', code: 'FULL', reason: 'complet (2 places)' }),
    ]);
  });

  it('holds a full day at the end of a period that also ticks a weekday the activity does not run', async () => {
    const t = await demoTown();
    await enrol(t, t.zoe, 'care');
    await enrol(t, t.noe, 'care');
    await t.call('admin.setCapacity', {
      siteId: t.demo.sites.jaures,
      unitId: t.demo.care.unitIds.evening as string,
      date: '2026-09-18',
      places: 1,
    });
    const week = (childId: string) =>
      t.call('booking.book', {
        childId,
        activityId: t.demo.care.activityId,
        siteId: t.demo.sites.jaures,
        unitCodes: ['evening'],
        // Wednesday ticked too: no care that day.
        selection: { kind: 'period', from: '2026-09-14', to: '2026-09-18', weekdays: [1, 2, 3, 4, 5] },
        origin: 'portal',
      });
    await week(t.zoe);
    const noe = await week(t.noe);
    expect(noe.accepted.map((d) => d.date)).toEqual(['2026-09-14', '2026-09-15', '2026-09-17']);
    expect(noe.refused.map((d) => [d.date, d.code])).toEqual([
      ['2026-09-16', 'CLOSED'],
      ['2026-09-18', 'FULL'],
    ]);
  });

  it('books nothing, and says nothing refused, for a period whose ticked weekday does not fall in it', async () => {
    const t = await demoTown();
    await enrol(t, t.zoe, 'care');
    const r = await t.call('booking.book', {
      childId: t.zoe,
      activityId: t.demo.care.activityId,
      siteId: t.demo.sites.jaures,
      unitCodes: ['evening'],
      // Monday 7 September alone, with only Tuesday ticked.
      selection: { kind: 'period', from: '2026-09-07', to: '2026-09-07', weekdays: [2] },
      origin: 'portal',
    });
    expect([r.accepted, r.refused]).toEqual([[], []]);
  });

  it('lets staff book today with a reason, late, and refuses yesterday to everyone', async () => {
    const t = await demoTown();
    await enrol(t, t.zoe, 'canteen');
    t.at('2026-12-07T08:00:00+01:00');
    const counter = (dates: string[]) => ({ ...canteenDays(t, dates), origin: 'counter' as const });
    const r = await t.call('booking.book', {
      ...counter(['2026-12-04', '2026-12-07']),
      overrideReason: 'oubli',
    });
    expect(r.accepted.map((d) => [d.date, d.late])).toEqual([['2026-12-07', true]]);
    expect(r.refused).toEqual([
      expect.objectContaining({
        date: '2026-12-04',
        code: 'PAST_DAY',
        reason: 'jour passé : notez la présence sur la feuille de pointage',
      }),
    ]);
  });
});
