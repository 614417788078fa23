import type { z } from 'zod';
import { adminOperations } from '../activities/admin-operations.ts';
import { authOperations } from '../auth/operations.ts';
import { privacyOperations } from '../auth/privacy-operations.ts';
import { billingOperations } from '../billing/operations.ts';
import { calendarOperations } from '../calendar/operations.ts';
import { bookingOperations } from '../bookings/operations.ts';
import { familyOperations } from '../family/operations.ts';
import { paymentOperations } from '../payments/operations.ts';
import { requestOperations } from '../requests/operations.ts';
import { syncOperations } from '../sync/operations.ts';
import { systemOperations } from '../system/operations.ts';
import { checkOperations } from './check.ts';
import { mergeOperations } from './dispatch.ts';
import type { Envelope } from './envelope.ts';
import type { AnyOperation } from './operation.ts';

/** The API contract: every command and query the core answers, by name. Transports serve exactly this. */
export const operations = mergeOperations(
  familyOperations,
  systemOperations,
  adminOperations,
  bookingOperations,
  billingOperations,
  paymentOperations,
  authOperations,
  privacyOperations,
  syncOperations,
  requestOperations,
  calendarOperations,
  checkOperations((): Readonly<Record<string, AnyOperation>> => operations),
);

export type Operations = typeof operations;
export type OperationName = keyof Operations;
export type InputOf<N extends OperationName> = z.input<Operations[N]['input']>;
export type OutputOf<N extends OperationName> = Awaited<ReturnType<Operations[N]['run']>>;

/** What the renderer sees as `window.counter`, whichever transport carries it. */
export interface CounterApi {
  invoke<N extends OperationName>(name: N, input: InputOf<N>): Promise<Envelope<OutputOf<N>>>;
}

export const isCommand = (name: string): boolean =>
  Object.hasOwn(operations, name) && operations[name as OperationName].kind === 'command';
