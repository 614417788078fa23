import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { addDaysTo } from '../../shared/calendar.ts';
import { chunks } from '../db/chunks.ts';
import { loadCatalogue, loadQfHistories, type Catalogue } from './catalogue.ts';
import { lastDayOf, nextMonth } from './format.ts';
import type { DraftInvoice } from './issue.ts';
import { priceGroups, type Anomaly, type Child, type ServiceGroup } from './lines.ts';
import { decide } from './rules.ts';

export type { Anomaly };

export interface MonthDraft {
  month: string;
  invoices: DraftInvoice[];
  anomalies: Anomaly[];
}

/** The activities billed after the fact, on the monthly single invoice (RULES.md, Invoices). */
export const monthlyActivityIds = (catalogue: Catalogue): string[] =>
  [...catalogue.activities.values()].filter((a) => a.settings.payment === 'monthly').map((a) => a.id);

interface GroupRow {
  household_id: string;
  child_id: string;
  unit_id: string;
  state: 'booked' | 'cancelled';
  late: number;
  unbooked: number;
  cancel_late: number;
  attendance: 'present' | 'absent_justified' | 'absent_unjustified' | null;
  /** `2026-09-01<booking id>,2026-09-03<booking id>…`, in date order. */
  services: string;
}

/**
 * What the month run would bill now: every service of the month of a post-billed activity that is billable and not
 * billed yet, priced line by line, one draft invoice per household. Reads only. A service already on an invoice is
 * left out here, so a rerun bills only what appeared since (a late attendance mark, a forgotten booking).
 *
 * SQLite groups the month's bookings by what the rules read (child, unit, states): a few thousand groups instead of
 * tens of thousands of rows cross into JavaScript, where each group is decided and priced once.
 */
export async function draftMonth(db: Kysely<Database>, month: string): Promise<MonthDraft> {
  const catalogue = await loadCatalogue(db);
  const activityIds = monthlyActivityIds(catalogue);
  if (activityIds.length === 0) return { month, invoices: [], anomalies: [] };
  const rows = (await db
    .selectFrom('bookings as b')
    .select([
      'b.household_id',
      'b.child_id',
      'b.unit_id',
      'b.state',
      'b.late',
      'b.unbooked',
      'b.cancel_late',
      'b.attendance',
      // string_agg: SQLite's (3.44+) and PostgreSQL's name for the same aggregate, so the server runs this too.
      // One aggregate of date and id side by side (a date is always ten characters): one sort per group, not two.
      sql<string>`string_agg(b.date || b.id, ',' ORDER BY b.date)`.as('services'),
    ])
    .where('b.date', '>=', `${month}-01`)
    .where('b.date', '<=', lastDayOf(month))
    .where('b.activity_id', 'in', activityIds)
    // Cancelled in time never bills: no need to bring those rows up.
    .where((eb) => eb.or([eb('b.state', '=', 'booked'), eb('b.cancel_late', '=', 1)]))
    .where((eb) =>
      eb.not(
        eb.exists(
          eb.selectFrom('billed_services as s').select('s.booking_id').whereRef('s.booking_id', '=', 'b.id'),
        ),
      ),
    )
    .groupBy([
      'b.household_id',
      'b.child_id',
      'b.unit_id',
      'b.state',
      'b.late',
      'b.unbooked',
      'b.cancel_late',
      'b.attendance',
    ])
    .execute()) as GroupRow[];

  const groups: ServiceGroup[] = rows.map((r) => {
    return {
      householdId: r.household_id,
      childId: r.child_id,
      unitId: r.unit_id,
      state: r.state,
      late: r.late,
      unbooked: r.unbooked,
      cancelLate: r.cancel_late,
      attendance: r.attendance,
      services: r.services.split(',').map((s) => ({ bookingId: s.slice(10), date: s.slice(0, 10) })),
    };
  });
  const householdIds = [...new Set(groups.map((g) => g.householdId))];
  const [qfHistories, children] = await Promise.all([
    loadQfHistories(db, householdIds),
    loadChildren(db, [...new Set(groups.map((g) => g.childId))]),
  ]);
  const anomalies: Anomaly[] = [];
  const priced = priceGroups(groups, { catalogue, qfHistories, children, payment: 'monthly' }, anomalies);
  return { month, invoices: priced, anomalies };
}

