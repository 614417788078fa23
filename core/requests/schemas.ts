import { z } from 'zod';
import { UNIT_CODES } from '../activities/settings.ts';
import { id, optionalText, requiredText } from '../api/fields.ts';
import { selectionSchema } from '../bookings/selection.ts';
import { pickupPersonFields } from '../family/schemas.ts';
import { REQUEST_STATES } from './table.ts';

/** A cancellation asked by the family: the same days, units and activity a counter's cancellation names. */
export const cancellationDetails = z.object({
  activityId: id(),
  siteId: id(),
  unitCodes: z
    .array(z.enum(UNIT_CODES, { message: 'unité inconnue' }))
    .min(1, { message: 'aucune unité choisie' })
    .max(UNIT_CODES.length),
  selection: selectionSchema,
});

/** Someone the family authorises to pick the children up: the fields of the family file's own list. */
export const pickupDetails = pickupPersonFields;

/** A document sent through the portal: what the file is called and what kind of file it is. */
export const documentDetails = z.object({
  fileName: requiredText(200),
  fileType: requiredText(100),
});

export const otherDetails = z.object({});

export type CancellationDetails = z.output<typeof cancellationDetails>;
export type PickupDetails = z.output<typeof pickupDetails>;
export type DocumentDetails = z.output<typeof documentDetails>;

const submitBase = {
  /** Fixed before the command is logged, so the server and every counter name the request the same way. */
  requestId: id().optional(),
  householdId: id(),
  message: optionalText(2000),
};

export const submitInput = z.discriminatedUnion('kind', [
  z.object({
    ...submitBase,
    kind: z.literal('cancellation'),
    childId: id(),
    details: cancellationDetails,
  }),
  z.object({
    ...submitBase,
    kind: z.literal('pickup'),
    childId: id().nullable().default(null),
    details: pickupDetails,
  }),
  z.object({
    ...submitBase,
    kind: z.literal('document'),
    childId: id().nullable().default(null),
    details: documentDetails,
  }),
  z.object({
    ...submitBase,
    kind: z.literal('other'),
    childId: id().nullable().default(null),
    details: otherDetails.default({}),
  }),
]);
export type SubmitInput = z.output<typeof submitInput>;

const answerBase = {
  requestId: id(),
  reply: optionalText(1000),
  /**
   * Who answered, as the family's file will show it on every counter: filled in from the signed-in agent before
   * the command is logged, since staff accounts do not travel to the server.
   */
  answeredByName: z.string().trim().max(120).optional(),
};

export const acceptInput = z.object({
  ...answerBase,
  /** The id the authorised person gets when accepting a pickup request; fixed before logging, like requestId. */
  pickupPersonId: id().optional(),
});
export type AcceptInput = z.output<typeof acceptInput>;

export const refuseInput = z.object(answerBase);
export type RefuseInput = z.output<typeof refuseInput>;

export const inboxInput = z.object({
  state: z.enum([...REQUEST_STATES, 'all'], { message: 'état inconnu' }).default('all'),
  householdId: id().optional(),
  limit: z.int().min(1).max(500).default(200),
});
