import type { Kysely } from 'kysely';
import { DomainError } from '../api/envelope.ts';
import { ruleOfTheMoment } from '../api/facts.ts';
import { formatEuros, formatLongDate } from '../billing/format.ts';
import type { TownTimeZone } from '../calendar/time-zones.ts';
import { insertRows } from '../db/fast-sql.ts';
import type { Database } from '../db/schema.ts';
import { canonicalJson } from '../journal/canonical.ts';
import { journalEvents } from '../journal/journal.ts';
import type { LedgerContext } from '../billing/ledger.ts';
import { DENOMINATIONS } from '../payments/modes.ts';
import {
  ceilingWarning,
  expectedCash,
  findOpenSession,
  sessionTotals,
  type ModeTotal,
  type SessionRow,
} from '../payments/till.ts';
import { townDate } from '../time.ts';

/**
 * The till of one counter for one day (REGIE req. 6): opened with a float, every payment taken at the counter
 * recorded in it, closed with the cash counted note by note, the difference shown and explained, then locked.
 */

export interface Counted {
  denominationCents: number;
  count: number;
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
