import { sql, type Kysely } from 'kysely';
import { DomainError } from '../api/envelope.ts';
import type { Actor, Remark } from '../api/operation.ts';
import { invoicesWithBalance, type InvoiceWithBalance } from './balance.ts';
import { formatEuros } from './format.ts';
import type { AllocationEventKind, Database } from '../db/schema.ts';
import type { TownTimeZone } from '../calendar/time-zones.ts';
import { townDate } from '../time.ts';
import { first, insertRows } from '../db/fast-sql.ts';

/**
 * Where a family's money goes: allocations to invoices and the family credit. The rules, held here only:
 * - an invoice never receives more than what remains on it (total − credit notes − allocations);
 * - a payment never gives more than its amount; what it does not allocate becomes family credit;
 * - nothing is edited: an allocation is undone by a negative row naming it (`undoes_id`), so that for each family
 *   due = invoices − credit notes − allocations and credit = payments − reversals − allocations, at every moment.
 * It is the accounts' side of billing, below the payments that feed it (core/payments) and the credit notes that
 * can release what was paid (core/billing/credit-notes.ts `afterCreditNote`).
 */

export interface LedgerContext {
  actor: Actor;
  now: Date;
  newId: () => string;
  /** Set when a fact runs again: its rules of the moment are noted there (core/api/facts.ts). */
  remarks?: Remark[] | undefined;
  /** The town's zone, read once by the command: what is dated « today » is dated on the town's clock. */
  timeZone: TownTimeZone;
}

export interface PlannedAllocation {
  invoiceId: string;
  amountCents: number;
}

export interface AllocationView extends PlannedAllocation {
  number: string;
  /** What is left on the invoice once this allocation is made. */
  remainingCents: number;
}

/** Oldest first: the order the town's debts fall due, and the order a family expects its money to be used. */
export const byAge = (a: InvoiceWithBalance, b: InvoiceWithBalance): number =>
  a.issueDate.localeCompare(b.issueDate) ||
  a.dueDate.localeCompare(b.dueDate) ||
  a.number.localeCompare(b.number);

/** The household's invoices with something left to pay, oldest first. */
export async function openInvoices(db: Kysely<Database>, householdId: string): Promise<InvoiceWithBalance[]> {
  return (await invoicesWithBalance(db, { householdId })).filter((i) => i.remainingCents > 0).sort(byAge);
}

/**
 * How `amountCents` is spread over the household's invoices: as the agent edited it (`explicit`), checked against
 * what remains on each; or oldest first. Returns the allocations and what is left over (the excess).
 */
export function planAllocations(
  invoices: readonly InvoiceWithBalance[],
  amountCents: number,
  explicit: readonly PlannedAllocation[] | undefined,
  field = 'allocations',
): { allocations: AllocationView[]; excessCents: number } {
  const out: AllocationView[] = [];
  if (explicit) {
    const byId = new Map(invoices.map((i) => [i.id, i]));
    const seen = new Set<string>();
    let total = 0;
    explicit.forEach((a, i) => {
      const inv = byId.get(a.invoiceId);
      if (!inv)
        throw new DomainError(
          'VALIDATION',
          'Cette facture n’est pas une facture de ce foyer.',
          `${field}.${i}.invoiceId`,
        );
      if (seen.has(a.invoiceId))
        throw new DomainError('VALIDATION', 'Une même facture figure deux fois.', `${field}.${i}.invoiceId`);
      seen.add(a.invoiceId);
      if (a.amountCents > inv.remainingCents)
        throw new DomainError(
          'VALIDATION',
          `Montant supérieur au reste à payer de la facture ${inv.number} (${formatEuros(Math.max(0, inv.remainingCents))}).`,
          `${field}.${i}.amountCents`,
        );
      total += a.amountCents;
      out.push({ ...a, number: inv.number, remainingCents: inv.remainingCents - a.amountCents });
    });
    if (total > amountCents)
      throw new DomainError(
        'VALIDATION',
        `Les montants affectés (${formatEuros(total)}) dépassent le montant disponible (${formatEuros(amountCents)}).`,
        field,
      );
    return { allocations: out, excessCents: amountCents - total };
  }
  let left = amountCents;
  for (const inv of [...invoices].sort(byAge)) {
    if (left === 0) break;
    if (inv.remainingCents <= 0) continue;
    const take = Math.min(left, inv.remainingCents);
    out.push({
      invoiceId: inv.id,
      amountCents: take,
      number: inv.number,
      remainingCents: inv.remainingCents - take,
    });
    left -= take;
  }
  return { allocations: out, excessCents: left };
}

/** The family credit available: the sum of its ledger. */
export async function creditBalance(db: Kysely<Database>, householdId: string): Promise<number> {
  const r = await first<{ n: number }>(
    db,
    'SELECT coalesce(sum(amount_cents), 0) AS n FROM family_credit WHERE household_id = ?',
    [householdId],
  );
  return Number(r?.n ?? 0);
}

export interface StandingAllocation {
  id: string;
  invoiceId: string;
  paymentId: string | null;
  /** What the row still puts on its invoice: its amount less what negative rows undid of it. */
  standingCents: number;
}

