import type { Insertable, Kysely } from 'kysely';
import type { Actor } from '../api/operation.ts';
import type { BilledServicesTable, Database, InvoiceLinesTable, InvoicesTable } from '../db/schema.ts';
import { journalEvents } from '../journal/journal.ts';
import { chunks } from '../db/chunks.ts';
import { insertRows } from '../db/fast-sql.ts';
import type { Charge, LineKind } from './rules.ts';
import { allocateNumbers, type SeriesDef } from './series.ts';

/** One line about to be billed: the services, their price, and what it snapshots for the printed invoice. */
export interface DraftLine extends Charge {
  kind: LineKind;
  childId: string;
  childName: string;
  activityId: string;
  activityName: string;
  unitCode: string;
  unitLabel: string;
  /** Dates of day services, sorted; empty for a month or an enrolment. */
  dates: string[];
  period: string | null;
  /** The bookings this line bills (recorded in `billed_services`). */
  services: { bookingId: string; date: string }[];
  enrolmentId: string | null;
}

export interface DraftInvoice {
  householdId: string;
  lines: DraftLine[];
}

export interface Debtor {
  householdName: string;
  payerName: string;
  payerAddress: string;
}

export interface IssueOptions {
  series: SeriesDef;
  kind: 'monthly' | 'booking';
  issueDate: string;
  dueDate: string;
  periodMonth: string | null;
  actor: Actor;
  now: Date;
  newId: () => string;
}

export interface IssuedInvoice {
  invoiceId: string;
  number: string;
  householdId: string;
  totalCents: number;
  lines: number;
  /** Services billed (a line of 15 meals counts 15). */
  services: number;
}

/** The payer as the invoice prints them: the guardian of the household's payer rank, at the household's address. */
export async function loadDebtors(
  db: Kysely<Database>,
  householdIds: readonly string[],
): Promise<Map<string, Debtor>> {
  const out = new Map<string, Debtor>();
  for (const slice of chunks([...new Set(householdIds)], 5000)) {
    const rows = await db
      .selectFrom('households as h')
      .leftJoin('guardians as g', (j) =>
        j.onRef('g.household_id', '=', 'h.id').onRef('g.rank', '=', 'h.payer_rank'),
      )
      .select([
        'h.id',
        'h.name',
        'h.address_line1',
        'h.address_line2',
        'h.postal_code',
        'h.city',
        'g.civility',
        'g.first_name',
        'g.last_name',
      ])
      .where('h.id', 'in', slice)
      .execute();
    for (const r of rows) {
      const payerName = r.last_name
        ? [r.civility, r.first_name, r.last_name].filter(Boolean).join(' ')
        : `Famille ${r.name}`;
      const cityLine = [r.postal_code, r.city].filter(Boolean).join(' ');
      const payerAddress = [r.address_line1, r.address_line2, cityLine]
        .filter((l) => l && l.trim() !== '')
        .join('\n');
      out.set(r.id, { householdName: r.name, payerName, payerAddress });
    }
  }
  return out;
}

/** Rows per INSERT: about 8,000 bound values each, far from SQLite's limit, few statements for a big run. */
const LINE_ROWS_PER_INSERT = 400;
const SERVICE_ROWS_PER_INSERT = 2500;

/**
 * Writes one invoice per draft with numbers taken from `series` in the caller's transaction. The invoice total is
 * the sum of its lines, computed here and nowhere else. Drafts are numbered in debtor-name order, as a printed run
 * is sorted for the post. A service already billed makes the whole transaction fail (primary key of
 * `billed_services`), so a double bill cannot be written even by a caller that forgot to exclude it.
 */
