import { describe, expect, it } from 'vitest';
import { demoTown, type DemoTown } from '../test/town.ts';

/**
 * The seed scenarios of issue 4, each total worked out by hand in the comments. The Lefèvre household has a QF of
 * 640 (CAF, from January 2026): bracket 400–699 everywhere. Demo tariffs in that bracket: meal 2,20 €, morning care
 * 1,30 €, evening care 2,10 €, holiday-centre day 9,00 €, study 20,00 € a month, sports school 60,00 € (flat).
 */

type Activity = Exclude<keyof DemoTown['demo'], 'sites'>;

async function enrol(t: DemoTown, childId: string, activity: Activity, groupId: string | null = null) {
  return t.call('enrolment.enrol', {
    childId,
    activityId: t.demo[activity].activityId,
    schoolYear: '2026-2027',
    groupId,
  });
}

const SEPTEMBER_SCHOOL_DAYS = [
  '2026-09-01',
  '2026-09-03',
  '2026-09-04',
  '2026-09-07',
  '2026-09-08',
  '2026-09-10',
  '2026-09-11',
  '2026-09-14',
  '2026-09-15',
  '2026-09-17',
  '2026-09-18',
  '2026-09-21',
  '2026-09-22',
  '2026-09-24',
  '2026-09-25',
  '2026-09-28',
  '2026-09-29',
];

function canteen(
  t: DemoTown,
  childId: string,
  selection:
    { kind: 'days'; dates: string[] } | { kind: 'period'; from: string; to: string; weekdays: number[] },
  origin: 'counter' | 'portal' = 'portal',
  overrideReason: string | null = null,
) {
  return {
    childId,
    activityId: t.demo.canteen.activityId,
    siteId: t.demo.sites.jaures,
    unitCodes: ['meal' as const],
    selection,
    origin,
    overrideReason,
  };
}

/** Zoé booked for every canteen day of September 2026, in August, by the family. */
async function septemberMeals(t: DemoTown) {
  await enrol(t, t.zoe, 'canteen');
  const r = await t.call(
    'booking.book',
    canteen(t, t.zoe, { kind: 'period', from: '2026-09-01', to: '2026-09-30', weekdays: [1, 2, 4, 5] }),
  );
  expect(r.accepted.map((d) => d.date)).toEqual(SEPTEMBER_SCHOOL_DAYS);
  expect(r.invoice).toBeNull();
}

async function runSeptember(t: DemoTown, issueDate = '2026-10-02') {
  t.at(`${issueDate}T09:00:00+02:00`);
  return t.call('billing.runMonth', { month: '2026-09', issueDate });
}

async function onlyInvoice(t: DemoTown) {
  const list = await t.call('billing.listInvoices', { householdId: t.householdId });
  expect(list.invoices).toHaveLength(1);
  return t.call('billing.getInvoice', { invoiceId: list.invoices[0]!.id });
}

const lines = (inv: Awaited<ReturnType<typeof onlyInvoice>>) => inv.groups.flatMap((g) => g.lines);

