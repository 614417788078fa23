import { sql, type Kysely } from 'kysely';
import { chunks } from '../db/chunks.ts';
import { formatLongDate } from '../billing/format.ts';
import type { Database } from '../db/schema.ts';
import { MODE_LABELS, PAYMENT_MODES, type PaymentMode } from '../payments/modes.ts';
import { csvAmount, toCsv } from './csv.ts';

/**
 * The état récapitulatif des encaissements (REGIE req. 7) for a day or a month, for the public accountant:
 * - by mode: payments received in the period, reversals made in the period, net;
 * - by activity: the allocations made in the period (by payments, by family credit, and undone by reversals or
 *   credit notes), each spread over the activities of the invoice it settles, pro rata of the invoice's lines;
 * - what the period's net receipts did not put on an invoice: the change in families' credit;
 * - optionally, payer by payer, with each receipt.
 * The by-activity rows and the credit line add up exactly to the net receipts, to the cent.
 */

export const ROUNDING_RULE =
  'Ventilation par activité au prorata des lignes de la facture réglée, en centimes entiers : chaque activité reçoit ' +
  'la partie entière de sa part, puis les centimes restants vont un à un aux plus grands restes (à égalité, à ' +
  'l’activité au plus fort montant, puis à la première ligne de la facture). Une écriture négative se ventile comme ' +
  'la positive, au signe près.';

export interface Weight {
  key: string;
  weight: number;
  /** Tie-break after the weight: lower first (the line's position on the invoice). */
  order: number;
}

/**
 * Splits `amountCents` over `weights` in proportion, in whole cents, by the largest-remainder method: the shares
 * add up to the amount exactly, and no share is more than one cent from its exact value. Computed in BigInt: an
 * amount times a weight can pass 2^53 for large invoices.
 */
export function splitProRata(amountCents: number, weights: readonly Weight[]): Map<string, number> {
  const out = new Map<string, number>();
  const total = weights.reduce((s, w) => s + w.weight, 0);
  if (weights.length === 0) return out;
  if (total <= 0) {
    // An invoice of nothing cannot be paid; kept total so the report still adds up.
    const first = [...weights].sort((a, b) => a.order - b.order)[0] as Weight;
    out.set(first.key, amountCents);
    return out;
  }
  const sign = amountCents < 0 ? -1 : 1;
  const abs = BigInt(Math.abs(amountCents));
  const T = BigInt(total);
  const shares = weights.map((w) => {
    const exact = abs * BigInt(w.weight);
    return { w, base: exact / T, rest: exact % T };
  });
  let left = Math.abs(amountCents) - shares.reduce((s, x) => s + Number(x.base), 0);
  const byRemainder = [...shares].sort(
    (a, b) =>
      (a.rest === b.rest ? 0 : a.rest > b.rest ? -1 : 1) || b.w.weight - a.w.weight || a.w.order - b.w.order,
  );
  for (const s of byRemainder) {
    if (left === 0) break;
    s.base += 1n;
    left -= 1;
  }
  for (const s of shares) out.set(s.w.key, (out.get(s.w.key) ?? 0) + sign * Number(s.base));
  return out;
}

export interface ModeLine {
  mode: PaymentMode;
  label: string;
  count: number;
  amountCents: number;
  reversedCount: number;
  reversedCents: number;
  netCents: number;
}

export interface ActivityLine {
  activityId: string;
  activityName: string;
  amountCents: number;
}

export interface PayerLine {
  householdId: string;
  householdName: string;
  payerName: string;
  count: number;
  amountCents: number;
  reversedCents: number;
  netCents: number;
  receipts: { number: string; date: string; mode: PaymentMode; amountCents: number; reversed: boolean }[];
}

