import { createContext, useContext } from 'react';
import type { CounterApi } from '../../core/contract.ts';

/** The contract handed down from main.tsx (window.counter), so tests can hand a fake one instead. */
export const CounterContext = createContext<CounterApi | null>(null);

export function useCounter(): CounterApi {
  const api = useContext(CounterContext);
  if (!api) throw new Error('CounterContext manquant');
  return api;
}