/** Positive allocations still (partly) in force, newest first: the order in which they are undone. */
export async function standingAllocations(
  db: Kysely<Database>,
  where: { paymentId?: string; invoiceId?: string; householdFromCredit?: string },
): Promise<StandingAllocation[]> {
  let q = db
    .selectFrom('allocations as a')
    .select([
      'a.id',
      'a.invoice_id as invoiceId',
      'a.payment_id as paymentId',
      sql<number>`a.amount_cents + coalesce((SELECT sum(u.amount_cents) FROM allocations u WHERE u.undoes_id = a.id), 0)`.as(
        'standingCents',
      ),
    ])
    .where('a.amount_cents', '>', 0);
  if (where.paymentId) q = q.where('a.payment_id', '=', where.paymentId);
  if (where.invoiceId) q = q.where('a.invoice_id', '=', where.invoiceId);
  if (where.householdFromCredit)
    q = q.where('a.household_id', '=', where.householdFromCredit).where('a.payment_id', 'is', null);
  // rowid: the order rows were written, finer than a timestamp two events may share.
  const rows = await q.orderBy(sql`a.rowid`, 'desc').execute();
  return rows
    .map((r) => ({ ...r, standingCents: Number(r.standingCents) }))
    .filter((r) => r.standingCents > 0);
}

export interface AllocationRow {
  invoiceId: string;
  paymentId: string | null;
  amountCents: number;
  undoesId: string | null;
}

/** Writes an event's allocations (positions 1…n) and its credit movement, if any. */
export async function writeLedger(
  db: Kysely<Database>,
  event: { kind: AllocationEventKind; id: string; householdId: string },
  allocations: readonly AllocationRow[],
  creditCents: number,
  ctx: LedgerContext,
): Promise<void> {
  const at = ctx.now.toISOString();
  const date = townDate(ctx.now, ctx.timeZone);
  if (allocations.length > 0) {
    await insertRows(
      db,
      'allocations',
      allocations.map((r, i) => ({
        id: ctx.newId(),
        event_kind: event.kind,
        event_id: event.id,
        position: i + 1,
        household_id: event.householdId,
        invoice_id: r.invoiceId,
        payment_id: r.paymentId,
        amount_cents: r.amountCents,
        undoes_id: r.undoesId,
        created_at: at,
        date,
      })),
    );
  }
  if (creditCents !== 0) {
    await insertRows(db, 'family_credit', [
      {
        id: ctx.newId(),
        event_kind: event.kind,
        event_id: event.id,
        household_id: event.householdId,
        amount_cents: creditCents,
        created_at: at,
        date,
      },
    ]);
  }
}

/** Undoes standing allocations, in the order given, until `amountCents` is undone; returns the negative rows. */
export function undo(standing: readonly StandingAllocation[], amountCents: number): AllocationRow[] {
  const rows: AllocationRow[] = [];
  let left = amountCents;
  for (const s of standing) {
    if (left <= 0) break;
    const take = Math.min(left, s.standingCents);
    rows.push({ invoiceId: s.invoiceId, paymentId: s.paymentId, amountCents: -take, undoesId: s.id });
    left -= take;
  }
  if (left > 0) throw new Error(`undo: ${left} centimes sans affectation à reprendre`);
  return rows;
}

export interface FamilyBalance {
  householdId: string;
  invoicedCents: number;
  creditNotesCents: number;
  allocatedCents: number;
  /** What the family owes: invoices − credit notes − allocations. */
  dueCents: number;
  paymentsCents: number;
  reversedCents: number;
  /** What the family has in advance: payments − reversals − allocations. */
  creditCents: number;
  /** Due less credit: what the family would still owe if its credit were used. */
  netCents: number;
}

const FAMILY_BALANCE_SQL = `SELECT
  (SELECT coalesce(sum(total_cents), 0) FROM invoices WHERE household_id = ?) AS invoiced,
  (SELECT coalesce(sum(total_cents), 0) FROM credit_notes WHERE household_id = ?) AS credited,
  (SELECT coalesce(sum(amount_cents), 0) FROM allocations WHERE household_id = ?) AS allocated,
  (SELECT coalesce(sum(amount_cents), 0) FROM payments WHERE household_id = ?) AS paid,
  (SELECT coalesce(sum(amount_cents), 0) FROM payment_reversals WHERE household_id = ?) AS reversed,
  (SELECT coalesce(sum(amount_cents), 0) FROM family_credit WHERE household_id = ?) AS credit`;

/** The family's account, each figure a plain sum of its own table, so that the two identities can be checked. */
export async function familyBalance(db: Kysely<Database>, householdId: string): Promise<FamilyBalance> {
  const row = await first<{
    invoiced: number;
    credited: number;
    allocated: number;
    paid: number;
    reversed: number;
    credit: number;
  }>(db, FAMILY_BALANCE_SQL, Array<string>(6).fill(householdId));
  const n = (x: number | undefined) => Number(x ?? 0);
  const invoicedCents = n(row?.invoiced);
  const creditNotesCents = n(row?.credited);
  const allocatedCents = n(row?.allocated);
  const dueCents = invoicedCents - creditNotesCents - allocatedCents;
  const creditCents = n(row?.credit);
  return {
    householdId,
    invoicedCents,
    creditNotesCents,
    allocatedCents,
    dueCents,
    paymentsCents: n(row?.paid),
    reversedCents: n(row?.reversed),
    creditCents,
    netCents: dueCents - creditCents,
  };
}
