import type { Kysely } from 'kysely';
import { invoicesWithBalance } from '../billing/balance.ts';
import type { Database } from '../db/schema.ts';
import { journalEvents } from './journal.ts';
import { standingAllocations, undo, writeLedger, type LedgerContext } from './ledger.ts';

/** What core/billing calls when it issues documents: kept apart so billing depends on as little of payments as can be. */

/**
 * Journals invoices just issued by core/billing (one entry each, in the order given). Called by `issueInvoices`
 * inside its transaction.
 */
export async function journalInvoices(
  db: Kysely<Database>,
  invoiceIds: readonly string[],
  now: Date,
): Promise<void> {
  await journalEvents(db, 'invoice', invoiceIds, now);
}

/**
 * After a credit note: journals it, and if the invoice is now overpaid (a credit note may cancel what was already
 * paid), takes the excess off the invoice's allocations, newest first, and gives it to the family as credit: the
 * invoice stays at zero left to pay, never below, and the family's money is not lost. Called by `issueCreditNote`.
 */
export async function afterCreditNote(
  db: Kysely<Database>,
  creditNote: { id: string; invoiceId: string; householdId: string },
  ctx: LedgerContext,
): Promise<number> {
  await journalEvents(db, 'credit_note', [creditNote.id], ctx.now);
  const [inv] = await invoicesWithBalance(db, { invoiceIds: [creditNote.invoiceId] });
  if (!inv || inv.remainingCents >= 0) return 0;
  const standing = await standingAllocations(db, { invoiceId: creditNote.invoiceId });
  // Only money actually paid comes back: two credit notes issued offline on two counters may together credit more
  // than the invoice (recorded all the same, core/api/facts.ts), which gives the family nothing more.
  const over = Math.min(
    -inv.remainingCents,
    standing.reduce((s, a) => s + a.standingCents, 0),
  );
  if (over <= 0) return 0;
  const rows = undo(standing, over);
  await writeLedger(
    db,
    { kind: 'release', id: creditNote.id, householdId: creditNote.householdId },
    rows,
    over,
    ctx,
  );
  await journalEvents(db, 'release', [creditNote.id], ctx.now);
  return over;
}
