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

const caches = new WeakMap<object, Map<string, Promise<unknown>>>();

/**
 * What `load` reads of the set-up, once per cached handle; read afresh on any other. The value is shared by the
 * commands of the push: the rules only read it.
 */
export function setupCached<T>(db: object, key: string, load: () => Promise<T>): Promise<T> {
  const cache = caches.get(db);
  if (!cache) return load();
  let value = cache.get(key) as Promise<T> | undefined;
  if (!value) {
    value = load();
    cache.set(key, value);
    // A failed read (a missing activity) is not kept: the next command tries again.
    const read = value;
    read.catch(() => cache.get(key) === read && cache.delete(key));
  }
  return value;
}

export interface SetupCache<DB> {
  /** The transaction, reading the set-up through the cache. */
  db: Transaction<DB>;
  /** Forgets what was read: the caller rolled back what may have changed it. */
  clear(): void;
}

/** The caller's transaction with a set-up cache of its own, emptied by every write to a cached table through it. */
export function withSetupCache<DB>(trx: Transaction<DB>): SetupCache<DB> {
  const cache = new Map<string, Promise<unknown>>();
  const db = trx.withPlugin(
    new (class implements KyselyPlugin {
      transformQuery({ node }: PluginTransformQueryArgs): RootOperationNode {
        if (writesCached(node)) cache.clear();
        return node;
      }
      transformResult({ result }: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
        return Promise.resolve(result);
      }
    })(),
  );
  caches.set(db, cache);
  return { db, clear: () => cache.clear() };
}

function writesCached(node: RootOperationNode): boolean {
  switch (node.kind) {
    case 'InsertQueryNode':
      return names(node.into).some(isCached);
    case 'UpdateQueryNode':
      return names(node.table).some(isCached);
    case 'DeleteQueryNode':
      return node.from.froms.flatMap(names).some(isCached);
    case 'MergeQueryNode':
      return names(node.into).some(isCached);
    case 'RawNode':
      return textWritesCached(node.sqlFragments.join(' '));
    default:
      return false;
  }
}

const textVerdicts = new Map<string, boolean>();

/** Raw SQL names its tables in its text: a write naming a cached table empties the cache, to be safe. */
function textWritesCached(sqlText: string): boolean {
  let verdict = textVerdicts.get(sqlText);
  if (verdict === undefined) {
    const text = sqlText.toLowerCase();
    verdict =
      /\b(insert|update|delete|replace)\b/.test(text) &&
      [...SETUP_TABLES, ...CHILD_FILE_TABLES].some((t) => new RegExp(`\\b${t}\\b`).test(text));
    // Texts are the code's own (values travel as parameters): a few hundred at most.
    if (textVerdicts.size > 5_000) textVerdicts.clear();
    textVerdicts.set(sqlText, verdict);
  }
  return verdict;
}

/**
 * SQL sent already compiled (core/db/fast-sql.ts) passes no plugin: its sender says what it ran, so that a write to
 * a cached table still empties the cache of the handle it went through.
 */
export function compiledSqlRan(db: object, sqlText: string): void {
  const cache = caches.get(db);
  if (cache && textWritesCached(sqlText)) cache.clear();
}

/** The table names a query's target node holds (a table, an aliased one). */
function names(node: OperationNode | undefined): string[] {
  if (!node) return [];
  if (TableNode.is(node)) return [node.table.identifier.name];
  if (AliasNode.is(node)) return names(node.node);
  return [];
}
