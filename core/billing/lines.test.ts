import { describe, expect, it } from 'vitest';
import type { QfRecord } from '../family/qf.ts';
import { demoTown, type DemoTown } from '../test/town.ts';
import { loadCatalogue, type Catalogue } from './catalogue.ts';
import { priceGroups, type Anomaly, type ServiceGroup } from './lines.ts';

/**
 * How services become invoice lines (core/billing/lines.ts): the tariff of each service's date, the QF of its
 * month, and one line per child, unit, reason and price. The demo town's canteen costs 2,20 € at QF 640 (bracket
 * 400–699) and 4,80 € at QF 1,600 (≥ 1500); its study 20,00 € a month at QF 640.
 */

async function enrolAndBook(t: DemoTown, dates: string[]) {
  await t.call('enrolment.enrol', {
    childId: t.zoe,
    activityId: t.demo.canteen.activityId,
    schoolYear: '2026-2027',
  });
  const r = await t.call('booking.book', {
    childId: t.zoe,
    activityId: t.demo.canteen.activityId,
    siteId: t.demo.sites.jaures,
    unitCodes: ['meal'],
    selection: { kind: 'days', dates },
    origin: 'portal',
  });
  expect(r.accepted).toHaveLength(dates.length);
}

describe('a tariff changing during a month (through the monthly run)', () => {
  it('bills the meals before the new tariff at the old price and from its first day at the new one', async () => {
    const t = await demoTown();
    await enrolAndBook(t, ['2026-09-10', '2026-09-11', '2026-09-14', '2026-09-15', '2026-09-17']);
    // The council raises the 400–699 meal from 2,20 € to 2,40 € on Tuesday 15 September.
    await t.call('admin.saveTariff', {
      activityId: t.demo.canteen.activityId,
      unitCode: 'meal',
      validFrom: '2026-09-15',
      data: {
        mode: 'brackets',
        brackets: [
          { min: 0, max: 399, cents: 100 },
          { min: 400, max: 699, cents: 240 },
          { min: 700, max: null, cents: 350 },
        ],
        noQf: 500,
      },
    });
    t.at('2026-10-02T09:00:00+02:00');
    const run = await t.call('billing.runMonth', { month: '2026-09', issueDate: '2026-10-02' });
    // 3 × 2,20 + 2 × 2,40 = 6,60 + 4,80 = 11,40 €.
    expect(run.totalCents).toBe(1140);
    const list = await t.call('billing.listInvoices', { householdId: t.householdId });
    const invoice = await t.call('billing.getInvoice', { invoiceId: list.invoices[0]!.id });
    expect(
      invoice.groups.flatMap((g) => g.lines).map((l) => [l.quantity, l.unitPriceCents, l.dates]),
    ).toEqual([
      [3, 220, ['2026-09-10', '2026-09-11', '2026-09-14']],
      [2, 240, ['2026-09-15', '2026-09-17']],
    ]);
  });
});

describe('two tariff changes in one month', () => {
  it('bills each meal at the price in force on its day: three prices on one invoice', async () => {
    const t = await demoTown();
    await enrolAndBook(t, ['2026-09-10', '2026-09-15', '2026-09-17', '2026-09-18']);
    const meal = (cents: number) => ({
      mode: 'brackets' as const,
      brackets: [
        { min: 0, max: 399, cents: 100 },
        { min: 400, max: 699, cents },
        { min: 700, max: null, cents: 350 },
      ],
      noQf: 500,
    });
    // Raised to 2,40 € on the 15th, then to 2,60 € on the 17th (the council's second vote of the month).
    for (const [validFrom, cents] of [
      ['2026-09-15', 240],
      ['2026-09-17', 260],
    ] as const) {
      await t.call('admin.saveTariff', {
        activityId: t.demo.canteen.activityId,
        unitCode: 'meal',
        validFrom,
        data: meal(cents),
      });
    }
    t.at('2026-10-02T09:00:00+02:00');
    const run = await t.call('billing.runMonth', { month: '2026-09', issueDate: '2026-10-02' });
    // 2,20 + 2,40 + 2 × 2,60 = 9,80 €.
    expect(run.totalCents).toBe(980);
    const list = await t.call('billing.listInvoices', { householdId: t.householdId });
    const invoice = await t.call('billing.getInvoice', { invoiceId: list.invoices[0]!.id });
    expect(
      invoice.groups.flatMap((g) => g.lines).map((l) => [l.quantity, l.unitPriceCents, l.dates]),
    ).toEqual([
      [1, 220, ['2026-09-10']],
      [1, 240, ['2026-09-15']],
      [2, 260, ['2026-09-17', '2026-09-18']],
    ]);
  });
});

