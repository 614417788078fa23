import type { Kysely } from 'kysely';
import { schoolYearOf } from '../../shared/calendar.ts';
import { yearFile } from '../activities/enrolment.ts';
import { DomainError } from '../api/envelope.ts';
import { invoicesWithBalance } from '../billing/balance.ts';
import { familyBalance } from '../billing/ledger.ts';
import type { Database } from '../db/schema.ts';
import { sheetHealth } from '../health/records.ts';

/**
 * Whether free text says the child has a PAI (projet d'accueil individualisé): the notes written before the fiche
 * sanitaire had its own PAI box only said it in words.
 */
export const mentionsPai = (notes: string): boolean => /\bPAI\b/i.test(notes);

/** The first names of the children whose current fiche has a PAI; only the flag leaves the core here. */
async function paiChildren(db: Kysely<Database>, householdId: string): Promise<string[]> {
  const children = await db
    .selectFrom('children')
    .select(['id', 'first_name'])
    .where('household_id', '=', householdId)
    .where('left_on', 'is', null)
    .orderBy('birth_date')
    .execute();
  const health = await sheetHealth(
    db,
    children.map((c) => c.id),
  );
  return children
    .filter((c) => {
      const h = health.get(c.id);
      return h !== undefined && (h.marks.pai || mentionsPai(h.treatment));
    })
    .map((c) => c.first_name);
}

export interface FamilyAlerts {
  /** For roles that read invoices: what the family owes, its credit, and what is past due today. */
  money: { dueCents: number; creditCents: number; pastDueCents: number; pastDueInvoices: number } | null;
  /**
   * The school years whose file lacks documents: today's, and a later one the family is already enrolled for (in
   * August, the coming year's enrolments wait on it). Empty: complete.
   */
  incomplete: { schoolYear: string; missing: string[] }[];
  /** For roles that read health data: the children with a PAI. */
  pai: string[] | null;
}

/** What the family header shows at a glance, each part only to the roles that may see it. */
export async function familyAlerts(
  db: Kysely<Database>,
  householdId: string,
  today: string,
  may: { billing: boolean; health: boolean },
): Promise<FamilyAlerts> {
  const household = await db
    .selectFrom('households')
    .select('id')
    .where('id', '=', householdId)
    .executeTakeFirst();
  if (!household) throw new DomainError('NOT_FOUND', 'Ce foyer est introuvable.', 'householdId');
  const current = schoolYearOf(today);
  const enrolled = await db
    .selectFrom('enrolments')
    .innerJoin('children', 'children.id', 'enrolments.child_id')
    .select('enrolments.school_year')
    .distinct()
    .where('children.household_id', '=', householdId)
    .where('enrolments.school_year', '>', current)
    .execute();
  const years = [current, ...enrolled.map((e) => e.school_year).sort()];
  const [missing, money, pai] = await Promise.all([
    Promise.all(years.map(async (y) => (await yearFile(db, householdId, y)).missing)),
    may.billing ? moneyOf(db, householdId, today) : null,
    may.health ? paiChildren(db, householdId) : null,
  ]);
  const incomplete = years
    .map((schoolYear, i) => ({
      schoolYear,
      missing: (missing[i] ?? []).map((d) =>
        d.childFirstName ? `${d.label} (${d.childFirstName})` : d.label,
      ),
    }))
    .filter((y) => y.missing.length > 0);
  return { money, incomplete, pai };
}

async function moneyOf(db: Kysely<Database>, householdId: string, today: string) {
  const [balance, pastDue] = await Promise.all([
    familyBalance(db, householdId),
    invoicesWithBalance(db, { householdId, dueBefore: today }),
  ]);
  const unpaid = pastDue.filter((i) => i.remainingCents > 0);
  return {
    dueCents: balance.dueCents,
    creditCents: balance.creditCents,
    pastDueCents: unpaid.reduce((s, i) => s + i.remainingCents, 0),
    pastDueInvoices: unpaid.length,
  };
}
