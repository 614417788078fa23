import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.ts';
import { setupCached } from './setup-cache.ts';

/**
 * Town settings and device facts, stored as JSON values under dotted keys ('town.name', 'device.id'). A store whose
 * schema adds tables to the core's (the central server's) passes its handle or transaction as it is.
 */
type Store = Kysely<Database> | Transaction<Database>;
export async function readSetting<T = string>(db: Store, key: string): Promise<T | undefined> {
  const row = await setupCached(db, `setting:${key}`, () =>
    db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst(),
  );
  return row ? (JSON.parse(row.value) as T) : undefined;
}

export async function writeSetting(db: Store, key: string, value: unknown): Promise<void> {
  const json = JSON.stringify(value);
  await db
    .insertInto('settings')
    .values({ key, value: json })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: json }))
    .execute();
}
