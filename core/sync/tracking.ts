import { REBASING_FUNCTION } from '../db/open.ts';
import type { Raw } from './state.ts';
import { LOCAL_SETTING_PREFIXES, SYNC_TABLES } from './tables.ts';

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
