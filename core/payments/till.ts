import type { Kysely, Selectable } from 'kysely';
import { DomainError } from '../api/envelope.ts';
import { ruleOfTheMoment } from '../api/facts.ts';
import { formatEuros, formatLongDate } from '../billing/format.ts';
import type { TownTimeZone } from '../calendar/time-zones.ts';
import type { CashSessionsTable, Database } from '../db/schema.ts';
import { first, rows } from '../db/fast-sql.ts';
import { townDate } from '../time.ts';
import type { LedgerContext } from '../billing/ledger.ts';
import { MODE_LABELS, PAYMENT_MODES, type PaymentMode } from './modes.ts';

/**
 * What a payment needs to know of the till it goes into (REGIE req. 6): which one is open on this counter today,
 * what it holds by mode, and whether its cash is over the ceiling. Opening, closing and showing a till are the
 * régie's (core/regie/session.ts).
 */

export type SessionRow = Selectable<CashSessionsTable>;

export interface ModeTotal {
  mode: PaymentMode;
  label: string;
  count: number;
  amountCents: number;
  reversedCount: number;
  reversedCents: number;
  netCents: number;
}

export async function findOpenSession(
  db: Kysely<Database>,
  deviceId: string,
): Promise<SessionRow | undefined> {
  return first<SessionRow>(db, 'SELECT * FROM cash_sessions WHERE device_id = ? AND closed_at IS NULL', [
    deviceId,
  ]);
}

/** This counter's till opened today, if any: the one a payment or refund made now goes into (or none). */
export async function todaysTill(
  db: Kysely<Database>,
  deviceId: string,
  now: Date,
  zone: TownTimeZone,
): Promise<SessionRow | null> {
  const open = await findOpenSession(db, deviceId);
  return open && open.open_date === townDate(now, zone) ? open : null;
}

/**
 * The till a payment taken now goes into: this counter's open session, opened today. Yesterday's unclosed till is
 * not today's: its day must be closed (and locked) before a new one starts.
 */
export async function sessionForPayment(
  db: Kysely<Database>,
  deviceId: string,
  now: Date,
  zone: TownTimeZone,
  required: boolean,
): Promise<SessionRow | null> {
  const open = await findOpenSession(db, deviceId);
  if (open && open.open_date !== townDate(now, zone)) {
    if (!required) return null;
    throw new DomainError(
      'CONFLICT',
      `La caisse ouverte le ${formatLongDate(open.open_date)} n’a pas été clôturée : clôturez-la, puis ouvrez celle du jour.`,
      'sessionId',
    );
  }
  if (!open && required)
    throw new DomainError(
      'CONFLICT',
      'Aucune caisse n’est ouverte sur ce poste : ouvrez la caisse (fonds de caisse) avant d’encaisser.',
      'sessionId',
    );
  return open ?? null;
}

/**
 * The till a payment or refund goes into. Where it is made: this counter's till open today (`sessionForPayment`).
 * Where it runs again (`ctx.remarks` set), the till it names (its logged `sessionId`), whatever day it is now: only
 * that it exists, is this counter's and still open is checked (integrity). A fact logged before tills were named
 * falls back on the counter's open till, the day it was opened then being a rule of the moment.
 */
export async function tillOfFact(
  db: Kysely<Database>,
  ctx: {
    actor: { deviceId: string };
    now: Date;
    timeZone: TownTimeZone;
    remarks?: LedgerContext['remarks'];
  },
  sessionId: string | null | undefined,
  required: boolean,
): Promise<SessionRow | null> {
  if (!ctx.remarks || sessionId === undefined) {
    try {
      return await sessionForPayment(db, ctx.actor.deviceId, ctx.now, ctx.timeZone, required);
    } catch (error) {
      const open = await findOpenSession(db, ctx.actor.deviceId);
      if (!(error instanceof DomainError) || !open) throw error;
      ruleOfTheMoment(ctx, 'TILL_RULE', error);
      return open;
    }
  }
  if (sessionId === null) {
    if (required)
      throw new DomainError('VALIDATION', 'Ce paiement au guichet ne nomme pas sa caisse.', 'sessionId');
    return null;
  }
  const row = await first<SessionRow>(db, 'SELECT * FROM cash_sessions WHERE id = ?', [sessionId]);
  if (!row || row.device_id !== ctx.actor.deviceId)
    throw new DomainError(
      'NOT_FOUND',
      'La caisse où ce paiement a été enregistré au guichet est introuvable (son ouverture n’est pas parvenue).',
      'sessionId',
    );
  if (row.closed_at !== null)
    throw new DomainError(
      'CONFLICT',
      `La caisse du ${formatLongDate(row.open_date)} où ce paiement a été enregistré est déjà clôturée.`,
      'sessionId',
    );
  return row;
}

/** Payments and reversals of the session, mode by mode (every mode the régie knows, in a fixed order). */
export async function sessionTotals(db: Kysely<Database>, sessionId: string): Promise<ModeTotal[]> {
  type Sum = { mode: string; n: number; cents: number };
  const [paid, reversed] = await Promise.all([
    rows<Sum>(
      db,
      'SELECT mode, count(*) AS n, sum(amount_cents) AS cents FROM payments WHERE session_id = ? GROUP BY mode',
      [sessionId],
    ),
    rows<Sum>(
      db,
      `SELECT p.mode, count(*) AS n, sum(r.amount_cents) AS cents FROM payment_reversals r
         JOIN payments p ON p.id = r.payment_id WHERE r.session_id = ? GROUP BY p.mode`,
      [sessionId],
    ),
  ]);
  return PAYMENT_MODES.map((mode) => {
    const p = paid.find((r) => r.mode === mode);
    const r = reversed.find((x) => x.mode === mode);
    const amountCents = Number(p?.cents ?? 0);
    const reversedCents = Number(r?.cents ?? 0);
    return {
      mode,
      label: MODE_LABELS[mode],
      count: Number(p?.n ?? 0),
      amountCents,
      reversedCount: Number(r?.n ?? 0),
      reversedCents,
      netCents: amountCents - reversedCents,
    };
  });
}

/** The cash that should be in the drawer: the float, plus cash taken, less cash handed back. */
export const expectedCash = (row: Pick<SessionRow, 'float_cents'>, totals: readonly ModeTotal[]): number =>
  row.float_cents + (totals.find((t) => t.mode === 'cash')?.netCents ?? 0);

export function ceilingWarning(cashCents: number, ceilingCents: number): string | null {
  return cashCents > ceilingCents
    ? `Encaisse de ${formatEuros(cashCents)} au-delà du plafond de ${formatEuros(ceilingCents)} fixé par l’acte constitutif : versez l’excédent au comptable.`
    : null;
}
