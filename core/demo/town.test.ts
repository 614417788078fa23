import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCore, type Core } from '../app.ts';
import { eachLocalDate } from '../calendar/local-date.ts';
import { isWorkingDay } from '../calendar/working-days.ts';
import { callerOf, type Call } from './call.ts';
import { createDemoTown, type DemoTownSummary } from './town.ts';

/** Friday 4 December 2026, 9:00 in Belleval: the demo's past runs from the set-up week to Thursday evening. */
const NOW = new Date('2026-12-04T08:00:00Z');
const TODAY = '2026-12-04';
const SMALL = { households: 40, active: 30, seed: 2026, scryptLogN: 10, clock: () => NOW };

async function seeded(dir: string, name: string) {
  const path = join(dir, name);
  const summary = (await createDemoTown({ ...SMALL, path })) as DemoTownSummary;
  const core = await openCore({ path, clock: () => NOW });
  return { path, core, summary };
}

/**
 * What the seeded file holds, without the ids (random, uuidv7) and what derives from them (the journal's hashes):
 * every document, payment, till, booking and logged command with its number, amounts, people and instant.
 */
function fingerprint(core: Core): Record<string, unknown[]> {
  const all = (sql: string) => core.raw.prepare(sql).all();
  return {
    invoices:
      all(`SELECT number, household_name, kind, issue_date, due_date, period_month, total_cents, created_at
                   FROM invoices ORDER BY number`),
    lines:
      all(`SELECT i.number, l.position, l.kind, l.child_name, l.activity_name, l.unit_code, l.service_dates,
                       l.period, l.quantity, l.unit_price_cents, l.amount_cents, l.qf_value, l.basis
                FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id ORDER BY i.number, l.position`),
    creditNotes:
      all(`SELECT c.number, i.number AS invoice, c.issue_date, c.reason, c.total_cents, c.created_at
                      FROM credit_notes c JOIN invoices i ON i.id = c.invoice_id ORDER BY c.number`),
    payments: all(`SELECT r.number, p.household_name, p.mode, p.amount_cents, p.received_at, p.cheque_number,
                          p.cheque_bank, p.cheque_drawer, p.card_authorisation, p.card_last4, p.vouchers,
                          p.online_reference, p.note, p.agent_name
                   FROM payments p JOIN receipts r ON r.payment_id = p.id ORDER BY r.number, p.received_at`),
    allocations: all(`SELECT i.number, a.event_kind, a.amount_cents, a.date, a.created_at
                      FROM allocations a JOIN invoices i ON i.id = a.invoice_id
                      ORDER BY a.created_at, i.number, a.amount_cents`),
    tills: all(`SELECT open_date, opened_at, opened_by_name, float_cents, closed_at, closed_by_name,
                       expected_cents, counted_cents, difference_cents, difference_reason, totals
                FROM cash_sessions ORDER BY opened_at`),
    slips: all(
      `SELECT number, date, cheque_count, total_cents, created_at FROM deposit_slips ORDER BY number`,
    ),
    bookings: all(`SELECT c.last_name, c.first_name, c.birth_date, u.code, b.date, b.state, b.origin, b.late,
                          b.unbooked, b.attendance, b.cancel_late, b.booked_at, b.cancelled_at
                   FROM bookings b JOIN children c ON c.id = b.child_id JOIN units u ON u.id = b.unit_id
                   ORDER BY c.last_name, c.first_name, c.birth_date, b.date, u.code, b.booked_at`),
    requests: all(`SELECT h.name, r.kind, r.message, r.received_at, r.state, r.reply, r.answered_by_name,
                          r.answered_at
                   FROM family_requests r JOIN households h ON h.id = r.household_id
                   ORDER BY r.received_at, h.name`),
    commands: all(`SELECT c.name, c.at, coalesce(s.username, c.agent_id) AS who
                   FROM command_log c LEFT JOIN staff s ON s.id = c.agent_id
                   ORDER BY c.at, c.name, who`),
  };
}

