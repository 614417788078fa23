import type { Kysely } from 'kysely';
import { DomainError } from '../api/envelope.ts';
import { ruleOfTheMoment } from '../api/facts.ts';
import type { Actor, Remark } from '../api/operation.ts';
import type { Database } from '../db/schema.ts';
import { journalEvents } from '../journal/journal.ts';
import type { TownTimeZone } from '../calendar/time-zones.ts';
import { townDate } from '../time.ts';
import { invoicesWithBalance, lineRemainders } from './balance.ts';
import { formatEuros } from './format.ts';
import { standingAllocations, undo, writeLedger, type LedgerContext } from './ledger.ts';
import { deviceSeries, SERIES, takeNumber } from './series.ts';

export interface CreditNoteRequest {
  creditNoteId: string;
  invoiceId: string;
  reason: string;
  /** 'whole': everything still creditable on the invoice; otherwise the amounts per invoice line. */
  lines: 'whole' | CreditLineRequest[];
  /** The number printed on it where it was issued, when it runs again (`billing.creditNote` fixes it before logging). */
  number?: string | undefined;
}

export interface CreditLineRequest {
  invoiceLineId: string;
  amountCents: number;
  /** The one service of the line being credited, if the credit is for a service (see `billing.previewMonth`). */
  bookingId?: string | null;
}

export interface CreditNoteContext {
  actor: Actor;
  now: Date;
  newId: () => string;
  /** The town's zone: the credit note is dated the town's today. */
  timeZone: TownTimeZone;
  /** Set when the credit note runs again: its rules of the moment are noted there (core/api/facts.ts). */
  remarks?: Remark[] | undefined;
}

/**
 * What « the whole invoice » is at this moment, line by line: fixed before the credit note is logged, so that where
 * it runs again it credits what the paper handed to the family credits. Null when nothing is left to credit.
 */
export async function wholeLines(
  db: Kysely<Database>,
  invoiceId: string,
): Promise<{ invoiceLineId: string; amountCents: number; bookingId: null }[] | null> {
  const lines = [...(await lineRemainders(db, invoiceId)).entries()]
    .map(([invoiceLineId, r]) => ({
      invoiceLineId,
      amountCents: r.amountCents - r.creditedCents,
      bookingId: null,
    }))
    .filter((l) => l.amountCents > 0);
  return lines.length ? lines : null;
}

/**
 * Corrects an issued invoice without touching it (RULES.md: an issued invoice is never changed): a credit note from
 * its own series, referencing the invoice and its lines, with a reason. Never more than what remains to be credited,
 * line by line, so an invoice cannot go below zero however many credit notes it receives.
 */
