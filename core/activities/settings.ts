import { z } from 'zod';
import { deadlineRuleSchema } from '../calendar/deadlines.ts';

export const ACTIVITY_KINDS = [
  'canteen',
  'care',
  'wednesday',
  'holiday_centre',
  'study',
  'class_trip',
  'sports_school',
] as const;
export type ActivityKind = (typeof ACTIVITY_KINDS)[number];

export const UNIT_CODES = ['meal', 'morning', 'evening', 'day', 'half_day', 'week', 'month'] as const;
export type UnitCode = (typeof UNIT_CODES)[number];

const cents = z.int().min(0).max(1_000_000);

/**
 * What a billed day costs beyond its plain price, and why:
 * - percent: price + n % (a meal eaten without booking: +50 %, seed 000);
 * - add: price + a fixed amount (a late Wednesday: day price + 3 €, seed 001; presence without booking: 10 €);
 * - price: a fixed « tarif majoré » instead of the price, per unit (late care: 4 € morning, 10 € evening, seed 001).
 */
export const surchargeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('percent'), percent: z.int().min(0).max(1000) }),
  z.object({ kind: z.literal('add'), cents }),
  z.object({ kind: z.literal('price'), byUnit: z.partialRecord(z.enum(UNIT_CODES), cents) }),
]);
export type Surcharge = z.infer<typeof surchargeSchema>;

/** An accounting code as the town's budget writes it: « 7066 », « 70632-421 », « SR.PERI »; empty: none. */
const accountingCode = () =>
  z
    .string({ message: 'texte attendu' })
    .trim()
    .max(30, { message: '30 caractères au plus' })
    .regex(/^([A-Za-z0-9][A-Za-z0-9 ./-]*)?$/, {
      message:
        'lettres, chiffres, espaces, points, barres et tirets seulement (commençant par une lettre ou un chiffre)',
    })
    .default('');

/**
 * The town's accounting codes of an activity's receipts: the budget line (imputation budgétaire, « 7066-421 ») and
 * the product code the Trésorerie's software knows them by. Either may be left empty.
 */
export const accountingSchema = z.object({ imputation: accountingCode(), productCode: accountingCode() });
export type Accounting = z.infer<typeof accountingSchema>;

export const activitySettingsSchema = z.object({
  /** Which days the activity runs on: term-time days, holiday days, or dates set per booking (class trips). */
  calendar: z.enum(['school', 'holidays', 'none']),
  /** How a family books it: day by day (also by period), a whole week at one site, a month, or enrolment only. */
  granularity: z.enum(['day', 'week', 'month', 'enrolment']),
  bookingDeadline: deadlineRuleSchema,
  cancelDeadline: deadlineRuleSchema,
  payment: z.enum(['monthly', 'atBooking']),
  /** Added by staff past the booking deadline. Null: no surcharge. */
  lateAdd: surchargeSchema.nullable(),
  /** Present without a booking (staff record it on the attendance sheet). */
  unbookedPresence: surchargeSchema.nullable(),
  lateCancellationBilled: z.boolean(),
  unjustifiedAbsenceBilled: z.boolean(),
  /** Flat fee per booked period, whatever the attendance (study, 000). */
  flatFee: z.boolean().default(false),
  /** The week's booking must include a meal and stay at one site (holiday centre, 000). */
  wholeWeekOneSite: z.boolean().default(false),
  /**
   * The units whose booking includes a meal the kitchen prepares (a holiday centre's « journée avec repas »).
   * None given: the « repas » unit alone.
   */
  mealUnits: z.array(z.enum(UNIT_CODES)).optional(),
  /** Where the public accountant books its receipts: printed on the collection report's per-activity totals. */
  accounting: accountingSchema.optional(),
});
export type ActivitySettings = z.infer<typeof activitySettingsSchema>;

/** Which units of the activity the kitchen counts a meal for. */
export const mealUnitCodes = (settings: ActivitySettings): readonly UnitCode[] =>
  settings.mealUnits ?? ['meal'];

export const ACTIVITY_KIND_LABELS: Record<ActivityKind, string> = {
  canteen: 'Restauration scolaire',
  care: 'Accueil périscolaire (matin et soir)',
  wednesday: 'Mercredis récréatifs',
  holiday_centre: 'Accueil de loisirs (vacances)',
  study: 'Étude surveillée',
  class_trip: 'Classe de découverte',
  sports_school: 'École municipale des sports',
};
