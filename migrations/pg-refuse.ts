import { sql } from 'kysely';
import type { Migration } from './types.ts';

/**
 * A PostgreSQL trigger that refuses the change with `message` (through refuse_change), when `condition` holds.
 * TRUNCATE skips row triggers, so it gets its own statement trigger: SQLite has no TRUNCATE to guard against.
 */
export async function pgRefuse(
  db: Parameters<Migration['up']>[0],
  name: string,
  op: 'UPDATE' | 'DELETE' | 'TRUNCATE',
  table: string,
  condition: string | null,
  message: string,
): Promise<void> {
  const scope = op === 'TRUNCATE' ? 'STATEMENT' : 'ROW';
  const when = condition ? ` WHEN (${condition})` : '';
  await sql
    .raw(
      `CREATE TRIGGER ${name} BEFORE ${op} ON ${table} FOR EACH ${scope}${when}
         EXECUTE FUNCTION refuse_change('${message.replace(/'/g, "''")}')`,
    )
    .execute(db);
}
