import type { Kysely } from 'kysely';
import { DomainError } from '../api/envelope.ts';
import { ruleOfTheMoment } from '../api/facts.ts';
import type { LedgerContext } from '../billing/ledger.ts';
import { formatEuros, formatLongDate } from '../billing/format.ts';
import { insertRows } from '../db/fast-sql.ts';
import type { Database } from '../db/schema.ts';
import { journalEvents } from '../journal/journal.ts';
import { expectedCash, sessionPaidIn, sessionTotals, type SessionRow } from '../payments/till.ts';
import { townDate } from '../time.ts';

/**
 * Cash paid in to the Trésor (versement au comptable, REGIE §1 « Paying in »): the régisseur takes cash out of the
 * till and hands it to the comptable, who gives a receipt. Recorded as a fact of the till it left — amount,
 * reference of that receipt, who and when —, journaled, never changed; the closing expects that much less cash.
 */

export interface PayInView {
  id: string;
  sessionId: string;
  amountCents: number;
  reference: string;
  note: string;
  paidAt: string;
  date: string;
  agentName: string;
}

export async function listPayIns(db: Kysely<Database>, sessionId: string): Promise<PayInView[]> {
  const rows = await db
    .selectFrom('cash_payins')
    .selectAll()
    .where('session_id', '=', sessionId)
    .orderBy('paid_at')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    sessionId: r.session_id,
    amountCents: r.amount_cents,
    reference: r.reference,
    note: r.note,
    paidAt: r.paid_at,
    date: r.date,
    agentName: r.agent_name,
  }));
}

/**
 * Records a pay-in from the till `sessionId` names (fixed where it was made: this counter's till of the day). Where
 * it is made, a pay-in larger than the cash the till holds by the records is refused; where it runs again, it is
 * recorded all the same (the payments that filled the till may not have arrived yet) and the régisseur is told.
 */
export async function payIn(
  db: Kysely<Database>,
  input: { payInId: string; sessionId: string | null; amountCents: number; reference: string; note: string },
  ctx: LedgerContext,
): Promise<{ payIn: PayInView; cashOnHandCents: number }> {
  if (input.sessionId === null)
    throw new DomainError(
      'CONFLICT',
      'Aucune caisse du jour n’est ouverte sur ce poste : un versement sort de la caisse ouverte aujourd’hui.',
      'sessionId',
    );
  const till = await db
    .selectFrom('cash_sessions')
    .selectAll()
    .where('id', '=', input.sessionId)
    .executeTakeFirst();
  if (!till || till.device_id !== ctx.actor.deviceId)
    throw new DomainError(
      'NOT_FOUND',
      'La caisse de ce versement est introuvable (son ouverture n’est pas parvenue).',
      'sessionId',
    );
  if (till.closed_at !== null)
    throw new DomainError(
      'CONFLICT',
      `La caisse du ${formatLongDate(till.open_date)} est clôturée : aucun versement ne s’y ajoute.`,
      'sessionId',
    );
  const onHand = await cashOnHand(db, till);
  if (input.amountCents > onHand)
    ruleOfTheMoment(
      ctx,
      'PAYIN_OVER_CASH',
      new DomainError(
        'VALIDATION',
        `Versement de ${formatEuros(input.amountCents)} supérieur aux espèces en caisse (${formatEuros(onHand)}).`,
        'amountCents',
      ),
    );
  await insertRows(db, 'cash_payins', [
    {
      id: input.payInId,
      session_id: till.id,
      device_id: till.device_id,
      amount_cents: input.amountCents,
      reference: input.reference,
      note: input.note,
      paid_at: ctx.now.toISOString(),
      date: townDate(ctx.now, ctx.timeZone),
      agent_id: ctx.actor.agentId,
      agent_name: ctx.actor.agentName,
    },
  ]);
  await journalEvents(db, 'cash_payin', [input.payInId], ctx.now);
  const [view] = (await listPayIns(db, till.id)).filter((p) => p.id === input.payInId);
  return { payIn: view as PayInView, cashOnHandCents: onHand - input.amountCents };
}

async function cashOnHand(db: Kysely<Database>, till: SessionRow): Promise<number> {
  return expectedCash(till, await sessionTotals(db, till.id), await sessionPaidIn(db, till.id));
}
