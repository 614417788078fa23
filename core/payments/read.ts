import { sql, type Kysely } from 'kysely';
import { DomainError } from '../api/envelope.ts';
import type { Database } from '../db/schema.ts';
import { familyBalance, type FamilyBalance } from '../billing/ledger.ts';
import { detailGroupOf } from '../../shared/payment-modes.ts';
import { MODE_LABELS, type PaymentMode } from './modes.ts';
import type { Voucher } from './payments.ts';
import { amountInWords } from './words.ts';

export interface PaymentAllocationView {
  invoiceId: string;
  invoiceNumber: string;
  invoiceIssueDate: string;
  invoiceTotalCents: number;
  /** Put on the invoice by this payment when it was taken. */
  amountCents: number;
  /** Still on the invoice now (less what a reversal or a credit note undid). */
  standingCents: number;
}

export interface PaymentDetail {
  id: string;
  receiptId: string;
  receiptNumber: string;
  date: string;
  receivedAt: string;
  householdId: string;
  householdName: string;
  payerName: string;
  mode: PaymentMode;
  modeLabel: string;
  amountCents: number;
  amountInWords: string;
  cheque: { number: string; bank: string; drawer: string; date: string | null } | null;
  card: { authorisation: string; transaction: string | null; last4: string | null } | null;
  vouchers: Voucher[] | null;
  online: { reference: string } | null;
  note: string;
  agentName: string;
  /**
   * Who let cash over the limit through, and whether the central server could prove it: 'proven', 'unproven' (with
   * why), or null where it is not judged (this counter's own payment not yet synced, a counter working alone).
   */
  override: {
    reason: string;
    byName: string;
    proof: 'proven' | 'unproven' | null;
    proofNote: string | null;
  } | null;
  sessionId: string | null;
  allocations: PaymentAllocationView[];
  /** The part that became family credit when the payment was taken. */
  creditCents: number;
  reversal: { id: string; reason: string; date: string; agentName: string } | null;
  depositSlip: { id: string; number: string } | null;
  /** Prints so far; any print after the first is a duplicate. */
  printCount: number;
}

export async function paymentDetail(db: Kysely<Database>, paymentId: string): Promise<PaymentDetail> {
  const p = await db
    .selectFrom('payments as p')
    .innerJoin('receipts as r', 'r.payment_id', 'p.id')
    .selectAll('p')
    .select(['r.id as receipt_id', 'r.number as receipt_number'])
    .where('p.id', '=', paymentId)
    .executeTakeFirst();
  if (!p) throw new DomainError('NOT_FOUND', 'Paiement introuvable.', 'paymentId');
  const [allocations, credit, reversal, slip, prints] = await Promise.all([
    db
      .selectFrom('allocations as a')
      .innerJoin('invoices as i', 'i.id', 'a.invoice_id')
      .select([
        'a.invoice_id',
        'i.number',
        'i.issue_date',
        'i.total_cents',
        'a.amount_cents',
        sql<number>`a.amount_cents + coalesce((SELECT sum(u.amount_cents) FROM allocations u WHERE u.undoes_id = a.id), 0)`.as(
          'standing',
        ),
      ])
      .where('a.event_id', '=', p.id)
      .where('a.event_kind', '=', 'payment')
      .orderBy('a.position')
      .execute(),
    db
      .selectFrom('family_credit')
      .select('amount_cents')
      .where('event_id', '=', p.id)
      .where('event_kind', '=', 'payment')
      .executeTakeFirst(),
    db.selectFrom('payment_reversals').selectAll().where('payment_id', '=', p.id).executeTakeFirst(),
    db
      .selectFrom('deposit_slip_cheques as c')
      .innerJoin('deposit_slips as s', 's.id', 'c.slip_id')
      .select(['s.id', 's.number'])
      .where('c.payment_id', '=', p.id)
      .executeTakeFirst(),
    db
      .selectFrom('receipt_prints')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('receipt_id', '=', p.receipt_id)
      .executeTakeFirstOrThrow(),
  ]);
  const mode = p.mode as PaymentMode;
  // What the row keeps of the details is the columns of its mode's group (shared/payment-modes.ts).
  const group = detailGroupOf(mode);
  return {
    id: p.id,
    receiptId: p.receipt_id,
    receiptNumber: p.receipt_number,
    date: p.date,
    receivedAt: p.received_at,
    householdId: p.household_id,
    householdName: p.household_name,
    payerName: p.payer_name,
    mode,
    modeLabel: MODE_LABELS[mode],
    amountCents: p.amount_cents,
    amountInWords: amountInWords(p.amount_cents),
    cheque:
      group === 'cheque'
        ? {
            number: p.cheque_number ?? '',
            bank: p.cheque_bank ?? '',
            drawer: p.cheque_drawer ?? '',
            date: p.cheque_date,
          }
        : null,
    card:
      group === 'card'
        ? { authorisation: p.card_authorisation ?? '', transaction: p.card_transaction, last4: p.card_last4 }
        : null,
    vouchers: p.vouchers ? (JSON.parse(p.vouchers) as Voucher[]) : null,
    online: group === 'online' ? { reference: p.online_reference ?? '' } : null,
    note: p.note,
    agentName: p.agent_name,
    override: p.override_reason
      ? {
          reason: p.override_reason,
          byName: p.override_by_name ?? '',
          proof: p.override_proof,
          proofNote: p.override_proof_note,
        }
      : null,
    sessionId: p.session_id,
    allocations: allocations.map((a) => ({
      invoiceId: a.invoice_id,
      invoiceNumber: a.number,
      invoiceIssueDate: a.issue_date,
      invoiceTotalCents: a.total_cents,
      amountCents: a.amount_cents,
      standingCents: Number(a.standing),
    })),
    creditCents: credit?.amount_cents ?? 0,
    reversal: reversal
      ? { id: reversal.id, reason: reversal.reason, date: reversal.date, agentName: reversal.agent_name }
      : null,
    depositSlip: slip ? { id: slip.id, number: slip.number } : null,
    printCount: Number(prints.n),
  };
}

