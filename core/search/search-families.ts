import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { SearchKind } from './index-household.ts';
import { ftsWords, toFtsQuery } from './normalize.ts';

export interface SearchHit {
  householdId: string;
  householdName: string;
  summary: string;
  /** The people of this household the words matched, best first. */
  matches: { kind: SearchKind; refId: string; label: string }[];
}

interface Row {
  household_id: string;
  household_name: string;
  summary: string;
  kind: SearchKind;
  ref_id: string;
  label: string;
}

const ranked = (db: Kysely<Database>, match: string, rows: number) =>
  sql<Row>`SELECT d.household_id, d.household_name, d.summary, d.kind, d.ref_id, d.label
     FROM search_fts JOIN search_docs d ON d.rowid = search_fts.rowid
     WHERE search_fts MATCH ${match}
     ORDER BY search_fts.rank
     LIMIT ${rows}`.execute(db);

const unranked = (db: Kysely<Database>, match: string, rows: number) =>
  sql<Row>`SELECT d.household_id, d.household_name, d.summary, d.kind, d.ref_id, d.label
     FROM search_fts JOIN search_docs d ON d.rowid = search_fts.rowid
     WHERE search_fts MATCH ${match}
     LIMIT ${rows}`.execute(db);

/** Households whose name or members match every word typed, best match first. */
export async function searchFamilies(
  db: Kysely<Database>,
  text: string,
  limit: number,
): Promise<SearchHit[]> {
  const words = ftsWords(text);
  const match = toFtsQuery(text);
  if (match === null) return [];
  // A household can match through several members: fetch a few more rows than households wanted.
  const wanted = limit * 3;
  let rows: Row[];
  const lone = words.length === 1 ? (words[0] as string) : null;
  if (lone !== null && lone.length <= 2) {
    // One or two letters prefix thousands of entries and ranking them all costs ~9 ms: rank the exact word
    // (« Ba », « Ly ») first, then fill with prefix matches in index order.
    const exact = (await ranked(db, `"${lone}"`, wanted)).rows;
    const seen = new Set(exact.map((r) => r.ref_id));
    const rest =
      exact.length < wanted
        ? (await unranked(db, `"${lone}"*`, wanted)).rows.filter((r) => !seen.has(r.ref_id))
        : [];
    rows = [...exact, ...rest].slice(0, wanted);
  } else {
    rows = (await ranked(db, match, wanted)).rows;
  }

  const hits = new Map<string, SearchHit>();
  for (const r of rows) {
    let hit = hits.get(r.household_id);
    if (!hit) {
      if (hits.size === limit) continue;
      hit = { householdId: r.household_id, householdName: r.household_name, summary: r.summary, matches: [] };
      hits.set(r.household_id, hit);
    }
    hit.matches.push({ kind: r.kind, refId: r.ref_id, label: r.label });
  }
  return [...hits.values()];
}
