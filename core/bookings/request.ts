import { z } from 'zod';
import { UNIT_CODES } from '../activities/settings.ts';
import { id } from '../api/fields.ts';
import { selectionSchema } from './selection.ts';

/** What a booking, a cancellation or their preview asks: which child, where, which units, which days, from whom. */
const requestFields = {
  childId: id(),
  activityId: id(),
  siteId: id(),
  unitCodes: z
    .array(z.enum(UNIT_CODES, { message: 'unité inconnue' }))
    .min(1, { message: 'aucune unité choisie' }),
  selection: selectionSchema,
  origin: z.enum(['counter', 'portal']).default('counter'),
  overrideReason: z.string().trim().max(200).nullable().default(null),
};
export const requestInput = z
  .object(requestFields)
  .transform((r) => ({ ...r, overrideReason: r.overrideReason || null }));

export type BookingRequest = z.output<typeof requestInput>;
