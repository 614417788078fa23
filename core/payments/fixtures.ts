import type { Kysely } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { Actor } from '../api/operation.ts';
import { issueInvoices, type DraftLine } from '../billing/issue.ts';
import { SERIES } from '../billing/series.ts';
import type { Database } from '../db/schema.ts';
import { LEFEVRE, TEST_PASSWORD, testCore } from '../test/fixtures.ts';
import { townDate, townTimeZone } from '../time.ts';

/**
 * Test and bench fixtures for payments: invoices issued straight through core/billing's `issueInvoices` (the
 * monthly run's own writer) with lines made up here, so a test states its amounts without booking a month of meals.
 */

export const ACTIVITIES = {
  canteen: { id: '01900000-0000-7000-8000-00000000a001', name: 'Restauration scolaire' },
  care: { id: '01900000-0000-7000-8000-00000000a002', name: 'Accueil périscolaire' },
  alsh: { id: '01900000-0000-7000-8000-00000000a003', name: 'Accueil de loisirs' },
} as const;
export type ActivityKey = keyof typeof ACTIVITIES;

const CHILD = '01900000-0000-7000-8000-00000000c001';

export function draftLine(activity: ActivityKey, unitPriceCents: number, quantity = 1): DraftLine {
  const a = ACTIVITIES[activity];
  const amountCents = unitPriceCents * quantity;
  return {
    kind: 'booked',
    childId: CHILD,
    childName: 'Zoé Lefèvre',
    activityId: a.id,
    activityName: a.name,
    unitCode: activity === 'canteen' ? 'meal' : activity === 'care' ? 'evening' : 'day',
    unitLabel: activity === 'canteen' ? 'Repas' : activity === 'care' ? 'Soir' : 'Journée',
    dates: [],
    period: '2026-09',
    services: [],
    enrolmentId: null,
    quantity,
    unitPriceCents,
    amountCents,
    baseCents: unitPriceCents,
    surchargeCents: 0,
    surchargeReason: null,
    qfValue: null,
    basis: 'Tarif unique',
  };
}

/** Issues one invoice of the monthly series in the caller's transaction (or connection). */
export async function issueTestInvoice(
  db: Kysely<Database>,
  householdId: string,
  lines: DraftLine[],
  ctx: { actor: Actor; now: Date; issueDate: string; newId?: () => string },
): Promise<{ invoiceId: string; number: string; totalCents: number }> {
  const [issued] = await issueInvoices(db, [{ householdId, lines }], {
    series: SERIES.monthly,
    kind: 'monthly',
    issueDate: ctx.issueDate,
    dueDate: ctx.issueDate,
    periodMonth: '2026-09',
    actor: ctx.actor,
    now: ctx.now,
    newId: ctx.newId ?? uuidv7,
  });
  if (!issued) throw new Error('facture non émise');
  return issued;
}

/**
 * A core with the Lefèvre household, an agent and a régisseur account, and a clock the test moves. `invoice`
 * issues an invoice dated today; `as(role)` signs in another account.
 */
export async function payTown(start = '2026-10-05T09:00:00+02:00') {
  let now = new Date(start);
  const t = await testCore(() => now);
  for (const role of ['agent', 'regisseur'] as const) {
    await t.call('staff.save', {
      username: role,
      displayName: role === 'agent' ? 'Camille Agent' : 'Rémi Régisseur',
      role,
      password: TEST_PASSWORD,
    });
  }
  const { householdId } = await t.call('family.createHousehold', LEFEVRE);
  const actor: Actor = { agentId: 'test', agentName: 'Test', deviceId: t.core.deviceId };
  return {
    ...t,
    householdId,
    get now() {
      return now;
    },
    at(instant: string) {
      now = new Date(instant);
    },
    async as(role: 'agent' | 'regisseur' | 'admin') {
      await t.call('auth.login', { username: role, password: TEST_PASSWORD });
    },
    /** An invoice of the given lines, dated today, for the household (or another one). */
    async invoice(lines: DraftLine[], household = householdId) {
      const issueDate = townDate(now, await townTimeZone(t.core.db));
      return t.core.db
        .transaction()
        .execute((trx) => issueTestInvoice(trx, household, lines, { actor, now, issueDate }));
    },
  };
}
export type PayTown = Awaited<ReturnType<typeof payTown>>;
