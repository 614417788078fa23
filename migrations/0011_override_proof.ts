import { sql } from 'kysely';
import type { Migration } from './types.ts';

/**
 * Whether the central server could prove who authorised a cash payment over the limit (core/payments/
 * override-proof.ts): 'proven', 'unproven' with the reason, or null (no override, or not judged yet: a counter
 * records its own payments unjudged, and takes the server's verdict with the server's row). Written once, with the
 * payment: the append-only triggers keep it as written. Not part of the journal's payload (its format is frozen,
 * core/payments/canonical.ts): the verdict is the server's judgement of the fact, not the fact.
 */
export const migration0011: Migration = {
  version: 11,
  name: 'override_proof',
  async up(db) {
    await db.schema
      .alterTable('payments')
      .addColumn('override_proof', 'text', (c) =>
        c.check(sql`override_proof IS NULL OR override_proof IN ('proven', 'unproven')`),
      )
      .execute();
    await db.schema.alterTable('payments').addColumn('override_proof_note', 'text').execute();
  },
};
