import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../migrations/index.ts';
import { openCore } from '../app.ts';
import { migrate } from '../db/migrate.ts';
import { openSqlite, setRebasing } from '../db/open.ts';
import { LEFEVRE, openTestCore } from '../test/fixtures.ts';

const WRITES = [
  'UPDATE payments SET amount_cents = 1',
  'DELETE FROM payments',
  'UPDATE receipts SET number = 999',
  'DELETE FROM receipts',
  "UPDATE journal SET hash = 'falsifié'",
  'DELETE FROM journal',
];

const snapshot = (db: Database.Database) => ({
  payments: db.prepare('SELECT * FROM payments ORDER BY id').all(),
  receipts: db.prepare('SELECT * FROM receipts ORDER BY id').all(),
  journal: db.prepare('SELECT * FROM journal ORDER BY seq').all(),
});

/** A counter's file with one cash payment taken: a payment, its receipt and their journal entries. */
async function fileWithAPayment() {
  const file = join(mkdtempSync(join(tmpdir(), 'gf-append-only-')), 'guichet.sqlite');
  const core = await openTestCore({ path: file, clock: () => new Date('2026-10-05T09:00:00+02:00') });
  const created = await core.invoke('family.createHousehold', LEFEVRE);
  const { householdId } = (created as { data: { householdId: string } }).data;
  expect((await core.invoke('regie.openSession', { floatCents: 5000 })).ok).toBe(true);
  const paid = await core.invoke('payment.record', { householdId, mode: 'cash', amountCents: 2000 });
  expect(paid.ok).toBe(true);
  return { file, core };
}

describe('the régie’s append-only tables', () => {
  it('refuse another connection to the file, even after it sets sync_state.applying = 1', async () => {
    const { file, core } = await fileWithAPayment();
    const before = snapshot(core.raw);
    expect(before.payments).toHaveLength(1);
    expect(before.receipts).toHaveLength(1);

    const foreign = new Database(file);
    // What used to open the door to anyone: it is still a harmless write, and opens nothing now.
    expect(foreign.prepare('UPDATE sync_state SET applying = 1').run().changes).toBe(1);
    for (const statement of WRITES) {
      expect(() => foreign.prepare(statement).run(), statement).toThrow(
        'no such function: guichet_famille_sync_rebasing',
      );
    }
    // The app's own connection, outside a rebase, is refused too, with the reason in French.
    for (const statement of WRITES) {
      expect(() => core.raw.prepare(statement).run(), statement).toThrow(/ne se modifie ni ne se supprime/);
    }

    // While the app's connection rebases, the exemption is its own: the other connection is still refused.
    setRebasing(core.raw, true);
    try {
      for (const statement of WRITES)
        expect(() => foreign.prepare(statement).run(), statement).toThrow(/no such function/);
      core.raw.exec('SAVEPOINT rebase_like');
      expect(core.raw.prepare('UPDATE payments SET note = note').run().changes).toBe(1);
      core.raw.exec('ROLLBACK TO rebase_like');
      core.raw.exec('RELEASE rebase_like');
    } finally {
      setRebasing(core.raw, false);
    }

    foreign.close();
    expect(snapshot(core.raw)).toEqual(before);
    expect(await core.invoke('regie.verifyJournal', {})).toMatchObject({
      ok: true,
      data: { firstProblem: null },
    });
    await core.close();
  });

  it('a file from before step 9 no longer reads the flag once opened by the app', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'gf-append-only-')), 'ancien.sqlite');
    const old = openSqlite(file);
    await migrate(old.db, MIGRATIONS.slice(0, 8), 'sqlite');
    const readingTheFlag = (db: Database.Database) =>
      (
        db
          .prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND sql LIKE '%applying%'")
          .pluck()
          .all() as string[]
      ).sort();
    expect(readingTheFlag(old.raw)).toEqual(
      expect.arrayContaining(['journal_no_update', 'payments_no_delete']),
    );
    await old.db.destroy();

    const core = await openCore({ path: file });
    expect(readingTheFlag(core.raw)).toEqual([]);
    const guards = core.raw
      .prepare(
        "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND sql LIKE '%guichet_famille_sync_rebasing()%'",
      )
      .pluck()
      .get() as number;
    expect(guards).toBeGreaterThan(20);
    await core.close();
  });
});
