import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../core/app.ts';
import { applyPendingRestore, writeRestoreRequest } from '../core/backup/restore.ts';
import { DEVICE_KEY_FILE, SEALED_CREDENTIAL } from '../core/secrets/credential-vault.ts';
import { openTestCore } from '../core/test/fixtures.ts';
import { ADMIN_TOKEN, townServer, type TownServer } from '../server/harness.ts';
import { createSyncRunner, ENROL_AGAIN, routeWindowCall, type SyncRunner } from './sync-runner.ts';

const AT = '2026-09-14T10:00:00+02:00';
const DATABASE = 'guichet-famille.sqlite';

let town: TownServer | null = null;
const cores: Core[] = [];
const runners: SyncRunner[] = [];
afterEach(async () => {
  for (const r of runners.splice(0)) await r.stop();
  for (const c of cores.splice(0)) await c.close().catch(() => {});
  await town?.close();
  town = null;
});

async function enrol(t: TownServer, name: string) {
  const res = await fetch(`${t.http.url}/devices`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name }),
  });
  return (await res.json()) as { deviceId: string; credential: string; seriesPrefix: string };
}

/** A counter PC opened on a data folder, as the core host opens it (the key file is read from that folder). */
async function counterIn(dataDir: string) {
  const core = await openTestCore({
    path: join(dataDir, DATABASE),
    backupDir: join(dataDir, 'sauvegardes'),
    clock: () => new Date(AT),
  });
  cores.push(core);
  const runner = createSyncRunner(core, { clock: () => new Date(AT), intervalMs: 600_000 });
  runners.push(runner);
  const window = (name: string, input: unknown = {}) => routeWindowCall(runner, name, input, core.invoke);
  return { core, runner, window };
}

async function closeCounter(c: Awaited<ReturnType<typeof counterIn>>) {
  await c.runner.stop();
  await c.core.close();
}

/** Every byte of the database as a copy would take it: the file and its write-ahead log. */
function fileBytes(file: string): Buffer {
  return Buffer.concat([file, `${file}-wal`].filter(existsSync).map((f) => readFileSync(f)));
}

const storedCredential = (core: Core) =>
  JSON.parse(
    (core.raw.prepare("SELECT value FROM settings WHERE key = 'sync.credential'").get() as { value: string })
      .value,
  ) as string;

describe('the sync credential kept sealed with the PC’s key', { timeout: 60_000 }, () => {
  it('leaves no usable credential in a backup: the same PC restored syncs, another PC asks to be connected again', async () => {
    const t = (town = await townServer({ sqlite: ':memory:' }, AT));
    const device = await enrol(t, 'Guichet A');
    const secret = device.credential.split('.')[1]!;
    const pcDir = mkdtempSync(join(tmpdir(), 'gf-credential-pc-'));
    const pc = await counterIn(pcDir);
    expect(
      await pc.window('sync.connect', { serverUrl: t.http.url, credential: device.credential }),
    ).toMatchObject({ ok: true });
    expect(storedCredential(pc.core)).toMatch(SEALED_CREDENTIAL);

    const backup = await pc.core.backups!.take('test');
    expect(readFileSync(backup.file).includes(secret)).toBe(false);
    expect(readFileSync(backup.file).includes(device.credential)).toBe(false);

    // The backup alone, on another PC (its own data folder, so its own key): nothing can be sent with it.
    const otherDir = mkdtempSync(join(tmpdir(), 'gf-credential-other-'));
    copyFileSync(backup.file, join(otherDir, DATABASE));
    const other = await counterIn(otherDir);
    expect(other.core.credentials.open(storedCredential(other.core))).toBeNull();
    expect(await other.runner.start()).toBe(false);
    expect(await other.window('sync.syncNow')).toEqual({
      ok: false,
      error: { code: 'CONFLICT', message: ENROL_AGAIN },
    });
    expect(await other.window('sync.status')).toMatchObject({
      ok: true,
      data: { connected: false, blocked: ENROL_AGAIN },
    });
    expect(await other.window('sync.connection')).toMatchObject({
      ok: true,
      data: { connected: false, deviceName: 'Guichet A' },
    });
    // Connected again by the administrator with the PC's credential, it syncs and the warning goes.
    expect(
      await other.window('sync.connect', { serverUrl: t.http.url, credential: device.credential }),
    ).toMatchObject({ ok: true });
    expect(await other.window('sync.status')).toMatchObject({
      ok: true,
      data: { connected: true, blocked: null },
    });
    await closeCounter(other);

    // The same PC, restored from that backup as the app restores (the key file is still in its folder).
    await closeCounter(pc);
    writeRestoreRequest(pcDir, { file: backup.file, requestedAt: AT, by: 'Administrateur' });
    expect(await applyPendingRestore(pcDir, join(pcDir, DATABASE))).toMatchObject({
      previous: expect.any(String),
    });
    const restored = await counterIn(pcDir);
    expect(await restored.runner.start()).toBe(true);
    expect(await restored.window('sync.syncNow')).toMatchObject({ ok: true, data: { ok: true } });
    expect(await restored.window('sync.status')).toMatchObject({ ok: true, data: { blocked: null } });
    await closeCounter(restored);
    expect(fileBytes(join(pcDir, DATABASE)).includes(secret)).toBe(false);
  });

  it('seals a credential an earlier version stored in clear at the first open, and still syncs with it', async () => {
    const t = (town = await townServer({ sqlite: ':memory:' }, AT));
    const device = await enrol(t, 'Guichet A');
    const secret = device.credential.split('.')[1]!;
    const dir = mkdtempSync(join(tmpdir(), 'gf-credential-old-'));
    const before = await counterIn(dir);
    await before.window('sync.connect', { serverUrl: t.http.url, credential: device.credential });
    // What the earlier version left: the credential in clear and no key file.
    before.core.raw
      .prepare("UPDATE settings SET value = ? WHERE key = 'sync.credential'")
      .run(JSON.stringify(device.credential));
    await closeCounter(before);
    rmSync(join(dir, DEVICE_KEY_FILE));
    expect(fileBytes(join(dir, DATABASE)).includes(secret)).toBe(true);

    const after = await counterIn(dir);
    expect(storedCredential(after.core)).toMatch(SEALED_CREDENTIAL);
    expect(existsSync(join(dir, DEVICE_KEY_FILE))).toBe(true);
    // Not even in the page's free space nor in the write-ahead log: a copy of the file taken now is clean.
    expect(fileBytes(join(dir, DATABASE)).includes(secret)).toBe(false);
    expect(await after.runner.start()).toBe(true);
    expect(await after.window('sync.syncNow')).toMatchObject({ ok: true, data: { ok: true } });
    const backup = await after.core.backups!.take('test');
    expect(readFileSync(backup.file).includes(secret)).toBe(false);
  });
});
