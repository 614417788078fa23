import type Database from 'better-sqlite3';
import type { Authorize } from '../api/dispatch.ts';
import { isPushed } from '../api/operation.ts';

/**
 * A counter PC the administrator revoked stays readable (the agent can still look a family up, print what exists)
 * but takes no operation the server would have to receive: the server refuses them all, and they would pile up
 * unsent. Sync records the revocation (sync_state.blocked) at its next round.
 */
export function readOnlyWhenRevoked(raw: Database.Database, authorize: Authorize): Authorize {
  const blocked = raw.prepare('SELECT blocked FROM sync_state WHERE id = 1').pluck();
  return (name, op, now) => {
    if (isPushed(op) && blocked.get() === 'DEVICE_REVOKED') {
      return {
        ok: false,
        error: {
          code: 'FORBIDDEN',
          message:
            'Poste révoqué par l’administrateur : consultation seulement. Faites la saisie sur un autre poste.',
        },
      };
    }
    return authorize(name, op, now);
  };
}
