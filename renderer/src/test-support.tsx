import { render } from '@testing-library/react';
import type { ReactNode } from 'react';
import type { CounterApi, InputOf, OperationName, OutputOf } from '../../core/contract.ts';
import type { Envelope } from '../../core/api/envelope.ts';
import { PERMISSIONS, type Permission } from '../../shared/roles.ts';
import { AnnouncerProvider } from './announcer.tsx';
import { AuthContext, type AuthState } from './auth/auth-context.ts';
import { CounterContext } from './counter-context.ts';
import { fixedClock, TownClockContext, type TownClock } from './town-clock.ts';

type Handlers = {
  [N in OperationName]?: (input: InputOf<N>) => Envelope<OutputOf<N>> | Promise<Envelope<OutputOf<N>>>;
};

/** A CounterApi answering from the given handlers, recording every call; anything else is an unknown operation. */
export function fakeCounter(handlers: Handlers) {
  const calls: { name: OperationName; input: unknown }[] = [];
  const api: CounterApi = {
    async invoke(name, input) {
      calls.push({ name, input });
      const handler = handlers[name] as ((input: unknown) => unknown) | undefined;
      if (!handler)
        return { ok: false, error: { code: 'UNKNOWN_OPERATION', message: `pas de faux pour ${name}` } };
      return (await handler(input)) as never;
    },
  };
  return { api, calls };
}

/** A signed-in agent for components that ask `useAuth()`: an administrator unless other permissions are given. */
export function fakeAuth(permissions: readonly Permission[] = PERMISSIONS): AuthState {
  return {
    agent: {
      name: 'Agent de test',
      username: 'test',
      role: 'admin',
      roleLabel: 'Administrateur',
      permissions: [...permissions],
    },
    can: (p) => permissions.includes(p),
    lock: () => {},
    switchAgent: () => {},
  };
}

/** The core's clock as screens under test read it: Friday 4 December 2026, 10:00 in Paris. */
export const TEST_CLOCK: TownClock = fixedClock(
  new Date('2026-12-04T09:00:00Z'),
  '2026-12-04',
  'Europe/Paris',
);

export const renderWithCounter = (
  ui: ReactNode,
  api: CounterApi,
  { permissions, clock }: { permissions?: readonly Permission[]; clock?: Partial<TownClock> } = {},
) =>
  render(
    <CounterContext value={api}>
      <AuthContext value={fakeAuth(permissions)}>
        <TownClockContext value={{ ...TEST_CLOCK, ...clock }}>
          <AnnouncerProvider>{ui}</AnnouncerProvider>
        </TownClockContext>
      </AuthContext>
    </CounterContext>,
  );
