import type { InputOf } from '../../../core/contract.ts';
import type { PickupPerson } from '../../../core/family/read.ts';
import { checker } from '../forms/checks.ts';

export type PickupPersonValues = Omit<InputOf<'family.savePickupPerson'>, 'householdId' | 'pickupPersonId'>;

export interface PickupPersonDraft {
  lastName: string;
  firstName: string;
  relationship: string;
  phone: string;
}

export const emptyPickupPerson = (): PickupPersonDraft => ({
  lastName: '',
  firstName: '',
  relationship: '',
  phone: '',
});

export const pickupPersonDraft = (p: PickupPerson): PickupPersonDraft => ({
  lastName: p.lastName,
  firstName: p.firstName,
  relationship: p.relationship,
  phone: p.phone,
});

export function pickupPersonValues(d: PickupPersonDraft) {
  const c = checker();
  const values: PickupPersonValues = {
    lastName: c.text('lastName', d.lastName, true),
    firstName: c.text('firstName', d.firstName, true),
    relationship: d.relationship.trim(),
    phone: d.phone.trim(),
  };
  return { values, errors: c.errors };
}
