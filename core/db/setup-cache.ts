import {
  AliasNode,
  TableNode,
  type KyselyPlugin,
  type OperationNode,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryResult,
  type RootOperationNode,
  type Transaction,
  type UnknownRow,
} from 'kysely';

/**
 * The town's set-up as the rules read it for every command: settings, activities and their units, sites and groups,
 * the school calendar, closures, tariffs. A push of a thousand commands would read it a thousand times; under a
 * cache it is read once per push. The cache belongs to one transaction's handle (`withSetupCache`): whatever else
 * runs (the counter's dispatcher, another push, the portal) reads the tables as before, and a write to one of these
 * tables through the handle empties it, so the next command of the same push sees the set-up as just changed.
 */
export const SETUP_TABLES: ReadonlySet<string> = new Set([
  'settings',
  'activities',
  'units',
  'activity_sites',
  'sites',
  'groups',
  'school_holidays',
  'closures',
  'tariffs',
]);

/**
 * What the booking rules read of a child for each of its requests: the child, its household's QF, its enrolments
 * and their changes of site. A counter's morning pushes ten requests per child; these are read once per push too,
 * under the same rule: a write to any of them through the handle empties the cache.
 */
export const CHILD_FILE_TABLES: ReadonlySet<string> = new Set([
  'children',
  'qf_records',
  'enrolments',
  'enrolment_site_changes',
]);

const isCached = (name: string) => SETUP_TABLES.has(name) || CHILD_FILE_TABLES.has(name);

/** Tables whose writes a kept value (`keptForPush`) may depend on, beside the cached ones. */
const KEPT_TABLES: ReadonlySet<string> = new Set(['bookings', 'capacities']);

/**
 * The set-up as read at one version of it, kept by a server process from one portal request to the next: several
 * processes write side by side on PostgreSQL, so each request first reads the version (server/tables.ts bumps it
 * with every write to a set-up table) and starts a new one when it moved. Only set-up reads that completed are kept,
 * never a child's file, whose changes do not move that version.
 */
export interface SharedSetup {
  version: number;
  values: Map<string, unknown>;
}

interface HandleCache {
  reads: Map<string, Promise<unknown>>;
  /** Values the push keeps up to date itself, each dropped by a write through the handle to one of its tables. */
  kept: Map<string, { tables: readonly string[]; value: unknown }>;
  /** Null once the transaction wrote to a cached table or rolled back part of itself: its reads are its own. */
  shared: SharedSetup | null;
}

const caches = new WeakMap<object, HandleCache>();

/**
 * What `load` reads of the set-up, once per cached handle; read afresh on any other. The value is shared by the
 * commands of the push, and by a server process's portal requests at the same set-up version: the rules only read it.
 */
export function setupCached<T>(db: object, key: string, load: () => Promise<T>): Promise<T> {
  return cachedRead(db, key, load, true);
}

/** What `load` reads of a child's file (`CHILD_FILE_TABLES`), once per cached handle: within one push only. */
export function childFileCached<T>(db: object, key: string, load: () => Promise<T>): Promise<T> {
  return cachedRead(db, key, load, false);
}

function cachedRead<T>(db: object, key: string, load: () => Promise<T>, setup: boolean): Promise<T> {
  const cache = caches.get(db);
  if (!cache) return load();
  let value = cache.reads.get(key) as Promise<T> | undefined;
  if (!value) {
    const shared = setup ? cache.shared : null;
    value = shared?.values.has(key) ? Promise.resolve(shared.values.get(key) as T) : load();
    cache.reads.set(key, value);
    const read = value;
    read.then(
      (v) => shared && cache.shared === shared && shared.values.set(key, v),
      // A failed read (a missing activity) is not kept: the next command tries again.
      () => cache.reads.get(key) === read && cache.reads.delete(key),
    );
  }
  return value;
}

/**
 * A value the push keeps for itself and updates as it writes (core/bookings/plan.ts: the places taken per slot):
 * created on first use, dropped by any write through the handle to one of `tables` (among bookings and
 * capacities) and by a rollback (`clear`). Null without a push's cache.
 */
