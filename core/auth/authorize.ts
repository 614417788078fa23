import type { ErrorBody } from '../api/envelope.ts';
import type { Actor, AnyOperation } from '../api/operation.ts';
import { can, refusedByRole, ROLE_LABELS, type Permission } from './roles.ts';
import type { Session } from './session.ts';

export type Authorization = { ok: true; actor: Actor } | { ok: false; error: ErrorBody };

/** Nobody signed in yet: the login screen's own operations run under this name. */
const ANONYMOUS = { agentId: 'anonyme', agentName: 'Personne connectée' };

/**
 * The registry's permission check, run before an operation reads its input: the signed-in agent's role must
 * grant what the operation's declaration needs (`permission`). The UI hides what a role cannot do; this is what
 * refuses it.
 */
export function authorizeWith(session: Session, deviceId: string) {
  return (_name: string, op: AnyOperation, now: Date): Authorization => {
    const needed = op.permission;
    if (needed === 'public') {
      const { agent } = session.status(now);
      return {
        ok: true,
        actor: agent
          ? { agentId: agent.agentId, agentName: agent.agentName, deviceId }
          : { ...ANONYMOUS, deviceId },
      };
    }
    const check = session.check(now);
    if (!check.ok) return { ok: false, error: { code: check.code, message: check.message } };
    const { agent } = check;
    if (!can(agent.role, needed)) {
      return {
        ok: false,
        error: {
          code: 'FORBIDDEN',
          message: refusedByRole(ROLE_LABELS[agent.role], needed),
        },
      };
    }
    return { ok: true, actor: { agentId: agent.agentId, agentName: agent.agentName, deviceId } };
  };
}

/**
 * Whether the agent signed in holds `permission` too, for an operation that lets in more roles than may do all of
 * it (anyone who books may book in time; only some may book past the families' deadline). No session (a command
 * replayed by sync) holds nothing: the caller decides what a replay may do.
 */
export function signedInMay(session: Session | null, now: Date, permission: Permission): boolean {
  const agent = session?.status(now).agent;
  return agent ? can(agent.role, permission) : false;
}
