import { z } from 'zod';

/** Reusable field schemas with the French messages an agent reads under a form field. */

/**
 * Whether `date` is a real calendar day written 'YYYY-MM-DD', whatever the machine's zone: Date.UTC rolls
 * '2026-02-30' over to March, the round trip catches it. The kernel's own, so that reading a date field needs no
 * domain module (core/calendar/local-date.ts says the same of its days).
 */
export function isCalendarDay(date: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return false;
  const day = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return !Number.isNaN(day.getTime()) && day.toISOString().slice(0, 10) === date;
}

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
