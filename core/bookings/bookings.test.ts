import { describe, expect, it } from 'vitest';
import { can, ROLE_PERMISSIONS, ROLES, type Role } from '../auth/roles.ts';
import { countRows, TEST_PASSWORD } from '../test/fixtures.ts';
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
    // The agent is told why, and what to add to go through.
    expect(staffNoReason.refused[0]).toMatchObject({
      code: 'REASON_REQUIRED',
      reason:
        'Réservation close depuis le jeudi 3 décembre 2026 à 23 h 59 : indiquez un motif pour réserver hors délai',
    });
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

describe('attendance holds the booking rules', () => {
  /** The Lefèvre household on Friday 4 December 2026: Zoé enrolled in the canteen and on Wednesdays, Noé in nothing. */
  async function sheetTown() {
    const t = await demoTown('2026-11-02T09:00:00+01:00');
    await enrolled(t, t.zoe, 'canteen');
    await enrolled(t, t.zoe, 'wednesday');
    t.at('2026-12-04T17:00:00+01:00');
    return t;
  }
  const mark = (
    t: DemoTown,
    childId: string,
    activity: 'canteen' | 'wednesday',
    date: string,
    status: 'present' | 'absent_justified' | 'absent_unjustified' | null = 'present',
  ) =>
    t.invoke('attendance.mark', {
      childId,
      activityId: t.demo[activity].activityId,
      siteId: activity === 'canteen' ? t.demo.sites.jaures : t.demo.sites.tilleuls,
      unitCode: activity === 'canteen' ? 'meal' : 'day',
      date,
      status,
    });

  it('refuses a presence on a public holiday, with the holiday named, and writes nothing', async () => {
    const t = await sheetTown();
    expect(await mark(t, t.zoe, 'wednesday', '2026-11-11')).toEqual({
      ok: false,
      error: {
        code: 'VALIDATION',
        field: 'date',
        message:
          'Pointage impossible le 11 novembre 2026 : jour férié : Armistice (« Mercredis récréatifs », Journée, Centre de loisirs Les Tilleuls). Vérifiez le jour choisi.',
      },
    });
    expect(await countRows(t.core, 'bookings')).toBe(0);
  });

  it('refuses a Saturday, and a school-holiday day, for the canteen', async () => {
    const t = await sheetTown();
    const saturday = await mark(t, t.zoe, 'canteen', '2026-11-14');
    expect(saturday).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'date' } });
    expect(!saturday.ok && saturday.error.message).toContain(
      'Pointage impossible le 14 novembre 2026 : pas d’accueil ce jour de la semaine',
    );
    const holidays = await mark(t, t.zoe, 'canteen', '2026-10-20');
    expect(!holidays.ok && holidays.error.message).toContain('vacances scolaires : Toussaint');
    expect(await countRows(t.core, 'bookings')).toBe(0);
  });

  it('refuses a day still to come, booked or not, but takes today’s presence without booking', async () => {
    const t = await sheetTown();
    t.at('2026-11-20T10:00:00+01:00');
    await t.call('booking.book', canteenDay(t, '2026-12-07', 'portal'));
    t.at('2026-12-04T17:00:00+01:00');
    for (const [date, status] of [
      ['2026-12-07', 'absent_justified'],
      ['2026-12-10', 'present'],
    ] as const) {
      const r = await mark(t, t.zoe, 'canteen', date, status);
      expect(r).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'date' } });
      expect(!r.ok && r.error.message).toContain('ce jour n’est pas encore arrivé');
    }
    const booked = t.core.raw.prepare('SELECT date, attendance FROM bookings ORDER BY date').all();
    expect(booked).toEqual([{ date: '2026-12-07', attendance: null }]);

    // Friday 4 December is a canteen day: a meal eaten without booking is noted, to be billed with the penalty.
    const today = await mark(t, t.zoe, 'canteen', '2026-12-04');
    expect(today).toMatchObject({ ok: true, data: { unbooked: true } });
  });

  it('refuses a child not enrolled in the activity, saying to enrol first; then takes the mark once enrolled', async () => {
    const t = await sheetTown();
    const r = await mark(t, t.noe, 'canteen', '2026-12-03');
    expect(r).toEqual({
      ok: false,
      error: {
        code: 'CONFLICT',
        field: 'childId',
        message:
          'Pointage impossible le 3 décembre 2026 : Noé n’est pas inscrit(e) à « Restauration scolaire » pour 2026-2027. Inscrivez Noé à l’activité, puis pointez à nouveau.',
      },
    });
    // Enrolled at the other school: still not on this sheet.
    await enrolled(t, t.noe, 'canteen', t.demo.sites.curie);
    const otherSite = await mark(t, t.noe, 'canteen', '2026-12-03');
    expect(!otherSite.ok && otherSite.error.message).toBe(
      'Pointage impossible le 3 décembre 2026 : Noé : inscrit(e) sur un autre site. Pointez Noé sur la feuille de son site d’inscription.',
    );
    expect(await countRows(t.core, 'bookings')).toBe(0);
    const atCurie = await t.invoke('attendance.mark', {
      childId: t.noe,
      activityId: t.demo.canteen.activityId,
      siteId: t.demo.sites.curie,
      unitCode: 'meal',
      date: '2026-12-03',
      status: 'present',
    });
    expect(atCurie).toMatchObject({ ok: true, data: { unbooked: true } });
  });

  it('still clears a mark whatever the day, so a mark noted by mistake can be taken back', async () => {
    const t = await sheetTown();
    expect((await mark(t, t.zoe, 'canteen', '2026-12-03')).ok).toBe(true);
    expect(await countRows(t.core, 'bookings')).toBe(1);
    expect(await mark(t, t.zoe, 'canteen', '2026-12-03', null)).toMatchObject({
      ok: true,
      data: { bookingId: null },
    });
    expect(await countRows(t.core, 'bookings')).toBe(0);
  });

  it('the monthly run bills the one presence that was allowed, none of the refused ones', async () => {
    const t = await sheetTown();
    const refused = [
      await mark(t, t.zoe, 'wednesday', '2026-11-11'), // Armistice
      await mark(t, t.zoe, 'canteen', '2026-11-14'), // Saturday
      await mark(t, t.noe, 'canteen', '2026-11-12'), // Noé not enrolled
    ];
    expect(refused.map((r) => r.ok)).toEqual([false, false, false]);
    expect((await mark(t, t.zoe, 'canteen', '2026-11-12')).ok).toBe(true);
    const run = await t.call('billing.runMonth', { month: '2026-11', issueDate: '2026-12-04' });
    // One meal without booking: 2,20 € + 50 % = 3,30 €.
    expect(run).toMatchObject({ invoices: 1, lines: 1, services: 1, totalCents: 330 });
    const list = await t.call('billing.listInvoices', { householdId: t.householdId });
    const invoice = await t.call('billing.getInvoice', { invoiceId: list.invoices[0]!.id });
    expect(invoice.groups.flatMap((g) => g.lines.map((l) => [g.childName, l.label, l.dates]))).toEqual([
      ['Zoé Lefèvre', 'Repas — présent sans réservation', ['2026-11-12']],
    ]);
  });
});

