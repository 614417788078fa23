import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../migrations/index.ts';
import { migrate } from '../db/migrate.ts';
import { openSqlite } from '../db/open.ts';
import { openCore } from '../app.ts';
import { LEFEVRE, openTestCore, TEST_PASSWORD } from '../test/fixtures.ts';
import { backupNow, integrityCheck, listBackups, pruneBackups, restoreBackup } from './backup.ts';

const tempDir = () => mkdtempSync(join(tmpdir(), 'gf-backup-'));
const households = (file: string) => {
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM households').get() as { n: number }).n;
  } finally {
    db.close();
  }
};

describe('backups', () => {
  it('copies the live database while it is in use, and restores it whole', async () => {
    const dir = tempDir();
    const path = join(dir, 'live.sqlite');
    const core = await openTestCore({ path });
    for (let i = 0; i < 3; i++)
      await core.invoke('family.createHousehold', { ...LEFEVRE, name: `Foyer ${i}` });
    const backup = await backupNow(core.raw, join(dir, 'backups'), 'manuelle');
    await core.invoke('family.createHousehold', { ...LEFEVRE, name: 'Après la sauvegarde' });
    await core.close();

    expect(integrityCheck(backup.file)).toBe('ok');
    expect(households(backup.file)).toBe(3);
    const restored = restoreBackup(backup.file, path);
    expect(restored.checked).toBe('ok');
    expect(households(path)).toBe(3);
    // The file that was replaced is kept aside, with what it held.
    expect(households(restored.previous as string)).toBe(4);
    // The restored file has its accounts: the administrator signs in as before.
    const reopened = await openCore({ path });
    expect((await reopened.invoke('auth.login', { username: 'admin', password: TEST_PASSWORD })).ok).toBe(
      true,
    );
    const found = await reopened.invoke('family.search', { text: 'foyer' });
    expect(found.ok && (found.data as unknown[]).length).toBe(3);
    await reopened.close();
  });

  it('lets the administrator take a backup now and list them through the contract', async () => {
    const dir = tempDir();
    const core = await openTestCore({ path: join(dir, 'live.sqlite'), backupDir: join(dir, 'b') });
    await core.invoke('family.createHousehold', LEFEVRE);
    const taken = await core.invoke('system.backupNow', {});
    expect(taken).toMatchObject({ ok: true, data: { reason: 'manuelle' } });
    const list = await core.invoke('system.backups', {});
    expect(
      list.ok && (list.data as { backups: { file: string }[] }).backups.map((b) => households(b.file)),
    ).toEqual([1]);
    await core.close();
  });

  it('refuses to restore a damaged backup and leaves the database as it was', async () => {
    const dir = tempDir();
    const path = join(dir, 'live.sqlite');
    const core = await openTestCore({ path });
    await core.invoke('family.createHousehold', LEFEVRE);
    await core.close();
    const bad = join(dir, 'guichet-famille-20261123-100000-manuelle.sqlite');
    writeFileSync(bad, 'pas une base SQLite');
    expect(() => restoreBackup(bad, path)).toThrow();
    expect(households(path)).toBe(1);
  });

  it('keeps the newest backups of each kind and drops the others', async () => {
    const dir = tempDir();
    const { raw, db } = openSqlite(join(dir, 'x.sqlite'));
    for (let day = 1; day <= 5; day++)
      await backupNow(raw, join(dir, 'b'), 'quotidienne', new Date(Date.UTC(2026, 10, day)));
    await backupNow(raw, join(dir, 'b'), 'avant-migration', new Date(Date.UTC(2026, 9, 1)));
    const removed = pruneBackups(join(dir, 'b'), 3);
    expect(removed).toHaveLength(2);
    const kept = listBackups(join(dir, 'b'));
    expect(kept.map((b) => `${b.reason} ${b.at.slice(0, 10)}`)).toEqual([
      'quotidienne 2026-11-05',
      'quotidienne 2026-11-04',
      'quotidienne 2026-11-03',
      'avant-migration 2026-10-01',
    ]);
    await db.destroy();
  });

  it('backs a file up before migrating it, but not a new one', async () => {
    const dir = tempDir();
    const backups = join(dir, 'backups');
    const fresh = await openCore({ path: join(dir, 'fresh.sqlite'), backupDir: backups });
    await fresh.close();
    expect(listBackups(backups)).toEqual([]);

    const old = openSqlite(join(dir, 'old.sqlite'));
    await migrate(old.db, MIGRATIONS.slice(0, 1), 'sqlite');
    old.raw
      .prepare("INSERT INTO households (id, name, created_at, updated_at) VALUES ('h', 'Ancien', 'x', 'x')")
      .run();
    await old.db.destroy();
    const upgraded = await openCore({ path: join(dir, 'old.sqlite'), backupDir: backups });
    await upgraded.close();
    const [before] = listBackups(backups);
    expect(before?.reason).toBe('avant-migration');
    expect(households(before!.file)).toBe(1);
    const schema = new Database(before!.file, { readonly: true });
    expect(schema.prepare('SELECT max(version) AS v FROM schema_migrations').get()).toEqual({ v: 1 });
    schema.close();
  });

  it('leaves a database that opens and passes the integrity check when the app is killed mid-work', async () => {
    const dir = tempDir();
    const path = join(dir, 'crash.sqlite');
    const backups = join(dir, 'backups');
    const worker = join(import.meta.dirname, 'crash-worker.ts');
    for (const delay of [30, 120, 400]) {
      const child = spawn(process.execPath, [worker, path, backups], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
      await new Promise((r) => setTimeout(r, delay));
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      expect(integrityCheck(path)).toBe('ok');
      const db = new Database(path, { readonly: true });
      // Each household was written with its command-log row, in one transaction: never one without the other.
      const counts = db
        .prepare(
          "SELECT (SELECT count(*) FROM households) AS households, (SELECT count(*) FROM command_log WHERE name = 'family.createHousehold') AS logged",
        )
        .get() as { households: number; logged: number };
      db.close();
      expect(counts.households).toBeGreaterThan(0);
      expect(counts.households).toBe(counts.logged);
    }
    for (const b of listBackups(backups)) expect(integrityCheck(b.file)).toBe('ok');
    expect(readdirSync(backups).some((f) => f.endsWith('.sqlite'))).toBe(true);
    // A backup cut short stays a .partial file, never listed, and the next start clears it.
    const next = await openCore({ path, backupDir: backups });
    await next.close();
    expect(readdirSync(backups).filter((f) => f.endsWith('.partial'))).toEqual([]);
  }, 60_000);

  it('gives every backup a file of its own, two in the same second or at the same instant included', async () => {
    const dir = tempDir();
    const b = join(dir, 'b');
    const { raw, db } = openSqlite(join(dir, 'x.sqlite'));
    const second = '2026-11-23T10:00:00';
    const taken = [
      await backupNow(raw, b, 'manuelle', new Date(`${second}.000Z`)),
      await backupNow(raw, b, 'manuelle', new Date(`${second}.400Z`)),
      // The daily backup and an administrator's, started together at the same millisecond.
      ...(await Promise.all([
        backupNow(raw, b, 'quotidienne', new Date(`${second}.400Z`)),
        backupNow(raw, b, 'quotidienne', new Date(`${second}.400Z`)),
      ])),
    ];
    expect(new Set(taken.map((t) => t.name)).size).toBe(4);
    const listed = listBackups(b);
    expect(listed.map((l) => l.name).sort()).toEqual(taken.map((t) => t.name).sort());
    for (const l of listed) expect(integrityCheck(l.file)).toBe('ok');
    expect(listed.map((l) => `${l.reason} ${l.at}`).sort()).toEqual([
      'manuelle 2026-11-23T10:00:00.000Z',
      'manuelle 2026-11-23T10:00:00.400Z',
      'quotidienne 2026-11-23T10:00:00.400Z',
      'quotidienne 2026-11-23T10:00:00.400Z',
    ]);
    // Newest first: the backup taken at 10:00:00.000 comes last.
    expect(listed.at(-1)?.name).toBe(taken[0]!.name);
    await db.destroy();
  });

  it('rotates backups taken in the same second as any others: the newest taken are the ones kept', async () => {
    const dir = tempDir();
    const b = join(dir, 'b');
    const { raw, db } = openSqlite(join(dir, 'x.sqlite'));
    const at = new Date('2026-11-23T10:00:00.000Z');
    const taken: string[] = [];
    for (let i = 0; i < 12; i++) taken.push((await backupNow(raw, b, 'quotidienne', at)).name);
    expect(new Set(taken).size).toBe(12);
    expect(pruneBackups(b, 3).sort()).toEqual(taken.slice(0, 9).sort());
    expect(listBackups(b).map((l) => l.name)).toEqual(taken.slice(9).reverse());
    await db.destroy();
  });

  it('reads the backups named to the second by earlier versions, and rotates them with the new ones', async () => {
    const dir = tempDir();
    const b = join(dir, 'b');
    const { raw, db } = openSqlite(join(dir, 'x.sqlite'));
    const fresh = await backupNow(raw, b, 'quotidienne', new Date('2026-11-24T10:00:00.250Z'));
    copyFileSync(fresh.file, join(b, 'guichet-famille-20261123-100000-quotidienne.sqlite'));
    expect(listBackups(b).map((l) => `${l.reason} ${l.at}`)).toEqual([
      'quotidienne 2026-11-24T10:00:00.250Z',
      'quotidienne 2026-11-23T10:00:00.000Z',
    ]);
    expect(pruneBackups(b, 1)).toEqual(['guichet-famille-20261123-100000-quotidienne.sqlite']);
    await db.destroy();
  });

  it('clears at the next start the half copy of a backup killed mid-copy, never listing it', async () => {
    const dir = tempDir();
    const path = join(dir, 'live.sqlite');
    const backups = join(dir, 'backups');
    const worker = join(import.meta.dirname, 'crash-worker.ts');
    const child = spawn(process.execPath, [worker, path, backups, 'mid-backup'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));

    const partials = () => readdirSync(backups).filter((f) => f.endsWith('.partial'));
    expect(partials()).toHaveLength(1);
    // The one whole backup is listed; the half copy is not.
    const whole = listBackups(backups);
    expect(whole).toHaveLength(1);
    expect(partials()[0]).not.toBe(`${whole[0]!.name}.partial`);
    expect(integrityCheck(whole[0]!.file)).toBe('ok');

    const next = await openCore({ path, backupDir: backups });
    await next.close();
    expect(partials()).toEqual([]);
    expect(listBackups(backups).map((l) => l.name)).toEqual([whole[0]!.name]);
  }, 60_000);
});
