import type { Transaction } from 'kysely';
import { DomainError } from '../api/envelope.ts';
import type { Database } from '../db/schema.ts';

/** Marks the household changed, and refuses a household that does not exist: every change to a file goes through it. */
export async function touchHousehold(
  trx: Transaction<Database>,
  householdId: string,
  at: string,
): Promise<void> {
  const r = await trx
    .updateTable('households')
    .set({ updated_at: at })
    .where('id', '=', householdId)
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) === 0)
    throw new DomainError('NOT_FOUND', 'Ce foyer est introuvable.', 'householdId');
}
