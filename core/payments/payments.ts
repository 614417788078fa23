import type { Kysely } from 'kysely';
import { detailProblems, type Voucher } from '../../shared/payment-details.ts';
import { DomainError } from '../api/envelope.ts';
import { invoicesWithBalance } from '../billing/balance.ts';
import { formatEuros } from '../billing/format.ts';
import { loadDebtors } from '../billing/issue.ts';
import { remark, ruleOfTheMoment } from '../api/facts.ts';
import { takeNumber } from '../billing/series.ts';
import type { Database } from '../db/schema.ts';
import { townDate } from '../time.ts';
import { canonicalJson } from '../journal/canonical.ts';
import { insertRows } from '../db/fast-sql.ts';
import { journalEvents } from '../journal/journal.ts';
import { ceilingWarning, expectedCash, sessionTotals, tillOfFact } from './till.ts';
import {
  creditBalance,
  familyBalance,
  openInvoices,
  planAllocations,
  standingAllocations,
  undo,
  writeLedger,
  type AllocationView,
  type LedgerContext,
  type PlannedAllocation,
} from '../billing/ledger.ts';
import { loadRegieSettings, MODE_LABELS, needsSession, receiptSeries, type PaymentMode } from './modes.ts';
import { amountInWords } from './words.ts';

export type { Voucher };

export interface PaymentInput {
  paymentId: string;
  householdId: string;
  mode: PaymentMode;
  amountCents: number;
  cheque?: { number: string; bank: string; drawer: string; date: string | null } | undefined;
  card?: { authorisation: string; transaction: string | null; last4: string | null } | undefined;
  vouchers?: Voucher[] | undefined;
  online?: { reference: string } | undefined;
  note: string;
  /** As the agent left them on the screen; absent: oldest first. An empty list puts everything on credit. */
  allocations?: PlannedAllocation[] | undefined;
  /** Who let a cash payment over the limit through, already authenticated by the caller, and why. */
  override: {
    reason: string;
    byId: string;
    byName: string;
    /** The central server's verdict on the régisseur's signature; null where it is not judged (a counter). */
    proof?: { status: 'proven' | 'unproven'; note: string | null } | null;
  } | null;
  /** The receipt number printed at the counter (`payment.record` fixes it before logging); absent: the next. */
  receiptNumber?: string | undefined;
  /** The till the payment went into at the counter, null for none; absent in commands logged before it was named. */
  sessionId?: string | null | undefined;
}

export interface RecordedPayment {
  paymentId: string;
  receiptNumber: string;
  householdId: string;
  mode: PaymentMode;
  modeLabel: string;
  amountCents: number;
  amountInWords: string;
  allocations: AllocationView[];
  /** The part of the payment not allocated, now family credit. */
  creditCents: number;
  /** The family credit available after this payment. */
  familyCreditCents: number;
  /** What the family still owes after this payment. */
  dueCents: number;
  sessionId: string | null;
  warnings: string[];
}

/**
 * Details the mode needs, refused when another mode's are given, when titles do not make the amount or when a text
 * looks like a card number: the rules the payment form applies too (shared/payment-details.ts).
 */
function checkDetails(input: PaymentInput): void {
  const [problem] = detailProblems(input);
  if (problem) throw new DomainError('VALIDATION', problem.message, problem.field);
}

/**
 * Records a payment in the caller's transaction: checks (mode accepted, till open, cash limit), allocation, the
 * receipt number from the counter's series, the rows, then the journal entry. All or nothing.
 */
