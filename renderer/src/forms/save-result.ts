import type { CounterApi, InputOf, OperationName } from '../../../core/contract.ts';
import type { ErrorBody } from '../../../core/api/envelope.ts';
import type { FieldErrors } from './form-context.ts';

/** How a form's save ended: done, or what to show and where. */
export type SaveResult = { ok: true } | { ok: false; fields: FieldErrors; message?: string };

export const saved: SaveResult = { ok: true };

export const invalid = (fields: FieldErrors): SaveResult => ({ ok: false, fields });

/** The core's refusal field by field: every faulty field it lists, else the one it names, with its message. */
export function fieldErrorsOf(error: ErrorBody): FieldErrors {
  if (error.fields?.length) {
    const fields: FieldErrors = {};
    for (const f of error.fields) fields[f.field] ??= f.message;
    return fields;
  }
  return error.field ? { [error.field]: error.message } : {};
}

/** A refusal of the core: each message goes beside the field it names, when the form shows that field. */
export const refused = (error: ErrorBody): SaveResult => ({
  ok: false,
  fields: fieldErrorsOf(error),
  message: error.message,
});

/**
 * The form's own checks failed, so nothing is sent to be saved; the core is still asked what else it would refuse
 * (contract.check, which runs nothing), so that one « Enregistrer » shows every mistake instead of one round each.
 * On a field both fault, the form's message wins: it speaks of what was typed (« saisissez jj/mm/aaaa »).
 */
export async function invalidWithCore<N extends OperationName>(
  api: CounterApi,
  operation: N,
  input: InputOf<N>,
  errors: FieldErrors,
): Promise<SaveResult> {
  let fromCore: FieldErrors = {};
  try {
    const r = await api.invoke('contract.check', { operation, input });
    if (r.ok && r.data.error) fromCore = fieldErrorsOf(r.data.error);
  } catch {
    // The form's own messages are enough to go on with.
  }
  return invalid({ ...fromCore, ...errors });
}