export interface HouseholdPayments {
  payments: {
    id: string;
    receiptNumber: string;
    date: string;
    receivedAt: string;
    mode: PaymentMode;
    modeLabel: string;
    amountCents: number;
    /** Invoice numbers the payment was allocated to when taken. */
    invoiceNumbers: string[];
    creditCents: number;
    reversed: boolean;
    reversalReason: string | null;
    agentName: string;
    /** A cash override the central server could not prove: shown as such, never silently believed. */
    overrideUnproven: string | null;
  }[];
  creditUses: { id: string; date: string; usedCents: number; invoiceNumbers: string[] }[];
  balance: FamilyBalance;
}

/** The family page's Paiements tab: newest first, with what each settled, and the family's balance. */
export async function listForHousehold(
  db: Kysely<Database>,
  householdId: string,
): Promise<HouseholdPayments> {
  const household = await db
    .selectFrom('households')
    .select('id')
    .where('id', '=', householdId)
    .executeTakeFirst();
  if (!household) throw new DomainError('NOT_FOUND', 'Ce foyer est introuvable.', 'householdId');
  const [payments, allocs, credits, reversals, uses] = await Promise.all([
    db
      .selectFrom('payments as p')
      .innerJoin('receipts as r', 'r.payment_id', 'p.id')
      .select([
        'p.id',
        'r.number',
        'p.date',
        'p.received_at',
        'p.mode',
        'p.amount_cents',
        'p.agent_name',
        'p.override_proof',
        'p.override_by_name',
        'p.override_proof_note',
      ])
      .where('p.household_id', '=', householdId)
      .orderBy('p.received_at', 'desc')
      .orderBy('r.seq', 'desc')
      .execute(),
    db
      .selectFrom('allocations as a')
      .innerJoin('invoices as i', 'i.id', 'a.invoice_id')
      .select(['a.event_id', 'a.event_kind', 'a.amount_cents', 'i.number'])
      .where('a.household_id', '=', householdId)
      .where('a.event_kind', 'in', ['payment', 'credit_use'])
      .orderBy('a.event_id')
      .orderBy('a.position')
      .execute(),
    db
      .selectFrom('family_credit')
      .select(['event_id', 'amount_cents'])
      .where('household_id', '=', householdId)
      .where('event_kind', '=', 'payment')
      .execute(),
    db
      .selectFrom('payment_reversals')
      .select(['payment_id', 'reason'])
      .where('household_id', '=', householdId)
      .execute(),
    db
      .selectFrom('credit_uses')
      .select(['id', 'date', 'used_at'])
      .where('household_id', '=', householdId)
      .orderBy('used_at', 'desc')
      .execute(),
  ]);
  const numbersOf = (eventId: string) => allocs.filter((a) => a.event_id === eventId).map((a) => a.number);
  const creditOf = new Map(credits.map((c) => [c.event_id, c.amount_cents]));
  const reversalOf = new Map(reversals.map((r) => [r.payment_id, r.reason]));
  return {
    payments: payments.map((p) => ({
      id: p.id,
      receiptNumber: p.number,
      date: p.date,
      receivedAt: p.received_at,
      mode: p.mode as PaymentMode,
      modeLabel: MODE_LABELS[p.mode as PaymentMode],
      amountCents: p.amount_cents,
      invoiceNumbers: numbersOf(p.id),
      creditCents: creditOf.get(p.id) ?? 0,
      reversed: reversalOf.has(p.id),
      reversalReason: reversalOf.get(p.id) ?? null,
      agentName: p.agent_name,
      overrideUnproven:
        p.override_proof === 'unproven'
          ? `Dérogation attribuée à ${p.override_by_name ?? '?'} non prouvée : ${p.override_proof_note ?? ''}`
          : null,
    })),
    creditUses: uses.map((u) => ({
      id: u.id,
      date: u.date,
      usedCents: allocs.filter((a) => a.event_id === u.id).reduce((s, a) => s + a.amount_cents, 0),
      invoiceNumbers: numbersOf(u.id),
    })),
    balance: await familyBalance(db, householdId),
  };
}
