import { sql } from 'kysely';
import type { PullResponse, RowChange } from '../core/sync/protocol.ts';
import { LOCAL_SETTING_PREFIXES, SYNC_TABLES } from '../core/sync/tables.ts';
import { toResult } from './apply.ts';
import type { Devices } from './devices.ts';
import { isReply, type Reply } from './http.ts';
import type { ServerDb } from './store.ts';

/**
 * `GET /pull`: the change feed since a counter's cursor (cut at a whole server version), the rows as they stand
 * now, and the results of its commands it has not seen yet.
 */
export function pullRoute(db: ServerDb, devices: Devices) {
  async function loadRows(keys: { table: string; key: unknown[] }[]): Promise<RowChange[]> {
    const out: RowChange[] = [];
    for (const t of SYNC_TABLES) {
      const mine = keys.filter((k) => k.table === t.name);
      if (!mine.length) continue;
      const found = new Map<string, Record<string, unknown>>();
      const keyOf = (row: Record<string, unknown>) => JSON.stringify(t.key.map((c) => row[c]));
      if (t.key.length === 1) {
        const col = t.key[0] as string;
        for (let i = 0; i < mine.length; i += 500) {
          const ids = mine.slice(i, i + 500).map((k) => k.key[0]);
          const rows = await sql<
            Record<string, unknown>
          >`SELECT * FROM ${sql.table(t.name)} WHERE ${sql.ref(col)} IN (${sql.join(ids)})`.execute(db);
          for (const row of rows.rows) found.set(keyOf(row), row);
        }
      } else {
        for (const k of mine) {
          const where = sql.join(
            t.key.map((c, i) => sql`${sql.ref(c)} = ${k.key[i]}`),
            sql` AND `,
          );
          const rows = await sql<
            Record<string, unknown>
          >`SELECT * FROM ${sql.table(t.name)} WHERE ${where}`.execute(db);
          for (const row of rows.rows) found.set(keyOf(row), row);
        }
      }
      for (const k of mine) {
        const row = found.get(JSON.stringify(k.key)) ?? null;
        if (t.name === 'settings' && LOCAL_SETTING_PREFIXES.some((p) => String(k.key[0]).startsWith(p)))
          continue;
        out.push({ table: t.name, key: k.key, row });
      }
    }
    return out;
  }

  return async function pull(
    auth: string | undefined,
    since: number,
    acked: number,
    limit = 5000,
  ): Promise<Reply> {
    const device = await devices.authenticate(auth);
    if (isReply(device)) return device;
    const meta = await db
      .selectFrom('sync_meta')
      .select('version')
      .where('id', '=', 1)
      .executeTakeFirstOrThrow();
    let upTo = Number(meta.version);
    let feed = await db
      .selectFrom('sync_changes')
      .select(['tbl', 'row_key', 'version'])
      .where('version', '>', since)
      .where('version', '<=', upTo)
      .orderBy('version')
      .limit(limit)
      .execute();
    let hasMore = false;
    if (feed.length === limit) {
      // Cut at a whole version, so the cursor never splits one transaction's changes.
      upTo = Number(feed.at(-1)?.version);
      hasMore = true;
      feed = await db
        .selectFrom('sync_changes')
        .select(['tbl', 'row_key', 'version'])
        .where('version', '>', since)
        .where('version', '<=', upTo)
        .orderBy('version')
        .execute();
    }
    const changes = await loadRows(
      feed.map((f) => ({ table: f.tbl, key: JSON.parse(f.row_key) as unknown[] })),
    );
    const results = await db
      .selectFrom('received_commands')
      .select(['seq', 'command_id', 'status', 'code', 'message', 'refused'])
      .where('device_id', '=', device.id)
      .where('seq', '>', acked)
      .orderBy('seq')
      .execute();
    const response: PullResponse = {
      serverVersion: upTo,
      hasMore,
      lastAckedSeq: device.last_seq,
      results: results.map(toResult),
      changes,
      revoked: device.revoked_at !== null,
    };
    return { status: 200, body: response };
  };
}
