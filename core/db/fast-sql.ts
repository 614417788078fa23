import { CompiledQuery, type Insertable, type Kysely } from 'kysely';
import { onPostgres } from './on-postgres.ts';
import type { Database } from '../db/schema.ts';
import { compiledSqlRan } from './setup-cache.ts';

/**
 * The hot paths' SQL, sent as fixed text with parameters: a payment (about twenty statements, well under 5 ms
 * through the whole contract, issue 5's bench) and the booking requests a push applies by the thousand. Kysely's
 * builder spends ~50 µs building and compiling each statement, a fixed text ~10 µs (and the connection's statement
 * cache then skips preparing it). Texts are the code's own (only their number of placeholders may follow the
 * input), never built from its values, which always travel as parameters. A write sent this way passes no kysely
 * plugin, so it tells the push's cache itself (compiledSqlRan).
 */

const numbered = new Map<string, string>();

/**
 * The texts are written with SQLite's `?` placeholders; the central server's PostgreSQL wants `$1, $2…`. None of
 * the texts has a `?` of its own (no literal, no JSON operator), so each one is renumbered once and cached.
 */
function placeholders<DB>(db: Kysely<DB>, text: string): string {
  if (!onPostgres(db)) return text;
  let pg = numbered.get(text);
  if (pg === undefined) {
    let n = 0;
    pg = text.replace(/\?/g, () => `$${++n}`);
    numbered.set(text, pg);
  }
  return pg;
}

/** `DB`: the core's schema, or the central server's (its own tables next to the core's). */
export async function rows<R, DB = Database>(
  db: Kysely<DB>,
  text: string,
  params: readonly unknown[] = [],
): Promise<R[]> {
  compiledSqlRan(db, text);
  return (await db.executeQuery<R>(CompiledQuery.raw(placeholders(db, text), [...params]))).rows;
}

export async function first<R>(
  db: Kysely<Database>,
  text: string,
  params: readonly unknown[] = [],
): Promise<R | undefined> {
  return (await rows<R>(db, text, params))[0];
}

const insertTexts = new Map<string, string>();

/** INSERT of rows that all have the same columns (those of the first row). */
export async function insertRows<T extends keyof Database>(
  db: Kysely<Database>,
  table: T,
  values: readonly Insertable<Database[T]>[],
): Promise<void> {
  const head = values[0];
  if (!head) return;
  const cols = Object.keys(head);
  const key = `${table}|${cols.join(',')}|${values.length}`;
  let text = insertTexts.get(key);
  if (!text) {
    const one = `(${cols.map(() => '?').join(', ')})`;
    text = `INSERT INTO ${table} (${cols.join(', ')}) VALUES ${Array.from({ length: values.length }, () => one).join(', ')}`;
    insertTexts.set(key, text);
  }
  const params: unknown[] = [];
  for (const v of values) for (const c of cols) params.push((v as Record<string, unknown>)[c]);
  compiledSqlRan(db, text);
  await db.executeQuery(CompiledQuery.raw(placeholders(db, text), params));
}
