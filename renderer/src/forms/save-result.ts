import type { ErrorBody } from '../../../core/api/envelope.ts';
import type { FieldErrors } from './form-context.ts';

/** How a form's save ended: done, or what to show and where. */
export type SaveResult = { ok: true } | { ok: false; fields: FieldErrors; message?: string };

export const saved: SaveResult = { ok: true };

export const invalid = (fields: FieldErrors): SaveResult => ({ ok: false, fields });

/** A refusal of the core: its French message goes beside the field it names, when the form shows that field. */
export const refused = (error: ErrorBody): SaveResult => ({
  ok: false,
  fields: error.field ? { [error.field]: error.message } : {},
  message: error.message,
});