export interface CollectionReport {
  from: string;
  to: string;
  title: string;
  byMode: ModeLine[];
  totals: {
    count: number;
    amountCents: number;
    reversedCount: number;
    reversedCents: number;
    netCents: number;
  };
  byActivity: ActivityLine[];
  /** Net receipts not put on an invoice in the period: families' credit grew by this much (negative: shrank). */
  creditChangeCents: number;
  byPayer: PayerLine[] | null;
  roundingRule: string;
  /**
   * The journal's last entry when the report was made. Printed and signed, it anchors the journal outside the
   * database: a journal rewritten wholesale afterwards (every hash recomputed) no longer ends on this hash.
   */
  journal: { lastSeq: number; lastHash: string };
}

export function periodTitle(from: string, to: string): string {
  return from === to
    ? `Journée du ${formatLongDate(from)}`
    : `Période du ${formatLongDate(from)} au ${formatLongDate(to)}`;
}

export async function collectionReport(
  db: Kysely<Database>,
  input: { from: string; to: string; byPayer: boolean },
): Promise<CollectionReport> {
  const { from, to } = input;
  const [payments, reversals, allocations] = await Promise.all([
    db
      .selectFrom('payments as p')
      .innerJoin('receipts as r', 'r.payment_id', 'p.id')
      .select([
        'p.id',
        'p.mode',
        'p.amount_cents',
        'p.date',
        'p.household_id',
        'p.household_name',
        'p.payer_name',
        'r.number',
        'r.seq',
      ])
      .where('p.date', '>=', from)
      .where('p.date', '<=', to)
      .orderBy('p.date')
      .orderBy('r.number')
      .execute(),
    db
      .selectFrom('payment_reversals as x')
      .innerJoin('payments as p', 'p.id', 'x.payment_id')
      .innerJoin('receipts as r', 'r.payment_id', 'p.id')
      .select([
        'x.amount_cents',
        'p.mode',
        'x.household_id',
        'p.household_name',
        'p.payer_name',
        'x.date',
        'r.number',
        'p.id as payment_id',
      ])
      .where('x.date', '>=', from)
      .where('x.date', '<=', to)
      .execute(),
    db
      .selectFrom('allocations')
      .select(['invoice_id', (eb) => eb.fn.sum<number>('amount_cents').as('cents')])
      .where('date', '>=', from)
      .where('date', '<=', to)
      .groupBy('invoice_id')
      .execute(),
  ]);

  const byMode: ModeLine[] = PAYMENT_MODES.map((mode) => {
    const paid = payments.filter((p) => p.mode === mode);
    const back = reversals.filter((r) => r.mode === mode);
    const amountCents = paid.reduce((s, p) => s + p.amount_cents, 0);
    const reversedCents = back.reduce((s, r) => s + r.amount_cents, 0);
    return {
      mode,
      label: MODE_LABELS[mode],
      count: paid.length,
      amountCents,
      reversedCount: back.length,
      reversedCents,
      netCents: amountCents - reversedCents,
    };
  });
  const totals = {
    count: byMode.reduce((s, m) => s + m.count, 0),
    amountCents: byMode.reduce((s, m) => s + m.amountCents, 0),
    reversedCount: byMode.reduce((s, m) => s + m.reversedCount, 0),
    reversedCents: byMode.reduce((s, m) => s + m.reversedCents, 0),
    netCents: byMode.reduce((s, m) => s + m.netCents, 0),
  };

  // Allocations of one invoice are summed before splitting: one rounding per invoice, not per row.
  const weightsOf = new Map<string, Weight[]>();
  const names = new Map<string, string>();
  for (const slice of chunks(
    allocations.map((a) => a.invoice_id),
    2000,
  )) {
    const lines = await db
      .selectFrom('invoice_lines')
      .select([
        'invoice_id',
        'activity_id',
        sql<string>`max(activity_name)`.as('activity_name'),
        (eb) => eb.fn.sum<number>('amount_cents').as('weight'),
        (eb) => eb.fn.min<number>('position').as('first'),
      ])
      .where('invoice_id', 'in', slice)
      .groupBy(['invoice_id', 'activity_id'])
      .execute();
    for (const l of lines) {
      const list = weightsOf.get(l.invoice_id) ?? [];
      list.push({ key: l.activity_id, weight: Number(l.weight), order: Number(l.first) });
      weightsOf.set(l.invoice_id, list);
      names.set(l.activity_id, l.activity_name);
    }
  }
  const activityCents = new Map<string, number>();
  for (const a of allocations) {
    const cents = Number(a.cents);
    if (cents === 0) continue;
    for (const [key, share] of splitProRata(cents, weightsOf.get(a.invoice_id) ?? [])) {
      activityCents.set(key, (activityCents.get(key) ?? 0) + share);
    }
  }
  const byActivity = [...activityCents.entries()]
    .filter(([, cents]) => cents !== 0)
    .map(([activityId, amountCents]) => ({
      activityId,
      activityName: names.get(activityId) ?? activityId,
      amountCents,
    }))
    .sort((a, b) => a.activityName.localeCompare(b.activityName, 'fr'));
  const allocated = byActivity.reduce((s, a) => s + a.amountCents, 0);

  let byPayer: PayerLine[] | null = null;
  if (input.byPayer) {
    const map = new Map<string, PayerLine>();
    const lineOf = (id: string, householdName: string, payerName: string) => {
      let l = map.get(id);
      if (!l) {
        l = {
          householdId: id,
          householdName,
          payerName,
          count: 0,
          amountCents: 0,
          reversedCents: 0,
          netCents: 0,
          receipts: [],
        };
        map.set(id, l);
      }
      return l;
    };
    const reversedIds = new Set(reversals.map((r) => r.payment_id));
    for (const p of payments) {
      const l = lineOf(p.household_id, p.household_name, p.payer_name);
      l.count += 1;
      l.amountCents += p.amount_cents;
      l.receipts.push({
        number: p.number,
        date: p.date,
        mode: p.mode as PaymentMode,
        amountCents: p.amount_cents,
        reversed: reversedIds.has(p.id),
      });
    }
    for (const r of reversals)
      lineOf(r.household_id, r.household_name, r.payer_name).reversedCents += r.amount_cents;
    byPayer = [...map.values()]
      .map((l) => ({ ...l, netCents: l.amountCents - l.reversedCents }))
      .sort(
        (a, b) =>
          a.householdName.localeCompare(b.householdName, 'fr') || a.householdId.localeCompare(b.householdId),
      );
  }

  return {
    from,
    to,
    title: periodTitle(from, to),
    byMode,
    totals,
    byActivity,
    creditChangeCents: totals.netCents - allocated,
    byPayer,
    roundingRule: ROUNDING_RULE,
    journal: await journalHead(db),
  };
}

