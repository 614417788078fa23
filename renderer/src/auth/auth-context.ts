import { createContext, useContext } from 'react';
import type { OutputOf } from '../../../core/contract.ts';

export type SignedIn = NonNullable<OutputOf<'auth.status'>['agent']>;

export interface AuthState {
  agent: SignedIn;
  /** What the role may do: the UI hides the rest, the core refuses it anyway. */
  can: (permission: SignedIn['permissions'][number]) => boolean;
  lock: () => void;
  switchAgent: () => void;
}

export const AuthContext = createContext<AuthState | null>(null);

export function useAuth(): AuthState {
  const auth = useContext(AuthContext);
  if (!auth) throw new Error('AuthContext manquant');
  return auth;
}