describe('the demo town with a past', () => {
  let dir: string;
  let first: Awaited<ReturnType<typeof seeded>>;
  let regie: Call;
  let alsh: Call;
  let alshCore: Core;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'guichet-demo-'));
    first = await seeded(dir, 'premier.sqlite');
    // Two connections, as two counters' sessions: the régisseur's and the holiday-centre staff's.
    alshCore = await openCore({ path: first.path, clock: () => NOW });
    regie = callerOf(first.core);
    alsh = callerOf(alshCore);
    await regie('auth.login', { username: 'regie', password: 'belleval' });
    await alsh('auth.login', { username: 'alsh', password: 'belleval' });
  }, 120_000);

  afterAll(async () => {
    await alshCore?.close();
    await first?.core.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('ends the evening before the core’s today, leaving today to whoever opens it', () => {
    expect(first.summary.today).toBe(TODAY);
    const last = first.core.raw.prepare('SELECT max(at) AS at FROM command_log').get() as { at: string };
    // Midnight in Paris on 4 December is 23:00 UTC on the 3rd.
    expect(last.at < '2026-12-03T23:00:00.000Z').toBe(true);
    expect(last.at > '2026-12-03T12:00:00.000Z').toBe(true);
  });

  it('has the month’s run of each past month, numbered without a gap, in the order of their dates', async () => {
    const invoices = first.core.raw
      .prepare(
        'SELECT series_code, series_year, seq, issue_date, period_month, kind FROM invoices ORDER BY seq',
      )
      .all() as {
      series_code: string;
      series_year: number;
      seq: number;
      issue_date: string;
      period_month: string | null;
      kind: string;
    }[];
    const monthly = invoices.filter((i) => i.kind === 'monthly');
    expect([...new Set(monthly.map((i) => i.period_month))]).toEqual(['2026-09', '2026-10', '2026-11']);
    // Issued early the next month, as the régisseur does: the second working day.
    expect([...new Set(monthly.map((i) => i.issue_date))]).toEqual([
      '2026-10-02',
      '2026-11-03',
      '2026-12-02',
    ]);
    for (const series of new Set(invoices.map((i) => `${i.series_code}|${i.series_year}`))) {
      const own = invoices.filter((i) => `${i.series_code}|${i.series_year}` === series);
      expect(own.map((i) => i.seq)).toEqual(own.map((_, k) => k + 1));
      expect(own.map((i) => i.issue_date)).toEqual(own.map((i) => i.issue_date).sort());
    }
    // The holiday centre and the sports school were paid at booking: invoiced from the counter's series.
    expect(invoices.some((i) => i.kind === 'booking')).toBe(true);
  });

  it('leaves some invoices unpaid past their due date, some partly paid, most paid', async () => {
    const unpaid = await regie('billing.unpaid', { asOf: TODAY });
    expect(unpaid.invoices.length).toBeGreaterThan(0);
    expect(unpaid.invoices.every((i) => i.dueDate < TODAY && i.remainingCents > 0)).toBe(true);
    expect(unpaid.invoices.some((i) => i.paidCents > 0)).toBe(true);
    const september = first.core.raw
      .prepare(
        `SELECT count(*) AS n FROM invoices i WHERE i.period_month = '2026-09'
           AND i.total_cents <= (SELECT coalesce(sum(a.amount_cents), 0) FROM allocations a WHERE a.invoice_id = i.id)
             + (SELECT coalesce(sum(c.total_cents), 0) FROM credit_notes c WHERE c.invoice_id = i.id)`,
      )
      .get() as { n: number };
    const all = first.core.raw
      .prepare("SELECT count(*) AS n FROM invoices WHERE period_month = '2026-09'")
      .get() as { n: number };
    expect(september.n / all.n).toBeGreaterThan(0.5);
    // The unpaid list is a few families, most of them the same month after month, not a scattering over the town.
    const owing = new Map<string, number>();
    for (const i of unpaid.invoices) owing.set(i.householdId, (owing.get(i.householdId) ?? 0) + 1);
    const billed = first.core.raw
      .prepare("SELECT count(DISTINCT household_id) AS n FROM invoices WHERE kind = 'monthly'")
      .get() as { n: number };
    expect(owing.size / billed.n).toBeLessThan(0.45);
    expect([...owing.values()].some((n) => n >= 2)).toBe(true);
    const modes = first.core.raw.prepare('SELECT DISTINCT mode FROM payments').all() as { mode: string }[];
    // Online payments come too, in a town this small not always: the counter's modes always do.
    expect(modes.map((m) => m.mode)).toEqual(
      expect.arrayContaining(['ancv', 'card', 'cash', 'cesu', 'cheque']),
    );
  });

  it('has credit notes referencing issued invoices, with their reason', () => {
    const notes = first.core.raw
      .prepare(
        'SELECT c.reason, c.total_cents, i.number FROM credit_notes c JOIN invoices i ON i.id = c.invoice_id',
      )
      .all() as { reason: string; total_cents: number }[];
    expect(notes.length).toBeGreaterThan(0);
    expect(notes.every((n) => n.reason.length > 10 && n.total_cents > 0)).toBe(true);
  });

  it('opened and closed the till every working day, and took the cheques to the bank on slips', async () => {
    const sessions = await regie('regie.sessions', { from: '2026-08-01', to: TODAY });
    const workingDays = eachLocalDate('2026-08-25', '2026-12-03').filter((d) => isWorkingDay(d));
    expect(sessions.map((s) => s.openDate).sort()).toEqual(workingDays);
    expect(sessions.every((s) => s.closed && s.countedCents !== null)).toBe(true);
    const slips = await regie('regie.depositSlips', {});
    expect(slips.length).toBeGreaterThan(0);
    const onSlips = first.core.raw
      .prepare('SELECT payment_id, count(*) AS n FROM deposit_slip_cheques GROUP BY payment_id HAVING n > 1')
      .all();
    expect(onSlips).toEqual([]);
    // Cheques taken since the last slip wait for the next one: the régisseur can make it today.
    expect((await regie('regie.pendingCheques', {})).count).toBeGreaterThanOrEqual(0);
  });

  it('has a collection report for every past day that balances with that day’s till', async () => {
    const sessions = await regie('regie.sessions', { from: '2026-08-01', to: TODAY });
    let withReceipts = 0;
    for (const till of sessions) {
      const report = await regie('regie.collectionReport', { from: till.openDate, to: till.openDate });
      const byActivity = report.byActivity.reduce((s, a) => s + a.amountCents, 0);
      expect(byActivity + report.creditChangeCents).toBe(report.totals.netCents);
      expect(report.byMode.reduce((s, m) => s + m.netCents, 0)).toBe(report.totals.netCents);
      // The till holds what was paid at the counter that day; online payments reach the régie without it.
      for (const t of till.totals) {
        const line = report.byMode.find((m) => m.mode === t.mode);
        if (t.mode !== 'online') expect([t.mode, line?.netCents ?? 0]).toEqual([t.mode, t.netCents]);
      }
      if (report.totals.count > 0) withReceipts++;
    }
    expect(withReceipts).toBeGreaterThan(10);
  });

  it('has families’ requests waiting in the inbox, and some already answered', async () => {
    const inbox = await alsh('request.inbox', { state: 'all' });
    expect(inbox.counts.pending).toBeGreaterThanOrEqual(3);
    expect(inbox.counts.accepted + inbox.counts.refused).toBeGreaterThan(0);
    const kinds = new Set(inbox.requests.filter((r) => r.state === 'pending').map((r) => r.kind));
    expect([...kinds].sort()).toEqual(expect.arrayContaining(['cancellation', 'document', 'pickup']));
  });

  it('has today’s attendance sheet ready: children booked, nobody marked yet; yesterday’s marked', async () => {
    const activities = await alsh('activities.list', {});
    const canteen = activities.find((a) => a.code === 'cantine');
    if (!canteen) throw new Error('cantine introuvable');
    const sheet = (date: string, siteId: string) =>
      alsh('attendance.sheet', { activityId: canteen.id, siteId, unitCode: 'meal', date });
    const today = await Promise.all(canteen.sites.map((s) => sheet(TODAY, s.id)));
    expect(today.reduce((n, s) => n + s.children.length, 0)).toBeGreaterThan(5);
    expect(today.every((s) => s.counts.unmarked === s.counts.booked)).toBe(true);
    const yesterday = await Promise.all(canteen.sites.map((s) => sheet('2026-12-03', s.id)));
    expect(yesterday.reduce((n, s) => n + s.counts.unmarked, 0)).toBe(0);
    expect(yesterday.reduce((n, s) => n + s.counts.present, 0)).toBeGreaterThan(5);
    // Over the term: absences justified and not, presences without booking.
    const marks = first.core.raw
      .prepare(
        "SELECT attendance, unbooked, count(*) AS n FROM bookings WHERE attendance IS NOT NULL AND date < '2026-12-01' GROUP BY attendance, unbooked",
      )
      .all() as { attendance: string; unbooked: number }[];
    expect(marks.map((m) => `${m.attendance}${m.unbooked ? ' sans réservation' : ''}`).sort()).toEqual([
      'absent_justified',
      'absent_unjustified',
      'present sans réservation',
    ]);
  });

  it('keeps a journal that verifies', async () => {
    const journal = await regie('regie.verifyJournal', {});
    expect(journal.ok).toBe(true);
  });

  it('gives the same records twice for the same seed and today', async () => {
    const again = await seeded(dir, 'second.sqlite');
    try {
      expect(fingerprint(again.core)).toEqual(fingerprint(first.core));
      expect(again.summary).toEqual(first.summary);
    } finally {
      await again.core.close();
    }
  }, 120_000);
});
