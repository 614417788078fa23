import type { Kysely } from 'kysely';
import { splitProRata, type Weight } from './collection-report.ts';
import { chunks } from '../db/chunks.ts';
import type { Database } from '../db/schema.ts';
import type { ActivityKind } from '../activities/settings.ts';
import { loadDebtors } from '../billing/issue.ts';

/**
 * The childcare tax certificate (attestation de frais de garde, CGI art. 200 quater B; REGIE.md §2): for a child
 * under 6 on 1 January of the year, what the family actually PAID in that calendar year for care outside school.
 *
 * What counts:
 * - care: accueil périscolaire / garderie (`care`), mercredis and holiday centre (`wednesday`, `holiday_centre`);
 *   canteen, studies, class trips and sports school do not (not childcare in the sense of the BOFiP), and no line
 *   billed by the meal (`meal` unit) does: food is excluded;
 * - paid: the money put on invoices by allocations DATED in the year (payments and family credit, less reversals
 *   and releases), whatever the invoice's month — a December invoice paid in January counts the next year.
 *
 * How a payment is attributed to a child's lines (ATTRIBUTION below, printed on the certificate): an invoice's
 * allocations of the year are summed, then split over all its lines pro rata of each line's amount net of the credit
 * notes issued up to 31 December, in whole cents by the largest remainders (core/regie/collection-report.ts
 * `splitProRata`, as the régie's collection report). A family that paid half an invoice has half of each line paid;
 * the eligible lines' shares are the certificate's amount.
 */
export const ATTRIBUTION =
  'Montants effectivement payés dans l’année civile. Un paiement partiel d’une facture est réparti entre ses lignes ' +
  'au prorata de leur montant (avoirs déduits) ; seules les parts des lignes de garde (accueil périscolaire, ' +
  'mercredis, accueil de loisirs) comptent, hors repas.';

export const ELIGIBLE_KINDS: readonly ActivityKind[] = ['care', 'wednesday', 'holiday_centre'];

export interface CertificateActivity {
  activityName: string;
  paidCents: number;
}

export interface TaxCertificate {
  year: number;
  householdId: string;
  householdName: string;
  payerName: string;
  payerAddress: string;
  childId: string;
  childName: string;
  birthDate: string;
  paidCents: number;
  byActivity: CertificateActivity[];
}

/** Under 6 on 1 January of `year`: born after 1 January of `year - 6` (a child born that day turns 6 on it). */
export const underSixOnFirstJanuary = (birthDate: string, year: number): boolean =>
  birthDate > `${year - 6}-01-01` && birthDate <= `${year}-12-31`;

/**
 * The year's certificates, one per eligible child with something paid, of one household or of all, ordered by
 * family then child. Computed from the ledger each time: nothing is stored, a late reversal shows at once.
 */