export async function loadChildren(
  db: Kysely<Database>,
  childIds: readonly string[],
): Promise<Map<string, Child>> {
  const out = new Map<string, Child>();
  for (const slice of chunks(childIds, 5000)) {
    const rows = await db
      .selectFrom('children')
      .select(['id', 'first_name', 'last_name', 'birth_date'])
      .where('id', 'in', slice)
      .execute();
    for (const c of rows)
      out.set(c.id, { name: `${c.first_name} ${c.last_name}`, order: `${c.birth_date}|${c.first_name}` });
  }
  return out;
}

export interface DueDateRule {
  /** Day of the month after the service month when a monthly invoice falls due (25, seed 000). */
  dueDay: number;
  /** A late-issued invoice still leaves the family at least this many days. */
  minDays: number;
}

/**
 * September's invoice, issued early October, is due on 25 October (RULES.md). A run issued so late that fewer than
 * `minDays` remain (a correction run weeks later) moves to the next month's due day rather than be born overdue.
 */
export function monthlyDueDate(month: string, issueDate: string, rule: DueDateRule): string {
  const day = String(rule.dueDay).padStart(2, '0');
  let dueMonth = nextMonth(month);
  const earliest = addDaysTo(issueDate, rule.minDays);
  while (`${dueMonth}-${day}` < earliest) dueMonth = nextMonth(dueMonth);
  return `${dueMonth}-${day}`;
}

export interface Correction {
  invoiceId: string;
  invoiceNumber: string;
  invoiceLineId: string;
  bookingId: string;
  childName: string;
  activityName: string;
  date: string;
  billedCents: number;
  /** Why the service would no longer be billed today (« absence justifiée », « annulé dans les délais »). */
  reason: string;
}

/**
 * Services of the month already invoiced that today's records would not bill (an absence justified after the run):
 * the invoice stays as issued, and the preview lists them so the régisseur issues the credit notes (one service's
 * amount on its line, naming the booking). A service already credited that way is not listed again.
 */
export async function billedNoLongerDue(db: Kysely<Database>, month: string): Promise<Correction[]> {
  const catalogue = await loadCatalogue(db);
  const rows = await db
    .selectFrom('billed_services as s')
    .innerJoin('bookings as b', 'b.id', 's.booking_id')
    .innerJoin('invoice_lines as l', 'l.id', 's.invoice_line_id')
    .innerJoin('invoices as i', 'i.id', 'l.invoice_id')
    .select([
      'l.id',
      'l.invoice_id',
      'i.number',
      'l.child_name',
      'l.activity_name',
      'l.unit_price_cents',
      's.booking_id',
      'b.activity_id',
      'b.date',
      'b.state',
      'b.late',
      'b.unbooked',
      'b.cancel_late',
      'b.attendance',
    ])
    .where('b.date', '>=', `${month}-01`)
    .where('b.date', '<=', lastDayOf(month))
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('credit_note_lines as c')
            .select('c.id')
            .whereRef('c.booking_id', '=', 's.booking_id'),
        ),
      ),
    )
    .orderBy('i.number')
    .orderBy('b.date')
    .execute();
  const out: Correction[] = [];
  for (const r of rows) {
    const activity = catalogue.activities.get(r.activity_id);
    if (!activity) continue;
    const d = decide(
      {
        state: r.state,
        late: r.late,
        unbooked: r.unbooked,
        cancelLate: r.cancel_late,
        attendance: r.attendance,
      },
      activity.settings,
    );
    if (d.billed) continue;
    out.push({
      invoiceId: r.invoice_id,
      invoiceNumber: r.number,
      invoiceLineId: r.id,
      bookingId: r.booking_id,
      childName: r.child_name,
      activityName: r.activity_name,
      date: r.date,
      billedCents: r.unit_price_cents,
      reason: d.reason,
    });
  }
  return out;
}