export function keptForPush<T>(
  db: object,
  key: string,
  tables: readonly string[],
  create: () => T,
): T | null {
  const cache = caches.get(db);
  if (!cache) return null;
  let entry = cache.kept.get(key);
  if (!entry) {
    entry = { tables, value: create() };
    cache.kept.set(key, entry);
  }
  return entry.value as T;
}

/**
 * Runs `write`, which would drop the kept value `key`, and keeps it instead, brought up to date by `update`: for a
 * write whose whole effect `update` knows. A write that fails leaves it dropped.
 */
export async function keepingAcross<T>(
  db: object,
  key: string,
  write: () => Promise<void>,
  update: (value: T) => void,
): Promise<void> {
  const cache = caches.get(db);
  const entry = cache?.kept.get(key);
  await write();
  if (!cache || !entry) return;
  update(entry.value as T);
  cache.kept.set(key, entry);
}

export interface SetupCache<DB> {
  /** The transaction, reading the set-up through the cache. */
  db: Transaction<DB>;
  /** Forgets what was read: the caller rolled back what may have changed it. */
  clear(): void;
}

/**
 * The caller's transaction with a set-up cache of its own, emptied by every write to a cached table through it;
 * seeded from `shared` (the set-up at the version the transaction read) until such a write.
 */
export function withSetupCache<DB>(trx: Transaction<DB>, shared: SharedSetup | null = null): SetupCache<DB> {
  const cache: HandleCache = { reads: new Map(), kept: new Map(), shared };
  const db = trx.withPlugin(
    new (class implements KyselyPlugin {
      transformQuery({ node }: PluginTransformQueryArgs): RootOperationNode {
        wrote(cache, writtenTables(node));
        return node;
      }
      transformResult({ result }: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
        return Promise.resolve(result);
      }
    })(),
  );
  caches.set(db, cache);
  return {
    db,
    clear: () => {
      cache.reads.clear();
      cache.kept.clear();
      cache.shared = null;
    },
  };
}

function wrote(cache: HandleCache, tables: readonly string[]): void {
  if (tables.length === 0) return;
  if (tables.some(isCached)) {
    cache.reads.clear();
    cache.shared = null;
  }
  for (const [key, entry] of cache.kept)
    if (entry.tables.some((t) => tables.includes(t))) cache.kept.delete(key);
}

function writtenTables(node: RootOperationNode): readonly string[] {
  switch (node.kind) {
    case 'InsertQueryNode':
      return names(node.into);
    case 'UpdateQueryNode':
      return names(node.table);
    case 'DeleteQueryNode':
      return node.from.froms.flatMap(names);
    case 'MergeQueryNode':
      return names(node.into);
    case 'RawNode':
      return tablesWrittenBy(node.sqlFragments.join(' '));
    default:
      return [];
  }
}

const textTables = new Map<string, readonly string[]>();
const WATCHED = [...SETUP_TABLES, ...CHILD_FILE_TABLES, ...KEPT_TABLES];

/** Raw SQL names its tables in its text: a write naming a watched table counts as a write to it, to be safe. */
function tablesWrittenBy(sqlText: string): readonly string[] {
  let tables = textTables.get(sqlText);
  if (tables === undefined) {
    const text = sqlText.toLowerCase();
    tables = /\b(insert|update|delete|replace)\b/.test(text)
      ? WATCHED.filter((t) => new RegExp(`\\b${t}\\b`).test(text))
      : [];
    // Texts are the code's own (values travel as parameters): a few hundred at most.
    if (textTables.size > 5_000) textTables.clear();
    textTables.set(sqlText, tables);
  }
  return tables;
}

/**
 * SQL sent already compiled (core/db/fast-sql.ts) passes no plugin: its sender says what it ran, so that a write to
 * a watched table still empties the cache of the handle it went through.
 */
export function compiledSqlRan(db: object, sqlText: string): void {
  const cache = caches.get(db);
  if (cache) wrote(cache, tablesWrittenBy(sqlText));
}

/** The table names a query's target node holds (a table, an aliased one). */
function names(node: OperationNode | undefined): string[] {
  if (!node) return [];
  if (TableNode.is(node)) return [node.table.identifier.name];
  if (AliasNode.is(node)) return names(node.node);
  return [];
}
