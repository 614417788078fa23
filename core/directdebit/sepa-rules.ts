import {
  electronicFormatIBAN,
  isSEPACountry,
  validateBIC,
  validateIBAN,
  ValidationErrorsIBAN,
} from 'ibantools';
import { z } from 'zod';

/*
 * The rules of the SEPA Core direct-debit scheme (EPC SDD Core rulebook, its implementation guidelines for
 * pain.008.001.02, and the French banks' guide that follows them) that the régie's data must meet before a file
 * leaves: accounts, the creditor identifier, the mandate reference, the characters a file may carry.
 */

/** An IBAN as typed (« FR76 3000 6000 0112 3456 7890 189 »), in its electronic form, or what is wrong with it. */
export function ibanProblem(typed: string): string | null {
  const iban = electronicFormatIBAN(typed) ?? '';
  if (iban === '') return 'Saisissez l’IBAN du compte à prélever.';
  const { valid, errorCodes } = validateIBAN(iban);
  if (!valid) {
    if (errorCodes.includes(ValidationErrorsIBAN.NoIBANCountry))
      return 'IBAN invalide : il commence par le code du pays (FR…).';
    if (errorCodes.includes(ValidationErrorsIBAN.WrongBBANLength))
      return `IBAN invalide : un IBAN ${iban.slice(0, 2)} n’a pas ce nombre de caractères.`;
    if (errorCodes.includes(ValidationErrorsIBAN.WrongIBANChecksum))
      return 'IBAN invalide : la clé de contrôle ne correspond pas (une erreur de saisie ?).';
    if (errorCodes.includes(ValidationErrorsIBAN.WrongAccountBankBranchChecksum))
      return 'IBAN invalide : la clé RIB ne correspond pas au compte (une erreur de saisie ?).';
    return 'IBAN invalide : vérifiez-le sur le RIB de la famille.';
  }
  if (!isSEPACountry(iban.slice(0, 2)))
    return 'Ce compte n’est pas dans la zone SEPA : il ne peut pas être prélevé.';
  return null;
}

export function bicProblem(typed: string): string | null {
  const bic = typed.replace(/\s/g, '').toUpperCase();
  if (!validateBIC(bic).valid)
    return 'BIC invalide : 8 ou 11 caractères (4 lettres de la banque, 2 du pays, 2 de la ville, 3 de l’agence).';
  return null;
}

/** « FR76 3000 6000 … » → « FR7630006000… »: what the file and the database keep. */
export const compactIban = (typed: string): string => electronicFormatIBAN(typed) ?? typed.replace(/\s/g, '');

/** « FR76 3000 6000 0112 3456 7890 189 »: as a person reads it, masked but for its country and last 4 characters. */
export const maskedIban = (iban: string): string =>
  `${iban.slice(0, 4)} •••• •••• ${iban.slice(-4)}`.replace(/\s+/g, ' ');

/**
 * The creditor identifier (ICS, identifiant créancier SEPA) France gives: FR, 2 check digits, a business code (any
 * 3 characters, ZZZ by default) and 6 characters. The check digits are ISO 7064 MOD 97-10 over the national
 * identifier followed by the country code and « 00 », the business code being left out (EPC262-08).
 */
export function creditorIdProblem(typed: string): string | null {
  const ics = typed.replace(/\s/g, '').toUpperCase();
  if (!/^FR\d{2}[A-Z0-9]{3}[A-Z0-9]{6}$/.test(ics))
    return 'Identifiant créancier SEPA (ICS) invalide : 13 caractères, FR, 2 chiffres, 3 caractères puis 6 (ex. FR12ZZZ123456).';
  if (creditorIdCheckDigits(ics.slice(7), 'FR') !== ics.slice(2, 4))
    return 'Identifiant créancier SEPA (ICS) invalide : sa clé de contrôle ne correspond pas.';
  return null;
}

/** The two check digits of a creditor identifier whose national part is `national`. */
export function creditorIdCheckDigits(national: string, country: string): string {
  const digits = `${national}${country}00`
    .split('')
    .map((c) => (/[0-9]/.test(c) ? c : String(c.charCodeAt(0) - 55)))
    .join('');
  let rest = 0;
  for (const d of digits) rest = (rest * 10 + Number(d)) % 97;
  return String(98 - rest).padStart(2, '0');
}

/**
 * The characters a SEPA file may carry (EPC implementation guidelines, « Latin character set »): letters without
 * accents, digits and / - ? : ( ) . , ' + and space. A French name keeps its letters without their accents.
 */
export function sepaText(text: string, max: number): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[’‘]/g, "'")
    .replace(/æ/g, 'ae')
    .replace(/Æ/g, 'AE')
    .replace(/œ/g, 'oe')
    .replace(/Œ/g, 'OE')
    .replace(/[^A-Za-z0-9/\-?:().,'+ ]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, max)
    .trim();
}

/** A mandate reference (RUM): 35 characters at most, of those a SEPA identifier may carry, no space. */
export const RUM_PATTERN = /^[A-Za-z0-9+?/\-:().,']{1,35}$/;

export const ibanField = () =>
  z
    .string({ message: 'texte attendu' })
    .trim()
    .superRefine((s, ctx) => {
      const problem = ibanProblem(s);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    })
    .transform(compactIban);

export const bicField = () =>
  z
    .string({ message: 'texte attendu' })
    .trim()
    .transform((s) => s.replace(/\s/g, '').toUpperCase())
    .superRefine((s, ctx) => {
      if (s === '') return;
      const problem = bicProblem(s);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    })
    .transform((s) => (s === '' ? null : s));

export type Sequence = 'FRST' | 'RCUR';

/**
 * The reasons a bank gives for a debit it returns (ISO 20022 external reason codes the French banks use on
 * R-transactions), in the régisseur's words. MD01 and MD06 question the mandate itself.
 */
export const REJECTION_REASONS = {
  AC01: 'Numéro de compte incorrect',
  AC04: 'Compte clôturé',
  AC06: 'Compte bloqué',
  AC13: 'Compte de débiteur non éligible (compte professionnel)',
  AG01: 'Opération interdite sur ce type de compte',
  AG02: 'Code opération incorrect',
  AM04: 'Provision insuffisante',
  AM05: 'Opération en double',
  BE05: 'Identifiant du créancier incorrect',
  FF01: 'Format de fichier invalide',
  MD01: 'Pas de mandat valide (mandat inexistant ou révoqué)',
  MD02: 'Informations du mandat manquantes ou incorrectes',
  MD06: 'Remboursement demandé par le débiteur (contestation)',
  MD07: 'Débiteur décédé',
  MS02: 'Refus du débiteur (motif non communiqué)',
  MS03: 'Motif non communiqué par la banque',
  RC01: 'BIC incorrect',
  RR01: 'Identification du débiteur manquante',
  RR04: 'Motif réglementaire',
  SL01: 'Service spécifique de la banque du débiteur',
} as const;
export type RejectionCode = keyof typeof REJECTION_REASONS;
export const REJECTION_CODES = Object.keys(REJECTION_REASONS) as [RejectionCode, ...RejectionCode[]];
