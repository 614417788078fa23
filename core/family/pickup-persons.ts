import type { Transaction } from 'kysely';
import { DomainError } from '../api/envelope.ts';
import type { Database } from '../db/schema.ts';
import { reindexHousehold } from '../search/index-household.ts';
import { touchHousehold } from './households.ts';
import { pickupPersonRow } from './rows.ts';
import type { PickupPersonFields } from './schemas.ts';

/**
 * Adds someone to a household's list of people authorised to pick the children up, or updates them: the family
 * file's `family.savePickupPerson`, and an accepted request of the family's (core/requests/answer.ts).
 */
export async function savePickupPerson(
  db: Transaction<Database>,
  input: PickupPersonFields & { householdId: string; pickupPersonId: string },
  now: Date,
): Promise<{ pickupPersonId: string }> {
  const at = now.toISOString();
  await touchHousehold(db, input.householdId, at);
  const pickupPersonId = input.pickupPersonId;
  const existing = await db
    .selectFrom('pickup_persons')
    .select('household_id')
    .where('id', '=', pickupPersonId)
    .executeTakeFirst();
  if (existing && existing.household_id !== input.householdId) {
    throw new DomainError('NOT_FOUND', 'Personne autorisée introuvable dans ce foyer.', 'pickupPersonId');
  }
  if (existing) {
    await db
      .updateTable('pickup_persons')
      .set({ ...pickupPersonRow(input), updated_at: at })
      .where('id', '=', pickupPersonId)
      .execute();
  } else {
    await db
      .insertInto('pickup_persons')
      .values({
        id: pickupPersonId,
        household_id: input.householdId,
        ...pickupPersonRow(input),
        updated_at: at,
      })
      .execute();
  }
  await reindexHousehold(db, input.householdId);
  return { pickupPersonId };
}
