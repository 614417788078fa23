import { describe, expect, it } from 'vitest';
import { countRows } from '../test/fixtures.ts';
import { demoTown, type DemoTown } from '../test/town.ts';

async function enrolled(
  t: DemoTown,
  childId: string,
  activity: keyof DemoTown['demo'],
  siteId: string | null = null,
) {
  const a = t.demo[activity] as { activityId: string };
  return t.call('enrolment.enrol', { childId, activityId: a.activityId, schoolYear: '2026-2027', siteId });
}

const canteenDay = (
  t: DemoTown,
  date: string,
  origin: 'counter' | 'portal',
  overrideReason: string | null = null,
) => ({
  childId: t.zoe,
  activityId: t.demo.canteen.activityId,
  siteId: t.demo.sites.jaures,
  unitCodes: ['meal' as const],
  selection: { kind: 'days' as const, dates: [date] },
  origin,
  overrideReason,
});

describe('canteen deadlines (RULES.md worked examples)', () => {
  it('Monday 7 Dec 2026 can be booked by the family until Thursday 3 Dec 23:59, then only by staff with a reason, at +50 %', async () => {
    const t = await demoTown();
    await enrolled(t, t.zoe, 'canteen');

    t.at('2026-12-03T23:59:00+01:00');
    const inTime = await t.call('booking.preview', canteenDay(t, '2026-12-07', 'portal'));
    expect(inTime.accepted).toHaveLength(1);
    expect(inTime.accepted[0]).toMatchObject({ late: false, price: { cents: 220, basis: 'QF 400–699' } });

    t.at('2026-12-04T00:00:00+01:00');
    const family = await t.call('booking.book', canteenDay(t, '2026-12-07', 'portal'));
    expect(family.accepted).toEqual([]);
    expect(family.refused).toEqual([
      expect.objectContaining({
        date: '2026-12-07',
        code: 'DEADLINE_PASSED',
        reason: 'Réservation close depuis le jeudi 3 décembre 2026 à 23 h 59',
      }),
    ]);
    const staffNoReason = await t.call('booking.book', canteenDay(t, '2026-12-07', 'counter'));
    expect(staffNoReason.refused[0]).toMatchObject({ code: 'REASON_REQUIRED' });
    expect(await countRows(t.core, 'bookings')).toBe(0);

    const staff = await t.call(
      'booking.book',
      canteenDay(t, '2026-12-07', 'counter', 'oubli signalé par la mère'),
    );
    expect(staff.accepted[0]).toMatchObject({
      date: '2026-12-07',
      late: true,
      price: { cents: 330, baseCents: 220, surcharge: { cents: 110, reason: 'ajout hors délai : +50 %' } },
    });
    const grid = await t.call('booking.grid', {
      childId: t.zoe,
      activityId: t.demo.canteen.activityId,
      siteId: t.demo.sites.jaures,
      from: '2026-12-07',
      to: '2026-12-07',
    });
    expect(grid.cells[0]).toMatchObject({
      state: 'booked',
      detail: 'réservé hors délai : oubli signalé par la mère',
      modifiable: false,
    });
  });

  it('Thursday 10 Dec 2026 closes on Monday 7 Dec 23:59', async () => {
    const t = await demoTown();
    await enrolled(t, t.zoe, 'canteen');
    t.at('2026-12-07T23:59:59+01:00');
    expect((await t.call('booking.preview', canteenDay(t, '2026-12-10', 'portal'))).accepted).toHaveLength(1);
    t.at('2026-12-08T00:00:01+01:00');
    const late = await t.call('booking.preview', canteenDay(t, '2026-12-10', 'portal'));
    expect(late.refused[0]?.reason).toBe('Réservation close depuis le lundi 7 décembre 2026 à 23 h 59');
  });

  it('does not book a day gone by, even for staff: the attendance sheet records what happened', async () => {
    const t = await demoTown('2026-12-04T09:00:00+01:00');
    await enrolled(t, t.zoe, 'canteen');
    const r = await t.call('booking.preview', {
      ...canteenDay(t, '2026-12-03', 'counter', 'oubli'),
      selection: { kind: 'days', dates: ['2026-12-03', '2026-12-04'] },
    });
    expect(r.refused).toEqual([expect.objectContaining({ date: '2026-12-03', code: 'PAST_DAY' })]);
    expect(r.accepted.map((d) => [d.date, d.late])).toEqual([['2026-12-04', true]]);
  });

  it('refuses a child who is not enrolled, and a day the canteen does not run, each with its reason', async () => {
    const t = await demoTown();
    const notEnrolled = await t.call('booking.preview', canteenDay(t, '2026-12-07', 'counter'));
    expect(notEnrolled.refused[0]).toMatchObject({ code: 'NOT_ENROLLED' });
    await enrolled(t, t.zoe, 'canteen');
    const r = await t.call('booking.preview', {
      ...canteenDay(t, '2026-12-07', 'counter'),
      selection: { kind: 'days', dates: ['2026-12-09', '2026-12-25', '2026-12-21'] },
    });
    expect(r.accepted).toEqual([]);
    expect(r.refused.map((x) => `${x.date} ${x.reason}`)).toEqual([
      '2026-12-09 pas d’accueil ce jour de la semaine',
      '2026-12-21 vacances scolaires : Noël',
      '2026-12-25 jour férié : Noël',
    ]);
  });
});

