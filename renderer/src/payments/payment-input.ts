import type { InputOf } from '../../../core/contract.ts';
import { detailProblems, fieldProblem } from '../../../shared/payment-details.ts';
import { paymentMode, type DetailField } from '../../../shared/payment-modes.ts';
import type { FieldErrors } from '../forms/form-context.ts';
import { parseEuros } from '../money-input.ts';

export type RecordInput = InputOf<'payment.record'>;
export type PaymentMode = RecordInput['mode'];

/** What the agent typed in the payment form, as text, before it is checked. */
export interface PaymentDraft {
  amount: string;
  mode: PaymentMode;
  /**
   * The boxes of the modes' details (shared/payment-modes.ts), by the contract's path (« cheque.number »): text as
   * typed, true or false for a box to tick. Kept across a change of mode, as each box keeps what was typed in it.
   */
  details: Record<string, string | boolean>;
  note: string;
}

export const emptyDraft = (mode: PaymentMode): PaymentDraft => ({ amount: '', mode, details: {}, note: '' });

/** A whole number of vouchers typed by the agent, or null. */
export function parseCount(text: string): number | null {
  const t = text.trim();
  return /^\d{1,4}$/.test(t) && Number(t) > 0 ? Number(t) : null;
}

/** A box as its kind reads it: trimmed text, a tick, a number (null when it cannot be read). */
function read(field: DetailField, typed: string | boolean | undefined): string | boolean | number | null {
  switch (field.kind) {
    case 'check':
      return typed === true;
    case 'count':
      return parseCount(typeof typed === 'string' ? typed : '');
    case 'euros':
      return parseEuros(typeof typed === 'string' ? typed : '');
    case 'text':
      return typeof typed === 'string' ? typed.trim() : '';
  }
}

/**
 * The mode's boxes as the contract carries them: `cheque: { number, … }`, or for titles the one line the form
 * edits, `vouchers: [{ count, faceValueCents }]`.
 */
function detailsInput(mode: PaymentMode, values: Record<string, string | boolean | number | null>) {
  const details = paymentMode(mode).details;
  if (!details) return {};
  const group: Record<string, unknown> = {};
  for (const f of details.fields) group[f.name.slice(details.group.length + 1)] = values[f.name] ?? 0;
  return { [details.group]: details.group === 'vouchers' ? [group] : group };
}

/** The core's path of a detail's problem → the box of the payment form that shows it. */
export function detailFieldOnForm(field: string): string {
  // Titles that do not make the amount: the amount is what the agent corrects.
  if (field === 'vouchers') return 'amountCents';
  const voucher = /^vouchers\.\d+\.(count|faceValueCents)$/.exec(field);
  return voucher ? `vouchers.${voucher[1]}` : field;
}

/**
 * The draft → the contract's `payment.record` input (without allocations nor override, added by the form), or the
 * messages to show beside the fields, keyed by the contract's field paths. The rules are the core's own
 * (shared/payment-details.ts): the form says them before the agent waits for the core's answer.
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

  const values: Record<string, string | boolean | number | null> = {};
  for (const field of paymentMode(d.mode).details?.fields ?? []) {
    values[field.name] = read(field, d.details[field.name]);
    const problem = fieldProblem(field, values[field.name] ?? null);
    if (problem) errors[field.name] = problem;
  }
  const input = {
    householdId,
    mode: d.mode,
    amountCents: amountCents ?? 0,
    ...detailsInput(d.mode, values),
  } as RecordInput;
  if (d.note.trim()) input.note = d.note.trim();

  // What the core would refuse of details each readable on its own: titles that do not make the amount, a card number.
  if (Object.keys(errors).length === 0)
    for (const problem of detailProblems(input)) errors[detailFieldOnForm(problem.field)] ??= problem.message;
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, input };
}

/** The core asks for a régisseur's override (cash at or over the limit): its refusal names the `override` field. */
export const asksOverride = (field: string | undefined) => field === 'override';
