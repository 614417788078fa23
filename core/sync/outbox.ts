import type { SyncState, Raw } from './state.ts';

/** A row of the command log, as sync reads it. */
export interface LogRow {
  seq: number;
  id: string;
  name: string;
  input: string;
  agent_id: string;
  device_id: string;
  at: string;
}

/**
 * The commands that leave for the server, under their per-device numbers: dense, stable across retries, and
 * acknowledged up to `sync_state.acked_seq`.
 */
export function createOutbox(raw: Raw, state: SyncState, pushed: (name: string) => boolean) {
  /** Numbers the pushed commands logged since last time. */
  const fill = () =>
    raw.transaction(() => {
      const from = (
        raw.prepare('SELECT coalesce(max(log_seq), 0) AS s FROM sync_outbox').get() as { s: number }
      ).s;
      const rows = raw.prepare('SELECT seq, name FROM command_log WHERE seq > ? ORDER BY seq').all(from) as {
        seq: number;
        name: string;
      }[];
      const insert = raw.prepare('INSERT INTO sync_outbox (log_seq) VALUES (?)');
      for (const r of rows) if (pushed(r.name)) insert.run(r.seq);
    })();

  const unacked = (acked: number, limit: number) =>
    raw
      .prepare(
        `SELECT o.device_seq, l.* FROM sync_outbox o JOIN command_log l ON l.seq = o.log_seq
         WHERE o.device_seq > ? ORDER BY o.device_seq LIMIT ?`,
      )
      .all(acked, limit) as (LogRow & { device_seq: number })[];

  /** The logged command under a device number. */
  const entry = (deviceSeq: number) =>
    raw
      .prepare('SELECT l.* FROM sync_outbox o JOIN command_log l ON l.seq = o.log_seq WHERE o.device_seq = ?')
      .get(deviceSeq) as LogRow | undefined;

  /** Where in the command log the server's acknowledgement stands: later commands are still pending. */
  const ackedLogSeq = (): number =>
    (raw
      .prepare('SELECT log_seq FROM sync_outbox WHERE device_seq = ?')
      .pluck()
      .get(state.get().acked_seq) as number | undefined) ?? 0;

  /**
   * After a restore from backup the counter numbers its new commands with numbers the server already holds for
   * the commands it sent before the disk was lost. What the server holds is acknowledged (its rows come back with
   * the pull); what it does not is numbered again after the server's last, in the same order.
   */
  function renumberAfter(serverLast: number, received: { seq: number; id: string }[]): void {
    raw.transaction(() => {
      const known = new Set(received.map((x) => x.id));
      let mark = ackedLogSeq();
      const rows = raw
        .prepare(
          `SELECT o.log_seq, l.id FROM sync_outbox o JOIN command_log l ON l.seq = o.log_seq
           WHERE o.device_seq > ? ORDER BY o.device_seq`,
        )
        .all(state.get().acked_seq) as { log_seq: number; id: string }[];
      const fresh: number[] = [];
      for (const row of rows) {
        if (known.has(row.id)) mark = Math.max(mark, row.log_seq);
        else fresh.push(row.log_seq);
      }
      raw.exec('DELETE FROM sync_outbox');
      const insert = raw.prepare('INSERT INTO sync_outbox (device_seq, log_seq) VALUES (?, ?)');
      insert.run(serverLast, mark);
      fresh.forEach((log, i) => insert.run(serverLast + 1 + i, log));
      state.set({ acked_seq: serverLast });
    })();
  }

  return { fill, unacked, entry, ackedLogSeq, renumberAfter };
}

export type Outbox = ReturnType<typeof createOutbox>;
