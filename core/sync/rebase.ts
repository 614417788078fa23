import type Database from 'better-sqlite3';
import type { Transaction } from 'kysely';
import type { Core } from '../app.ts';
import { setRebasing } from '../db/open.ts';
import type { Database as Schema } from '../db/schema.ts';
import { reindexHousehold } from '../search/index-household.ts';
import type { RowChange } from './protocol.ts';
import type { SyncState } from './state.ts';
import { LOCAL_SETTING_PREFIXES, SYNC_TABLES } from './tables.ts';

const FAMILY_TABLES = new Set(['guardians', 'children', 'pickup_persons']);

/**
 * Local state = server state + pending commands: undoes every unconfirmed change (from the pre-images), applies
 * the server's rows, then runs the commands the server has not answered yet again (`replay`), all in one
 * transaction.
 */
export async function rebase(
  core: Core,
  state: SyncState,
  changes: RowChange[],
  version: number,
  replay: (trx: Transaction<Schema>) => Promise<void>,
): Promise<void> {
  const { raw } = core;
  const shadowCount = (raw.prepare('SELECT count(*) AS n FROM sync_shadow').get() as { n: number }).n;
  if (!changes.length && !shadowCount) {
    state.set({ server_version: version });
    return;
  }
  const rebuild = async (trx: Transaction<Schema>) => {
    raw.pragma('defer_foreign_keys = ON');
    // Only this connection, and only until the server's rows are in: see REBASING_FUNCTION.
    setRebasing(raw, true);
    const rows = rowWriter(raw);
    // 1. Back to the last server state: newest unconfirmed rows out, pre-images back.
    const shadow = raw.prepare('SELECT tbl, row_key, pre FROM sync_shadow ORDER BY rowid DESC').all() as {
      tbl: string;
      row_key: string;
      pre: string | null;
    }[];
    for (const s of shadow) {
      const key = JSON.parse(s.row_key) as unknown[];
      if (s.pre === null) rows.remove(s.tbl, key);
      else rows.upsert(s.tbl, JSON.parse(s.pre) as Record<string, unknown>);
    }
    raw.exec('DELETE FROM sync_shadow');
    // 2. The server's rows, in the order it wrote them.
    for (const c of changes) {
      if (!rows.synced(c.table)) continue;
      if (c.table === 'settings' && LOCAL_SETTING_PREFIXES.some((p) => String(c.key[0]).startsWith(p)))
        continue;
      if (c.row) rows.upsert(c.table, c.row);
      else rows.remove(c.table, c.key);
    }
    state.set({ server_version: version });
    setRebasing(raw, false);
    for (const h of rows.households) await reindexHousehold(trx, h);
    // 3. The commands still waiting for the server, again, over the new state.
    await replay(trx);
  };
  try {
    await core.db.transaction().execute(rebuild);
  } finally {
    // A rebase that failed half-way rolls back; the exemption must not outlive it.
    setRebasing(raw, false);
  }
}

/** Writes synced rows by table and key, noting the households whose search entry must be rebuilt. */
function rowWriter(raw: Database.Database) {
  const spec = new Map(SYNC_TABLES.map((t) => [t.name, t]));
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
  const noteHousehold = (table: string, row: Record<string, unknown> | undefined) => {
    if (!row) return;
    if (table === 'households') households.add(String(row.id));
    else if (FAMILY_TABLES.has(table) && row.household_id) households.add(String(row.household_id));
  };
  const where = (table: string) => (spec.get(table)?.key ?? []).map((c) => `${c} = ?`).join(' AND ');
  const current = (table: string, key: unknown[]) =>
    raw.prepare<unknown[]>(`SELECT * FROM ${table} WHERE ${where(table)}`).get(...key) as
      Record<string, unknown> | undefined;
  // One statement per table and column set: preparing it costs more than running it, and a pull writes
  // thousands of rows of the same few shapes.
  const statements = new Map<string, Database.Statement<unknown[]>>();
  return {
    households,
    synced: (table: string) => spec.has(table),
    upsert(table: string, row: Record<string, unknown>) {
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
      stmt.run(...cols.map((c) => row[c]));
      noteHousehold(table, row);
    },
    remove(table: string, key: unknown[]) {
      noteHousehold(table, current(table, key));
      raw.prepare<unknown[]>(`DELETE FROM ${table} WHERE ${where(table)}`).run(...key);
    },
  };
}