export async function issueCreditNote(db: Kysely<Database>, req: CreditNoteRequest, ctx: CreditNoteContext) {
  const invoice = await db
    .selectFrom('invoices')
    .select(['id', 'number', 'household_id'])
    .where('id', '=', req.invoiceId)
    .executeTakeFirst();
  if (!invoice) throw new DomainError('NOT_FOUND', 'Facture introuvable.', 'invoiceId');
  const remainders = await lineRemainders(db, invoice.id);

  let wanted: CreditLineRequest[];
  if (req.lines === 'whole') {
    wanted = [...remainders.entries()]
      .map(([invoiceLineId, r]) => ({ invoiceLineId, amountCents: r.amountCents - r.creditedCents }))
      .filter((l) => l.amountCents > 0);
  } else {
    const seen = new Set<string>();
    const unmarked = new Set<number>();
    for (const [i, l] of req.lines.entries()) {
      const r = remainders.get(l.invoiceLineId);
      if (!r)
        throw new DomainError(
          'VALIDATION',
          `Cette ligne n’appartient pas à la facture ${invoice.number}.`,
          `lines.${i}.invoiceLineId`,
        );
      if (seen.has(l.invoiceLineId))
        throw new DomainError('VALIDATION', 'Une même ligne figure deux fois.', `lines.${i}.invoiceLineId`);
      seen.add(l.invoiceLineId);
      const left = r.amountCents - r.creditedCents;
      // A service credited meanwhile by another credit note keeps that one's mark; this line credits the amount only.
      if (
        l.bookingId &&
        !(await checkService(db, l.invoiceLineId, l.bookingId, l.amountCents, `lines.${i}`, ctx))
      )
        unmarked.add(i);
      // Another credit note may have reached the invoice first: issued and handed over, this one stands too.
      if (l.amountCents > left) {
        ruleOfTheMoment(
          ctx,
          'CREDIT_EXCEEDS',
          new DomainError(
            'VALIDATION',
            `Montant supérieur à ce qui reste sur la ligne (${formatEuros(left)}) : un avoir ne dépasse jamais la facture.`,
            `lines.${i}.amountCents`,
          ),
        );
      }
    }
    wanted = req.lines.map((l, i) => (unmarked.has(i) ? { ...l, bookingId: null } : l));
  }
  const totalCents = wanted.reduce((s, l) => s + l.amountCents, 0);
  if (totalCents <= 0)
    throw new DomainError(
      'CONFLICT',
      `La facture ${invoice.number} est déjà entièrement annulée par avoir.`,
      'invoiceId',
    );

  const issueDate = townDate(ctx.now, ctx.timeZone);
  const allocated = await takeNumber(
    db,
    await deviceSeries(db, SERIES.creditNote, ctx.actor.deviceId),
    issueDate,
    req.number,
    ctx,
  );
  const number = allocated.number;
  await db
    .insertInto('credit_notes')
    .values({
      id: req.creditNoteId,
      number,
      series_code: allocated.seriesCode,
      series_year: allocated.year,
      seq: allocated.seqs[0] as number,
      invoice_id: invoice.id,
      household_id: invoice.household_id,
      issue_date: issueDate,
      reason: req.reason,
      total_cents: totalCents,
      created_at: ctx.now.toISOString(),
      agent_id: ctx.actor.agentId,
      device_id: ctx.actor.deviceId,
    })
    .execute();
  await db
    .insertInto('credit_note_lines')
    .values(
      wanted.map((l) => ({
        id: ctx.newId(),
        credit_note_id: req.creditNoteId,
        invoice_line_id: l.invoiceLineId,
        amount_cents: l.amountCents,
        booking_id: l.bookingId ?? null,
      })),
    )
    .execute();
  // Journaled; and if the invoice was paid beyond what the credit note leaves, the excess goes to family credit.
  await afterCreditNote(
    db,
    { id: req.creditNoteId, invoiceId: invoice.id, householdId: invoice.household_id },
    ctx,
  );
  const [after] = await invoicesWithBalance(db, { invoiceIds: [invoice.id] });
  return {
    creditNoteId: req.creditNoteId,
    number,
    totalCents,
    invoiceNumber: invoice.number,
    invoiceRemainingCents: after?.remainingCents ?? 0,
  };
}

/**
 * A service credited by name must be one the line bills, not credited before, and at most its unit price. False when
 * a credit note running again finds it credited meanwhile (a rule of the moment, noted).
 */
async function checkService(
  db: Kysely<Database>,
  lineId: string,
  bookingId: string,
  amountCents: number,
  field: string,
  ctx: { remarks?: Remark[] | undefined },
): Promise<boolean> {
  const billed = await db
    .selectFrom('billed_services as s')
    .innerJoin('invoice_lines as l', 'l.id', 's.invoice_line_id')
    .select(['l.unit_price_cents', 's.service_date'])
    .where('s.booking_id', '=', bookingId)
    .where('s.invoice_line_id', '=', lineId)
    .executeTakeFirst();
  if (!billed)
    throw new DomainError(
      'VALIDATION',
      'Cette réservation n’est pas facturée sur cette ligne.',
      `${field}.bookingId`,
    );
  const credited = await db
    .selectFrom('credit_note_lines')
    .select('id')
    .where('booking_id', '=', bookingId)
    .executeTakeFirst();
  if (credited) {
    ruleOfTheMoment(
      ctx,
      'CREDIT_EXCEEDS',
      new DomainError('CONFLICT', 'Ce service a déjà fait l’objet d’un avoir.', `${field}.bookingId`),
    );
    return false;
  }
  if (amountCents > billed.unit_price_cents) {
    throw new DomainError(
      'VALIDATION',
      `Un service se crédite au plus de son prix (${formatEuros(billed.unit_price_cents)}).`,
      `${field}.amountCents`,
    );
  }
  return true;
}

/**
 * After a credit note: journals it, and if the invoice is now overpaid (a credit note may cancel what was already
 * paid), takes the excess off the invoice's allocations, newest first, and gives it to the family as credit: the
 * invoice stays at zero left to pay, never below, and the family's money is not lost. Called by `issueCreditNote`.
 */
async function afterCreditNote(
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
