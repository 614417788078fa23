import type Database from 'better-sqlite3';

/**
 * How many WAL pages may pile up before a commit checkpoints anyway, as SQLite does by itself (1,000 pages by
 * default). A payment dirties some thirty pages, so SQLite's default made every thirtieth or so commit copy the WAL
 * back into the file and wait for the disk: the agent's payment paid for everyone's writes, the slowest payments of
 * a morning were those. Kept as a backstop, for a core so busy that its idle checkpoint never gets a turn.
 */
export const BACKSTOP_PAGES = 20_000;

/** Between the agent's calls, often enough that each checkpoint has little to copy. */
export const IDLE_CHECKPOINT_MS = 250;

export interface IdleCheckpoints {
  /** Checkpoints now (tests, and the close that follows). */
  run(): { walPages: number; checkpointed: number };
  stop(): void;
}

/**
 * Moves the WAL checkpoint off the commits: SQLite's automatic one is pushed far back, and a passive checkpoint
 * runs on a timer instead, that is between two calls of the window, never inside one. Passive: it never waits for
 * a reader or a writer and never makes one wait on a lock; what it cannot copy now, the next one does.
 */
export function startIdleCheckpoints(
  raw: Database.Database,
  options: { intervalMs?: number; onError?: (error: unknown) => void } = {},
): IdleCheckpoints {
  raw.pragma(`wal_autocheckpoint = ${BACKSTOP_PAGES}`);
  const run = () => {
    const [row] = raw.pragma('wal_checkpoint(PASSIVE)') as {
      busy: number;
      log: number;
      checkpointed: number;
    }[];
    return { walPages: row?.log ?? 0, checkpointed: row?.checkpointed ?? 0 };
  };
  const timer = setInterval(() => {
    // A transaction left open across an await (a long command of the same connection) is not interrupted.
    if (!raw.open || raw.inTransaction) return;
    try {
      run();
    } catch (error) {
      options.onError?.(error);
    }
  }, options.intervalMs ?? IDLE_CHECKPOINT_MS);
  timer.unref();
  return { run, stop: () => clearInterval(timer) };
}
