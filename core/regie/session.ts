import type { Kysely, Selectable } from 'kysely';
import { DomainError } from '../api/envelope.ts';
import { ruleOfTheMoment } from '../api/facts.ts';
import { formatEuros, formatLongDate } from '../billing/format.ts';
import type { CashSessionsTable, Database } from '../db/schema.ts';
import { canonicalJson } from '../payments/canonical.ts';
import { first, insertRows, rows } from '../payments/fast-sql.ts';
import { journalEvents } from '../payments/journal.ts';
import type { LedgerContext } from '../payments/ledger.ts';
import { DENOMINATIONS, MODE_LABELS, PAYMENT_MODES, type PaymentMode } from '../payments/modes.ts';
import type { TownTimeZone } from '../calendar/time-zones.ts';
import { townDate } from '../time.ts';

/**
 * The till of one counter for one day (REGIE req. 6): opened with a float, every payment taken at the counter
 * recorded in it, closed with the cash counted note by note, the difference shown and explained, then locked.
 */

export type SessionRow = Selectable<CashSessionsTable>;

export interface Counted {
  denominationCents: number;
  count: number;
}

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

export interface SessionView {
  id: string;
  deviceId: string;
  openedAt: string;
  openDate: string;
  openedBy: string;
  floatCents: number;
  floatDenominations: Counted[] | null;
  closed: boolean;
  closedAt: string | null;
  closedBy: string | null;
  totals: ModeTotal[];
  totalNetCents: number;
  /** The cash in the drawer by the records (float + cash net). */
  cashOnHandCents: number;
  countedCents: number | null;
  countedDenominations: Counted[] | null;
  differenceCents: number | null;
  differenceReason: string | null;
  /** Opened on an earlier day and not closed: no payment can go into it, it must be closed. */
  stale: boolean;
  ceilingCents: number;
  warnings: string[];
}

const parseCounted = (json: string | null): Counted[] | null =>
  json ? (JSON.parse(json) as Counted[]) : null;

export async function sessionView(
  db: Kysely<Database>,
  row: SessionRow,
  ceilingCents: number,
  now: Date,
  zone: TownTimeZone,
): Promise<SessionView> {
  // A closed session shows what its closing certified, not a recomputation.
  const totals = row.totals ? (JSON.parse(row.totals) as ModeTotal[]) : await sessionTotals(db, row.id);
  const cashOnHandCents = row.expected_cents ?? expectedCash(row, totals);
  const closed = row.closed_at !== null;
  const stale = !closed && row.open_date !== townDate(now, zone);
  const warnings: string[] = [];
  const ceiling = closed ? null : ceilingWarning(cashOnHandCents, ceilingCents);
  if (ceiling) warnings.push(ceiling);
  if (stale)
    warnings.push(
      `Caisse ouverte le ${formatLongDate(row.open_date)} et non clôturée : clôturez-la avant d’encaisser.`,
    );
  return {
    id: row.id,
    deviceId: row.device_id,
    openedAt: row.opened_at,
    openDate: row.open_date,
    openedBy: row.opened_by_name,
    floatCents: row.float_cents,
    floatDenominations: parseCounted(row.float_denominations),
    closed,
    closedAt: row.closed_at,
    closedBy: row.closed_by_name,
    totals,
    totalNetCents: totals.reduce((s, t) => s + t.netCents, 0),
    cashOnHandCents,
    countedCents: row.counted_cents,
    countedDenominations: parseCounted(row.counted_denominations),
    differenceCents: row.difference_cents,
    differenceReason: row.difference_reason,
    stale,
    ceilingCents,
    warnings,
  };
}

/** A counting as stored: valid denominations, each once, largest first, zero counts left out. */
export function normaliseCounting(counted: readonly Counted[], field: string): Counted[] {
  const seen = new Set<number>();
  counted.forEach((c, i) => {
    if (!(DENOMINATIONS as readonly number[]).includes(c.denominationCents))
      throw new DomainError(
        'VALIDATION',
        'Coupure inconnue (de 500 € à 0,01 €).',
        `${field}.${i}.denominationCents`,
      );
    if (seen.has(c.denominationCents))
      throw new DomainError(
        'VALIDATION',
        'Une même coupure figure deux fois.',
        `${field}.${i}.denominationCents`,
      );
    seen.add(c.denominationCents);
  });
  return counted
    .filter((c) => c.count > 0)
    .map((c) => ({ denominationCents: c.denominationCents, count: c.count }))
    .sort((a, b) => b.denominationCents - a.denominationCents);
}

