import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { demoTown, type DemoTown } from '../test/town.ts';

/**
 * Properties of the monthly run against an oracle written independently of core/billing: the demo town's rules and
 * prices for the Lefèvre household (QF 640, bracket 400–699), restated here by hand from RULES.md.
 */

type Slot = 'meal' | 'morning' | 'evening' | 'day' | 'month';
const PRICE: Record<Slot, number> = { meal: 220, morning: 130, evening: 210, day: 800, month: 2000 };

interface Service {
  child: 'zoe' | 'noe';
  slot: Slot;
  date: string;
  state: 'booked' | 'cancelled';
  late: boolean;
  unbooked: boolean;
  cancelLate: boolean;
  attendance: 'present' | 'absent_justified' | 'absent_unjustified' | null;
}

/** What one service costs by RULES.md for the demo town, or null when it is not billed. */
function oracle(s: Service): number | null {
  const base = PRICE[s.slot];
  const late = (): number => {
    if (!s.late) return base;
    if (s.slot === 'meal') return base + Math.floor((base * 50 * 2 + 100) / 200); // +50 %, half up
    if (s.slot === 'morning') return 400; // tarif majoré
    if (s.slot === 'evening') return 1000;
    if (s.slot === 'day') return base + 300;
    return base; // study: no late surcharge
  };
  if (s.state === 'cancelled') return s.cancelLate ? late() : null;
  if (s.slot === 'month') return late(); // flat fee whatever the attendance
  if (s.unbooked) return s.slot === 'meal' ? base + base / 2 : base + 1000;
  if (s.attendance === 'absent_justified') return null;
  return late();
}

