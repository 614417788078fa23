import { sql } from 'kysely';
import { pgRefuse } from './pg-refuse.ts';
import type { Migration } from './types.ts';

/**
 * Verified checkpoints of the régie's journal (issue 16): a row records « entries 1…n checked, entry n's hash h, at
 * t », so that the routine check reads only the entries written since and links them to h, while the full check
 * stays on demand (core/journal/journal.ts). Checkpoints are chained to each other like the journal's entries and,
 * like them, are never edited nor deleted: an older, honest checkpoint keeps accusing an entry re-hashed after it.
 * They belong to the machine that checked: they do not travel with sync.
 */
export const migration0022: Migration = {
  version: 22,
  name: 'journal_checkpoints',
  async up(db, dialect) {
    await db.schema
      .createTable('journal_checkpoints')
      .addColumn('n', 'integer', (c) => c.primaryKey())
      .addColumn('upto_seq', 'integer', (c) => c.notNull())
      .addColumn('upto_hash', 'text', (c) => c.notNull())
      .addColumn('checked_at', 'text', (c) => c.notNull())
      // 1 when the check that wrote it read the whole journal, 0 when it started from the previous checkpoint.
      .addColumn('full_check', 'integer', (c) => c.notNull())
      .addColumn('prev_hash', 'text', (c) => c.notNull())
      .addColumn('hash', 'text', (c) => c.notNull())
      .execute();
    const message = 'point de vérification du journal : il ne se modifie ni ne se supprime';
    if (dialect === 'sqlite') {
      for (const op of ['UPDATE', 'DELETE'] as const)
        await sql
          .raw(
            `CREATE TRIGGER journal_checkpoints_no_${op.toLowerCase()} BEFORE ${op} ON journal_checkpoints BEGIN
               SELECT RAISE(ABORT, '${message}');
             END`,
          )
          .execute(db);
    } else {
      for (const op of ['UPDATE', 'DELETE', 'TRUNCATE'] as const)
        await pgRefuse(
          db,
          `journal_checkpoints_no_${op.toLowerCase()}`,
          op,
          'journal_checkpoints',
          null,
          message,
        );
    }
  },
};