describe('period bookings', () => {
  it('books every open Tuesday of the school year for evening care, skipping school holidays, and says which and why', async () => {
    const t = await demoTown('2026-08-20T10:00:00+02:00');
    await enrolled(t, t.zoe, 'care');
    const r = await t.call('booking.book', {
      childId: t.zoe,
      activityId: t.demo.care.activityId,
      siteId: t.demo.sites.jaures,
      unitCodes: ['evening'],
      selection: { kind: 'period', from: '2026-09-01', to: '2027-07-02', weekdays: [2] },
      origin: 'portal',
    });
    // Zone B 2026-2027, Tuesdays: Sep 5, Oct 2, Nov 4, Dec 3, Jan 4, Feb 3, Mar 4, Apr 2, May 4, Jun 5 = 36.
    expect(r.accepted).toHaveLength(36);
    expect(r.accepted.every((d) => !d.late && d.price?.cents === 210)).toBe(true);
    expect(r.refused.map((x) => `${x.date} ${x.reason}`)).toEqual([
      '2026-10-20 vacances scolaires : Toussaint',
      '2026-10-27 vacances scolaires : Toussaint',
      '2026-12-22 vacances scolaires : Noël',
      '2026-12-29 vacances scolaires : Noël',
      '2027-02-23 vacances scolaires : Hiver',
      '2027-03-02 vacances scolaires : Hiver',
      '2027-04-20 vacances scolaires : Printemps',
      '2027-04-27 vacances scolaires : Printemps',
    ]);
    expect(await countRows(t.core, 'bookings')).toBe(36);
  });

  it('skips public holidays in a Monday period', async () => {
    const t = await demoTown('2027-03-01T10:00:00+01:00');
    await enrolled(t, t.zoe, 'canteen');
    const r = await t.call('booking.preview', {
      ...canteenDay(t, '2027-03-08', 'portal'),
      selection: { kind: 'period', from: '2027-03-08', to: '2027-05-31', weekdays: [1] },
    });
    expect(r.refused.filter((x) => x.code === 'CLOSED').map((x) => `${x.date} ${x.reason}`)).toEqual([
      '2027-03-29 jour férié : Lundi de Pâques',
      '2027-04-19 vacances scolaires : Printemps',
      '2027-04-26 vacances scolaires : Printemps',
      '2027-05-17 jour férié : Lundi de Pentecôte',
    ]);
  });

  it('marks the days already past the deadline: refused for families, late with the surcharge for staff', async () => {
    // Sunday 13 Sep 2026, 10:00: the 48 h before Monday 14 (Sat 00:00) and Tuesday 15 (Sun 00:00) have begun.
    const t = await demoTown('2026-09-13T10:00:00+02:00');
    await enrolled(t, t.zoe, 'care');
    const request = {
      childId: t.zoe,
      activityId: t.demo.care.activityId,
      siteId: t.demo.sites.jaures,
      unitCodes: ['evening' as const],
      selection: { kind: 'period' as const, from: '2026-09-14', to: '2026-09-30', weekdays: [1, 2] },
    };
    const family = await t.call('booking.preview', { ...request, origin: 'portal' });
    expect(family.accepted.map((d) => d.date)).toEqual([
      '2026-09-21',
      '2026-09-22',
      '2026-09-28',
      '2026-09-29',
    ]);
    expect(family.refused.map((d) => `${d.date} ${d.code}`)).toEqual([
      '2026-09-14 DEADLINE_PASSED',
      '2026-09-15 DEADLINE_PASSED',
    ]);
    const staff = await t.call('booking.book', {
      ...request,
      origin: 'counter',
      overrideReason: 'rentrée : dossier arrivé tard',
    });
    expect(
      staff.accepted.filter((d) => d.late).map((d) => [d.date, d.price?.cents, d.price?.surcharge?.reason]),
    ).toEqual([
      // French number formatting: a no-break space before the euro sign.
      ['2026-09-14', 1000, 'ajout hors délai : tarif majoré 10,00\u00a0€'],
      ['2026-09-15', 1000, 'ajout hors délai : tarif majoré 10,00\u00a0€'],
    ]);
    expect(staff.accepted).toHaveLength(6);
  });
});

