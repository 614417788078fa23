import type { CounterApi } from '../../../core/api/contract.ts';
import type { Envelope } from '../../../core/api/envelope.ts';

/*
 * The sync operations the shell answers itself (electron/sync-runner.ts), on the contract's channel but outside
 * its registry: talking to the central server is the shell's job, not the core's.
 */

/** What connecting answers: never the credential. */
export interface Connected {
  serverUrl: string;
  deviceName: string;
  seriesPrefix: string;
  pendingLocal: number;
  clockWarning: string | null;
}

/** One round of sync, as the shell ran it. */
export interface SyncRound {
  ok: boolean;
  pushed: number;
  pulled: number;
  error: string | null;
}

const shell = <T>(api: CounterApi, name: string, input: unknown): Promise<Envelope<T>> =>
  api.invoke(name as never, input as never) as Promise<Envelope<T>>;

export const connectCounter = (api: CounterApi, input: { serverUrl: string; credential: string }) =>
  shell<Connected>(api, 'sync.connect', input);

export const disconnectCounter = (api: CounterApi) =>
  shell<{ disconnected: true }>(api, 'sync.disconnect', {});

export const syncNow = (api: CounterApi) => shell<SyncRound>(api, 'sync.syncNow', {});
