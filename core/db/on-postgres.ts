import { PostgresAdapter, type DialectAdapter, type Kysely } from 'kysely';

/**
 * Whether the core runs on the central server's PostgreSQL rather than a counter's SQLite: where SQL text or locking
 * must differ (placeholders, row locks, the town's writer lock), not the rules.
 */
export const onPostgres = <DB>(db: Kysely<DB>): boolean =>
  db.getExecutor().adapter instanceof PostgresAdapter;

/**
 * How the server's writers side by side on PostgreSQL are kept off the last place: the slots' capacity rows locked
 * before the bookings are counted (`row-locks`, the default), or every transaction SERIALIZABLE, run again when
 * PostgreSQL finds two of them could not have run one after the other. Issue 16 measured both on the opening-day
 * rush (bench/rush.bench.ts); the row locks answer faster, the other stays to measure again.
 */
export type CapacityGuard = 'row-locks' | 'serializable';

// Keyed by the dialect's adapter, the one object a store's Kysely shares with each of its transactions.
const guards = new WeakMap<DialectAdapter, CapacityGuard>();

export function setCapacityGuard<DB>(db: Kysely<DB>, guard: CapacityGuard): void {
  guards.set(db.getExecutor().adapter, guard);
}

export const capacityGuard = <DB>(db: Kysely<DB>): CapacityGuard =>
  guards.get(db.getExecutor().adapter) ?? 'row-locks';
