import type {
  ChildFields,
  GuardianFields,
  HouseholdFields,
  PickupPersonFields,
  QF_CHECKS,
} from './schemas.ts';

type QfCheck = (typeof QF_CHECKS)[number];

/** Form fields → table columns. One place, so create and edit cannot drift apart. */
export const householdRow = (f: HouseholdFields) => ({
  name: f.name,
  address_line1: f.addressLine1,
  address_line2: f.addressLine2,
  postal_code: f.postalCode,
  city: f.city,
  email: f.email,
  phone_home: f.phoneHome,
  phone_mobile: f.phoneMobile,
  payer_rank: f.payerRank,
  invoice_delivery: f.invoiceDelivery,
  caf_number: f.cafNumber,
});

/**
 * The QF columns a command writes; `agentName` is who checked it, recorded only with a consultation (the agent
 * entering a value from a paper form checked nothing themselves).
 */
export const qfRow = (
  f: {
    value: number;
    source: string;
    effectiveMonth: string;
    endMonth: string | null;
    checkedVia: QfCheck | null;
    checkedOn: string | null;
  },
  agentName: string,
) => ({
  value: f.value,
  source: f.source,
  effective_month: f.effectiveMonth,
  end_month: f.endMonth,
  checked_via: f.checkedVia,
  checked_on: f.checkedOn,
  checked_by: f.checkedVia ? agentName : null,
});

export const guardianRow = (f: GuardianFields) => ({
  rank: f.rank,
  civility: f.civility,
  last_name: f.lastName,
  first_name: f.firstName,
  relationship: f.relationship,
  phone_mobile: f.phoneMobile,
  phone_work: f.phoneWork,
  email: f.email,
  may_pick_up: f.mayPickUp ? 1 : 0,
});

export const childRow = (f: ChildFields) => ({
  last_name: f.lastName,
  first_name: f.firstName,
  birth_date: f.birthDate,
  school: f.school,
  class_level: f.classLevel,
  image_consent: f.imageConsent ? 1 : 0,
});

export const pickupPersonRow = (f: PickupPersonFields) => ({
  last_name: f.lastName,
  first_name: f.firstName,
  relationship: f.relationship,
  phone: f.phone,
});
