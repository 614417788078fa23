import type { Role } from './roles.ts';

export interface SignedInAgent {
  agentId: string;
  agentName: string;
  username: string;
  role: Role;
}

export type SessionCheck =
  { ok: true; agent: SignedInAgent } | { ok: false; code: 'UNAUTHORIZED' | 'LOCKED'; message: string };

/**
 * Who is at the counter now. One per open app: the desktop serves one agent at a time, and switching agent at a
 * shared counter is a new sign-in. The screen locks after `idleMs` without a command or query, and on demand.
 */
export function createSession(idleMs: () => number) {
  let agent: SignedInAgent | null = null;
  let locked = false;
  let lastActivity = 0;
  // A régisseur's override key (core/payments/override-proof.ts), derived from the password typed at sign-in: in
  // memory only, for this sign-in only, so that they can authorise an override without typing it again.
  let overrideKey: Buffer | null = null;

  return {
    signIn(who: SignedInAgent, now: Date, keys: { overrideKey?: Buffer | null } = {}): void {
      agent = who;
      locked = false;
      lastActivity = now.getTime();
      overrideKey = keys.overrideKey ?? null;
    },
    signOut(): void {
      agent = null;
      locked = false;
      overrideKey = null;
    },
    /** The override key of the agent signed in, if that is `agentId` and the town registered one for them. */
    overrideKey(agentId: string): Buffer | null {
      return agent?.agentId === agentId ? overrideKey : null;
    },
    lock(): void {
      if (agent) locked = true;
    },
    unlock(now: Date): void {
      locked = false;
      lastActivity = now.getTime();
    },
    /** Checks the session for a call at `now` and counts it as activity. */
    check(now: Date): SessionCheck {
      if (!agent) return { ok: false, code: 'UNAUTHORIZED', message: 'Connectez-vous pour continuer.' };
      if (!locked && now.getTime() - lastActivity > idleMs()) locked = true;
      if (locked) {
        return {
          ok: false,
          code: 'LOCKED',
          message: `Session de ${agent.agentName} verrouillée : saisissez votre mot de passe.`,
        };
      }
      lastActivity = now.getTime();
      return { ok: true, agent };
    },
    status(now: Date) {
      if (agent && !locked && now.getTime() - lastActivity > idleMs()) locked = true;
      return { agent, locked };
    },
  };
}

export type Session = ReturnType<typeof createSession>;
