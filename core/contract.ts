import type { z } from 'zod';
import { adminOperations } from './activities/admin-operations.ts';
import { checkOperations } from './api/check.ts';
import { mergeOperations } from './api/dispatch.ts';
import type { Envelope } from './api/envelope.ts';
import type { AnyOperation } from './api/operation.ts';
import { authOperations } from './auth/operations.ts';
import { privacyOperations } from './auth/privacy-operations.ts';
import { billingOperations } from './billing/operations.ts';
import { bookingOperations } from './bookings/operations.ts';
import { calendarOperations } from './calendar/operations.ts';
import { familyOperations } from './family/operations.ts';
import { paymentOperations } from './payments/operations.ts';
import { printOperations } from './pdf/print-operation.ts';
import { regieOperations } from './regie/operations.ts';
import { requestOperations } from './requests/operations.ts';
import { syncOperations } from './sync/operations.ts';
import { syncShellOperations } from './sync/shell-operations.ts';
import { systemOperations } from './system/operations.ts';

/**
 * The API contract: every command and query the core answers, and every operation the shell answers for the
 * window, by name. Transports serve exactly this. What an operation is — its input, who may, what sync does with
 * it, its French label — is its declaration, in its module's operations file; adding one is that declaration and
 * its group's line here.
 */
export const operations = mergeOperations(
  familyOperations,
  systemOperations,
  adminOperations,
  bookingOperations,
  billingOperations,
  paymentOperations,
  regieOperations,
  authOperations,
  privacyOperations,
  syncOperations((): Readonly<Record<string, AnyOperation>> => operations),
  requestOperations,
  calendarOperations,
  syncShellOperations,
  printOperations,
  checkOperations((): Readonly<Record<string, AnyOperation>> => operations),
);

export type Operations = typeof operations;
export type OperationName = keyof Operations;
export type InputOf<N extends OperationName> = z.input<Operations[N]['input']>;
/** What an operation answers: what its `run` resolves to, or what the shell answers for it. */
export type OutputOf<N extends OperationName> = Operations[N] extends { kind: 'shell'; answer?: infer R }
  ? Exclude<R, undefined>
  : Operations[N] extends { run: (...args: never[]) => Promise<infer R> }
    ? R
    : never;

/** What the renderer sees as `window.counter`, whichever transport carries it. */
export interface CounterApi {
  invoke<N extends OperationName>(name: N, input: InputOf<N>): Promise<Envelope<OutputOf<N>>>;
}