const SEPT_SCHOOL_DAYS = [
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
const SEPT_WEDNESDAYS = ['2026-09-02', '2026-09-09', '2026-09-16', '2026-09-23', '2026-09-30'];

const serviceArb: fc.Arbitrary<Service> = fc
  .record({
    child: fc.constantFrom('zoe' as const, 'noe' as const),
    slot: fc.constantFrom<Slot>('meal', 'morning', 'evening', 'day', 'month'),
    dayIndex: fc.nat(),
    cancelled: fc.boolean(),
    late: fc.boolean(),
    unbooked: fc.boolean(),
    cancelLate: fc.boolean(),
    attendance: fc.constantFrom(
      'present' as const,
      'absent_justified' as const,
      'absent_unjustified' as const,
      null,
    ),
  })
  .map((r) => {
    const days = r.slot === 'day' ? SEPT_WEDNESDAYS : r.slot === 'month' ? ['2026-09-01'] : SEPT_SCHOOL_DAYS;
    const date = days[r.dayIndex % days.length] as string;
    // The shapes bookings really take: a presence without booking is a present, not late, live booking.
    if (r.unbooked && r.slot !== 'month' && !r.cancelled)
      return {
        child: r.child,
        slot: r.slot,
        date,
        state: 'booked' as const,
        late: false,
        unbooked: true,
        cancelLate: false,
        attendance: 'present' as const,
      };
    if (r.cancelled)
      return {
        child: r.child,
        slot: r.slot,
        date,
        state: 'cancelled' as const,
        late: r.late,
        unbooked: false,
        cancelLate: r.cancelLate,
        attendance: null,
      };
    return {
      child: r.child,
      slot: r.slot,
      date,
      state: 'booked' as const,
      late: r.late,
      unbooked: false,
      cancelLate: false,
      attendance: r.slot === 'month' ? null : r.attendance,
    };
  });

/** Services with at most one live booking per child, unit and day, as the bookings table demands. */
const servicesArb = (max: number) =>
  fc.array(serviceArb, { maxLength: max, size: 'max' }).map((list) => {
    const live = new Set<string>();
    return list.filter((s) => {
      if (s.state === 'cancelled') return true;
      const key = `${s.child}|${s.slot}|${s.date}`;
      if (live.has(key)) return false;
      live.add(key);
      return true;
    });
  });

let serial = 0;
function insert(t: DemoTown, services: readonly Service[]): void {
  const d = t.demo;
  const where: Record<Slot, { activityId: string; unitId: string; siteId: string }> = {
    meal: {
      activityId: d.canteen.activityId,
      unitId: d.canteen.unitIds.meal as string,
      siteId: d.sites.jaures,
    },
    morning: {
      activityId: d.care.activityId,
      unitId: d.care.unitIds.morning as string,
      siteId: d.sites.jaures,
    },
    evening: {
      activityId: d.care.activityId,
      unitId: d.care.unitIds.evening as string,
      siteId: d.sites.jaures,
    },
    day: {
      activityId: d.wednesday.activityId,
      unitId: d.wednesday.unitIds.day as string,
      siteId: d.sites.tilleuls,
    },
    month: {
      activityId: d.study.activityId,
      unitId: d.study.unitIds.month as string,
      siteId: d.sites.jaures,
    },
  };
  const stmt = t.core.raw.prepare(
    `INSERT INTO bookings (id, child_id, household_id, activity_id, unit_id, site_id, date, state, origin, late, unbooked, booked_at, booked_by, cancel_late, attendance)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'counter', ?, ?, '2026-08-20T10:00:00Z', 'test', ?, ?)`,
  );
  for (const s of services) {
    const w = where[s.slot];
    const id = `0190a000-0000-7000-8000-${String(++serial).padStart(12, '0')}`;
    stmt.run(
      id,
      t[s.child],
      t.householdId,
      w.activityId,
      w.unitId,
      w.siteId,
      s.date,
      s.state,
      s.late ? 1 : 0,
      s.unbooked ? 1 : 0,
      s.cancelLate ? 1 : 0,
      s.attendance,
    );
  }
}

const billedOf = (services: readonly Service[]) =>
  services.map(oracle).filter((c): c is number => c !== null);

function lineSums(t: DemoTown) {
  return t.core.raw
    .prepare(
      `SELECT i.id, i.total_cents AS total, coalesce(sum(l.amount_cents), 0) AS lines,
              coalesce(sum(CASE WHEN l.amount_cents = l.quantity * l.unit_price_cents THEN 0 ELSE 1 END), 0) AS wrong,
              (SELECT count(*) FROM billed_services s JOIN invoice_lines x ON x.id = s.invoice_line_id WHERE x.invoice_id = i.id) AS services,
              coalesce(sum(l.quantity), 0) AS quantity
       FROM invoices i LEFT JOIN invoice_lines l ON l.invoice_id = i.id GROUP BY i.id`,
    )
    .all() as {
    id: string;
    total: number;
    lines: number;
    wrong: number;
    services: number;
    quantity: number;
  }[];
}

describe('monthly run properties', () => {
  it('bills what the rules say, line by line, and every total is the sum of its lines', async () => {
    await fc.assert(
      fc.asyncProperty(servicesArb(40), async (services) => {
        const t = await demoTown('2026-10-02T09:00:00+02:00');
        insert(t, services);
        const run = await t.call('billing.runMonth', { month: '2026-09', issueDate: '2026-10-02' });
        const expected = billedOf(services);
        expect(run.services).toBe(expected.length);
        expect(run.totalCents).toBe(expected.reduce((s, c) => s + c, 0));
        expect(run.invoices).toBe(expected.length ? 1 : 0);
        for (const inv of lineSums(t)) {
          expect(inv.total).toBe(inv.lines);
          expect(inv.wrong).toBe(0);
          expect(inv.services).toBe(inv.quantity);
        }
        const detail = run.invoices
          ? await t.call('billing.listInvoices', { householdId: t.householdId })
          : null;
        if (detail) expect(detail.totals.billedCents).toBe(run.totalCents);
      }),
      { numRuns: 25 },
    );
  });

  it('is idempotent: a rerun bills nothing, a service added after a run is billed once by the next', async () => {
    await fc.assert(
      fc.asyncProperty(servicesArb(25), servicesArb(10), async (first, later) => {
        const t = await demoTown('2026-10-02T09:00:00+02:00');
        insert(t, first);
        const a = await t.call('billing.runMonth', { month: '2026-09', issueDate: '2026-10-02' });
        expect(a.services).toBe(billedOf(first).length);
        const again = await t.call('billing.runMonth', { month: '2026-09', issueDate: '2026-10-02' });
        expect(again).toMatchObject({ invoices: 0, services: 0, totalCents: 0 });

        // Added after the run: only what would not clash with a live booking of the first batch.
        const taken = new Set(
          first.filter((s) => s.state === 'booked').map((s) => `${s.child}|${s.slot}|${s.date}`),
        );
        const added = later.filter(
          (s) => s.state === 'cancelled' || !taken.has(`${s.child}|${s.slot}|${s.date}`),
        );
        insert(t, added);
        t.at('2026-10-05T09:00:00+02:00');
        const b = await t.call('billing.runMonth', { month: '2026-09', issueDate: '2026-10-05' });
        const expected = billedOf(added);
        expect(b.services).toBe(expected.length);
        expect(b.totalCents).toBe(expected.reduce((s, c) => s + c, 0));
        const third = await t.call('billing.runMonth', { month: '2026-09', issueDate: '2026-10-05' });
        expect(third.services).toBe(0);
        const billed = t.core.raw
          .prepare('SELECT count(*) AS n, count(DISTINCT booking_id) AS d FROM billed_services')
          .get() as { n: number; d: number };
        expect(billed.n).toBe(billed.d);
        expect(billed.n).toBe(billedOf(first).length + expected.length);
      }),
      { numRuns: 20 },
    );
  });
});

type Action =
  | { kind: 'meals'; child: 'zoe' | 'noe'; days: number[] }
  | { kind: 'holiday'; child: 'zoe' | 'noe'; week: number }
  | { kind: 'run' }
  | { kind: 'credit'; pick: number; whole: boolean; cents: number }
  | { kind: 'wait'; days: number };

const actionArb: fc.Arbitrary<Action> = fc.oneof(
  {
    weight: 3,
    // Days around today, most in the past: staff catching up, billed at the next run.
    arbitrary: fc.record({
      kind: fc.constant('meals' as const),
      child: fc.constantFrom('zoe' as const, 'noe' as const),
      days: fc.array(fc.integer({ min: -25, max: 10 }), { minLength: 1, maxLength: 6 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('holiday' as const),
      child: fc.constantFrom('zoe' as const, 'noe' as const),
      week: fc.nat({ max: 3 }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('run' as const) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('credit' as const),
      pick: fc.nat(),
      whole: fc.boolean(),
      cents: fc.integer({ min: 1, max: 500 }),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constant('wait' as const), days: fc.integer({ min: 3, max: 35 }) }),
  },
);

const HOLIDAY_WEEKS = ['2026-10-19', '2026-10-26', '2026-12-21', '2026-12-28'];

describe('numbering', () => {
  it('stays gap-free, unique and chronological in every series under random runs, bookings and credit notes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(actionArb, { minLength: 10, maxLength: 40 }), async (actions) => {
        let day = new Date('2026-09-07T09:00:00+02:00');
        const t = await demoTown(day.toISOString());
        for (const child of [t.zoe, t.noe]) {
          for (const activity of [t.demo.canteen, t.demo.holidays]) {
            await t.call('enrolment.enrol', {
              childId: child,
              activityId: activity.activityId,
              schoolYear: '2026-2027',
            });
          }
        }
        const iso = (d: Date) => d.toISOString().slice(0, 10);
        for (const a of actions) {
          switch (a.kind) {
            case 'wait':
              day = new Date(day.getTime() + a.days * 86_400_000);
              t.at(day.toISOString());
              break;
            case 'meals': {
              const dates = a.days.map((n) => iso(new Date(day.getTime() + n * 86_400_000)));
              await t.call('booking.book', {
                childId: t[a.child],
                activityId: t.demo.canteen.activityId,
                siteId: t.demo.sites.jaures,
                unitCodes: ['meal'],
                selection: { kind: 'days', dates },
                origin: 'counter',
                // Staff with a reason: days past the deadline are accepted late, at the surcharge.
                overrideReason: 'ajout par le service',
              });
              break;
            }
            case 'holiday':
              await t.call('booking.book', {
                childId: t[a.child],
                activityId: t.demo.holidays.activityId,
                siteId: t.demo.sites.tilleuls,
                unitCodes: ['day'],
                selection: { kind: 'week', weekStart: HOLIDAY_WEEKS[a.week] as string },
                origin: 'counter',
                overrideReason: 'inscription au guichet',
              });
              break;
            case 'run': {
              // The month that ended last, issued today; read on UTC fields, not the machine's zone.
              const lastMonth = new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth() - 1, 15));
              const month = iso(lastMonth).slice(0, 7);
              const r = await t.invoke('billing.runMonth', { month, issueDate: iso(day) });
              if (!r.ok) expect(r.error.code).toBe('CONFLICT'); // a date before the series' last one
              break;
            }
            case 'credit': {
              const ids = t.core.raw
                .prepare('SELECT id FROM invoices ORDER BY rowid')
                .pluck()
                .all() as string[];
              if (ids.length === 0) break;
              const invoiceId = ids[a.pick % ids.length] as string;
              const line = t.core.raw
                .prepare('SELECT id FROM invoice_lines WHERE invoice_id = ? ORDER BY position LIMIT 1')
                .pluck()
                .get(invoiceId) as string;
              const r = await t.invoke('billing.creditNote', {
                invoiceId,
                reason: 'correction',
                lines: a.whole ? 'whole' : [{ invoiceLineId: line, amountCents: a.cents }],
              });
              if (!r.ok) expect(['VALIDATION', 'CONFLICT']).toContain(r.error.code); // nothing left to credit
              break;
            }
          }
        }
        const docs = t.core.raw
          .prepare(
            `SELECT series_code AS code, series_year AS year, seq, number, issue_date AS date FROM invoices
             UNION ALL SELECT series_code, series_year, seq, number, issue_date FROM credit_notes
             ORDER BY code, year, seq`,
          )
          .all() as { code: string; year: number; seq: number; number: string; date: string }[];
        const series = t.core.raw.prepare('SELECT code, year, next_number AS next FROM series').all() as {
          code: string;
          year: number;
          next: number;
        }[];
        for (const s of series) {
          const mine = docs.filter((d) => d.code === s.code && d.year === s.year);
          expect(mine.map((d) => d.seq)).toEqual(mine.map((_, i) => i + 1));
          expect(s.next).toBe(mine.length + 1);
          expect(mine.map((d) => d.number)).toEqual(
            mine.map((d) => `${s.code}-${s.year}-${String(d.seq).padStart(6, '0')}`),
          );
          const dates = mine.map((d) => d.date);
          expect(dates).toEqual([...dates].sort());
        }
        expect(new Set(docs.map((d) => d.number)).size).toBe(docs.length);
        // Credit notes never exceed their invoice.
        const over = t.core.raw
          .prepare(
            'SELECT count(*) AS n FROM invoices i WHERE (SELECT coalesce(sum(total_cents), 0) FROM credit_notes c WHERE c.invoice_id = i.id) > i.total_cents',
          )
          .get() as { n: number };
        expect(over.n).toBe(0);
      }),
      { numRuns: 30 },
    );
    // 30 towns, each on a freshly migrated database: seconds on a loaded machine, as the payments properties.
  }, 60_000);
});
