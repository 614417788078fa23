import type { Kysely } from 'kysely';

export type Dialect = 'sqlite' | 'postgres';

/** One schema step. `up` runs inside a transaction opened by the migrator, so a step applies whole or not at all. */
export interface Migration {
  version: number;
  name: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a migration sees the schema as it was then, not today's types
  up(db: Kysely<any>, dialect: Dialect): Promise<void>;
}