export async function issueInvoices(
  db: Kysely<Database>,
  drafts: readonly DraftInvoice[],
  opts: IssueOptions,
): Promise<IssuedInvoice[]> {
  const nonEmpty = drafts.filter((d) => d.lines.length > 0);
  const debtors = await loadDebtors(
    db,
    nonEmpty.map((d) => d.householdId),
  );
  const sorted = nonEmpty
    .map((d) => ({ draft: d, debtor: debtors.get(d.householdId) }))
    .sort(
      (a, b) =>
        collate(a.debtor?.householdName ?? '', b.debtor?.householdName ?? '') ||
        a.draft.householdId.localeCompare(b.draft.householdId),
    );
  const allocated = await allocateNumbers(db, opts.series, opts.issueDate, sorted.length);
  const createdAt = opts.now.toISOString();

  const issued: IssuedInvoice[] = [];
  const invoiceRows: Insertable<InvoicesTable>[] = [];
  const lineRows: Insertable<InvoiceLinesTable>[] = [];
  const serviceRows: Insertable<BilledServicesTable>[] = [];
  sorted.forEach(({ draft, debtor }, i) => {
    const invoiceId = opts.newId();
    const totalCents = draft.lines.reduce((sum, l) => sum + l.amountCents, 0);
    const number = allocated.numbers[i] as string;
    invoiceRows.push({
      id: invoiceId,
      number,
      series_code: allocated.seriesCode,
      series_year: allocated.year,
      seq: allocated.seqs[i] as number,
      household_id: draft.householdId,
      kind: opts.kind,
      issue_date: opts.issueDate,
      due_date: opts.dueDate,
      period_month: opts.periodMonth,
      total_cents: totalCents,
      household_name: debtor?.householdName ?? '',
      payer_name: debtor?.payerName ?? '',
      payer_address: debtor?.payerAddress ?? '',
      status: 'issued',
      created_at: createdAt,
      agent_id: opts.actor.agentId,
      device_id: opts.actor.deviceId,
    });
    draft.lines.forEach((l, position) => {
      const lineId = opts.newId();
      for (const s of l.services)
        serviceRows.push({ booking_id: s.bookingId, invoice_line_id: lineId, service_date: s.date });
      lineRows.push({
        id: lineId,
        invoice_id: invoiceId,
        position: position + 1,
        kind: l.kind,
        child_id: l.childId,
        child_name: l.childName,
        activity_id: l.activityId,
        activity_name: l.activityName,
        unit_code: l.unitCode,
        unit_label: l.unitLabel,
        service_dates: l.dates.length ? l.dates.join(',') : null,
        period: l.period,
        quantity: l.quantity,
        unit_price_cents: l.unitPriceCents,
        amount_cents: l.amountCents,
        base_cents: l.baseCents,
        surcharge_cents: l.surchargeCents,
        surcharge_reason: l.surchargeReason,
        qf_value: l.qfValue,
        basis: l.basis,
        enrolment_id: l.enrolmentId,
      });
    });
    issued.push({
      invoiceId,
      number,
      householdId: draft.householdId,
      totalCents,
      lines: draft.lines.length,
      services: draft.lines.reduce((n, l) => n + l.quantity, 0),
    });
  });

  // Fixed texts rather than the query builder: a city's run writes hundreds of thousands of rows, and the builder
  // spends more time parsing their values than SQLite takes to store them.
  for (const slice of chunks(invoiceRows, 400)) await insertRows(db, 'invoices', slice);
  for (const slice of chunks(lineRows, LINE_ROWS_PER_INSERT)) await insertRows(db, 'invoice_lines', slice);
  // In key order, each row lands next to the last one in the primary key's B-tree instead of on a random page.
  serviceRows.sort((a, b) => (a.booking_id < b.booking_id ? -1 : a.booking_id > b.booking_id ? 1 : 0));
  for (const slice of chunks(serviceRows, SERVICE_ROWS_PER_INSERT))
    await insertRows(db, 'billed_services', slice);
  // Every invoice enters the régie's tamper-evident journal, in number order, in the same transaction.
  await journalEvents(
    db,
    'invoice',
    issued.map((i) => i.invoiceId),
    opts.now,
  );
  return issued;
}

const collator = new Intl.Collator('fr', { sensitivity: 'base' });
const collate = (a: string, b: string) => collator.compare(a, b);
