import type { InputOf } from '../../../core/contract.ts';
import type { Guardian } from '../../../core/family/read.ts';
import { checker } from '../forms/checks.ts';
import type { Civility } from '../labels.ts';

export type GuardianValues = Omit<InputOf<'family.saveGuardian'>, 'householdId' | 'guardianId'>;

export interface GuardianDraft {
  /** Empty until chosen: the agent asks rather than guesses. */
  civility: Civility | '';
  lastName: string;
  firstName: string;
  relationship: string;
  phoneMobile: string;
  phoneWork: string;
  email: string;
  mayPickUp: boolean;
}

export const emptyGuardian = (lastName = ''): GuardianDraft => ({
  civility: '',
  lastName,
  firstName: '',
  relationship: '',
  phoneMobile: '',
  phoneWork: '',
  email: '',
  mayPickUp: true,
});

export const guardianDraft = (g: Guardian): GuardianDraft => ({
  civility: g.civility,
  lastName: g.lastName,
  firstName: g.firstName,
  relationship: g.relationship,
  phoneMobile: g.phoneMobile,
  phoneWork: g.phoneWork,
  email: g.email,
  mayPickUp: g.mayPickUp,
});

export function guardianValues(d: GuardianDraft, rank: 1 | 2, prefix = '') {
  const c = checker(prefix);
  if (d.civility === '') c.errors[`${prefix}civility`] = 'Choisissez M. ou Mme.';
  const values: GuardianValues = {
    rank,
    civility: d.civility === '' ? 'Mme' : d.civility,
    lastName: c.text('lastName', d.lastName, true),
    firstName: c.text('firstName', d.firstName, true),
    relationship: d.relationship.trim(),
    phoneMobile: d.phoneMobile.trim(),
    phoneWork: d.phoneWork.trim(),
    email: d.email.trim(),
    mayPickUp: d.mayPickUp,
  };
  return { values, errors: c.errors };
}
