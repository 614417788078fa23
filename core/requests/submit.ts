import { DomainError } from '../api/envelope.ts';
import type { CommandContext } from '../api/operation.ts';
import { loadBookingContext } from '../bookings/context.ts';
import { unitsOf } from '../bookings/plan.ts';
import type { SubmitInput } from './schemas.ts';
import { referenceOf } from './words.ts';

/**
 * Records a family's request as received, pending an agent's answer. Only what makes it answerable is checked
 * here (the household, a child of that household, an activity and site that exist); whether the days can still
 * be cancelled is for the agent to see when answering, since a request is how a family asks past its deadline.
 */
export async function submitRequest({ db, now }: CommandContext, input: SubmitInput) {
  const household = await db
    .selectFrom('households')
    .select('id')
    .where('id', '=', input.householdId)
    .executeTakeFirst();
  if (!household) throw new DomainError('NOT_FOUND', 'Ce foyer est introuvable.', 'householdId');
  if (input.childId !== null) {
    const child = await db
      .selectFrom('children')
      .select('household_id')
      .where('id', '=', input.childId)
      .executeTakeFirst();
    if (!child || child.household_id !== input.householdId)
      throw new DomainError('NOT_FOUND', 'Cet enfant n’appartient pas à ce foyer.', 'childId');
  }
  if (input.kind === 'cancellation') {
    const d = input.details;
    unitsOf(await loadBookingContext(db, input.childId, d.activityId, d.siteId), d.unitCodes);
  }
  if (input.kind === 'other' && input.message === '')
    throw new DomainError('VALIDATION', 'Décrivez la demande dans le message.', 'message');

  const requestId = input.requestId as string;
  const receivedAt = now.toISOString();
  await db
    .insertInto('family_requests')
    .values({
      id: requestId,
      household_id: input.householdId,
      child_id: input.childId,
      kind: input.kind,
      details: JSON.stringify(input.details),
      message: input.message,
      received_at: receivedAt,
      state: 'pending',
      reply: '',
      answered_by: null,
      answered_by_name: null,
      answered_at: null,
    })
    .execute();
  return { requestId, reference: referenceOf(requestId), state: 'pending' as const, receivedAt };
}