/** The demo catalogue, and the ids pricing needs. */
async function demoCatalogue() {
  const t = await demoTown();
  const catalogue = await loadCatalogue(t.core.db);
  const { canteen, study } = t.demo;
  return { t, catalogue, meal: canteen.unitIds.meal as string, month: study.unitIds.month as string };
}

const QF_640_THEN_1600: QfRecord[] = [
  {
    id: 'q1',
    value: 640,
    source: 'CAF',
    effectiveMonth: '2026-01',
    endMonth: null,
    recordedAt: '2026-01-05',
  },
  {
    id: 'q2',
    value: 1600,
    source: 'CAF',
    effectiveMonth: '2026-10',
    endMonth: null,
    recordedAt: '2026-09-20',
  },
];

function group(unitId: string, childId: string, dates: string[], over: Partial<ServiceGroup> = {}) {
  return {
    householdId: 'h1',
    childId,
    unitId,
    state: 'booked' as const,
    late: 0,
    unbooked: 0,
    cancelLate: 0,
    attendance: null,
    services: dates.map((date) => ({ bookingId: `b-${childId}-${date}`, date })),
    ...over,
  };
}

function price(catalogue: Catalogue, groups: ServiceGroup[], qf: QfRecord[] = QF_640_THEN_1600) {
  const anomalies: Anomaly[] = [];
  const priced = priceGroups(
    groups,
    {
      catalogue,
      qfHistories: new Map([['h1', qf]]),
      children: new Map([
        ['zoe', { name: 'Zoé Lefèvre', order: '2018-03-14' }],
        ['noe', { name: 'Noé Lefèvre', order: '2020-09-02' }],
        // Noé's twin: born the same day, their lines printed one child after the other.
        ['lea', { name: 'Léa Lefèvre', order: '2020-09-02' }],
      ]),
      payment: 'monthly',
    },
    anomalies,
  );
  return { households: priced, lines: priced.flatMap((h) => h.lines), anomalies };
}

