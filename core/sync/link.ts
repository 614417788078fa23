import type { Core } from '../app.ts';
import type { CommandResult } from './protocol.ts';
import type { Outbox } from './outbox.ts';
import type { Results } from './results.ts';
import type { SyncState, SyncStateFields } from './state.ts';

/** What a round's steps share: the counter's store and sync tables, and the way to the server. */
export interface Link {
  core: Core;
  state: SyncState;
  outbox: Outbox;
  clock: () => Date;
  request<T>(path: string, init?: RequestInit): Promise<{ status: number; body: T }>;
  /** Records the server's results and moves the cursor with them, in one transaction. */
  settle(results: readonly CommandResult[], cursor: () => SyncStateFields): Promise<void>;
}

export function settleWith(core: Core, state: SyncState, results: Results, clock: () => Date) {
  return async (answers: readonly CommandResult[], cursor: () => SyncStateFields): Promise<void> => {
    const at = clock().toISOString();
    await core.db.transaction().execute(async (trx) => {
      for (const result of answers) await results.record(trx, result, at);
      const fields = cursor();
      if (Object.keys(fields).length) state.set(fields);
    });
  };
}
