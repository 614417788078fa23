import { z } from 'zod';
import { id } from '../api/fields.ts';
import { command, query } from '../api/operation.ts';
import { acceptRequest, refuseRequest } from './answer.ts';
import { requestDetail, requestInbox } from './read.ts';
import { acceptInput, inboxInput, refuseInput, submitInput } from './schemas.ts';
import { submitRequest } from './submit.ts';
import { townTimeZone } from '../time.ts';

/**
 * The families' requests: submitted on the portal (the central server runs `request.submit` for it), answered at
 * a counter. Both answers are pushed and judged again by the server, so two counters cannot answer one request.
 */
export const requestOperations = {
  'request.submit': command({
    // Families’ requests: an agent may record one brought to the counter; answering one may cancel past the deadline.
    permission: 'family.write',
    sync: 'request',
    label: 'Demande d’une famille',
    input: submitInput,
    prepare: (input, ctx) => ({ ...input, requestId: input.requestId ?? ctx.newId() }),
    run: submitRequest,
  }),

  'request.accept': command({
    permission: 'booking.override',
    sync: 'request',
    label: 'Réponse à une demande (acceptée)',
    input: acceptInput,
    prepare: (input, ctx) => ({
      ...input,
      pickupPersonId: input.pickupPersonId ?? ctx.newId(),
      answeredByName: input.answeredByName || ctx.actor.agentName,
    }),
    run: acceptRequest,
  }),

  'request.refuse': command({
    permission: 'booking.override',
    sync: 'request',
    label: 'Réponse à une demande (refusée)',
    input: refuseInput,
    prepare: (input, ctx) => ({ ...input, answeredByName: input.answeredByName || ctx.actor.agentName }),
    run: refuseRequest,
  }),

  'request.inbox': query({
    permission: 'family.read',
    label: 'Demandes des familles',
    input: inboxInput,
    run: ({ db }, input) => requestInbox(db, input),
  }),

  'request.get': query({
    permission: 'family.read',
    label: 'Consultation d’une demande',
    input: z.object({ requestId: id() }),
    run: async ({ db, now }, input) => requestDetail(db, input.requestId, now, await townTimeZone(db)),
  }),
};
