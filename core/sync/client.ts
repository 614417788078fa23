import type { Transaction } from 'kysely';
import { MIGRATIONS } from '../../migrations/index.ts';
import { operations } from '../api/contract.ts';
import { executeCommand } from '../api/execute.ts';
import type { AnyOperation } from '../api/operation.ts';
import type { Core } from '../app.ts';
import { REBASING_FUNCTION, setRebasing } from '../db/open.ts';
import type { Database } from '../db/schema.ts';
import { reindexHousehold } from '../search/index-household.ts';
import { formatShortDate } from '../billing/format.ts';
import type { CommandResult, PullResponse, PushResponse, RowChange } from './protocol.ts';
import { isPushed, LOCAL_SETTING_PREFIXES, SYNC_TABLES } from './tables.ts';
import { describeCommand, suggestionFor } from './words.ts';

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

type Raw = Core['raw'];

const PULL_LIMIT = 5000;

/** Installs the triggers keeping the pre-image of each synced row a not-yet-confirmed command changes. */
export function installTracking(raw: Raw): void {
  raw.transaction(() => {
    for (const t of SYNC_TABLES) {
      const cols = (raw.prepare(`PRAGMA table_info(${t.name})`).all() as { name: string }[]).map(
        (c) => c.name,
      );
      const key = (ref: string) => `json_array(${t.key.map((c) => `${ref}.${c}`).join(', ')})`;
      const pre = `json_object(${cols.map((c) => `'${c}', old.${c}`).join(', ')})`;
      // This machine's own settings never travel, so the server's state cannot stand in for them at a rebase.
      const when = (ref: string) =>
        `WHEN ${REBASING_FUNCTION}() = 0${
          t.name === 'settings'
            ? LOCAL_SETTING_PREFIXES.map((p) => ` AND ${ref}.key NOT LIKE '${p}%'`).join('')
            : ''
        }`;
      for (const op of ['insert', 'update', 'delete'])
        raw.exec(`DROP TRIGGER IF EXISTS sync_shadow_${t.name}_${op}`);
      raw.exec(`CREATE TRIGGER sync_shadow_${t.name}_insert AFTER INSERT ON ${t.name} ${when('new')} BEGIN
        INSERT OR IGNORE INTO sync_shadow (tbl, row_key, pre) VALUES ('${t.name}', ${key('new')}, NULL); END`);
      for (const op of ['update', 'delete']) {
        raw.exec(`CREATE TRIGGER sync_shadow_${t.name}_${op} BEFORE ${op.toUpperCase()} ON ${t.name} ${when('old')} BEGIN
          INSERT OR IGNORE INTO sync_shadow (tbl, row_key, pre) VALUES ('${t.name}', ${key('old')}, ${pre}); END`);
      }
    }
  })();
}

interface LogRow {
  seq: number;
  id: string;
  name: string;
  input: string;
  agent_id: string;
  device_id: string;
  at: string;
}

