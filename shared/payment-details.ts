import { formatEuros } from './money.ts';
import {
  MODE_LABELS,
  paymentMode,
  type DetailField,
  type DetailGroup,
  type PaymentMode,
} from './payment-modes.ts';

/*
 * The rules a payment's details obey, run by the core on every payment (core/payments/payments.ts) and by the
 * payment form before it asks the core, so that both say the same thing beside the same field.
 */

export interface Voucher {
  faceValueCents: number;
  count: number;
}

/** A payment's details as `payment.record` carries them. */
export interface PaymentDetails {
  mode: PaymentMode;
  amountCents: number;
  cheque?: { number: string; bank: string; drawer: string } | undefined;
  card?: { authorisation: string; transaction?: string | null | undefined } | undefined;
  vouchers?: readonly Voucher[] | undefined;
  online?: { reference: string } | undefined;
  note?: string | undefined;
}

/** A rule broken, with the contract's path of the field it concerns. */
export interface DetailProblem {
  field: string;
  message: string;
}

const GROUPS: readonly DetailGroup[] = ['cheque', 'card', 'vouchers', 'online'];

/**
 * A run of 13 to 19 digits, spaces, dots and dashes ignored: what a card number (PAN) looks like. PCI DSS forbids
 * keeping it, so any text of a payment that contains one is refused, whether or not its Luhn digit checks out.
 */
export function looksLikeCardNumber(text: string): boolean {
  return /\d{13,}/.test(text.replace(/[\s.\-_/]/g, ''));
}

export const CARD_NUMBER_REFUSED =
  'Ceci ressemble à un numéro de carte : ne le saisissez jamais (seule la référence d’autorisation du terminal est conservée, et au plus les 4 derniers chiffres).';

/** « 2 × 20,00 € + 1 × 5,00 € » */
const titlesText = (vouchers: readonly Voucher[]) =>
  vouchers.map((v) => `${v.count} × ${formatEuros(v.faceValueCents)}`).join(' + ');

/**
 * What is wrong with the details of a payment, first problem first: another mode's details, the mode's own
 * missing, titles that do not make the amount, a text that looks like a card number.
 */
export function detailProblems(input: PaymentDetails): DetailProblem[] {
  const want = paymentMode(input.mode).details?.group ?? null;
  for (const group of GROUPS)
    if (input[group] !== undefined && group !== want)
      return [{ field: group, message: `Ce détail ne concerne pas le mode « ${MODE_LABELS[input.mode]} ».` }];
  if (want && input[want] === undefined)
    return [{ field: want, message: `Indiquez ${paymentMode(input.mode).details?.asked}.` }];
  const problems: DetailProblem[] = [];
  if (input.vouchers) {
    const total = input.vouchers.reduce((s, v) => s + v.faceValueCents * v.count, 0);
    if (total !== input.amountCents)
      problems.push({
        field: 'vouchers',
        message: `Les titres remis font ${titlesText(input.vouchers)} = ${formatEuros(total)}, pas ${formatEuros(input.amountCents)} : un titre ne se fractionne pas ni ne rend la monnaie.`,
      });
  }
  const texts: [string, string | null | undefined][] = [
    ['card.authorisation', input.card?.authorisation],
    ['card.transaction', input.card?.transaction],
    ['note', input.note],
  ];
  for (const [field, text] of texts)
    if (text && looksLikeCardNumber(text)) problems.push({ field, message: CARD_NUMBER_REFUSED });
  return problems;
}

/**
 * What the agent typed in one box of the mode's details, once read (text trimmed, a number parsed, null when it
 * could not be), against the box's rule. The contract's schema holds the same limits (core/payments/operations.ts
 * reads them from the table), in its own shorter words.
 */
export function fieldProblem(field: DetailField, value: string | boolean | number | null): string | null {
  switch (field.kind) {
    case 'check':
      return value === true ? null : field.missing;
    case 'count':
    case 'euros':
      return typeof value === 'number' && Number.isInteger(value) && value > 0 ? null : field.missing;
    case 'text': {
      const text = typeof value === 'string' ? value.trim() : '';
      if (text === '') return field.missing;
      if (field.pattern && !field.pattern.test(text)) return field.invalid ?? field.missing;
      if (field.maxLength && text.length > field.maxLength) return `${field.maxLength} caractères au plus.`;
      return null;
    }
  }
}

/** The box of the table named `name` (« cheque.bank »): for the contract's schema, which keeps the same limits. */
export function detailField(mode: PaymentMode, name: string): DetailField {
  const field = paymentMode(mode).details?.fields.find((f) => f.name === name);
  if (!field) throw new RangeError(`Pas de champ ${name} pour le mode ${mode}`);
  return field;
}
