import type { Kysely } from 'kysely';
import { addDaysTo } from '../../shared/calendar.ts';
import { invoicesWithBalance } from '../billing/balance.ts';
import type { Database } from '../db/schema.ts';
import { loadRegieSettings } from '../payments/modes.ts';
import { findOpenSession } from '../payments/till.ts';
import { nextFloat, sessionView } from '../regie/session.ts';
import type { TownTimeZone } from '../calendar/time-zones.ts';

/** Invoices falling due within this many days are listed for the régisseur. */
export const FALLING_DUE_DAYS = 15;

export interface TillGlance {
  /** 'open': today's, taking payments; 'stale': opened on an earlier day and not closed; 'none': nothing open. */
  state: 'open' | 'stale' | 'none';
  openDate: string | null;
  openedBy: string | null;
  cashOnHandCents: number | null;
  /** The float to open with, when none is open. */
  suggestedFloatCents: number | null;
}

export async function tillGlance(
  db: Kysely<Database>,
  deviceId: string,
  now: Date,
  zone: TownTimeZone,
): Promise<TillGlance> {
  const [row, settings] = await Promise.all([findOpenSession(db, deviceId), loadRegieSettings(db, deviceId)]);
  if (!row)
    return {
      state: 'none',
      openDate: null,
      openedBy: null,
      cashOnHandCents: null,
      suggestedFloatCents: (await nextFloat(db, deviceId)).cents,
    };
  const view = await sessionView(db, row, settings.cashCeilingCents, now, zone);
  return {
    state: view.stale ? 'stale' : 'open',
    openDate: view.openDate,
    openedBy: view.openedBy,
    cashOnHandCents: view.cashOnHandCents,
    suggestedFloatCents: null,
  };
}

/** Invoices with something left to pay: past their due date, and falling due within FALLING_DUE_DAYS. */
export async function invoicesToWatch(db: Kysely<Database>, today: string) {
  const until = addDaysTo(today, FALLING_DUE_DAYS);
  const open = (await invoicesWithBalance(db, { dueBefore: addDaysTo(until, 1) })).filter(
    (i) => i.remainingCents > 0,
  );
  const pastDue = open.filter((i) => i.dueDate < today);
  const fallingDue = open.filter((i) => i.dueDate >= today);
  const sum = (list: typeof open) => list.reduce((s, i) => s + i.remainingCents, 0);
  return {
    fallingDue: { count: fallingDue.length, cents: sum(fallingDue), until },
    pastDue: { count: pastDue.length, cents: sum(pastDue) },
  };
}

export async function pendingRequests(db: Kysely<Database>): Promise<number> {
  const r = await db
    .selectFrom('family_requests')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('state', '=', 'pending')
    .executeTakeFirst();
  return Number(r?.n ?? 0);
}

export async function toSettle(db: Kysely<Database>): Promise<number> {
  const r = await db
    .selectFrom('sync_results')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('ack_at', 'is', null)
    .executeTakeFirst();
  return Number(r?.n ?? 0);
}
