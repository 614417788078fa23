/** What every command and query answers, over any transport: plain JSON, no class instances. */
export type Envelope<T> = { ok: true; data: T } | { ok: false; error: ErrorBody };

export type ErrorCode =
  | 'VALIDATION'
  | 'UNKNOWN_OPERATION'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'UNAUTHORIZED'
  | 'LOCKED'
  | 'FORBIDDEN'
  | 'INTERNAL';

export interface ErrorBody {
  code: ErrorCode;
  /** Written for the agent at the counter, in French. */
  message: string;
  /** Dotted path of the offending field, for validation errors. */
  field?: string;
}

/** Thrown by handlers for an expected refusal; the dispatcher turns it into an error envelope. */
export class DomainError extends Error {
  readonly code: ErrorCode;
  readonly field: string | undefined;
  constructor(code: ErrorCode, message: string, field?: string) {
    super(message);
    this.code = code;
    this.field = field;
  }
}

export const ok = <T>(data: T): Envelope<T> => ({ ok: true, data });
export const fail = (code: ErrorCode, message: string, field?: string): Envelope<never> => ({
  ok: false,
  error: field === undefined ? { code, message } : { code, message, field },
});
