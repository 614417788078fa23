import type { Kysely } from 'kysely';
import { DomainError } from '../api/envelope.ts';
import { ruleOfTheMoment } from '../api/facts.ts';
import { takeNumber } from '../billing/series.ts';
import type { Database } from '../db/schema.ts';
import { journalEvents } from '../journal/journal.ts';
import type { LedgerContext } from '../billing/ledger.ts';
import { DEPOSIT_SLIP_MODES, isDepositSlipMode } from '../../shared/payment-modes.ts';
import { depositSlipSeries, loadRegieSettings } from '../payments/modes.ts';
import { townDate } from '../time.ts';
import { csvAmount, toCsv } from './csv.ts';

/**
 * The cheque deposit slip (bordereau de remise, REGIE req. 9): the cheques handed to the bank or the comptable,
 * each with number, drawer, bank and amount, their count and total. A cheque is on one slip only (primary key of
 * `deposit_slip_cheques`); a cheque whose payment was reversed was given back and is not deposited.
 */

export interface ChequeView {
  paymentId: string;
  receiptNumber: string;
  date: string;
  chequeNumber: string;
  bank: string;
  drawer: string;
  chequeDate: string | null;
  amountCents: number;
  payerName: string;
  householdName: string;
}

const chequeQuery = (db: Kysely<Database>) =>
  db
    .selectFrom('payments as p')
    .innerJoin('receipts as r', 'r.payment_id', 'p.id')
    .select([
      'p.id as paymentId',
      'r.number as receiptNumber',
      'p.date',
      'p.cheque_number',
      'p.cheque_bank',
      'p.cheque_drawer',
      'p.cheque_date',
      'p.amount_cents as amountCents',
      'p.payer_name as payerName',
      'p.household_name as householdName',
    ])
    .where('p.mode', 'in', DEPOSIT_SLIP_MODES);

type ChequeRow = Awaited<ReturnType<ReturnType<typeof chequeQuery>['execute']>>[number];

const toView = (r: ChequeRow): ChequeView => ({
  paymentId: r.paymentId,
  receiptNumber: r.receiptNumber,
  date: r.date,
  chequeNumber: r.cheque_number ?? '',
  bank: r.cheque_bank ?? '',
  drawer: r.cheque_drawer ?? '',
  chequeDate: r.cheque_date,
  amountCents: r.amountCents,
  payerName: r.payerName,
  householdName: r.householdName,
});

/** Cheques received and not yet deposited (nor given back), in the order they were received. */
export async function pendingCheques(db: Kysely<Database>): Promise<ChequeView[]> {
  const rows = await chequeQuery(db)
    .where((eb) =>
      eb.and([
        eb.not(
          eb.exists(
            eb
              .selectFrom('deposit_slip_cheques as c')
              .select('c.payment_id')
              .whereRef('c.payment_id', '=', 'p.id'),
          ),
        ),
        eb.not(
          eb.exists(
            eb.selectFrom('payment_reversals as x').select('x.id').whereRef('x.payment_id', '=', 'p.id'),
          ),
        ),
      ]),
    )
    .orderBy('p.received_at')
    .orderBy('r.seq')
    .execute();
  return rows.map(toView);
}

export interface DepositSlipDetail {
  id: string;
  number: string;
  date: string;
  createdAt: string;
  agentName: string;
  chequeCount: number;
  totalCents: number;
  cheques: ChequeView[];
}

export async function depositSlipDetail(db: Kysely<Database>, slipId: string): Promise<DepositSlipDetail> {
  const slip = await db.selectFrom('deposit_slips').selectAll().where('id', '=', slipId).executeTakeFirst();
  if (!slip) throw new DomainError('NOT_FOUND', 'Bordereau introuvable.', 'depositSlipId');
  const cheques = await chequeQuery(db)
    .innerJoin('deposit_slip_cheques as c', 'c.payment_id', 'p.id')
    .where('c.slip_id', '=', slipId)
    .orderBy('c.position')
    .execute();
  return {
    id: slip.id,
    number: slip.number,
    date: slip.date,
    createdAt: slip.created_at,
    agentName: slip.agent_name,
    chequeCount: slip.cheque_count,
    totalCents: slip.total_cents,
    cheques: cheques.map(toView),
  };
}

export async function listDepositSlips(db: Kysely<Database>) {
  const rows = await db
    .selectFrom('deposit_slips')
    .select(['id', 'number', 'date', 'cheque_count', 'total_cents', 'agent_name'])
    .orderBy('created_at', 'desc')
    .orderBy('seq', 'desc')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    number: r.number,
    date: r.date,
    chequeCount: r.cheque_count,
    totalCents: r.total_cents,
    agentName: r.agent_name,
  }));
}

