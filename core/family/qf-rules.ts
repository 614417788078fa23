import type { Transaction } from 'kysely';
import { formatShortMonth } from '../../shared/dates.ts';
import { DomainError } from '../api/envelope.ts';
import type { Database } from '../db/schema.ts';
import { monthBefore, nextQfAfter, type QfRecord } from './qf.ts';

const SOURCE_WORDS: Record<string, string> = { CAF: 'CAF', MSA: 'MSA', avis_imposition: 'avis d’imposition' };

/**
 * A QF taking effect before one already recorded is usually a slip (the notice's month misread): it would only
 * price the months up to the later one, which closes it. The agent is told which QF it precedes and what it will
 * cover, and confirms (`confirmEarlier`). Checked where the agent types it; a replay takes it as confirmed there.
 * `exceptId`: the QF being corrected, whose correction asks only when it moves its effective month.
 */
export async function refuseUnconfirmedEarlierQf(
  db: Transaction<Database>,
  input: { householdId: string; effectiveMonth: string; confirmEarlier: boolean },
  ctx: { replay?: boolean | undefined },
  exceptId?: string,
): Promise<void> {
  if (input.confirmEarlier || ctx.replay) return;
  const rows = await db
    .selectFrom('qf_records')
    .select(['id', 'value', 'source', 'effective_month', 'end_month', 'recorded_at'])
    .where('household_id', '=', input.householdId)
    .execute();
  if (rows.some((r) => r.id === exceptId && r.effective_month === input.effectiveMonth)) return;
  const records: QfRecord[] = rows
    .filter((r) => r.id !== exceptId)
    .map((r) => ({
      id: r.id,
      value: r.value,
      source: r.source,
      effectiveMonth: r.effective_month,
      endMonth: r.end_month,
      recordedAt: r.recorded_at,
    }));
  const later = nextQfAfter(records, input.effectiveMonth);
  if (!later) return;
  const from = formatShortMonth(input.effectiveMonth);
  const to = formatShortMonth(monthBefore(later.effectiveMonth));
  throw new DomainError(
    'CONFLICT',
    `Ce QF prend effet en ${from}, avant le QF ${later.value} (${SOURCE_WORDS[later.source] ?? later.source}) qui prend effet en ${formatShortMonth(later.effectiveMonth)} : il ne s’appliquera que de ${from} à ${to}. Confirmez pour l’enregistrer.`,
    'confirmEarlier',
  );
}