describe('the monthly single invoice (seed scenarios)', () => {
  it('bills a month of booked meals: 17 × 2,20 € = 37,40 €, issued early October, due 25 October', async () => {
    const t = await demoTown();
    await septemberMeals(t);
    const run = await runSeptember(t);
    // 17 meals × 220 = 3,740 cents.
    expect(run).toMatchObject({
      invoices: 1,
      lines: 1,
      services: 17,
      totalCents: 3740,
      dueDate: '2026-10-25',
      firstNumber: 'FAC-2026-000001',
      lastNumber: 'FAC-2026-000001',
    });
    const inv = await onlyInvoice(t);
    expect(inv).toMatchObject({
      number: 'FAC-2026-000001',
      kind: 'monthly',
      issueDate: '2026-10-02',
      dueDate: '2026-10-25',
      periodMonth: '2026-09',
      totalCents: 3740,
      remainingCents: 3740,
    });
    expect(inv.payerName).toBe('Mme Sophie Lefèvre');
    expect(inv.payerAddress).toBe('12 rue des Tilleuls\n45000 Orléans');
    expect(inv.groups).toHaveLength(1);
    expect(inv.groups[0]).toMatchObject({
      childName: 'Zoé Lefèvre',
      activityName: 'Restauration scolaire',
      totalCents: 3740,
    });
    expect(lines(inv)).toEqual([
      expect.objectContaining({
        label: 'Repas',
        kind: 'booked',
        dates: SEPTEMBER_SCHOOL_DAYS,
        quantity: 17,
        unitPriceCents: 220,
        amountCents: 3740,
        qfValue: 640,
        basis: 'QF 400–699',
        surchargeReason: null,
      }),
    ]);
    expect(lines(inv)[0]!.services).toHaveLength(17);
    expect(lines(inv)[0]!.explanation).toBe(
      '17 × Repas (les 1, 3, 4, 7, 8, 10, 11, 14, 15, 17, 18, 21, 22, 24, 25, 28 et 29 sept. 2026), Restauration scolaire, Zoé Lefèvre — réservé.' +
        ' QF 640, tranche 400–699 : 2,20\u00a0€. Montant : 37,40\u00a0€.',
    );
  });

  it('bills a meal eaten without booking at the price + 50 %: 2,20 + 1,10 = 3,30 €', async () => {
    const t = await demoTown();
    await septemberMeals(t);
    await enrol(t, t.noe, 'canteen');
    t.at('2026-09-14T13:00:00+02:00');
    const walkIn = await t.call('attendance.mark', {
      childId: t.noe,
      activityId: t.demo.canteen.activityId,
      siteId: t.demo.sites.jaures,
      unitCode: 'meal',
      date: '2026-09-14',
      status: 'present',
    });
    expect(walkIn.unbooked).toBe(true);
    const run = await runSeptember(t);
    // Zoé 37,40 € + Noé 3,30 € = 40,70 €, one invoice for the household.
    expect(run).toMatchObject({ invoices: 1, lines: 2, services: 18, totalCents: 4070 });
    const inv = await onlyInvoice(t);
    const noe = inv.groups.find((g) => g.childName === 'Noé Lefèvre');
    expect(noe?.lines).toEqual([
      expect.objectContaining({
        kind: 'unbooked',
        label: 'Repas — présent sans réservation',
        dates: ['2026-09-14'],
        baseCents: 220,
        surchargeCents: 110,
        unitPriceCents: 330,
        amountCents: 330,
        surchargeReason: 'présence sans réservation : +50 %',
      }),
    ]);
  });

  it('bills a late cancellation, not one in time: 16 × 2,20 € = 35,20 €', async () => {
    const t = await demoTown();
    await septemberMeals(t);
    // Thursday 17: cancellable until Monday 14 at 23:59; cancelled on the 10th by the family: not billed.
    t.at('2026-09-10T08:00:00+02:00');
    const inTime = await t.call('booking.cancel', canteen(t, t.zoe, { kind: 'days', dates: ['2026-09-17'] }));
    expect(inTime.accepted[0]).toMatchObject({ late: false, billed: false });
    // Monday 21: cancellable until Thursday 17; cancelled by staff on Friday 18, with a reason: billed.
    t.at('2026-09-18T08:00:00+02:00');
    const late = await t.call(
      'booking.cancel',
      canteen(t, t.zoe, { kind: 'days', dates: ['2026-09-21'] }, 'counter', 'enfant malade'),
    );
    expect(late.accepted[0]).toMatchObject({ late: true, billed: true });
    const run = await runSeptember(t);
    // 17 booked − 1 cancelled in time = 16 billed (the late cancellation among them) × 220 = 3,520.
    expect(run).toMatchObject({ services: 16, totalCents: 3520 });
    const inv = await onlyInvoice(t);
    expect(lines(inv).map((l) => [l.label, l.quantity, l.amountCents])).toEqual([
      ['Repas', 15, 3300],
      ['Repas — annulé hors délai', 1, 220],
    ]);
    expect(lines(inv)[1]!.dates).toEqual(['2026-09-21']);
    expect(lines(inv).some((l) => l.dates.includes('2026-09-17'))).toBe(false);
  });

  it('names the surcharge of a meal added late then cancelled late for what it is: 3,30 €', async () => {
    const t = await demoTown();
    await enrol(t, t.zoe, 'canteen');
    // Monday 21: bookable by families until Thursday 17; added by staff on Friday 18 (+50 %), cancelled on Saturday.
    t.at('2026-09-18T08:00:00+02:00');
    const added = await t.call(
      'booking.book',
      canteen(t, t.zoe, { kind: 'days', dates: ['2026-09-21'] }, 'counter', 'oubli des parents'),
    );
    expect(added.accepted[0]).toMatchObject({ late: true, price: { cents: 330 } });
    t.at('2026-09-19T08:00:00+02:00');
    await t.call(
      'booking.cancel',
      canteen(t, t.zoe, { kind: 'days', dates: ['2026-09-21'] }, 'counter', 'enfant malade'),
    );
    const run = await runSeptember(t);
    expect(run).toMatchObject({ services: 1, totalCents: 330 });
    const [line] = lines(await onlyInvoice(t));
    // Not « ajout hors délai » alone on a cancelled line: the family reads why a cancelled meal costs 3,30 €.
    expect(line).toMatchObject({
      label: 'Repas — annulé hors délai',
      surchargeCents: 110,
      surchargeReason: 'majoration de l’ajout hors délai, maintenue malgré l’annulation tardive : +50 %',
    });
  });

  it('does not bill a justified absence, bills an unjustified one: 16 × 2,20 € = 35,20 €', async () => {
    const t = await demoTown();
    await septemberMeals(t);
    const mark = (date: string, status: 'absent_justified' | 'absent_unjustified' | 'present') =>
      t.call('attendance.mark', {
        childId: t.zoe,
        activityId: t.demo.canteen.activityId,
        siteId: t.demo.sites.jaures,
        unitCode: 'meal',
        date,
        status,
      });
    t.at('2026-09-30T18:00:00+02:00');
    await mark('2026-09-08', 'absent_justified');
    await mark('2026-09-10', 'absent_unjustified');
    await mark('2026-09-11', 'present');
    const run = await runSeptember(t);
    // 17 − 1 justified = 16 × 220 = 3,520.
    expect(run).toMatchObject({ services: 16, totalCents: 3520 });
    const inv = await onlyInvoice(t);
    expect(lines(inv).some((l) => l.dates.includes('2026-09-08'))).toBe(false);
    expect(lines(inv).find((l) => l.kind === 'unjustified_absence')).toMatchObject({
      dates: ['2026-09-10'],
      quantity: 1,
      amountCents: 220,
    });
    // Present and not yet marked bill alike, on one line: 15 × 2,20 €.
    expect(lines(inv).find((l) => l.kind === 'booked')).toMatchObject({ quantity: 15, amountCents: 3300 });
  });

  it('bills evening care added late by staff at the 10 € tarif majoré: 10,00 + 2,10 = 12,10 €', async () => {
    const t = await demoTown();
    await enrol(t, t.zoe, 'care');
    const evening = (date: string, origin: 'counter' | 'portal', reason: string | null = null) => ({
      childId: t.zoe,
      activityId: t.demo.care.activityId,
      siteId: t.demo.sites.jaures,
      unitCodes: ['evening' as const],
      selection: { kind: 'days' as const, dates: [date] },
      origin,
      overrideReason: reason,
    });
    t.at('2026-09-10T10:00:00+02:00');
    // Friday 11 is inside the 48 h: only staff, late, at 10 €; Monday 14 is in time, at 2,10 €.
    const late = await t.call('booking.book', evening('2026-09-11', 'counter', 'réunion tardive du parent'));
    expect(late.accepted[0]).toMatchObject({ late: true, price: { cents: 1000 } });
    await t.call('booking.book', evening('2026-09-14', 'portal'));
    const run = await runSeptember(t);
    // 1,000 + 210 = 1,210.
    expect(run).toMatchObject({ lines: 2, totalCents: 1210 });
    const inv = await onlyInvoice(t);
    expect(lines(inv)).toEqual([
      expect.objectContaining({
        kind: 'booked',
        dates: ['2026-09-14'],
        amountCents: 210,
        surchargeReason: null,
      }),
      expect.objectContaining({
        kind: 'late_add',
        label: 'Soir — réservé hors délai',
        dates: ['2026-09-11'],
        baseCents: 210,
        surchargeCents: 790,
        amountCents: 1000,
        surchargeReason: 'ajout hors délai : tarif majoré 10,00\u00a0€',
      }),
    ]);
  });

  it('bills study as a flat monthly fee with no presence at all: 20,00 €', async () => {
    const t = await demoTown();
    await enrol(t, t.zoe, 'study');
    const r = await t.call('booking.book', {
      childId: t.zoe,
      activityId: t.demo.study.activityId,
      siteId: t.demo.sites.jaures,
      unitCodes: ['month'],
      selection: { kind: 'month', month: '2026-09' },
      origin: 'portal',
    });
    expect(r.accepted).toHaveLength(1);
    const run = await runSeptember(t);
    // One month × 2,000 cents, whatever the attendance (none was taken).
    expect(run).toMatchObject({ lines: 1, totalCents: 2000 });
    const inv = await onlyInvoice(t);
    expect(lines(inv)[0]).toMatchObject({
      kind: 'flat_fee',
      label: 'Forfait mensuel',
      dates: [],
      period: '2026-09',
      quantity: 1,
      amountCents: 2000,
    });
  });

  it('prices each month with the QF in force that month, never the current one', async () => {
    const t = await demoTown();
    await enrol(t, t.zoe, 'canteen');
    await t.call('booking.book', canteen(t, t.zoe, { kind: 'days', dates: ['2026-09-28', '2026-10-01'] }));
    // A QF of 1,600 from October, entered before the September run: September keeps 640 (2,20 €).
    t.at('2026-10-01T09:00:00+02:00');
    await t.call('family.addQf', {
      householdId: t.householdId,
      value: 1600,
      source: 'CAF',
      effectiveMonth: '2026-10',
    });
    const sept = await runSeptember(t);
    expect(sept.totalCents).toBe(220);
    t.at('2026-11-02T09:00:00+01:00');
    const oct = await t.call('billing.runMonth', { month: '2026-10', issueDate: '2026-11-02' });
    // October: QF 1,600 → bracket ≥ 1500 → 4,80 €.
    expect(oct).toMatchObject({ totalCents: 480, dueDate: '2026-11-25', firstNumber: 'FAC-2026-000002' });
  });
});

