import { sql, type Kysely } from 'kysely';
import type { Dialect, Migration } from '../../migrations/types.ts';
import { DomainError } from '../api/envelope.ts';

/**
 * Applies the pending steps in order. Hand-written rather than kysely's Migrator because that one records a
 * step outside the step's own transaction on SQLite, so a crash between the two could replay a step.
 */
export async function migrate(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run against the schema of their time
  db: Kysely<any>,
  migrations: readonly Migration[],
  dialect: Dialect,
  now: () => string = () => new Date().toISOString(),
): Promise<{ applied: number[]; version: number }> {
  checkOrder(migrations);
  await db.schema
    .createTable('schema_migrations')
    .ifNotExists()
    .addColumn('version', 'integer', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('applied_at', 'text', (c) => c.notNull())
    .execute();

  const rows = await db
    .selectFrom('schema_migrations')
    .select(['version', 'name'])
    .orderBy('version')
    .execute();
  const known = new Map(migrations.map((m) => [m.version, m]));
  const newest = migrations.at(-1)?.version ?? 0;
  for (const row of rows as { version: number; name: string }[]) {
    if (!known.has(row.version)) {
      throw new DomainError(
        'CONFLICT',
        row.version > newest
          ? `Cette base de données a été créée par une version plus récente de Guichet Famille (schéma ${row.version}, cette application connaît le schéma ${newest}). Installez la dernière version.`
          : `Cette base de données contient une étape de schéma inconnue (${row.version} ${row.name}).`,
      );
    }
  }

  const done = new Set((rows as { version: number }[]).map((r) => r.version));
  const applied: number[] = [];
  for (const m of migrations) {
    if (done.has(m.version)) continue;
    await db.transaction().execute(async (trx) => {
      await m.up(trx, dialect);
      await trx
        .insertInto('schema_migrations')
        .values({ version: m.version, name: m.name, applied_at: now() })
        .execute();
    });
    applied.push(m.version);
  }
  return { applied, version: newest };
}

function checkOrder(migrations: readonly Migration[]): void {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`Migration ${m.name}: version ${m.version}, attendu ${i + 1}`);
  });
}

/** How many steps a file that already has a schema still needs; 0 for a new, empty file. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- read before the schema types apply
export async function pendingMigrations(db: Kysely<any>, migrations: readonly Migration[]): Promise<number> {
  const exists = await sql<{
    n: number;
  }>`SELECT count(*) AS n FROM sqlite_master WHERE name = 'schema_migrations'`.execute(db);
  if (!exists.rows[0]?.n) return 0;
  const r = await sql<{ v: number | null }>`SELECT max(version) AS v FROM schema_migrations`.execute(db);
  return Math.max(0, (migrations.at(-1)?.version ?? 0) - (r.rows[0]?.v ?? 0));
}