export async function taxCertificates(
  db: Kysely<Database>,
  year: number,
  householdId?: string,
): Promise<TaxCertificate[]> {
  const from = `${year}-01-01`;
  const to = `${year}-12-31`;
  let paidQuery = db
    .selectFrom('allocations')
    .select(['invoice_id', (eb) => eb.fn.sum<number>('amount_cents').as('cents')])
    .where('date', '>=', from)
    .where('date', '<=', to);
  if (householdId) paidQuery = paidQuery.where('household_id', '=', householdId);
  const paid = (await paidQuery.groupBy('invoice_id').execute()).filter((p) => Number(p.cents) !== 0);

  const linesOf = new Map<
    string,
    { id: string; weight: number; order: number; eligibleChild: string | null }[]
  >();
  const names = new Map<string, { childName: string; activityName: string }>();
  for (const slice of chunks(
    paid.map((p) => p.invoice_id),
    2000,
  )) {
    const lines = await db
      .selectFrom('invoice_lines as l')
      .innerJoin('activities as a', 'a.id', 'l.activity_id')
      .leftJoin(
        (eb) =>
          eb
            .selectFrom('credit_note_lines as cl')
            .innerJoin('credit_notes as cn', 'cn.id', 'cl.credit_note_id')
            .select(['cl.invoice_line_id', (e) => e.fn.sum<number>('cl.amount_cents').as('credited')])
            .where('cn.issue_date', '<=', to)
            .groupBy('cl.invoice_line_id')
            .as('c'),
        (j) => j.onRef('c.invoice_line_id', '=', 'l.id'),
      )
      .select([
        'l.id',
        'l.invoice_id',
        'l.position',
        'l.child_id',
        'l.child_name',
        'l.activity_name',
        'l.unit_code',
        'l.amount_cents',
        'a.kind',
        'c.credited',
      ])
      .where('l.invoice_id', 'in', slice)
      .execute();
    for (const l of lines) {
      const eligible = (ELIGIBLE_KINDS as readonly string[]).includes(l.kind) && l.unit_code !== 'meal';
      const list = linesOf.get(l.invoice_id) ?? [];
      list.push({
        id: l.id,
        weight: Math.max(0, l.amount_cents - Number(l.credited ?? 0)),
        order: l.position,
        eligibleChild: eligible ? l.child_id : null,
      });
      linesOf.set(l.invoice_id, list);
      names.set(l.id, { childName: l.child_name, activityName: l.activity_name });
    }
  }

  // child → activity name → cents
  const perChild = new Map<string, Map<string, number>>();
  for (const p of paid) {
    const lines = linesOf.get(p.invoice_id) ?? [];
    const weights: Weight[] = lines.map((l) => ({ key: l.id, weight: l.weight, order: l.order }));
    const shares = splitProRata(Number(p.cents), weights);
    for (const l of lines) {
      if (!l.eligibleChild) continue;
      const share = shares.get(l.id) ?? 0;
      const byActivity = perChild.get(l.eligibleChild) ?? new Map<string, number>();
      const activity = names.get(l.id)?.activityName ?? '';
      byActivity.set(activity, (byActivity.get(activity) ?? 0) + share);
      perChild.set(l.eligibleChild, byActivity);
    }
  }
  if (perChild.size === 0) return [];

  const children = [];
  for (const slice of chunks([...perChild.keys()], 2000))
    children.push(
      ...(await db
        .selectFrom('children')
        .select(['id', 'household_id', 'first_name', 'last_name', 'birth_date'])
        .where('id', 'in', slice)
        .execute()),
    );
  const debtors = await loadDebtors(
    db,
    children.map((c) => c.household_id),
  );
  const out: TaxCertificate[] = [];
  for (const c of children) {
    if (!underSixOnFirstJanuary(c.birth_date, year)) continue;
    const byActivity = [...(perChild.get(c.id) ?? new Map<string, number>()).entries()]
      .map(([activityName, paidCents]) => ({ activityName, paidCents }))
      .filter((a) => a.paidCents !== 0)
      .sort((a, b) => a.activityName.localeCompare(b.activityName, 'fr'));
    const paidCents = byActivity.reduce((s, a) => s + a.paidCents, 0);
    if (paidCents <= 0) continue;
    const debtor = debtors.get(c.household_id);
    out.push({
      year,
      householdId: c.household_id,
      householdName: debtor?.householdName ?? '',
      payerName: debtor?.payerName ?? '',
      payerAddress: debtor?.payerAddress ?? '',
      childId: c.id,
      childName: `${c.first_name} ${c.last_name}`,
      birthDate: c.birth_date,
      paidCents,
      byActivity,
    });
  }
  const collator = new Intl.Collator('fr', { sensitivity: 'base' });
  return out.sort(
    (a, b) =>
      collator.compare(a.householdName, b.householdName) ||
      a.householdId.localeCompare(b.householdId) ||
      a.birthDate.localeCompare(b.birthDate) ||
      collator.compare(a.childName, b.childName),
  );
}