describe('pay-at-booking invoices (counter series)', () => {
  it('invoices a holiday week at booking: 5 × 9,00 € = 45,00 €, due the same day, never on the monthly run', async () => {
    const t = await demoTown('2026-09-20T10:00:00+02:00');
    await enrol(t, t.zoe, 'holidays');
    const r = await t.call('booking.book', {
      childId: t.zoe,
      activityId: t.demo.holidays.activityId,
      siteId: t.demo.sites.tilleuls,
      unitCodes: ['day'],
      selection: { kind: 'week', weekStart: '2026-10-19' },
      origin: 'portal',
    });
    // Monday 19 to Friday 23 October: 5 days × 900 = 4,500.
    expect(r.accepted).toHaveLength(5);
    expect(r.invoice).toEqual({ invoiceId: expect.any(String), number: 'GUI-2026-000001', totalCents: 4500 });
    const inv = await t.call('billing.getInvoice', { invoiceId: r.invoice!.invoiceId });
    expect(inv).toMatchObject({
      kind: 'booking',
      issueDate: '2026-09-20',
      dueDate: '2026-09-20',
      periodMonth: null,
      totalCents: 4500,
    });
    expect(lines(inv)).toEqual([
      expect.objectContaining({
        label: 'Journée avec repas',
        quantity: 5,
        unitPriceCents: 900,
        basis: 'QF 400–699',
        dates: ['2026-10-19', '2026-10-20', '2026-10-21', '2026-10-22', '2026-10-23'],
      }),
    ]);

    t.at('2026-11-02T09:00:00+01:00');
    const oct = await t.call('billing.runMonth', { month: '2026-10', issueDate: '2026-11-02' });
    expect(oct).toMatchObject({ invoices: 0, totalCents: 0 });
  });

  it('refuses the whole booking when a refused day leaves nothing to invoice, and invoices nothing then', async () => {
    const t = await demoTown('2026-09-20T10:00:00+02:00');
    const r = await t.call('booking.book', {
      childId: t.zoe,
      activityId: t.demo.holidays.activityId,
      siteId: t.demo.sites.tilleuls,
      unitCodes: ['day'],
      selection: { kind: 'week', weekStart: '2026-10-19' },
      origin: 'portal',
    });
    expect(r.accepted).toEqual([]);
    expect(r.invoice).toBeNull();
  });

  it('invoices the sports school at enrolment with its group: 60,00 €', async () => {
    const t = await demoTown();
    const groups = (await t.call('activities.list', {})).find(
      (a) => a.id === t.demo.sports.activityId,
    )!.groups;
    const r = await enrol(t, t.zoe, 'sports', groups[0]!.id);
    expect(r.invoice).toMatchObject({ number: 'GUI-2026-000001', totalCents: 6000 });
    const inv = await t.call('billing.getInvoice', { invoiceId: r.invoice!.invoiceId });
    expect(inv.groups[0]!.lines[0]).toMatchObject({
      kind: 'enrolment',
      period: '2026-2027',
      unitLabel: `Inscription — ${groups[0]!.name}`,
      basis: 'tarif unique',
    });
    const canteenEnrolment = await enrol(t, t.noe, 'canteen');
    expect(canteenEnrolment.invoice).toBeNull();
  });
});