describe('capacity', () => {
  it('never books more children than places, even when a period crosses a full day', async () => {
    const t = await demoTown();
    await enrolled(t, t.zoe, 'care');
    await enrolled(t, t.noe, 'care');
    const evening = t.demo.care.unitIds.evening as string;
    await t.call('admin.setCapacity', {
      siteId: t.demo.sites.jaures,
      unitId: evening,
      date: '2026-09-15',
      places: 1,
    });
    const period = (childId: string) => ({
      childId,
      activityId: t.demo.care.activityId,
      siteId: t.demo.sites.jaures,
      unitCodes: ['evening' as const],
      selection: { kind: 'period' as const, from: '2026-09-14', to: '2026-09-18', weekdays: [1, 2, 4, 5] },
      origin: 'counter' as const,
    });
    await t.call('booking.book', period(t.zoe));
    const second = await t.call('booking.book', period(t.noe));
    expect(second.accepted.map((d) => d.date)).toEqual(['2026-09-14', '2026-09-17', '2026-09-18']);
    expect(second.refused).toEqual([
      expect.objectContaining({ date: '2026-09-15', code: 'FULL', reason: 'complet (1 place)' }),
    ]);
    const n = t.core.raw
      .prepare("SELECT count(*) AS n FROM bookings WHERE date = '2026-09-15' AND state = 'booked'")
      .get() as { n: number };
    expect(n.n).toBe(1);
  });
});

describe('holiday centre weeks', () => {
  it('books a whole week at one site, and refuses a second site the same week', async () => {
    const t = await demoTown('2026-09-20T10:00:00+02:00');
    await enrolled(t, t.zoe, 'holidays');
    const week = (siteId: string) => ({
      childId: t.zoe,
      activityId: t.demo.holidays.activityId,
      siteId,
      unitCodes: ['day' as const],
      selection: { kind: 'week' as const, weekStart: '2026-10-19' },
      origin: 'portal' as const,
    });
    const first = await t.call('booking.book', week(t.demo.sites.tilleuls));
    expect(first.accepted.map((d) => d.date)).toEqual([
      '2026-10-19',
      '2026-10-20',
      '2026-10-21',
      '2026-10-22',
      '2026-10-23',
    ]);
    expect(first.accepted[0]?.price?.cents).toBe(900);
    const other = await t.call('booking.book', week(t.demo.sites.parc));
    expect(other.accepted).toEqual([]);
    expect(other.refused[0]?.code).toBe('OTHER_SITE');
    const byDay = await t.invoke('booking.book', {
      ...week(t.demo.sites.parc),
      selection: { kind: 'days', dates: ['2026-10-26'] },
    });
    expect(byDay).toMatchObject({
      ok: false,
      error: {
        code: 'VALIDATION',
        message: '« Accueil de loisirs (vacances) » se réserve à la semaine entière.',
      },
    });
  });
});