export async function recordPayment(
  db: Kysely<Database>,
  input: PaymentInput,
  ctx: LedgerContext,
): Promise<RecordedPayment> {
  const settings = await loadRegieSettings(db, ctx.actor.deviceId);
  if (!settings.modes.includes(input.mode))
    ruleOfTheMoment(
      ctx,
      'MODE_REFUSED',
      new DomainError(
        'VALIDATION',
        `La régie n’accepte pas le mode « ${MODE_LABELS[input.mode]} » (acte constitutif).`,
        'mode',
      ),
    );
  checkDetails(input);
  const debtor = (await loadDebtors(db, [input.householdId])).get(input.householdId);
  if (!debtor) throw new DomainError('NOT_FOUND', 'Ce foyer est introuvable.', 'householdId');
  if (input.mode === 'cash' && input.amountCents >= settings.cashLimitCents) {
    const limit = formatEuros(settings.cashLimitCents);
    if (!settings.cashLimitOverridable)
      ruleOfTheMoment(
        ctx,
        'CASH_LIMIT',
        new DomainError(
          'FORBIDDEN',
          `Paiement en espèces refusé : ${limit} ou plus ne se paient pas en espèces (art. 1680 du CGI).`,
          'amountCents',
        ),
      );
    else if (!input.override)
      ruleOfTheMoment(
        ctx,
        'CASH_LIMIT',
        new DomainError(
          'FORBIDDEN',
          `Paiement en espèces de ${limit} ou plus refusé (art. 1680 du CGI) : seul un régisseur peut y déroger, avec un motif.`,
          'override',
        ),
      );
  }
  const session = await tillOfFact(db, ctx, input.sessionId, needsSession(input.mode));

  // An explicit allocation may name any invoice of the household, what remains on it being checked.
  const invoices = input.allocations
    ? await invoicesWithBalance(db, { householdId: input.householdId })
    : await openInvoices(db, input.householdId);
  let plan: ReturnType<typeof planAllocations>;
  try {
    plan = planAllocations(invoices, input.amountCents, input.allocations);
  } catch (error) {
    // Money received is never refused: invoices paid meanwhile at another counter, or cancelled by a credit note,
    // leave the payment to the family's credit instead (RULES.md « at worst it becomes family credit »).
    if (!(error instanceof DomainError) || !ctx.remarks) throw error;
    plan = planAllocations(invoices, input.amountCents, []);
    remark(
      ctx,
      'AS_CREDIT',
      'Paiement enregistré au crédit de la famille : les factures qu’il devait régler ne le permettaient plus (réglées ou annulées entre-temps à un autre guichet).',
    );
  }

  const date = townDate(ctx.now, ctx.timeZone);
  const numbered = await takeNumber(db, receiptSeries(settings.counterCode), date, input.receiptNumber, ctx);
  const receiptNumber = numbered.number;
  await insertRows(db, 'payments', [
    {
      id: input.paymentId,
      household_id: input.householdId,
      mode: input.mode,
      amount_cents: input.amountCents,
      received_at: ctx.now.toISOString(),
      date,
      session_id: needsSession(input.mode) ? (session?.id ?? null) : null,
      household_name: debtor.householdName,
      payer_name: debtor.payerName,
      cheque_number: input.cheque?.number ?? null,
      cheque_bank: input.cheque?.bank ?? null,
      cheque_drawer: input.cheque?.drawer ?? null,
      cheque_date: input.cheque?.date ?? null,
      card_authorisation: input.card?.authorisation ?? null,
      card_transaction: input.card?.transaction ?? null,
      card_last4: input.card?.last4 ?? null,
      vouchers: input.vouchers ? canonicalJson(input.vouchers) : null,
      online_reference: input.online?.reference ?? null,
      note: input.note,
      override_reason: input.override?.reason ?? null,
      override_by: input.override?.byId ?? null,
      override_by_name: input.override?.byName ?? null,
      override_proof: input.override?.proof?.status ?? null,
      override_proof_note: input.override?.proof?.note ?? null,
      agent_id: ctx.actor.agentId,
      agent_name: ctx.actor.agentName,
      device_id: ctx.actor.deviceId,
    },
  ]);
  await insertRows(db, 'receipts', [
    {
      id: ctx.newId(),
      payment_id: input.paymentId,
      number: receiptNumber,
      series_code: numbered.seriesCode,
      series_year: numbered.year,
      seq: numbered.seqs[0] as number,
      issue_date: date,
    },
  ]);
  await writeLedger(
    db,
    { kind: 'payment', id: input.paymentId, householdId: input.householdId },
    plan.allocations.map((a) => ({
      invoiceId: a.invoiceId,
      paymentId: input.paymentId,
      amountCents: a.amountCents,
      undoesId: null,
    })),
    plan.excessCents,
    ctx,
  );
  await journalEvents(db, 'payment', [input.paymentId], ctx.now);

  const warnings: string[] = [];
  const sessionId = needsSession(input.mode) ? (session?.id ?? null) : null;
  if (session && input.mode === 'cash') {
    const w = ceilingWarning(
      expectedCash(session, await sessionTotals(db, session.id)),
      settings.cashCeilingCents,
    );
    if (w) warnings.push(w);
  }
  if (plan.excessCents > 0)
    warnings.push(
      `${formatEuros(plan.excessCents)} porté(s) au crédit de la famille, utilisable(s) sur une prochaine facture.`,
    );
  const balance = await familyBalance(db, input.householdId);
  return {
    paymentId: input.paymentId,
    receiptNumber,
    householdId: input.householdId,
    mode: input.mode,
    modeLabel: MODE_LABELS[input.mode],
    amountCents: input.amountCents,
    amountInWords: amountInWords(input.amountCents),
    allocations: plan.allocations,
    creditCents: plan.excessCents,
    familyCreditCents: balance.creditCents,
    dueCents: balance.dueCents,
    sessionId,
    warnings,
  };
}