export const countedTotal = (counted: readonly Counted[]): number =>
  counted.reduce((s, c) => s + c.denominationCents * c.count, 0);

export async function openSession(
  db: Kysely<Database>,
  input: { sessionId: string; floatCents?: number | undefined; floatDenominations?: Counted[] | undefined },
  ctx: LedgerContext,
): Promise<SessionRow> {
  const open = await findOpenSession(db, ctx.actor.deviceId);
  if (open)
    throw new DomainError(
      'CONFLICT',
      open.open_date === townDate(ctx.now, ctx.timeZone)
        ? 'La caisse de ce poste est déjà ouverte.'
        : `La caisse ouverte le ${formatLongDate(open.open_date)} n’a pas été clôturée : clôturez-la d’abord.`,
      'sessionId',
    );
  const denominations = input.floatDenominations
    ? normaliseCounting(input.floatDenominations, 'floatDenominations')
    : null;
  const floatCents = denominations ? countedTotal(denominations) : (input.floatCents ?? 0);
  if (denominations && input.floatCents !== undefined && input.floatCents !== floatCents)
    throw new DomainError(
      'VALIDATION',
      `Le fonds de caisse compté (${formatEuros(floatCents)}) ne correspond pas au montant saisi.`,
      'floatCents',
    );
  const row = {
    id: input.sessionId,
    device_id: ctx.actor.deviceId,
    opened_at: ctx.now.toISOString(),
    open_date: townDate(ctx.now, ctx.timeZone),
    opened_by: ctx.actor.agentId,
    opened_by_name: ctx.actor.agentName,
    float_cents: floatCents,
    float_denominations: denominations ? canonicalJson(denominations) : null,
  };
  await insertRows(db, 'cash_sessions', [row]);
  return db.selectFrom('cash_sessions').selectAll().where('id', '=', row.id).executeTakeFirstOrThrow();
}

/**
 * Closes the till: the cash counted by denomination against the cash expected, the difference and its reason
 * (required when there is one), the totals by mode as certified; then the session is locked for good and the
 * closing is journaled.
 */
export async function closeSession(
  db: Kysely<Database>,
  input: { sessionId: string; counted: Counted[]; reason: string },
  ctx: LedgerContext,
): Promise<SessionRow> {
  const row = await db
    .selectFrom('cash_sessions')
    .selectAll()
    .where('id', '=', input.sessionId)
    .executeTakeFirst();
  if (!row) throw new DomainError('NOT_FOUND', 'Session de caisse introuvable.', 'sessionId');
  if (row.closed_at !== null || row.locked === 1)
    throw new DomainError('CONFLICT', 'Cette caisse est déjà clôturée : elle est verrouillée.', 'sessionId');
  const counted = normaliseCounting(input.counted, 'counted');
  const totals = await sessionTotals(db, row.id);
  const expected = expectedCash(row, totals);
  const countedCents = countedTotal(counted);
  const difference = countedCents - expected;
  const reason = input.reason.trim();
  // The expected cash is this store's sum of the session's payments: a closing replayed where one of them did not
  // arrive meets a difference its counter never saw. The till is closed all the same, with what was counted.
  if (difference !== 0 && reason === '')
    ruleOfTheMoment(
      ctx,
      'TILL_DIFFERENCE',
      new DomainError(
        'VALIDATION',
        `Écart de ${formatEuros(difference)} entre le compté (${formatEuros(countedCents)}) et l’attendu (${formatEuros(expected)}) : indiquez-en le motif.`,
        'reason',
      ),
    );
  await db
    .updateTable('cash_sessions')
    .set({
      closed_at: ctx.now.toISOString(),
      closed_by: ctx.actor.agentId,
      closed_by_name: ctx.actor.agentName,
      expected_cents: expected,
      counted_cents: countedCents,
      difference_cents: difference,
      difference_reason: difference === 0 && reason === '' ? null : reason,
      counted_denominations: canonicalJson(counted),
      totals: canonicalJson(totals),
      locked: 1,
    })
    .where('id', '=', row.id)
    .where('locked', '=', 0)
    .execute();
  await journalEvents(db, 'session_close', [row.id], ctx.now);
  return db.selectFrom('cash_sessions').selectAll().where('id', '=', row.id).executeTakeFirstOrThrow();
}
