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
  /** Dotted path of the offending field, for validation errors: the first one when there are several. */
  field?: string;
  /**
   * Every faulty field of a refused input, in the schema's order, one message each: a form shows them all beside
   * their fields at once instead of one per attempt.
   */
  fields?: FieldIssue[];
}

export interface FieldIssue {
  /** Dotted path, as `field` (e.g. 'children.1.birthDate'). */
  field: string;
  /** The field as the agent knows it (« date de naissance (enfants, deuxième) »), for a message shown apart from it. */
  label: string;
  /** What is wrong, as a sentence to show beside the field (« Cette date n'existe pas. »). */
  message: string;
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