describe('who may go past the families’ deadline', () => {
  /** The demo town with one account per role; the clock on Friday 4 December, Monday 7's canteen closed to families. */
  async function staffedTown() {
    const t = await demoTown('2026-11-20T10:00:00+01:00');
    await enrolled(t, t.zoe, 'canteen');
    for (const role of ROLES.filter((r) => r !== 'admin')) {
      await t.call('staff.save', {
        username: role,
        displayName: `Compte ${role}`,
        role,
        password: TEST_PASSWORD,
      });
    }
    await t.call('booking.book', canteenDay(t, '2026-12-08', 'portal'));
    t.at('2026-12-04T09:00:00+01:00');
    const as = (role: Role) => t.call('auth.login', { username: role, password: TEST_PASSWORD });
    return { ...t, as };
  }
  const liveBookings = (t: DemoTown) =>
    t.core.raw.prepare('SELECT date, state, late FROM bookings ORDER BY date').all();

  it('lets each role book and cancel late, with a reason, exactly when it holds booking.override', async () => {
    const t = await staffedTown();
    for (const role of ROLES) {
      await t.as(role);
      const may = can(role, 'booking.override');
      const booked = await t.invoke('booking.book', canteenDay(t, '2026-12-07', 'counter', 'oubli signalé'));
      const cancelled = await t.invoke('booking.cancel', canteenDay(t, '2026-12-07', 'counter', 'erreur'));
      if (!can(role, 'booking.write')) {
        expect([booked, cancelled].map((r) => !r.ok && r.error.code)).toEqual(['FORBIDDEN', 'FORBIDDEN']);
        continue;
      }
      expect({ role, booked: booked.ok && booked.data.accepted.length }).toEqual({
        role,
        booked: may ? 1 : 0,
      });
      expect({ role, cancelled: cancelled.ok && cancelled.data.accepted.length }).toEqual({
        role,
        cancelled: may ? 1 : 0,
      });
    }
  });

  it('refuses a late booking and a late cancellation to a role without it, in French, and changes nothing', async () => {
    const t = await staffedTown();
    // No shipped role lacks the permission today; the counter agent's is taken away for this test.
    const shipped = ROLE_PERMISSIONS.agent;
    ROLE_PERMISSIONS.agent = shipped.filter((p) => p !== 'booking.override');
    try {
      await t.as('agent');
      const before = liveBookings(t);
      const preview = await t.call('booking.preview', canteenDay(t, '2026-12-07', 'counter', 'oubli'));
      const book = await t.call('booking.book', {
        ...canteenDay(t, '2026-12-07', 'counter', 'oubli signalé par la mère'),
        selection: { kind: 'days', dates: ['2026-12-07', '2026-12-14'] },
      });
      for (const plan of [preview, book]) {
        expect(plan.refused).toEqual([
          expect.objectContaining({
            date: '2026-12-07',
            code: 'OVERRIDE_FORBIDDEN',
            reason:
              'Réservation close depuis le jeudi 3 décembre 2026 à 23 h 59 : votre rôle ne permet pas de déroger aux délais : faites-le faire par un agent habilité',
          }),
        ]);
      }
      // The day still open to families is booked as usual, in time and not late.
      expect(book.accepted.map((d) => [d.date, d.late])).toEqual([['2026-12-14', false]]);
      const cancel = await t.call('booking.cancel', canteenDay(t, '2026-12-08', 'counter', 'enfant malade'));
      expect(cancel.accepted).toEqual([]);
      expect(cancel.refused).toEqual([
        expect.objectContaining({
          code: 'OVERRIDE_FORBIDDEN',
          reason: expect.stringMatching(
            /^Annulation impossible depuis le jeudi 3 décembre 2026 à 23 h 59 : votre rôle/,
          ),
        }),
      ]);
      expect(liveBookings(t)).toEqual([...before, { date: '2026-12-14', state: 'booked', late: 0 }]);
    } finally {
      ROLE_PERMISSIONS.agent = shipped;
    }
    // The same agent with the permission back: the late day goes through, with its reason.
    await t.as('agent');
    const late = await t.call('booking.book', canteenDay(t, '2026-12-07', 'counter', 'oubli signalé'));
    expect(late.accepted.map((d) => [d.date, d.late])).toEqual([['2026-12-07', true]]);
  });
});