/**
 * Makes a slip of the given cheques, or of every cheque pending; numbered in the counter's series (under the number
 * printed, `number`, when the slip runs again) and journaled. Where it runs again, a cheque deposited meanwhile on
 * another counter's slip, or given back, cannot be on this one too: the slip is recorded without it, as a rule of
 * the moment the régisseur is told about.
 */
export async function createDepositSlip(
  db: Kysely<Database>,
  input: { slipId: string; paymentIds?: string[] | undefined; number?: string | undefined },
  ctx: LedgerContext,
): Promise<DepositSlipDetail> {
  const pending = await pendingCheques(db);
  let chosen: ChequeView[];
  if (input.paymentIds) {
    const pendingById = new Map(pending.map((c) => [c.paymentId, c]));
    const seen = new Set<string>();
    chosen = [];
    for (const [i, id] of input.paymentIds.entries()) {
      const field = `paymentIds.${i}`;
      if (seen.has(id)) throw new DomainError('VALIDATION', 'Un même chèque figure deux fois.', field);
      seen.add(id);
      const c = pendingById.get(id);
      if (c) {
        chosen.push(c);
        continue;
      }
      // Say why it cannot be deposited.
      const p = await db
        .selectFrom('payments as p')
        .leftJoin('deposit_slip_cheques as c', 'c.payment_id', 'p.id')
        .leftJoin('deposit_slips as s', 's.id', 'c.slip_id')
        .leftJoin('payment_reversals as x', 'x.payment_id', 'p.id')
        .select(['p.mode', 'p.cheque_number', 's.number as slip', 'x.id as reversal'])
        .where('p.id', '=', id)
        .executeTakeFirst();
      if (!p) throw new DomainError('NOT_FOUND', 'Paiement introuvable.', field);
      if (!isDepositSlipMode(p.mode))
        throw new DomainError('VALIDATION', 'Ce paiement n’est pas un chèque.', field);
      ruleOfTheMoment(
        ctx,
        'CHEQUE_NOT_PENDING',
        p.slip
          ? new DomainError(
              'CONFLICT',
              `Le chèque n° ${p.cheque_number ?? ''} figure déjà sur le bordereau ${p.slip} : un chèque n’est remis qu’une fois.`,
              field,
            )
          : new DomainError(
              'CONFLICT',
              `Le paiement par chèque n° ${p.cheque_number ?? ''} a été annulé : le chèque a été rendu.`,
              field,
            ),
      );
    }
  } else {
    chosen = pending;
  }
  if (chosen.length === 0)
    ruleOfTheMoment(ctx, 'EMPTY_SLIP', new DomainError('CONFLICT', 'Aucun chèque à remettre.', 'paymentIds'));

  const settings = await loadRegieSettings(db, ctx.actor.deviceId);
  const date = townDate(ctx.now, ctx.timeZone);
  const numbered = await takeNumber(db, depositSlipSeries(settings.counterCode), date, input.number, ctx);
  await db
    .insertInto('deposit_slips')
    .values({
      id: input.slipId,
      number: numbered.number,
      series_code: numbered.seriesCode,
      series_year: numbered.year,
      seq: numbered.seqs[0] as number,
      created_at: ctx.now.toISOString(),
      date,
      cheque_count: chosen.length,
      total_cents: chosen.reduce((s, c) => s + c.amountCents, 0),
      agent_id: ctx.actor.agentId,
      agent_name: ctx.actor.agentName,
      device_id: ctx.actor.deviceId,
    })
    .execute();
  if (chosen.length)
    await db
      .insertInto('deposit_slip_cheques')
      .values(chosen.map((c, i) => ({ payment_id: c.paymentId, slip_id: input.slipId, position: i + 1 })))
      .execute();
  await journalEvents(db, 'deposit_slip', [input.slipId], ctx.now);
  return depositSlipDetail(db, input.slipId);
}

export function depositSlipCsv(slip: DepositSlipDetail): string {
  return toCsv([
    [
      'Bordereau',
      slip.number,
      'Date',
      slip.date,
      'Chèques',
      slip.chequeCount,
      'Total (€)',
      csvAmount(slip.totalCents),
    ],
    ['N°', 'Numéro du chèque', 'Tireur', 'Banque', 'Montant (€)', 'Reçu', 'Date de réception'],
    ...slip.cheques.map((c, i) => [
      i + 1,
      c.chequeNumber,
      c.drawer,
      c.bank,
      csvAmount(c.amountCents),
      c.receiptNumber,
      c.date,
    ]),
    ['Total', '', '', '', csvAmount(slip.totalCents), `${slip.chequeCount} chèque(s)`, ''],
  ]);
}
