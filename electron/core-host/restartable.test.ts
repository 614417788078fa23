import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { LEFEVRE, TEST_PASSWORD } from '../../core/test/fixtures.ts';
import { restartableCore, type RestartableCore } from './restartable.ts';
import { startCoreWorker } from './worker.ts';

/**
 * Restoring from the app, end to end on the browser host's path: the real core host in a worker, a backup taken,
 * a restore asked and « Redémarrer »; the next core host honours the request before it opens the file.
 */
const cores: RestartableCore[] = [];
afterEach(async () => {
  for (const core of cores.splice(0)) await core.close();
});

const households = (file: string) => {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare('SELECT name FROM households ORDER BY name').pluck().all();
  } finally {
    db.close();
  }
};

async function counter() {
  const dataDir = mkdtempSync(join(tmpdir(), 'gf-restore-'));
  const path = join(dataDir, 'guichet-famille.sqlite');
  const core = restartableCore(() =>
    startCoreWorker({
      path,
      backupDir: join(dataDir, 'sauvegardes'),
      logDir: join(dataDir, 'journaux'),
      scryptLogN: 10,
    }),
  );
  cores.push(core);
  await core.current().ready;
  const admin = { username: 'admin', displayName: 'Administrateur', password: TEST_PASSWORD };
  expect(await core.invoke('auth.setupAdmin', admin)).toMatchObject({ ok: true });
  return { core, dataDir, path };
}

describe('restoring a backup from the app', { timeout: 60_000 }, () => {
  it('checks the backup, restarts, restores before opening, and keeps the replaced file aside', async () => {
    const { core, dataDir, path } = await counter();
    await core.invoke('family.createHousehold', { ...LEFEVRE, name: 'Avant' });
    const backup = await core.invoke('system.backupNow', {});
    if (!backup.ok) throw new Error(backup.error.message);
    const { name } = backup.data as { name: string };
    await core.invoke('family.createHousehold', { ...LEFEVRE, name: 'Après' });

    const checked = await core.invoke('backup.check', { file: name });
    expect(checked).toMatchObject({ ok: true, data: { integrity: 'ok', schemaVersion: expect.any(Number) } });
    expect(await core.invoke('backup.requestRestore', { file: name })).toMatchObject({ ok: true });
    // Nothing happens to the open database until the restart.
    expect(households(path)).toEqual(['Après', 'Avant']);
    expect(await core.invoke('shell.restart', {})).toEqual({ ok: true, data: { restarting: true } });

    // The new core host: a new session, on the restored file.
    await expect
      .poll(
        async () => (await core.invoke('auth.login', { username: 'admin', password: TEST_PASSWORD })).ok,
        {
          timeout: 30_000,
        },
      )
      .toBe(true);
    expect(households(path)).toEqual(['Avant']);
    expect(households(`${path}.before-restore`)).toEqual(['Après', 'Avant']);
    expect(existsSync(join(dataDir, 'restauration-demandee.json'))).toBe(false);
    const settings = await core.invoke('backup.settings', {});
    expect(settings).toMatchObject({
      ok: true,
      data: {
        restored: {
          file: join(dataDir, 'sauvegardes', name),
          by: 'Administrateur',
          previous: `${path}.before-restore`,
        },
      },
    });
    expect(readFileSync(join(dataDir, 'journaux', 'core.log'), 'utf8')).toContain(
      `base restaurée depuis ${join(dataDir, 'sauvegardes', name)}`,
    );
  });

  it('refuses, naming the file, a backup that is not a database, and restores nothing', async () => {
    const { core, path } = await counter();
    await core.invoke('family.createHousehold', { ...LEFEVRE, name: 'Reste' });
    const bogus = join(mkdtempSync(join(tmpdir(), 'gf-bogus-')), 'copie.sqlite');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(
      bogus,
      'ceci n’est pas une base SQLite, mais un texte assez long pour en avoir l’air'.repeat(20),
    );
    const r = await core.invoke('backup.requestRestore', { file: bogus });
    expect(r).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', field: 'file', message: expect.stringContaining('copie.sqlite') },
    });
    expect(await core.invoke('backup.requestRestore', { file: '../../etc/passwd' })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', message: expect.stringContaining('sauvegarde') },
    });
    expect(households(path)).toEqual(['Reste']);
  });

  it('leaves restarting to an administrator', async () => {
    const { core } = await counter();
    await core.invoke('auth.logout', {});
    expect(await core.invoke('shell.restart', {})).toMatchObject({ ok: false });
  });
});
