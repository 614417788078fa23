import type { Kysely } from 'kysely';
import { DomainError } from '../api/envelope.ts';
import { formatEuros } from '../billing/format.ts';
import type { TownTimeZone } from '../calendar/time-zones.ts';
import type { Database } from '../db/schema.ts';
import { loadRegieSettings, MODE_LABELS, type PaymentMode } from '../payments/modes.ts';
import type { SessionRow } from '../payments/till.ts';
import { listPayIns, type PayInView } from './payins.ts';
import { sessionView, type Counted, type SessionView } from './session.ts';

/**
 * One till as the régisseur reviews it, open or closed: its figures (core/regie/session.ts), every payment that went
 * into it with its receipt number, the reversals made from it, the cash paid in, and where each cheque went. What
 * the screen shows and the closing report (Z) prints.
 */

export interface TillPayment {
  paymentId: string;
  receiptNumber: string;
  receivedAt: string;
  mode: PaymentMode;
  modeLabel: string;
  amountCents: number;
  householdId: string;
  householdName: string;
  payerName: string;
  agentName: string;
  /** « n° 0012345 — Crédit Agricole — Sophie Lefèvre », « autorisation 123456 », « 2 × 20,00 € »… */
  detail: string;
  cheque: { number: string; bank: string; drawer: string } | null;
  reversed: boolean;
  /** For a cheque: the deposit slip it went on, null while it waits to be deposited. */
  depositSlip: string | null;
}

export interface TillReversal {
  reversalId: string;
  receiptNumber: string;
  reversedAt: string;
  modeLabel: string;
  amountCents: number;
  payerName: string;
  reason: string;
  agentName: string;
}

export interface TillDetail {
  session: SessionView;
  /** The counter's code in its series (« G01 »): which counter's till this is. */
  counterCode: string;
  payments: TillPayment[];
  reversals: TillReversal[];
  payIns: PayInView[];
  /** The float counted note by note at opening, when it was. */
  floatDenominations: Counted[] | null;
}

export async function loadSession(db: Kysely<Database>, sessionId: string): Promise<SessionRow> {
  const row = await db.selectFrom('cash_sessions').selectAll().where('id', '=', sessionId).executeTakeFirst();
  if (!row) throw new DomainError('NOT_FOUND', 'Session de caisse introuvable.', 'sessionId');
  return row;
}

/** The counter code of each device, as its series print it. */
export async function counterCodes(
  db: Kysely<Database>,
  deviceIds: readonly string[],
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const deviceId of new Set(deviceIds))
    out.set(deviceId, (await loadRegieSettings(db, deviceId)).counterCode);
  return out;
}

export async function tillDetail(
  db: Kysely<Database>,
  sessionId: string,
  now: Date,
  zone: TownTimeZone,
): Promise<TillDetail> {
  const row = await loadSession(db, sessionId);
  const settings = await loadRegieSettings(db, row.device_id);
  const [session, payments, reversals, payIns] = await Promise.all([
    sessionView(db, row, settings.cashCeilingCents, now, zone),
    db
      .selectFrom('payments as p')
      .innerJoin('receipts as r', 'r.payment_id', 'p.id')
      .leftJoin('payment_reversals as x', 'x.payment_id', 'p.id')
      .leftJoin('deposit_slip_cheques as c', 'c.payment_id', 'p.id')
      .leftJoin('deposit_slips as s', 's.id', 'c.slip_id')
      .select([
        'p.id',
        'r.number',
        'p.received_at',
        'p.mode',
        'p.amount_cents',
        'p.household_id',
        'p.household_name',
        'p.payer_name',
        'p.agent_name',
        'p.cheque_number',
        'p.cheque_bank',
        'p.cheque_drawer',
        'p.card_authorisation',
        'p.vouchers',
        'x.id as reversal_id',
        's.number as slip_number',
      ])
      .where('p.session_id', '=', row.id)
      .orderBy('r.seq')
      .execute(),
    db
      .selectFrom('payment_reversals as x')
      .innerJoin('payments as p', 'p.id', 'x.payment_id')
      .innerJoin('receipts as r', 'r.payment_id', 'p.id')
      .select([
        'x.id',
        'r.number',
        'x.reversed_at',
        'p.mode',
        'x.amount_cents',
        'p.payer_name',
        'x.reason',
        'x.agent_name',
      ])
      .where('x.session_id', '=', row.id)
      .orderBy('x.reversed_at')
      .execute(),
    listPayIns(db, row.id),
  ]);
  const codes = await counterCodes(db, [row.device_id]);
  return {
    session,
    counterCode: codes.get(row.device_id) ?? '',
    payments: payments.map((p) => {
      const mode = p.mode as PaymentMode;
      return {
        paymentId: p.id,
        receiptNumber: p.number,
        receivedAt: p.received_at,
        mode,
        modeLabel: MODE_LABELS[mode],
        amountCents: p.amount_cents,
        householdId: p.household_id,
        householdName: p.household_name,
        payerName: p.payer_name,
        agentName: p.agent_name,
        detail: paymentDetailLine(p),
        cheque: p.cheque_number
          ? { number: p.cheque_number, bank: p.cheque_bank ?? '', drawer: p.cheque_drawer ?? '' }
          : null,
        reversed: p.reversal_id !== null,
        depositSlip: p.slip_number,
      };
    }),
    reversals: reversals.map((x) => ({
      reversalId: x.id,
      receiptNumber: x.number,
      reversedAt: x.reversed_at,
      modeLabel: MODE_LABELS[x.mode as PaymentMode],
      amountCents: x.amount_cents,
      payerName: x.payer_name,
      reason: x.reason,
      agentName: x.agent_name,
    })),
    payIns,
    floatDenominations: session.floatDenominations,
  };
}

function paymentDetailLine(p: {
  cheque_number: string | null;
  cheque_bank: string | null;
  cheque_drawer: string | null;
  card_authorisation: string | null;
  vouchers: string | null;
}): string {
  if (p.cheque_number) return `n° ${p.cheque_number} — ${p.cheque_bank ?? ''} — ${p.cheque_drawer ?? ''}`;
  if (p.card_authorisation) return `autorisation ${p.card_authorisation}`;
  if (p.vouchers) {
    const list = JSON.parse(p.vouchers) as { faceValueCents: number; count: number }[];
    return list
      .map((v) => `${v.count} titre${v.count > 1 ? 's' : ''} de ${formatEuros(v.faceValueCents)}`)
      .join(', ');
  }
  return '';
}
