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
 * The set-up as read at one version of it, kept by a server process from one portal request to the next: several
 * processes write side by side on PostgreSQL, so each request first reads the version (server/tables.ts bumps it
 * with every write to a set-up table) and starts a new one when it moved. Only reads that completed are kept.
 */
export interface SharedSetup {
  version: number;
  values: Map<string, unknown>;
}

interface HandleCache {
  reads: Map<string, Promise<unknown>>;
  /** Null once the transaction wrote to the set-up or rolled back part of itself: its reads are its own. */
  shared: SharedSetup | null;
}

const caches = new WeakMap<object, HandleCache>();

/**
 * What `load` reads of the set-up, once per cached handle; read afresh on any other. The value is shared by the
 * commands of the push, and by a server process's portal requests at the same set-up version: the rules only read it.
 */
export function setupCached<T>(db: object, key: string, load: () => Promise<T>): Promise<T> {
  const cache = caches.get(db);
  if (!cache) return load();
  let value = cache.reads.get(key) as Promise<T> | undefined;
  if (!value) {
    const shared = cache.shared;
    value = shared?.values.has(key) ? Promise.resolve(shared.values.get(key) as T) : load();
    cache.reads.set(key, value);
    const read = value;
    read.then(
      (v) => cache.shared === shared && shared?.values.set(key, v),
      // A failed read (a missing activity) is not kept: the next command tries again.
      () => cache.reads.get(key) === read && cache.reads.delete(key),
    );
  }
  return value;
}

export interface SetupCache<DB> {
  /** The transaction, reading the set-up through the cache. */
  db: Transaction<DB>;
  /** Forgets what was read: the caller rolled back what may have changed it. */
  clear(): void;
}

/**
 * The caller's transaction with a set-up cache of its own, emptied by every write to a set-up table through it;
 * seeded from `shared` (the set-up at the version the transaction read) until such a write.
 */
export function withSetupCache<DB>(trx: Transaction<DB>, shared: SharedSetup | null = null): SetupCache<DB> {
  const cache: HandleCache = { reads: new Map(), shared };
  const forget = () => {
    cache.reads.clear();
    cache.shared = null;
  };
  const db = trx.withPlugin(
    new (class implements KyselyPlugin {
      transformQuery({ node }: PluginTransformQueryArgs): RootOperationNode {
        if (writesSetup(node)) forget();
        return node;
      }
      transformResult({ result }: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
        return Promise.resolve(result);
      }
    })(),
  );
  caches.set(db, cache);
  return { db, clear: forget };
}

function writesSetup(node: RootOperationNode): boolean {
  switch (node.kind) {
    case 'InsertQueryNode':
      return names(node.into).some(isSetup);
    case 'UpdateQueryNode':
      return names(node.table).some(isSetup);
    case 'DeleteQueryNode':
      return node.from.froms.flatMap(names).some(isSetup);
    case 'MergeQueryNode':
      return names(node.into).some(isSetup);
    case 'RawNode': {
      // Raw SQL names its tables in its text: a write naming a set-up table empties the cache, to be safe.
      const text = node.sqlFragments.join(' ').toLowerCase();
      return (
        /\b(insert|update|delete|replace)\b/.test(text) &&
        [...SETUP_TABLES].some((t) => new RegExp(`\\b${t}\\b`).test(text))
      );
    }
    default:
      return false;
  }
}

const isSetup = (name: string) => SETUP_TABLES.has(name);

/** The table names a query's target node holds (a table, an aliased one). */
function names(node: OperationNode | undefined): string[] {
  if (!node) return [];
  if (TableNode.is(node)) return [node.table.identifier.name];
  if (AliasNode.is(node)) return names(node.node);
  return [];
}