async function journalHead(db: Kysely<Database>) {
  const last = await db
    .selectFrom('journal')
    .select(['seq', 'hash'])
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  return { lastSeq: last?.seq ?? 0, lastHash: last?.hash ?? '' };
}

export function collectionReportCsv(r: CollectionReport): string {
  const rows: (string | number | null)[][] = [
    ['État récapitulatif des encaissements', r.title, '', '', ''],
    ['Section', 'Libellé', 'Nombre', 'Montant (€)', 'Annulations (€)'],
  ];
  for (const m of r.byMode)
    rows.push(['Mode', m.label, m.count, csvAmount(m.netCents), csvAmount(m.reversedCents)]);
  rows.push([
    'Mode',
    'Total',
    r.totals.count,
    csvAmount(r.totals.netCents),
    csvAmount(r.totals.reversedCents),
  ]);
  for (const a of r.byActivity) rows.push(['Activité', a.activityName, null, csvAmount(a.amountCents), null]);
  rows.push(['Activité', 'Crédit des familles (variation)', null, csvAmount(r.creditChangeCents), null]);
  rows.push(['Activité', 'Total', null, csvAmount(r.totals.netCents), null]);
  for (const p of r.byPayer ?? [])
    rows.push([
      'Payeur',
      `${p.householdName} — ${p.payerName}`,
      p.count,
      csvAmount(p.netCents),
      csvAmount(p.reversedCents),
    ]);
  rows.push(['Journal', `entrée n° ${r.journal.lastSeq}`, null, r.journal.lastHash, null]);
  return toCsv(rows);
}