/** The counter's half of sync: push the unacknowledged log, pull the server's changes, rebuild local state. */
export function createSyncClient(core: Core, options: SyncOptions) {
  const raw = core.raw;
  const doFetch = options.fetch ?? fetch;
  const clock = options.clock ?? (() => new Date());
  const deviceId = options.credential.split('.')[0] ?? '';
  const headers = { authorization: `Bearer ${options.credential}`, 'content-type': 'application/json' };
  const schemaVersion = MIGRATIONS.at(-1)?.version ?? 0;
  const batch = options.batch ?? 500;
  installTracking(raw);

  const state = () =>
    raw.prepare('SELECT * FROM sync_state WHERE id = 1').get() as {
      server_version: number;
      acked_seq: number;
      online: number;
      offline_since: string | null;
      blocked: string | null;
    };
  const setState = (fields: Record<string, unknown>) => {
    const keys = Object.keys(fields);
    raw
      .prepare(`UPDATE sync_state SET ${keys.map((k) => `${k} = @${k}`).join(', ')} WHERE id = 1`)
      .run(fields);
  };

  /** Gives the pushed commands logged since last time their per-device numbers, dense and stable across retries. */
  const fillOutbox = () =>
    raw.transaction(() => {
      const from = (
        raw.prepare('SELECT coalesce(max(log_seq), 0) AS s FROM sync_outbox').get() as { s: number }
      ).s;
      const rows = raw.prepare('SELECT seq, name FROM command_log WHERE seq > ? ORDER BY seq').all(from) as {
        seq: number;
        name: string;
      }[];
      const insert = raw.prepare('INSERT INTO sync_outbox (log_seq) VALUES (?)');
      for (const r of rows) if (isPushed(r.name)) insert.run(r.seq);
    })();

  const unacked = (acked: number, limit: number) =>
    raw
      .prepare(
        `SELECT o.device_seq, l.* FROM sync_outbox o JOIN command_log l ON l.seq = o.log_seq
         WHERE o.device_seq > ? ORDER BY o.device_seq LIMIT ?`,
      )
      .all(acked, limit) as (LogRow & { device_seq: number })[];

  /**
   * Records what the agent or the régisseur must settle: a refusal, a held fact, a fact recorded with something to
   * look at, or days the server refused that the counter booked.
   */
  function recordResult(r: CommandResult, receivedAt: string): void {
    const row = raw
      .prepare('SELECT l.* FROM sync_outbox o JOIN command_log l ON l.seq = o.log_seq WHERE o.device_seq = ?')
      .get(r.seq) as LogRow | undefined;
    if (!row) return;
    const input = JSON.parse(row.input) as Record<string, unknown>;
    let status: string;
    let code: string;
    let message: string;
    if (r.status === 'applied' && r.note) {
      // Applied as the counter made it, or nearly: the family's credit instead of its invoices, or a fact the rules
      // changed meanwhile no longer allow, an override the server could not prove — the régisseur looks at it.
      code = r.code ?? 'AS_CREDIT';
      status = code === 'AS_CREDIT' ? 'as_credit' : 'to_review';
      message = r.note;
    } else if (r.status === 'applied') {
      const counterAccepted = (r.refused ?? []).filter((d) =>
        hadLocally(row.name, input, d.date, d.unitCode),
      );
      if (!counterAccepted.length) return;
      status = 'refused_days';
      code = counterAccepted[0]?.code ?? 'REFUSED';
      message = `Refusé par le serveur : ${counterAccepted.map((d) => `${formatShortDate(d.date)} (${d.reason})`).join(', ')}.`;
    } else {
      status = r.status;
      code = r.code;
      message = r.message;
    }
    raw
      .prepare(
        `INSERT OR IGNORE INTO sync_results (command_id, device_seq, name, status, code, message, suggestion, summary,
           made_at, agent_id, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        row.id,
        r.seq,
        row.name,
        status,
        code,
        message,
        suggestionFor(status, code),
        describeCommand(raw, row.name, input),
        row.at,
        row.agent_id,
        receivedAt,
      );
  }

  /** Whether the counter's own (still optimistic) state has this day booked or cancelled as the command asked. */
  function hadLocally(name: string, input: Record<string, unknown>, date: string, unitCode: string): boolean {
    const wanted = name === 'booking.book' ? 'booked' : 'cancelled';
    return !!raw
      .prepare(
        `SELECT 1 FROM bookings b JOIN units u ON u.id = b.unit_id
         WHERE b.child_id = ? AND b.activity_id = ? AND u.code = ? AND b.date = ? AND b.state = ? LIMIT 1`,
      )
      .get(input.childId, input.activityId, unitCode, date, wanted);
  }

  async function request<T>(path: string, init?: RequestInit): Promise<{ status: number; body: T }> {
    const res = await doFetch(`${options.serverUrl}${path}`, { ...init, headers });
    const body = (await res.json()) as T;
    return { status: res.status, body };
  }

  /**
   * After a restore from backup the counter numbers its new commands with numbers the server already holds for
   * the commands it sent before the disk was lost. What the server holds is acknowledged (its rows come back with
   * the pull); what it does not is numbered again after the server's last, in the same order.
   */
  function renumberAfter(serverLast: number, received: { seq: number; id: string }[]): void {
    raw.transaction(() => {
      const known = new Set(received.map((x) => x.id));
      const acked = state().acked_seq;
      let mark =
        (raw.prepare('SELECT log_seq FROM sync_outbox WHERE device_seq = ?').pluck().get(acked) as
          number | undefined) ?? 0;
      const rows = raw
        .prepare(
          `SELECT o.log_seq, l.id FROM sync_outbox o JOIN command_log l ON l.seq = o.log_seq
           WHERE o.device_seq > ? ORDER BY o.device_seq`,
        )
        .all(acked) as { log_seq: number; id: string }[];
      const fresh: number[] = [];
      for (const row of rows) {
        if (known.has(row.id)) mark = Math.max(mark, row.log_seq);
        else fresh.push(row.log_seq);
      }
      raw.exec('DELETE FROM sync_outbox');
      const insert = raw.prepare('INSERT INTO sync_outbox (device_seq, log_seq) VALUES (?, ?)');
      insert.run(serverLast, mark);
      fresh.forEach((log, i) => insert.run(serverLast + 1 + i, log));
      setState({ acked_seq: serverLast });
    })();
  }

  async function pushAll(): Promise<{ pushed: number; error: string | null }> {
    fillOutbox();
    let pushed = 0;
    let renumbered = false;
    for (;;) {
      const acked = state().acked_seq;
      const rows = unacked(acked, batch);
      if (!rows.length) return { pushed, error: null };
      const r = await request<PushResponse & { error?: { code: string; message: string } }>('/push', {
        method: 'POST',
        body: JSON.stringify({
          deviceId,
          schemaVersion,
          appVersion: options.appVersion ?? '0.1.0',
          sentAt: clock().toISOString(),
          commands: rows.map((c) => ({
            seq: c.device_seq,
            id: c.id,
            name: c.name,
            input: JSON.parse(c.input) as unknown,
            agentId: c.agent_id,
            deviceId: c.device_id,
            at: c.at,
          })),
        }),
      });
      if (r.status >= 500) throw new Error(r.body.error?.message ?? `Serveur indisponible (${r.status}).`);
      if (r.status === 409 && r.body.error?.code === 'SEQ_CONFLICT' && !renumbered) {
        renumbered = true;
        const conflict = r.body as unknown as { lastSeq: number; received: { seq: number; id: string }[] };
        renumberAfter(conflict.lastSeq, conflict.received);
        continue;
      }
      if (r.status !== 200) {
        const code = r.body.error?.code ?? 'ERREUR';
        if (code === 'VERSION_TOO_OLD' || code === 'DEVICE_REVOKED') setState({ blocked: code });
        return { pushed, error: r.body.error?.message ?? `Envoi refusé (${r.status}).` };
      }
      const at = clock().toISOString();
      raw.transaction(() => {
        for (const result of r.body.results) recordResult(result, at);
        setState({ acked_seq: r.body.lastAckedSeq, blocked: null, clock_warning: r.body.clock.warning });
      })();
      pushed += r.body.results.filter((x) => !x.replay).length;
      if (r.body.lastAckedSeq <= acked) return { pushed, error: null }; // no progress (a gap): next round
    }
  }

  async function pullAll(): Promise<number> {
    const changes: RowChange[] = [];
    let since = state().server_version;
    let version: number;
    for (;;) {
      const r = await request<PullResponse & { error?: { message: string } }>(
        `/pull?since=${since}&acked=${state().acked_seq}&limit=${PULL_LIMIT}`,
      );
      if (r.status !== 200) throw new Error(r.body.error?.message ?? `Réception refusée (${r.status}).`);
      const at = clock().toISOString();
      raw.transaction(() => {
        for (const result of r.body.results) recordResult(result, at);
        if (r.body.lastAckedSeq > state().acked_seq) setState({ acked_seq: r.body.lastAckedSeq });
        if (r.body.revoked) setState({ blocked: 'DEVICE_REVOKED' });
      })();
      changes.push(...r.body.changes);
      version = r.body.serverVersion;
      if (!r.body.hasMore) break;
      since = version;
    }
    await rebase(changes, version);
    return changes.length;
  }

  /**
   * Local state = server state + pending commands: undoes every unconfirmed change (from the pre-images), applies
   * the server's rows, then runs the commands the server has not answered yet again, all in one transaction.
   */
  async function rebase(changes: RowChange[], version: number): Promise<void> {
    const shadowCount = (raw.prepare('SELECT count(*) AS n FROM sync_shadow').get() as { n: number }).n;
    if (!changes.length && !shadowCount) {
      setState({ server_version: version });
      return;
    }
    const rebuild = async (trx: Transaction<Database>) => {
      raw.pragma('defer_foreign_keys = ON');
      // Only this connection, and only until the server's rows are in: see REBASING_FUNCTION.
      setRebasing(raw, true);
      const households = new Set<string>();
      const columns = new Map<string, Set<string>>();
      const colsOf = (table: string) => {
        let c = columns.get(table);
        if (!c) {
          c = new Set(
            (raw.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((x) => x.name),
          );
          columns.set(table, c);
        }
        return c;
      };
      const spec = new Map(SYNC_TABLES.map((t) => [t.name, t]));
      const noteHousehold = (table: string, row: Record<string, unknown> | undefined) => {
        if (!row) return;
        if (table === 'households') households.add(String(row.id));
        else if (['guardians', 'children', 'pickup_persons'].includes(table) && row.household_id)
          households.add(String(row.household_id));
      };
      const where = (table: string) => (spec.get(table)?.key ?? []).map((c) => `${c} = ?`).join(' AND ');
      const current = (table: string, key: unknown[]) =>
        raw.prepare(`SELECT * FROM ${table} WHERE ${where(table)}`).get(...key) as
          Record<string, unknown> | undefined;
      // One statement per table and column set: preparing it costs more than running it, and a pull writes
      // thousands of rows of the same few shapes.
      const statements = new Map<string, { run: (...params: never[]) => unknown }>();
      const upsert = (table: string, row: Record<string, unknown>) => {
        const known = colsOf(table);
        const cols = Object.keys(row).filter((c) => known.has(c));
        const shape = `${table}(${cols.join(',')})`;
        let stmt = statements.get(shape);
        if (!stmt) {
          const key = spec.get(table)?.key ?? [];
          const updates = cols.filter((c) => !key.includes(c));
          stmt = raw.prepare<unknown[]>(
            `INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})
             ON CONFLICT (${key.join(', ')}) DO ${updates.length ? `UPDATE SET ${updates.map((c) => `${c} = excluded.${c}`).join(', ')}` : 'NOTHING'}`,
          );
          statements.set(shape, stmt);
        }
        stmt.run(...cols.map((c) => row[c] as never));
        noteHousehold(table, row);
      };
      const remove = (table: string, key: unknown[]) => {
        noteHousehold(table, current(table, key));
        raw.prepare(`DELETE FROM ${table} WHERE ${where(table)}`).run(...(key as never[]));
      };

      // 1. Back to the last server state: newest unconfirmed rows out, pre-images back.
      const shadow = raw.prepare('SELECT tbl, row_key, pre FROM sync_shadow ORDER BY rowid DESC').all() as {
        tbl: string;
        row_key: string;
        pre: string | null;
      }[];
      for (const s of shadow) {
        const key = JSON.parse(s.row_key) as unknown[];
        if (s.pre === null) remove(s.tbl, key);
        else upsert(s.tbl, JSON.parse(s.pre) as Record<string, unknown>);
      }
      raw.exec('DELETE FROM sync_shadow');
      // 2. The server's rows, in the order it wrote them.
      for (const c of changes) {
        if (!spec.has(c.table)) continue;
        if (c.table === 'settings' && LOCAL_SETTING_PREFIXES.some((p) => String(c.key[0]).startsWith(p)))
          continue;
        if (c.row) upsert(c.table, c.row);
        else remove(c.table, c.key);
      }
      setState({ server_version: version });
      setRebasing(raw, false);
      for (const h of households) await reindexHousehold(trx as Transaction<Database>, h);
      // 3. The commands still waiting for the server, again, over the new state.
      await replayPending(trx as Transaction<Database>);
    };
    try {
      await core.db.transaction().execute(rebuild);
    } finally {
      // A rebase that failed half-way rolls back; the exemption must not outlive it.
      setRebasing(raw, false);
    }
  }

  async function replayPending(trx: Transaction<Database>): Promise<void> {
    const acked = state().acked_seq;
    const fromLog =
      (
        raw.prepare('SELECT log_seq FROM sync_outbox WHERE device_seq = ?').get(acked) as
          { log_seq: number } | undefined
      )?.log_seq ?? 0;
    const pending = raw
      .prepare('SELECT * FROM command_log WHERE seq > ? ORDER BY seq')
      .all(fromLog) as LogRow[];
    for (const c of pending) {
      if (!isPushed(c.name)) continue;
      const op = (operations as Record<string, AnyOperation>)[c.name];
      if (!op || op.kind !== 'command') continue;
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
          session: null as never,
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
  }

  let running: Promise<SyncOutcome> | null = null;

  /** One round: push then pull. Never throws; the outcome and the status say what happened. */
  function syncOnce(): Promise<SyncOutcome> {
    running ??= (async () => {
      let pushed = 0;
      try {
        const p = await pushAll();
        pushed = p.pushed;
        const pulled = await pullAll();
        setState({
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
        const s = state();
        setState({ online: 0, offline_since: s.offline_since ?? clock().toISOString(), last_error: message });
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
