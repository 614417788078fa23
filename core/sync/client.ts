import { MIGRATIONS } from '../../migrations/index.ts';
import { isPushed, lookUp } from '../api/operation.ts';
import type { Core } from '../app.ts';
import { operations } from '../contract.ts';
import { settleWith, type Link } from './link.ts';
import { createOutbox } from './outbox.ts';
import { pullAll } from './pull.ts';
import { pushAll } from './push.ts';
import { rebase } from './rebase.ts';
import { replayer } from './replay.ts';
import { createResults } from './results.ts';
import { syncState } from './state.ts';
import { installTracking } from './tracking.ts';

export interface SyncOptions {
  serverUrl: string;
  /** `deviceId.secret`, as the server handed it at enrolment. */
  credential: string;
  appVersion?: string;
  fetch?: typeof fetch;
  clock?: () => Date;
  /** Commands per push request. */
  batch?: number;
}

export interface SyncOutcome {
  ok: boolean;
  pushed: number;
  pulled: number;
  error: string | null;
}

/**
 * The counter's half of sync: push the unacknowledged log (core/sync/push.ts), pull the server's changes
 * (pull.ts), rebuild local state as the server's plus what is still pending (rebase.ts, replay.ts). What travels,
 * and how each command's refusal reads, is its declaration's.
 */
export function createSyncClient(core: Core, options: SyncOptions) {
  const { raw } = core;
  const doFetch = options.fetch ?? fetch;
  const clock = options.clock ?? (() => new Date());
  const deviceId = options.credential.split('.')[0] ?? '';
  const headers = { authorization: `Bearer ${options.credential}`, 'content-type': 'application/json' };
  installTracking(raw);

  const state = syncState(raw);
  const outbox = createOutbox(raw, state, (name) => isPushed(lookUp(operations, name)));
  const results = createResults(raw, outbox, operations);
  const replayPending = replayer(raw, outbox, operations, clock);
  const link: Link = {
    core,
    state,
    outbox,
    clock,
    async request<T>(path: string, init?: RequestInit) {
      const res = await doFetch(`${options.serverUrl}${path}`, { ...init, headers });
      return { status: res.status, body: (await res.json()) as T };
    },
    settle: settleWith(core, state, results, clock),
  };
  const pushOptions = {
    deviceId,
    schemaVersion: MIGRATIONS.at(-1)?.version ?? 0,
    appVersion: options.appVersion ?? '0.1.0',
    batch: options.batch ?? 500,
  };

  let running: Promise<SyncOutcome> | null = null;

  /** One round: push then pull. Never throws; the outcome and the status say what happened. */
  function syncOnce(): Promise<SyncOutcome> {
    running ??= (async () => {
      let pushed = 0;
      try {
        const p = await pushAll(link, pushOptions);
        pushed = p.pushed;
        const pulled = await pullAll(link, (changes, version) =>
          rebase(core, state, changes, version, replayPending),
        );
        state.set({
          online: 1,
          offline_since: null,
          last_sync_at: clock().toISOString(),
          last_error: p.error,
        });
        return { ok: p.error === null, pushed, pulled, error: p.error };
      } catch (error) {
        const message =
          error instanceof TypeError
            ? 'Serveur injoignable : le guichet travaille hors ligne.'
            : (error as Error).message;
        const s = state.get();
        state.set({
          online: 0,
          offline_since: s.offline_since ?? clock().toISOString(),
          last_error: message,
        });
        return { ok: false, pushed, pulled: 0, error: message };
      } finally {
        running = null;
      }
    })();
    return running;
  }

  return { syncOnce, deviceId };
}

export type SyncClient = ReturnType<typeof createSyncClient>;

/**
 * Background sync: a round every few seconds while the server answers, backing off (up to a minute) while it
 * does not. `stop` waits for the round in progress.
 */
export function startSync(core: Core, options: SyncOptions & { intervalMs?: number; maxBackoffMs?: number }) {
  const client = createSyncClient(core, options);
  const interval = options.intervalMs ?? 3000;
  const maxBackoff = options.maxBackoffMs ?? 60_000;
  let delay = interval;
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  let current: Promise<unknown> = Promise.resolve();
  const tick = () => {
    current = client.syncOnce().then((r) => {
      delay = r.ok ? interval : Math.min(maxBackoff, delay * 2);
      if (!stopped) timer = setTimeout(tick, delay);
    });
  };
  timer = setTimeout(tick, 0);
  return {
    client,
    syncNow: () => client.syncOnce(),
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await current;
    },
  };
}