/** Spends family credit on invoices: as given, or oldest first up to the credit available. */
export async function useCredit(
  db: Kysely<Database>,
  input: { creditUseId: string; householdId: string; allocations?: PlannedAllocation[] | undefined },
  ctx: LedgerContext,
) {
  const available = await creditBalance(db, input.householdId);
  if (available <= 0)
    throw new DomainError('CONFLICT', 'Ce foyer n’a pas de crédit disponible.', 'householdId');
  const invoices = input.allocations
    ? await invoicesWithBalance(db, { householdId: input.householdId })
    : await openInvoices(db, input.householdId);
  const plan = planAllocations(invoices, available, input.allocations);
  const total = plan.allocations.reduce((s, a) => s + a.amountCents, 0);
  if (total === 0)
    throw new DomainError('CONFLICT', 'Aucune facture de ce foyer ne reste à payer.', 'allocations');
  await insertRows(db, 'credit_uses', [
    {
      id: input.creditUseId,
      household_id: input.householdId,
      used_at: ctx.now.toISOString(),
      date: townDate(ctx.now, ctx.timeZone),
      agent_id: ctx.actor.agentId,
      device_id: ctx.actor.deviceId,
    },
  ]);
  await writeLedger(
    db,
    { kind: 'credit_use', id: input.creditUseId, householdId: input.householdId },
    plan.allocations.map((a) => ({
      invoiceId: a.invoiceId,
      paymentId: null,
      amountCents: a.amountCents,
      undoesId: null,
    })),
    -total,
    ctx,
  );
  await journalEvents(db, 'credit_use', [input.creditUseId], ctx.now);
  const balance = await familyBalance(db, input.householdId);
  return {
    creditUseId: input.creditUseId,
    usedCents: total,
    allocations: plan.allocations,
    familyCreditCents: balance.creditCents,
    dueCents: balance.dueCents,
  };
}

/**
 * Reverses a whole payment (contre-passation): a reversal row referencing it with a reason, its allocations undone,
 * its amount taken out of the family's money. If part of it had become credit and that credit was since spent, the
 * credit's own allocations are undone too, newest first, so that the credit never goes below zero. Cash handed
 * back leaves today's till, which must be open; other modes are recorded in it when it is.
 */
export async function reversePayment(
  db: Kysely<Database>,
  input: { reversalId: string; paymentId: string; reason: string; sessionId?: string | null | undefined },
  ctx: LedgerContext,
) {
  const payment = await db
    .selectFrom('payments')
    .select(['id', 'household_id', 'amount_cents', 'mode'])
    .where('id', '=', input.paymentId)
    .executeTakeFirst();
  if (!payment) throw new DomainError('NOT_FOUND', 'Paiement introuvable.', 'paymentId');
  const done = await db
    .selectFrom('payment_reversals')
    .select('date')
    .where('payment_id', '=', payment.id)
    .executeTakeFirst();
  if (done) throw new DomainError('CONFLICT', 'Ce paiement est déjà annulé.', 'paymentId');
  const mode = payment.mode as PaymentMode;
  const session = needsSession(mode) ? await tillOfFact(db, ctx, input.sessionId, mode === 'cash') : null;

  const own = await standingAllocations(db, { paymentId: payment.id });
  const rows = undo(
    own,
    own.reduce((s, a) => s + a.standingCents, 0),
  );
  let creditDelta = own.reduce((s, a) => s + a.standingCents, 0) - payment.amount_cents;
  const credit = await creditBalance(db, payment.household_id);
  if (credit + creditDelta < 0) {
    const fromCredit = await standingAllocations(db, { householdFromCredit: payment.household_id });
    const more = undo(fromCredit, -(credit + creditDelta));
    rows.push(...more);
    creditDelta -= more.reduce((s, r) => s + r.amountCents, 0);
  }
  await insertRows(db, 'payment_reversals', [
    {
      id: input.reversalId,
      payment_id: payment.id,
      household_id: payment.household_id,
      amount_cents: payment.amount_cents,
      reason: input.reason,
      reversed_at: ctx.now.toISOString(),
      date: townDate(ctx.now, ctx.timeZone),
      session_id: session?.id ?? null,
      agent_id: ctx.actor.agentId,
      agent_name: ctx.actor.agentName,
      device_id: ctx.actor.deviceId,
    },
  ]);
  await writeLedger(
    db,
    { kind: 'reversal', id: input.reversalId, householdId: payment.household_id },
    rows,
    creditDelta,
    ctx,
  );
  await journalEvents(db, 'reversal', [input.reversalId], ctx.now);
  const balance = await familyBalance(db, payment.household_id);
  return {
    reversalId: input.reversalId,
    paymentId: payment.id,
    amountCents: payment.amount_cents,
    undoneCents: -rows.reduce((s, r) => s + r.amountCents, 0),
    familyCreditCents: balance.creditCents,
    dueCents: balance.dueCents,
    sessionId: session?.id ?? null,
  };
}
