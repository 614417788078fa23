import type { InputOf } from '../../../core/contract.ts';
import type { Child } from '../../../core/family/read.ts';
import { formatShortDate } from '../../../shared/dates.ts';
import { checker } from '../forms/checks.ts';
import type { ClassLevel } from '../labels.ts';

export type ChildValues = Omit<InputOf<'family.saveChild'>, 'householdId' | 'childId'>;

export interface ChildDraft {
  lastName: string;
  firstName: string;
  /** As typed: jj/mm/aaaa. */
  birthDate: string;
  school: string;
  classLevel: ClassLevel;
  imageConsent: boolean;
}

export const emptyChild = (lastName = ''): ChildDraft => ({
  lastName,
  firstName: '',
  birthDate: '',
  school: '',
  classLevel: '',
  imageConsent: false,
});

export const childDraft = (c: Child): ChildDraft => ({
  lastName: c.lastName,
  firstName: c.firstName,
  birthDate: formatShortDate(c.birthDate),
  school: c.school,
  // A level the core no longer lists shows as « non renseignée » rather than breaking the form.
  classLevel: c.classLevel as ClassLevel,
  imageConsent: c.imageConsent,
});

/** `today` is the town's, from the core's clock: a birth date after it is refused with the form's other mistakes. */
export function childValues(d: ChildDraft, today: string, prefix = '') {
  const c = checker(prefix);
  const values: ChildValues = {
    lastName: c.text('lastName', d.lastName, true),
    firstName: c.text('firstName', d.firstName, true),
    birthDate: c.birthDate('birthDate', d.birthDate, today),
    school: d.school.trim(),
    classLevel: d.classLevel,
    imageConsent: d.imageConsent,
  };
  return { values, errors: c.errors };
}
