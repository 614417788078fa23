import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';

export interface InvoiceWithBalance {
  id: string;
  number: string;
  householdId: string;
  householdName: string;
  payerName: string;
  payerAddress: string;
  kind: 'monthly' | 'booking';
  issueDate: string;
  dueDate: string;
  periodMonth: string | null;
  totalCents: number;
  creditedCents: number;
  /** Payments (and family credit) allocated to the invoice, net of allocations undone (core/payments/ledger.ts). */
  paidCents: number;
  remainingCents: number;
  /**
   * The PES export (« PES-2026-000001 ») that handed the invoice to the Trésorerie, or null: from then on the
   * Trésorerie recovers it (core/pes), and a payment at the counter must be reported to it.
   */
  titreExport: string | null;
}

export interface BalanceFilter {
  invoiceIds?: readonly string[];
  householdId?: string;
  /** Due strictly before this day. */
  dueBefore?: string;
}

/**
 * Invoices with what is left to pay on each: total − credit notes − payments. The one place the formula lives,
 * so the family page, the invoice and the list for the public accountant cannot disagree.
 */
export async function invoicesWithBalance(
  db: Kysely<Database>,
  filter: BalanceFilter,
): Promise<InvoiceWithBalance[]> {
  let q = db.selectFrom('invoices as i').select([
    'i.id',
    'i.number',
    'i.household_id as householdId',
    'i.household_name as householdName',
    'i.payer_name as payerName',
    'i.payer_address as payerAddress',
    'i.kind',
    'i.issue_date as issueDate',
    'i.due_date as dueDate',
    'i.period_month as periodMonth',
    'i.total_cents as totalCents',
    sql<number>`coalesce((SELECT sum(cn.total_cents) FROM credit_notes cn WHERE cn.invoice_id = i.id), 0)`.as(
      'creditedCents',
    ),
    // Allocation rows are signed (a reversal undoes with a negative row): their plain sum is what is paid.
    sql<number>`coalesce((SELECT sum(a.amount_cents) FROM allocations a WHERE a.invoice_id = i.id), 0)`.as(
      'paidCents',
    ),
    sql<
      string | null
    >`(SELECT e.number FROM titre_export_invoices x JOIN titre_exports e ON e.id = x.export_id WHERE x.invoice_id = i.id)`.as(
      'titreExport',
    ),
  ]);
  if (filter.invoiceIds) q = q.where('i.id', 'in', filter.invoiceIds.length ? [...filter.invoiceIds] : ['']);
  if (filter.householdId) q = q.where('i.household_id', '=', filter.householdId);
  if (filter.dueBefore) q = q.where('i.due_date', '<', filter.dueBefore);
  const rows = await q
    .orderBy('i.issue_date', 'desc')
    .orderBy('i.series_code')
    .orderBy('i.seq', 'desc')
    .execute();
  return rows.map((r) => {
    const creditedCents = Number(r.creditedCents);
    const paidCents = Number(r.paidCents);
    return {
      ...r,
      creditedCents,
      paidCents,
      remainingCents: r.totalCents - creditedCents - paidCents,
      titreExport: r.titreExport ?? null,
    };
  });
}

/** What each line of an invoice can still be credited: its amount less the credit notes already on it. */
export async function lineRemainders(
  db: Kysely<Database>,
  invoiceId: string,
): Promise<Map<string, { amountCents: number; creditedCents: number }>> {
  const rows = await db
    .selectFrom('invoice_lines as l')
    .select([
      'l.id',
      'l.amount_cents',
      sql<number>`coalesce((SELECT sum(c.amount_cents) FROM credit_note_lines c WHERE c.invoice_line_id = l.id), 0)`.as(
        'credited',
      ),
    ])
    .where('l.invoice_id', '=', invoiceId)
    .execute();
  return new Map(rows.map((r) => [r.id, { amountCents: r.amount_cents, creditedCents: Number(r.credited) }]));
}
