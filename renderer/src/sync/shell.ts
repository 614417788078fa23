import type { CounterApi, InputOf, OutputOf } from '../../../core/contract.ts';

/*
 * The sync operations the shell answers itself (electron/sync-runner.ts), on the contract's channel: declared in the
 * contract (core/sync/shell-operations.ts) like the core's, but talking to the central server is the shell's job.
 */

/** What connecting answers: never the credential. */
export type Connected = OutputOf<'sync.connect'>;

/** One round of sync, as the shell ran it. */
export type SyncRound = OutputOf<'sync.syncNow'>;

export const connectCounter = (api: CounterApi, input: InputOf<'sync.connect'>) =>
  api.invoke('sync.connect', input);

export const disconnectCounter = (api: CounterApi) => api.invoke('sync.disconnect', {});

export const syncNow = (api: CounterApi) => api.invoke('sync.syncNow', {});