describe('reruns, credit notes, unpaid', () => {
  it('reruns bill only what appeared since: a presence marked after the run is billed once, on a second invoice', async () => {
    const t = await demoTown();
    await septemberMeals(t);
    await enrol(t, t.noe, 'canteen');
    expect(await runSeptember(t)).toMatchObject({ invoices: 1, totalCents: 3740 });
    expect(await runSeptember(t, '2026-10-03')).toMatchObject({
      invoices: 0,
      lines: 0,
      totalCents: 0,
      firstNumber: null,
    });
    // The attendance sheet of 29 September is corrected on 5 October: Noé ate without booking.
    t.at('2026-10-05T09:00:00+02:00');
    await t.call('attendance.mark', {
      childId: t.noe,
      activityId: t.demo.canteen.activityId,
      siteId: t.demo.sites.jaures,
      unitCode: 'meal',
      date: '2026-09-29',
      status: 'present',
    });
    const preview = await t.call('billing.previewMonth', { month: '2026-09' });
    expect(preview.totals).toEqual({ households: 1, lines: 1, services: 1, totalCents: 330 });
    const rerun = await runSeptember(t, '2026-10-05');
    // 2,20 × 1,5 = 3,30 €, due 25 October (20 days left, more than the 15-day minimum).
    expect(rerun).toMatchObject({
      invoices: 1,
      lines: 1,
      totalCents: 330,
      firstNumber: 'FAC-2026-000002',
      dueDate: '2026-10-25',
    });
    expect(await runSeptember(t, '2026-10-06')).toMatchObject({ invoices: 0 });
    const raw = t.core.raw
      .prepare('SELECT count(*) AS n, count(DISTINCT booking_id) AS d FROM billed_services')
      .get();
    expect(raw).toEqual({ n: 18, d: 18 });
  });

  it('refuses a run before the month is over, in the future, or dated before the last invoice of the series', async () => {
    const t = await demoTown();
    await septemberMeals(t);
    await enrol(t, t.noe, 'canteen');
    await t.call('booking.book', canteen(t, t.zoe, { kind: 'days', dates: ['2026-10-12'] }));
    t.at('2026-10-10T09:00:00+02:00');
    expect(await t.invoke('billing.runMonth', { month: '2026-09', issueDate: '2026-09-30' })).toMatchObject({
      ok: false,
      error: {
        code: 'VALIDATION',
        field: 'issueDate',
        message:
          'Les services de septembre 2026 se facturent une fois le mois terminé, à partir du 1 octobre 2026.',
      },
    });
    expect(await t.invoke('billing.runMonth', { month: '2026-09', issueDate: '2026-10-11' })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION' },
    });
    await t.call('billing.runMonth', { month: '2026-09', issueDate: '2026-10-05' });
    t.at('2026-11-10T09:00:00+01:00');
    expect(await t.invoke('billing.runMonth', { month: '2026-10', issueDate: '2026-10-04' })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION' },
    });
    // A late correction run for September dated before the last monthly invoice breaks chronology.
    expect(await t.call('billing.runMonth', { month: '2026-10', issueDate: '2026-11-03' })).toMatchObject({
      invoices: 1,
    });
    await t.call('attendance.mark', {
      childId: t.noe,
      activityId: t.demo.canteen.activityId,
      siteId: t.demo.sites.jaures,
      unitCode: 'meal',
      date: '2026-09-29',
      status: 'present',
    });
    const backwards = await t.invoke('billing.runMonth', { month: '2026-09', issueDate: '2026-11-02' });
    expect(backwards).toMatchObject({ ok: false, error: { code: 'CONFLICT', field: 'issueDate' } });
  });

  it('moves the due date of a late run so the family keeps 15 days', async () => {
    const t = await demoTown();
    await septemberMeals(t);
    const run = await runSeptember(t, '2026-10-20');
    // 25 October would leave 5 days: 25 November instead.
    expect(run.dueDate).toBe('2026-11-25');
  });

  it('corrects an invoice by credit notes, never beyond what remains, and lists what is left', async () => {
    const t = await demoTown();
    await septemberMeals(t);
    await runSeptember(t);
    const inv = await onlyInvoice(t);
    const meals = lines(inv)[0]!;
    t.at('2026-10-06T10:00:00+02:00');
    const first = meals.services[0]!;
    const partial = await t.call('billing.creditNote', {
      invoiceId: inv.id,
      reason: 'Repas du 1er septembre non servi (grève)',
      lines: [{ invoiceLineId: meals.id, amountCents: 220, bookingId: first.bookingId }],
    });
    // 3,740 − 220 = 3,520 left.
    expect(partial).toMatchObject({
      number: 'AV-2026-000001',
      totalCents: 220,
      invoiceNumber: 'FAC-2026-000001',
      invoiceRemainingCents: 3520,
    });
    const sameService = await t.invoke('billing.creditNote', {
      invoiceId: inv.id,
      reason: 'erreur',
      lines: [{ invoiceLineId: meals.id, amountCents: 220, bookingId: first.bookingId }],
    });
    expect(sameService).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', message: 'Ce service a déjà fait l’objet d’un avoir.' },
    });
    const moreThanAMeal = await t.invoke('billing.creditNote', {
      invoiceId: inv.id,
      reason: 'erreur',
      lines: [{ invoiceLineId: meals.id, amountCents: 221, bookingId: meals.services[1]!.bookingId }],
    });
    expect(moreThanAMeal).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', field: 'lines.0.amountCents' },
    });
    const gesture = await t.call('billing.creditNote', {
      invoiceId: inv.id,
      reason: 'Geste commercial',
      lines: [{ invoiceLineId: meals.id, amountCents: 100 }],
    });
    // 3,520 − 100 = 3,420 left.
    expect(gesture).toMatchObject({ number: 'AV-2026-000002', totalCents: 100, invoiceRemainingCents: 3420 });
    const tooMuch = await t.invoke('billing.creditNote', {
      invoiceId: inv.id,
      reason: 'erreur',
      lines: [{ invoiceLineId: meals.id, amountCents: 3421 }],
    });
    expect(tooMuch).toMatchObject({
      ok: false,
      error: {
        code: 'VALIDATION',
        field: 'lines.0.amountCents',
        message:
          'Montant supérieur à ce qui reste sur la ligne (34,20\u00a0€) : un avoir ne dépasse jamais la facture.',
      },
    });
    const whole = await t.call('billing.creditNote', {
      invoiceId: inv.id,
      reason: 'Facture annulée : enfant inscrit par erreur',
    });
    expect(whole).toMatchObject({ number: 'AV-2026-000003', totalCents: 3420, invoiceRemainingCents: 0 });
    const nothingLeft = await t.invoke('billing.creditNote', { invoiceId: inv.id, reason: 'encore' });
    expect(nothingLeft).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });

    const list = await t.call('billing.listInvoices', { householdId: t.householdId });
    expect(list.invoices[0]).toMatchObject({ totalCents: 3740, creditedCents: 3740, remainingCents: 0 });
    expect(list.invoices[0]!.creditNotes.map((c) => [c.number, c.totalCents])).toEqual([
      ['AV-2026-000001', 220],
      ['AV-2026-000002', 100],
      ['AV-2026-000003', 3420],
    ]);
    const detail = await t.call('billing.getInvoice', { invoiceId: inv.id });
    expect(detail.groups[0]!.lines[0]).toMatchObject({ amountCents: 3740, creditedCents: 3740 });
  });

  it('lists a justified absence marked after the run as a line to credit', async () => {
    const t = await demoTown();
    await septemberMeals(t);
    await runSeptember(t);
    t.at('2026-10-05T09:00:00+02:00');
    await t.call('attendance.mark', {
      childId: t.zoe,
      activityId: t.demo.canteen.activityId,
      siteId: t.demo.sites.jaures,
      unitCode: 'meal',
      date: '2026-09-29',
      status: 'absent_justified',
    });
    const preview = await t.call('billing.previewMonth', { month: '2026-09' });
    expect(preview.totals.lines).toBe(0);
    expect(preview.corrections).toEqual([
      expect.objectContaining({
        invoiceNumber: 'FAC-2026-000001',
        date: '2026-09-29',
        billedCents: 220,
        reason: 'absence justifiée',
      }),
    ]);
    // Credited by name, the service leaves the list.
    const c = preview.corrections[0]!;
    await t.call('billing.creditNote', {
      invoiceId: c.invoiceId,
      reason: `Absence justifiée du ${c.date}`,
      lines: [{ invoiceLineId: c.invoiceLineId, amountCents: c.billedCents, bookingId: c.bookingId }],
    });
    expect((await t.call('billing.previewMonth', { month: '2026-09' })).corrections).toEqual([]);
  });

  it('lists unpaid invoices past due for the public accountant, flagging debts under 15 €', async () => {
    const t = await demoTown('2026-09-20T10:00:00+02:00');
    await enrol(t, t.zoe, 'canteen');
    await t.call('booking.book', canteen(t, t.zoe, { kind: 'days', dates: ['2026-09-28', '2026-09-29'] }));
    await enrol(t, t.zoe, 'holidays');
    await t.call('booking.book', {
      childId: t.zoe,
      activityId: t.demo.holidays.activityId,
      siteId: t.demo.sites.tilleuls,
      unitCodes: ['day'],
      selection: { kind: 'week', weekStart: '2026-10-19' },
      origin: 'portal',
    });
    await runSeptember(t);
    const onDue = await t.call('billing.unpaid', { asOf: '2026-10-25' });
    // The holiday invoice was due on 20 September; the September one is due on 25 October, not yet overdue.
    expect(onDue.invoices.map((i) => [i.number, i.remainingCents, i.belowMinimum])).toEqual([
      ['GUI-2026-000001', 4500, false],
    ]);
    const later = await t.call('billing.unpaid', { asOf: '2026-10-26' });
    // 2 meals × 2,20 = 4,40 € < 15 € flagged; the household owes 45,00 + 4,40 = 49,40 € in all, above the minimum.
    expect(later.invoices.map((i) => [i.number, i.remainingCents, i.belowMinimum])).toEqual([
      ['GUI-2026-000001', 4500, false],
      ['FAC-2026-000001', 440, true],
    ]);
    expect(later.debtors).toEqual([
      expect.objectContaining({
        householdName: 'Lefèvre',
        remainingCents: 4940,
        invoices: 2,
        belowMinimum: false,
      }),
    ]);
    expect(later.minimumCents).toBe(1500);
  });

  it('refuses at the database level to change or delete an issued invoice', async () => {
    const t = await demoTown();
    await septemberMeals(t);
    await runSeptember(t);
    expect(() => t.core.raw.prepare('UPDATE invoices SET total_cents = 0').run()).toThrow(/document émis/);
    expect(() => t.core.raw.prepare('DELETE FROM invoice_lines').run()).toThrow(/document émis/);
    expect(() => t.core.raw.prepare('UPDATE series SET next_number = 1').run()).toThrow(
      /ne se réutilise pas/,
    );
    expect(() => t.core.raw.prepare('DELETE FROM billed_services').run()).toThrow(/document émis/);
    // A service billed twice cannot even be written.
    expect(() =>
      t.core.raw
        .prepare(
          'INSERT INTO billed_services SELECT booking_id, invoice_line_id, service_date FROM billed_services LIMIT 1',
        )
        .run(),
    ).toThrow(/UNIQUE/);
  });
});
