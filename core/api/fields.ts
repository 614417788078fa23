import { isCalendarDay } from '../calendar/local-date.ts';
import { z } from 'zod';

/** Reusable field schemas with the French messages an agent reads under a form field. */

export const id = () => z.uuid({ message: 'identifiant invalide' });

export const requiredText = (max = 120) =>
  z
    .string({ message: 'texte attendu' })
    .trim()
    .min(1, { message: 'obligatoire' })
    .max(max, { message: `${max} caractères au plus` });

export const optionalText = (max = 200) =>
  z
    .string({ message: 'texte attendu' })
    .trim()
    .max(max, { message: `${max} caractères au plus` })
    .default('');

export const isoDate = () =>
  z
    .string({ message: 'date attendue' })
    .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'date invalide (jj/mm/aaaa)' })
    .refine(isCalendarDay, { message: "cette date n'existe pas" });

export const isoMonth = () =>
  z
    .string({ message: 'mois attendu' })
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/, { message: 'mois invalide (mm/aaaa)' });

export const email = () =>
  z
    .string({ message: 'texte attendu' })
    .trim()
    .max(200)
    .refine((s) => s === '' || /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(s), { message: 'adresse e-mail invalide' })
    .default('');

/** French numbers, stored the way agents read them aloud: « 06 12 34 56 78 ». */
export const phone = () =>
  z
    .string({ message: 'texte attendu' })
    .trim()
    .transform((s) => normalizePhone(s))
    .refine((s) => s === '' || /^0\d( \d{2}){4}$/.test(s) || /^\+\d{6,15}$/.test(s), {
      message: 'numéro de téléphone invalide (10 chiffres)',
    })
    .default('');

export function normalizePhone(input: string): string {
  const compact = input.replace(/[\s.\-()]/g, '');
  const national = compact.startsWith('+33') ? `0${compact.slice(3)}` : compact;
  if (/^0\d{9}$/.test(national)) return national.replace(/(\d{2})(?=\d)/g, '$1 ');
  return compact;
}

export const postalCode = () =>
  z
    .string({ message: 'texte attendu' })
    .trim()
    .refine((s) => s === '' || /^\d{5}$/.test(s), { message: 'code postal invalide (5 chiffres)' })
    .default('');

export const bool = () => z.boolean({ message: 'oui ou non attendu' });
