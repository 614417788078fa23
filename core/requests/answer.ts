import { DomainError } from '../api/envelope.ts';
import type { CommandContext } from '../api/operation.ts';
import { cancelBookings } from '../bookings/cancel.ts';
import { savePickupPerson } from '../family/pickup-persons.ts';
import { cancellationReason, loadRequestRow, parseDetails, samePickupPerson } from './read.ts';
import type { AcceptInput, CancellationDetails, PickupDetails, RefuseInput } from './schemas.ts';
import { formatShortDate } from '../billing/format.ts';
import { formatDateTime } from '../../shared/wall-clock.ts';
import { townTimeZone } from '../time.ts';
import { STATE_LABELS } from './words.ts';

/** The request, still waiting for its answer: one answer only, whichever counter gives it first. */
async function pendingRequest(ctx: CommandContext, requestId: string) {
  const row = await loadRequestRow(ctx.db, requestId);
  if (row.state !== 'pending') {
    const by = row.answered_by_name ? ` par ${row.answered_by_name}` : '';
    const when = row.answered_at ? ` le ${formatDateTime(row.answered_at, await townTimeZone(ctx.db))}` : '';
    throw new DomainError(
      'CONFLICT',
      `Cette demande a déjà reçu une réponse : ${STATE_LABELS[row.state].toLowerCase()}${when}${by}.`,
      'requestId',
    );
  }
  return row;
}

async function recordAnswer(
  ctx: CommandContext,
  requestId: string,
  state: 'accepted' | 'refused',
  reply: string,
  answeredByName: string | undefined,
) {
  await ctx.db
    .updateTable('family_requests')
    .set({
      state,
      reply,
      answered_by: ctx.actor.agentId,
      answered_by_name: answeredByName || ctx.actor.agentName,
      answered_at: ctx.now.toISOString(),
    })
    .where('id', '=', requestId)
    .where('state', '=', 'pending')
    .execute();
}

/**
 * Adds the person to the household's authorised list, or updates the entry already there under that name (its
 * spelling kept: the file's was checked at the counter).
 */
async function authorisePickup(ctx: CommandContext, householdId: string, p: PickupDetails, newId: string) {
  const existing = await samePickupPerson(ctx.db, householdId, p);
  const saved = await savePickupPerson(
    ctx.db,
    {
      householdId,
      pickupPersonId: existing?.id ?? newId,
      lastName: existing?.lastName ?? p.lastName,
      firstName: existing?.firstName ?? p.firstName,
      relationship: p.relationship || existing?.relationship || '',
      phone: p.phone || existing?.phone || '',
    },
    ctx.now,
  );
  return { pickupPersonId: saved.pickupPersonId, updated: existing !== null };
}

/**
 * Cancels through the booking rules as staff do at the counter: past the family's deadline with the request as
 * the reason (late days stay billed when the activity says so), never a day already marked present or absent.
 */
async function cancelRequested(
  ctx: CommandContext,
  row: { id: string; received_at: string; child_id: string | null },
  d: CancellationDetails,
) {
  if (!row.child_id) throw new DomainError('VALIDATION', 'Cette demande d’annulation ne nomme pas d’enfant.');
  const plan = await cancelBookings(ctx, {
    childId: row.child_id,
    activityId: d.activityId,
    siteId: d.siteId,
    unitCodes: d.unitCodes,
    selection: d.selection,
    origin: 'counter',
    overrideReason: cancellationReason(row),
  });
  const refused = plan.refused.map((r) => `${formatShortDate(r.date)} (${r.reason})`).join(', ');
  if (plan.accepted.length === 0) {
    throw new DomainError(
      'CONFLICT',
      `Rien à annuler pour cette demande${refused ? ` : ${refused}` : ''}. Refusez-la en expliquant pourquoi à la famille.`,
    );
  }
  return {
    cancelled: plan.accepted.map((a) => ({
      date: a.date,
      unitLabel: a.unitLabel,
      late: a.late,
      billed: a.billed,
    })),
    notCancelled: plan.refused.map((r) => ({ date: r.date, unitLabel: r.unitLabel, reason: r.reason })),
    refusedText: refused,
  };
}

/**
 * Accepts a request and does what it asked, in the same transaction: an authorised person added to the family
 * file, bookings cancelled. The reply goes back to the family; when the agent leaves it empty it says what was
 * done, and days a cancellation could not cancel are always added to it.
 */
export async function acceptRequest(ctx: CommandContext, input: AcceptInput & { pickupPersonId: string }) {
  const row = await pendingRequest(ctx, input.requestId);
  const details = parseDetails(row.kind, row.details);
  let reply = input.reply;
  let pickup: Awaited<ReturnType<typeof authorisePickup>> | null = null;
  let cancellation: Omit<Awaited<ReturnType<typeof cancelRequested>>, 'refusedText'> | null = null;

  if (row.kind === 'pickup') {
    const p = details as PickupDetails;
    pickup = await authorisePickup(ctx, row.household_id, p, input.pickupPersonId);
    reply ||= `${p.firstName} ${p.lastName} est ${pickup.updated ? 'toujours' : 'désormais'} autorisé(e) à venir chercher vos enfants.`;
  } else if (row.kind === 'cancellation') {
    const { refusedText, ...done } = await cancelRequested(ctx, row, details as CancellationDetails);
    cancellation = done;
    reply ||= `Annulation effectuée : ${done.cancelled.map((c) => formatShortDate(c.date)).join(', ')}.`;
    if (refusedText) reply = `${reply}\nNon annulé : ${refusedText}.`;
  } else {
    reply ||= row.kind === 'document' ? 'Document reçu et accepté.' : 'Demande acceptée.';
  }

  await recordAnswer(ctx, row.id, 'accepted', reply, input.answeredByName);
  return { requestId: row.id, state: 'accepted' as const, reply, pickup, cancellation };
}

/** Refuses a request, saying why: the family reads the reply on the portal. */
export async function refuseRequest(ctx: CommandContext, input: RefuseInput) {
  if (input.reply === '')
    throw new DomainError('VALIDATION', 'Un refus se motive : écrivez la réponse à la famille.', 'reply');
  const row = await pendingRequest(ctx, input.requestId);
  await recordAnswer(ctx, row.id, 'refused', input.reply, input.answeredByName);
  return { requestId: row.id, state: 'refused' as const, reply: input.reply };
}
