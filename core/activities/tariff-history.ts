import type { Kysely } from 'kysely';
import { DomainError } from '../api/envelope.ts';
import type { Database } from '../db/schema.ts';
import { tariffDataSchema, type TariffData } from '../pricing/tariff.ts';

/**
 * An activity's tariffs as the administrator reviews them: per unit, newest first, each with its state on the town's
 * today. A tariff is never changed once it may have priced a day: a new price is a new tariff from a later date,
 * which takes over from the one in force (the latest start wins, core/billing/catalogue.ts).
 */

export type TariffState = 'past' | 'inForce' | 'future';

export interface TariffView {
  id: string;
  unitCode: string;
  validFrom: string;
  validTo: string | null;
  data: TariffData;
  state: TariffState;
}

export async function tariffHistory(
  db: Kysely<Database>,
  activityId: string,
  today: string,
): Promise<TariffView[]> {
  const rows = await db
    .selectFrom('tariffs')
    .selectAll()
    .where('activity_id', '=', activityId)
    .orderBy('unit_code')
    .orderBy('valid_from', 'desc')
    .execute();
  const inForce = new Map<string, string>();
  for (const r of rows)
    if (r.valid_from <= today && (r.valid_to === null || r.valid_to >= today) && !inForce.has(r.unit_code))
      inForce.set(r.unit_code, r.id);
  return rows.map((r) => ({
    id: r.id,
    unitCode: r.unit_code,
    validFrom: r.valid_from,
    validTo: r.valid_to,
    data: tariffDataSchema.parse(JSON.parse(r.data)),
    state: inForce.get(r.unit_code) === r.id ? 'inForce' : r.valid_from > today ? 'future' : 'past',
  }));
}

/**
 * Refuses a new tariff that would reprice days already lived (RULES.md: never retroactively): it starts tomorrow at
 * the earliest, and not on a day another tariff of the unit already starts.
 */
export async function checkNewTariff(
  db: Kysely<Database>,
  input: { activityId: string; unitCode: string; validFrom: string },
  today: string,
): Promise<void> {
  if (input.validFrom <= today)
    throw new DomainError(
      'VALIDATION',
      'Un nouveau tarif s’applique à partir de demain au plus tôt : les jours passés et celui d’aujourd’hui gardent le tarif en vigueur.',
      'validFrom',
    );
  const unit = await db
    .selectFrom('units')
    .select('id')
    .where('activity_id', '=', input.activityId)
    .where('code', '=', input.unitCode)
    .executeTakeFirst();
  if (!unit) throw new DomainError('NOT_FOUND', 'Cette activité n’a pas cette unité.', 'unitCode');
  const same = await db
    .selectFrom('tariffs')
    .select('id')
    .where('activity_id', '=', input.activityId)
    .where('unit_code', '=', input.unitCode)
    .where('valid_from', '=', input.validFrom)
    .executeTakeFirst();
  if (same)
    throw new DomainError(
      'CONFLICT',
      'Un tarif de cette unité commence déjà ce jour-là : choisissez une autre date.',
      'validFrom',
    );
}