describe('enrolment', () => {
  it('stays pending while the file is incomplete, listing what is missing, and is validated when it is complete', async () => {
    const t = await demoTown();
    const r = await t.call('enrolment.enrol', {
      childId: t.zoe,
      activityId: t.demo.canteen.activityId,
      schoolYear: '2027-2028',
    });
    expect(r.status).toBe('pending');
    expect(r.missing.map((m) => m.label)).toContain('Fiche sanitaire de liaison');
    t.at('2027-08-20T10:00:00+02:00');
    const blocked = await t.call('booking.preview', { ...canteenDay(t, '2027-09-06', 'counter') });
    expect(blocked.refused[0]).toMatchObject({
      code: 'ENROLMENT_PENDING',
      reason: 'inscription 2027-2028 en attente : dossier incomplet',
    });
    let last;
    for (const item of ['fiche_sanitaire', 'assurance', 'justificatif_domicile', 'reglement']) {
      last = await t.call('enrolment.checkDocument', {
        householdId: t.householdId,
        schoolYear: '2027-2028',
        item,
        checked: true,
      });
    }
    expect(last).toEqual({ missing: [], validatedEnrolments: 1 });
    const list = await t.call('enrolment.list', { householdId: t.householdId });
    expect(list.enrolments.find((e) => e.schoolYear === '2027-2028')?.status).toBe('validated');
  });

  it('refuses a second enrolment of the same child in the same activity and year', async () => {
    const t = await demoTown();
    await enrolled(t, t.zoe, 'canteen');
    const again = await t.invoke('enrolment.enrol', {
      childId: t.zoe,
      activityId: t.demo.canteen.activityId,
      schoolYear: '2026-2027',
    });
    expect(again).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
  });
});

describe('cancellation and attendance', () => {
  it('cancels in time for free, late only by staff with a reason and then billed', async () => {
    const t = await demoTown('2026-11-20T10:00:00+01:00');
    await enrolled(t, t.zoe, 'canteen');
    await t.call('booking.book', {
      ...canteenDay(t, '2026-12-07', 'portal'),
      selection: { kind: 'days', dates: ['2026-12-07', '2026-12-08'] },
    });
    const inTime = await t.call('booking.cancel', canteenDay(t, '2026-12-07', 'portal'));
    expect(inTime.accepted).toEqual([
      expect.objectContaining({ date: '2026-12-07', late: false, billed: false }),
    ]);
    t.at('2026-12-04T08:00:00+01:00');
    const family = await t.call('booking.cancel', canteenDay(t, '2026-12-08', 'portal'));
    expect(family.refused[0]).toMatchObject({
      code: 'DEADLINE_PASSED',
      reason: 'Annulation impossible depuis le jeudi 3 décembre 2026 à 23 h 59',
    });
    const staff = await t.call('booking.cancel', canteenDay(t, '2026-12-08', 'counter', 'enfant malade'));
    expect(staff.accepted[0]).toMatchObject({ late: true, billed: true });
    const row = t.core.raw
      .prepare("SELECT state, cancel_late, cancel_reason FROM bookings WHERE date = '2026-12-08'")
      .get();
    expect(row).toEqual({ state: 'cancelled', cancel_late: 1, cancel_reason: 'enfant malade' });
  });

  it('records attendance, and a presence without booking creates the billable record', async () => {
    const t = await demoTown('2026-11-20T10:00:00+01:00');
    await enrolled(t, t.zoe, 'care');
    await enrolled(t, t.noe, 'care');
    const base = {
      activityId: t.demo.care.activityId,
      siteId: t.demo.sites.jaures,
      unitCode: 'evening' as const,
      date: '2026-11-23',
    };
    await t.call('booking.book', {
      childId: t.zoe,
      activityId: t.demo.care.activityId,
      siteId: t.demo.sites.jaures,
      unitCodes: ['evening'],
      selection: { kind: 'days', dates: ['2026-11-23'] },
      origin: 'portal',
    });
    t.at('2026-11-23T18:00:00+01:00');
    await t.call('attendance.mark', { ...base, childId: t.zoe, status: 'absent_justified' });
    const walkIn = await t.call('attendance.mark', { ...base, childId: t.noe, status: 'present' });
    expect(walkIn.unbooked).toBe(true);
    const sheet = await t.call('attendance.sheet', {
      activityId: base.activityId,
      siteId: base.siteId,
      unitCode: 'evening',
      date: base.date,
    });
    expect(sheet.counts).toEqual({ booked: 2, present: 1, absent: 1, unmarked: 0 });
    expect(sheet.children.map((c) => `${c.firstName} ${c.attendance} ${c.unbooked}`)).toEqual([
      'Noé present true',
      'Zoé absent_justified false',
    ]);
    const absentWithoutBooking = await t.invoke('attendance.mark', {
      ...base,
      date: '2026-11-20',
      childId: t.noe,
      status: 'absent_unjustified',
    });
    expect(absentWithoutBooking).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
  });
});
