import { z } from 'zod';
import {
  bool,
  email,
  id,
  isoDate,
  isoMonth,
  optionalText,
  phone,
  postalCode,
  requiredText,
} from '../api/fields.ts';

export const CIVILITIES = ['M.', 'Mme'] as const;
export const QF_SOURCES = ['CAF', 'MSA', 'avis_imposition'] as const;
export const INVOICE_DELIVERIES = ['papier', 'email'] as const;
/** Where an agent checked a QF: the CAF's partner site, API Particulier, or a paper notice the family brought. */
export const QF_CHECKS = ['cdap', 'api_particulier', 'document'] as const;
export const CLASS_LEVELS = ['', 'TPS', 'PS', 'MS', 'GS', 'CP', 'CE1', 'CE2', 'CM1', 'CM2', '6e'] as const;

export const householdFields = z.object({
  name: requiredText(80),
  addressLine1: optionalText(120),
  addressLine2: optionalText(120),
  postalCode: postalCode(),
  city: optionalText(80),
  email: email(),
  phoneHome: phone(),
  phoneMobile: phone(),
  payerRank: z.union([z.literal(1), z.literal(2)], { message: 'responsable 1 ou 2' }).default(1),
  invoiceDelivery: z.enum(INVOICE_DELIVERIES, { message: 'papier ou e-mail' }).default('papier'),
  cafNumber: z
    .string({ message: 'texte attendu' })
    .transform((s) => s.replace(/\s/g, ''))
    .refine((s) => /^\d{0,10}$/.test(s), { message: 'numéro allocataire invalide (chiffres seulement)' })
    .default(''),
});

export const guardianFields = z.object({
  rank: z.union([z.literal(1), z.literal(2)], { message: 'responsable 1 ou 2' }),
  civility: z.enum(CIVILITIES, { message: 'M. ou Mme' }),
  lastName: requiredText(60),
  firstName: requiredText(60),
  relationship: optionalText(40),
  phoneMobile: phone(),
  phoneWork: phone(),
  email: email(),
  mayPickUp: bool().default(true),
});

export const childFields = z.object({
  lastName: requiredText(60),
  firstName: requiredText(60),
  // Not in the future: checked by the commands against the core's today in the town (see family/operations.ts).
  birthDate: isoDate(),
  school: optionalText(80),
  classLevel: z.enum(CLASS_LEVELS, { message: 'classe inconnue' }).default(''),
  imageConsent: bool().default(false),
});

export const pickupPersonFields = z.object({
  lastName: requiredText(60),
  firstName: requiredText(60),
  relationship: optionalText(40),
  phone: phone(),
});

const qfShape = z.object({
  value: z
    .number({ message: 'nombre attendu' })
    .int({ message: 'nombre entier attendu' })
    .min(0, { message: 'positif attendu' })
    .max(99_999, { message: 'valeur trop grande' }),
  source: z.enum(QF_SOURCES, { message: "CAF, MSA ou avis d'imposition" }),
  effectiveMonth: isoMonth(),
  endMonth: isoMonth().nullable().default(null),
  checkedVia: z
    .enum(QF_CHECKS, { message: 'CDAP, API Particulier ou pièce justificative' })
    .nullable()
    .default(null),
  // Not in the future: checked by the commands against the core's today in the town (see family/operations.ts).
  checkedOn: isoDate().nullable().default(null),
});
const endNotBeforeStart = (q: { effectiveMonth: string; endMonth: string | null }) =>
  q.endMonth === null || q.endMonth >= q.effectiveMonth;
const endMessage = { message: "la fin de validité précède le mois d'effet", path: ['endMonth'] };
/** A consultation is a where and a when: one without the other tells the Trésorerie nothing. */
const checkedBoth = (q: { checkedVia: string | null; checkedOn: string | null }) =>
  (q.checkedVia === null) === (q.checkedOn === null);
const checkedMessage = { message: 'date de consultation à saisir avec sa source', path: ['checkedOn'] };
export const qfFields = qfShape.refine(endNotBeforeStart, endMessage).refine(checkedBoth, checkedMessage);

export const createHouseholdInput = householdFields.extend({
  householdId: id().optional(),
  guardians: z
    .array(guardianFields.extend({ guardianId: id().optional() }))
    .min(1, { message: 'au moins un responsable' })
    .max(2, { message: 'deux responsables au plus' })
    .refine((g) => new Set(g.map((x) => x.rank)).size === g.length, {
      message: 'deux responsables de même rang',
    }),
  children: z
    .array(childFields.extend({ childId: id().optional() }))
    .max(12)
    .default([]),
  pickupPersons: z
    .array(pickupPersonFields.extend({ pickupPersonId: id().optional() }))
    .max(10)
    .default([]),
  qf: qfShape
    .extend({ qfId: id().optional() })
    .refine(endNotBeforeStart, endMessage)
    .refine(checkedBoth, checkedMessage)
    .nullable()
    .default(null),
});

export const updateHouseholdInput = householdFields.extend({ householdId: id() });
export const saveGuardianInput = guardianFields.extend({ householdId: id(), guardianId: id().optional() });
export const removeGuardianInput = z.object({ householdId: id(), guardianId: id() });
export const saveChildInput = childFields.extend({ householdId: id(), childId: id().optional() });
export const savePickupPersonInput = pickupPersonFields.extend({
  householdId: id(),
  pickupPersonId: id().optional(),
});
export const removePickupPersonInput = z.object({ householdId: id(), pickupPersonId: id() });
/**
 * `confirmEarlier`: the agent saw that this QF takes effect before one already recorded (which then closes its
 * validity) and confirmed it (core/family/qf-rules.ts).
 */
const confirmEarlier = bool().default(false);
export const addQfInput = qfShape
  .extend({ householdId: id(), qfId: id().optional(), confirmEarlier })
  .refine(endNotBeforeStart, endMessage)
  .refine(checkedBoth, checkedMessage);
export const updateQfInput = qfShape
  .extend({ householdId: id(), qfId: id(), confirmEarlier })
  .refine(endNotBeforeStart, endMessage)
  .refine(checkedBoth, checkedMessage);

export type HouseholdFields = z.output<typeof householdFields>;
export type GuardianFields = z.output<typeof guardianFields>;
export type ChildFields = z.output<typeof childFields>;
export type PickupPersonFields = z.output<typeof pickupPersonFields>;
export type QfFields = z.output<typeof qfFields>;