describe('pricing services into lines (priceGroups)', () => {
  it('prices each month of a group with that month’s QF, not the first month’s', async () => {
    const { catalogue, meal } = await demoCatalogue();
    const { lines } = price(catalogue, [
      group(meal, 'zoe', ['2026-09-28', '2026-09-29', '2026-10-01', '2026-10-02']),
    ]);
    expect(
      lines.map((l) => [l.qfValue, l.basis, l.quantity, l.unitPriceCents, l.amountCents, l.dates]),
    ).toEqual([
      [640, 'QF 400–699', 2, 220, 440, ['2026-09-28', '2026-09-29']],
      [1600, 'QF ≥ 1500', 2, 480, 960, ['2026-10-01', '2026-10-02']],
    ]);
    // The same lines when October's meals come first (marked present, they are another group): by date.
    const reversed = price(catalogue, [
      group(meal, 'zoe', ['2026-10-01', '2026-10-02'], { attendance: 'present' }),
      group(meal, 'zoe', ['2026-09-28', '2026-09-29']),
    ]);
    expect(reversed.lines.map((l) => [l.unitPriceCents, l.quantity, l.dates[0]])).toEqual([
      [220, 2, '2026-09-28'],
      [480, 2, '2026-10-01'],
    ]);
  });

  it('bills a monthly fee once per month, each month on its own line, even at the same price', async () => {
    const { catalogue, month } = await demoCatalogue();
    const qf = [QF_640_THEN_1600[0]!];
    const { lines } = price(catalogue, [group(month, 'zoe', ['2026-09-01', '2026-10-01'])], qf);
    expect(lines.map((l) => [l.period, l.quantity, l.amountCents, l.dates])).toEqual([
      ['2026-09', 1, 2000, []],
      ['2026-10', 1, 2000, []],
    ]);
    // In month order whatever order the bookings come in.
    const later = price(
      catalogue,
      [group(month, 'zoe', ['2026-10-01'], { attendance: 'present' }), group(month, 'zoe', ['2026-09-01'])],
      qf,
    );
    expect(later.lines.map((l) => l.period)).toEqual(['2026-09', '2026-10']);
  });

  it('bills a family without a QF, or whose QF has expired, at the highest tariff', async () => {
    const { catalogue, meal } = await demoCatalogue();
    const expired: QfRecord[] = [{ ...QF_640_THEN_1600[0]!, endMonth: '2026-08' }];
    for (const qf of [[], expired]) {
      const { lines } = price(catalogue, [group(meal, 'zoe', ['2026-09-03'])], qf);
      expect(lines.map((l) => [l.qfValue, l.basis, l.unitPriceCents])).toEqual([
        [null, 'sans QF (tarif maximal)', 480],
      ]);
    }
    // Not even an empty history: a family never asked for its QF.
    const anomalies: Anomaly[] = [];
    const [household] = priceGroups(
      [group(meal, 'zoe', ['2026-09-03'])],
      {
        catalogue,
        qfHistories: new Map(),
        children: new Map([['zoe', { name: 'Zoé Lefèvre', order: '2018-03-14' }]]),
        payment: 'monthly',
      },
      anomalies,
    );
    expect(household?.lines.map((l) => [l.basis, l.unitPriceCents])).toEqual([
      ['sans QF (tarif maximal)', 480],
    ]);
  });

  it('reports each service with no tariff in force, and bills the others', async () => {
    const { catalogue, meal, t } = await demoCatalogue();
    // A meal tariff that ended on Friday 2 October, and nothing after it.
    const ended: Catalogue = {
      ...catalogue,
      tariffsOf: (activityId, unitCode) =>
        catalogue.tariffsOf(activityId, unitCode).map((x) => ({ ...x, validTo: '2026-10-02' })),
    };
    const { lines, anomalies } = price(ended, [
      group(meal, 'zoe', ['2026-10-01', '2026-10-02', '2026-10-05', '2026-10-06']),
    ]);
    expect(lines.map((l) => [l.quantity, l.dates])).toEqual([[2, ['2026-10-01', '2026-10-02']]]);
    expect(anomalies).toEqual(
      ['2026-10-05', '2026-10-06'].map((date) => ({
        bookingId: `b-zoe-${date}`,
        householdId: 'h1',
        childName: 'Zoé Lefèvre',
        activityName: 'Restauration scolaire',
        date,
        reason: `aucun tarif « Repas » en vigueur le ${date}`,
      })),
    );
    expect(t.demo.canteen.activityId).toBe(lines[0]!.activityId);
    // A family whose services all lack a tariff gets no invoice at all, not an empty one.
    const none = price(ended, [group(meal, 'zoe', ['2026-10-05'])]);
    expect(none.households).toEqual([]);
    expect(none.anomalies).toHaveLength(1);
  });

  it('prints the eldest child first, then activities, units and reasons in the town’s order', async () => {
    const { catalogue, meal, month, t } = await demoCatalogue();
    const qf = [QF_640_THEN_1600[0]!];
    const morning = t.demo.care.unitIds.morning as string;
    const evening = t.demo.care.unitIds.evening as string;
    // Given youngest first and in no particular order; the holiday centre, paid at booking, is left out.
    const { lines } = price(
      catalogue,
      [
        group(meal, 'noe', ['2026-09-03']),
        group(evening, 'noe', ['2026-09-03']),
        group(meal, 'lea', ['2026-09-03']),
        group(month, 'zoe', ['2026-09-01']),
        group(t.demo.holidays.unitIds.day as string, 'zoe', ['2026-10-19']),
        group(evening, 'zoe', ['2026-09-04']),
        group(meal, 'zoe', ['2026-09-01'], { late: 1 }),
        group(morning, 'zoe', ['2026-09-04']),
        group(meal, 'zoe', ['2026-09-04', '2026-09-03']),
      ],
      qf,
    );
    expect(lines.map((l) => [l.childName, l.activityName, l.unitLabel, l.kind, l.dates])).toEqual([
      ['Zoé Lefèvre', 'Restauration scolaire', 'Repas', 'booked', ['2026-09-03', '2026-09-04']],
      ['Zoé Lefèvre', 'Restauration scolaire', 'Repas', 'late_add', ['2026-09-01']],
      ['Zoé Lefèvre', 'Accueil périscolaire', 'Matin', 'booked', ['2026-09-04']],
      ['Zoé Lefèvre', 'Accueil périscolaire', 'Soir', 'booked', ['2026-09-04']],
      ['Zoé Lefèvre', 'Étude surveillée', 'Mois', 'flat_fee', []],
      ['Léa Lefèvre', 'Restauration scolaire', 'Repas', 'booked', ['2026-09-03']],
      ['Noé Lefèvre', 'Restauration scolaire', 'Repas', 'booked', ['2026-09-03']],
      ['Noé Lefèvre', 'Accueil périscolaire', 'Soir', 'booked', ['2026-09-03']],
    ]);
  });
});
