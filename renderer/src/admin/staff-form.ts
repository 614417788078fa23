import type { InputOf } from '../../../core/contract.ts';
import type { FieldErrors } from '../forms/form-context.ts';

export type StaffRole = InputOf<'staff.save'>['role'];

export interface StaffDraft {
  username: string;
  displayName: string;
  role: StaffRole;
  password: string;
}

export const emptyStaff = (): StaffDraft => ({ username: '', displayName: '', role: 'agent', password: '' });

export const MIN_PASSWORD = 8;

/**
 * What the agent can fix at a glance before the account is sent (the core checks again and its message wins):
 * the sign-in name's letters, a name, and a password of 8 characters at least (required for a new account).
 */
export function staffErrors(
  draft: StaffDraft,
  { passwordRequired }: { passwordRequired: boolean },
): FieldErrors {
  const errors: FieldErrors = {};
  const username = draft.username.trim().toLowerCase();
  if (username === '') errors.username = 'Obligatoire.';
  else if (!/^[a-z0-9._-]{2,40}$/.test(username))
    errors.username = 'Lettres sans accent, chiffres, point ou tiret (2 à 40 caractères).';
  if (draft.displayName.trim() === '') errors.displayName = 'Obligatoire.';
  if (draft.password === '') {
    if (passwordRequired) errors.password = 'Obligatoire.';
  } else if (draft.password.length < MIN_PASSWORD) errors.password = `${MIN_PASSWORD} caractères au moins.`;
  return errors;
}
