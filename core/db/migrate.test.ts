import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../migrations/index.ts';
import type { Migration } from '../../migrations/types.ts';
import { openCore } from '../app.ts';
import { migrate } from './migrate.ts';
import { openSqlite } from './open.ts';

const tempFile = () => join(mkdtempSync(join(tmpdir(), 'gf-migrate-')), 'store.sqlite');

const addNickname: Migration = {
  version: MIGRATIONS.length + 1,
  name: 'test_nickname',
  async up(db) {
    await db.schema
      .alterTable('children')
      .addColumn('nickname', 'text', (c) => c.notNull().defaultTo(''))
      .execute();
  },
};

describe('migrations', () => {
  it('opens a file with WAL and foreign keys on', async () => {
    const core = await openCore({ path: tempFile() });
    expect(core.raw.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(core.raw.pragma('foreign_keys', { simple: true })).toBe(1);
    await core.close();
  });

  it('brings an old file up to date, keeping its data, and only runs the new steps', async () => {
    const path = tempFile();
    const old = openSqlite(path);
    await migrate(old.db, MIGRATIONS, 'sqlite');
    old.raw
      .prepare("INSERT INTO households (id, name, created_at, updated_at) VALUES ('h1', 'Bénard', 'x', 'x')")
      .run();
    old.raw
      .prepare(
        "INSERT INTO children (id, household_id, last_name, first_name, birth_date, updated_at) VALUES ('c1', 'h1', 'Bénard', 'Léa', '2019-05-01', 'x')",
      )
      .run();
    await old.db.destroy();

    const upgraded = openSqlite(path);
    const result = await migrate(upgraded.db, [...MIGRATIONS, addNickname], 'sqlite');
    expect(result.applied).toEqual([addNickname.version]);
    expect(upgraded.raw.prepare('SELECT first_name, nickname FROM children').all()).toEqual([
      { first_name: 'Léa', nickname: '' },
    ]);
    const again = await migrate(upgraded.db, [...MIGRATIONS, addNickname], 'sqlite');
    expect(again.applied).toEqual([]);
    await upgraded.db.destroy();
  });

  it('applies a failing step not at all: no half schema, no version recorded', async () => {
    const path = tempFile();
    const broken: Migration = {
      version: MIGRATIONS.length + 1,
      name: 'test_broken',
      async up(db) {
        await db.schema.createTable('half_done').addColumn('x', 'text').execute();
        await sql`SELECT * FROM no_such_table`.execute(db);
      },
    };
    const handle = openSqlite(path);
    await expect(migrate(handle.db, [...MIGRATIONS, broken], 'sqlite')).rejects.toThrow(/no_such_table/);
    expect(
      handle.raw.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'half_done'").get(),
    ).toEqual({ n: 0 });
    expect(handle.raw.prepare('SELECT max(version) AS v FROM schema_migrations').get()).toEqual({
      v: MIGRATIONS.length,
    });
    await handle.db.destroy();
  });

  it('refuses to open a database written by a newer version of the app', async () => {
    const path = tempFile();
    const newer = openSqlite(path);
    await migrate(newer.db, [...MIGRATIONS, addNickname], 'sqlite');
    await newer.db.destroy();
    await expect(openCore({ path })).rejects.toThrow(/version plus récente de Guichet Famille/);
  });
});
