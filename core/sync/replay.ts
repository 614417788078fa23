import type { Transaction } from 'kysely';
import { executeCommand } from '../api/execute.ts';
import { isPushed, lookUp, type AnyOperation, type SessionHandle } from '../api/operation.ts';
import { DEFAULT_SCRYPT_LOG_N } from '../auth/password.ts';
import { createSession } from '../auth/session.ts';
import type { Database } from '../db/schema.ts';
import type { LogRow, Outbox } from './outbox.ts';
import type { Raw } from './state.ts';

/**
 * Runs the commands the server has not answered yet again, over the server's state just pulled, each through the
 * same `executeCommand` as when it was made; one no longer possible here is left for the server to judge.
 */
export function replayer(
  raw: Raw,
  outbox: Outbox,
  registry: Readonly<Record<string, AnyOperation>>,
  clock: () => Date,
) {
  // Nobody is signed in where a command runs again: what was checked where it was made is taken as logged.
  const session: SessionHandle = Object.assign(
    createSession(() => 0),
    { scryptLogN: DEFAULT_SCRYPT_LOG_N },
  );
  return async function replayPending(trx: Transaction<Database>): Promise<void> {
    const pending = raw
      .prepare('SELECT * FROM command_log WHERE seq > ? ORDER BY seq')
      .all(outbox.ackedLogSeq()) as LogRow[];
    for (const c of pending) {
      const op = lookUp(registry, c.name);
      if (!isPushed(op)) continue;
      raw.exec('SAVEPOINT sync_replay');
      try {
        // A fact keeps its own time (core/api/execute.ts): the till worked offline on the 31st stays on the 31st.
        const r = await executeCommand({
          db: trx,
          name: c.name,
          op,
          input: JSON.parse(c.input) as unknown,
          actor: { agentId: c.agent_id, agentName: c.agent_id, deviceId: c.device_id },
          commandId: c.id,
          at: new Date(c.at),
          now: clock(),
          session,
          backups: null,
          replay: true,
        });
        if (!r.ok) throw r.error;
        raw.exec('RELEASE sync_replay');
      } catch {
        // No longer possible locally: the server will judge it and answer.
        raw.exec('ROLLBACK TO sync_replay');
        raw.exec('RELEASE sync_replay');
      }
    }
  };
}
