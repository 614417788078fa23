import type { InputOf } from '../../../core/api/contract.ts';
import { formatEuros } from '../../../shared/money.ts';
import type { FieldErrors } from '../forms/form-context.ts';
import { parseEuros } from '../money-input.ts';

export type RecordInput = InputOf<'payment.record'>;
export type PaymentMode = RecordInput['mode'];

/** What the agent typed in the payment form, as text, before it is checked. */
export interface PaymentDraft {
  amount: string;
  mode: PaymentMode;
  chequeNumber: string;
  chequeBank: string;
  chequeDrawer: string;
  payeeChecked: boolean;
  /** The card terminal's authorisation reference: never the card's number. */
  authorisation: string;
  voucherCount: string;
  voucherFace: string;
  onlineReference: string;
  note: string;
}

export const emptyDraft = (mode: PaymentMode): PaymentDraft => ({
  amount: '',
  mode,
  chequeNumber: '',
  chequeBank: '',
  chequeDrawer: '',
  payeeChecked: false,
  authorisation: '',
  voucherCount: '',
  voucherFace: '',
  onlineReference: '',
  note: '',
});

export const isVoucher = (mode: PaymentMode) => mode === 'ancv' || mode === 'cesu';

/** A whole number of vouchers typed by the agent, or null. */
export function parseCount(text: string): number | null {
  const t = text.trim();
  return /^\d{1,4}$/.test(t) && Number(t) > 0 ? Number(t) : null;
}

/**
 * The draft → the contract's `payment.record` input (without allocations nor override, added by the form), or the
 * messages to show beside the fields, keyed by the contract's field paths.
 */
export function buildPayment(
  householdId: string,
  d: PaymentDraft,
): { ok: true; input: RecordInput } | { ok: false; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const amountCents = parseEuros(d.amount);
  if (d.amount.trim() === '') errors.amountCents = 'Saisissez le montant reçu.';
  else if (amountCents === null || amountCents <= 0)
    errors.amountCents = 'Montant en euros attendu, par exemple 45,50.';
  const input: RecordInput = { householdId, mode: d.mode, amountCents: amountCents ?? 0 };
  if (d.note.trim()) input.note = d.note.trim();

  if (d.mode === 'cheque') {
    if (!d.chequeNumber.trim()) errors['cheque.number'] = 'Saisissez le numéro du chèque.';
    else if (!/^[0-9A-Za-z-]{1,20}$/.test(d.chequeNumber.trim()))
      errors['cheque.number'] = 'Numéro de chèque invalide (chiffres et lettres, 20 au plus).';
    if (!d.chequeBank.trim()) errors['cheque.bank'] = 'Saisissez la banque.';
    if (!d.chequeDrawer.trim()) errors['cheque.drawer'] = 'Saisissez le tireur (titulaire du compte).';
    if (!d.payeeChecked)
      errors['cheque.payeeChecked'] = 'Vérifiez l’ordre du chèque (Trésor public), puis cochez la case.';
    input.cheque = {
      number: d.chequeNumber.trim(),
      bank: d.chequeBank.trim(),
      drawer: d.chequeDrawer.trim(),
      payeeChecked: true,
    };
  } else if (d.mode === 'card') {
    if (!d.authorisation.trim())
      errors['card.authorisation'] = 'Saisissez le numéro d’autorisation du ticket de carte.';
    input.card = { authorisation: d.authorisation.trim() };
  } else if (isVoucher(d.mode)) {
    const count = parseCount(d.voucherCount);
    const face = parseEuros(d.voucherFace);
    if (count === null) errors['vouchers.count'] = 'Nombre de titres attendu.';
    if (face === null || face <= 0)
      errors['vouchers.faceValueCents'] = 'Valeur d’un titre attendue, en euros.';
    if (count !== null && face && amountCents !== null && count * face !== amountCents)
      errors.amountCents = `Le montant ne correspond pas aux titres : ${count} × ${formatEuros(face)} = ${formatEuros(count * face)}.`;
    input.vouchers = [{ faceValueCents: face ?? 0, count: count ?? 0 }];
  } else if (d.mode === 'online') {
    if (!d.onlineReference.trim())
      errors['online.reference'] = 'Saisissez la référence du paiement en ligne.';
    input.online = { reference: d.onlineReference.trim() };
  }
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, input };
}

/** The core asks for a régisseur's override (cash at or over the limit): its refusal names the `override` field. */
export const asksOverride = (field: string | undefined) => field === 'override';
