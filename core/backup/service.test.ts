import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openTestCore } from '../test/fixtures.ts';
import { checkBackup } from './restore.ts';

const temp = () => mkdtempSync(join(tmpdir(), 'gf-backup-service-'));

describe('backups to a folder the administrator chose', () => {
  it('copies each backup there too, and says so', async () => {
    const dir = temp();
    const share = join(dir, 'partage');
    mkdirSync(share);
    const core = await openTestCore({ path: join(dir, 'g.sqlite'), backupDir: join(dir, 'sauvegardes') });
    expect(await core.invoke('backup.setCopyDir', { copyDir: share })).toMatchObject({ ok: true });
    const taken = await core.invoke('system.backupNow', {});
    if (!taken.ok) throw new Error(taken.error.message);
    const { name } = taken.data as { name: string };
    expect(readdirSync(share)).toEqual([name]);
    expect(await core.invoke('backup.health', {})).toMatchObject({
      ok: true,
      data: { failing: null, last: { name, copiedTo: share } },
    });
    await core.close();
  });

  it('refuses a folder the PC cannot reach, naming the field, and keeps the previous one', async () => {
    const dir = temp();
    const core = await openTestCore({ path: join(dir, 'g.sqlite'), backupDir: join(dir, 'sauvegardes') });
    expect(await core.invoke('backup.setCopyDir', { copyDir: join(dir, 'absent') })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', field: 'copyDir', message: expect.stringContaining('introuvable') },
    });
    expect(await core.invoke('backup.setCopyDir', { copyDir: 'relatif' })).toMatchObject({
      ok: false,
      error: { field: 'copyDir', message: expect.stringContaining('chemin complet') },
    });
    expect(await core.invoke('backup.settings', {})).toMatchObject({ ok: true, data: { copyDir: null } });
    await core.close();
  });

  it('shows a failed copy until a backup succeeds again; the local copy is still made', async () => {
    const dir = temp();
    const share = join(dir, 'cle-usb');
    mkdirSync(share);
    const core = await openTestCore({ path: join(dir, 'g.sqlite'), backupDir: join(dir, 'sauvegardes') });
    await core.invoke('backup.setCopyDir', { copyDir: share });
    // The USB disk is unplugged.
    rmSync(share, { recursive: true });
    const failed = await core.invoke('system.backupNow', {});
    expect(failed).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', message: expect.stringContaining('La copie locale guichet-famille-') },
    });
    const health = await core.invoke('backup.health', {});
    expect(health).toMatchObject({
      ok: true,
      data: {
        failing: {
          reason: 'manuelle',
          failure: expect.stringContaining(`Copie de la sauvegarde vers ${share} impossible`),
        },
      },
    });
    expect(readdirSync(join(dir, 'sauvegardes')).filter((f) => f.endsWith('-manuelle.sqlite'))).toHaveLength(
      1,
    );
    mkdirSync(share);
    expect(await core.invoke('system.backupNow', {})).toMatchObject({ ok: true });
    expect(await core.invoke('backup.health', {})).toMatchObject({ ok: true, data: { failing: null } });
    await core.close();
  });
});

describe('what a restore requires of a backup', () => {
  it('refuses a backup made by a newer version, naming both schemas', async () => {
    const dir = temp();
    const core = await openTestCore({ path: join(dir, 'g.sqlite'), backupDir: join(dir, 'sauvegardes') });
    const taken = await core.invoke('system.backupNow', {});
    await core.close();
    if (!taken.ok) throw new Error(taken.error.message);
    const { file } = taken.data as { file: string };
    const newer = join(dir, 'plus-recente.sqlite');
    copyFileSync(file, newer);
    const db = new Database(newer);
    db.prepare(
      "INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, '0999_futur', '2027-01-01')",
    ).run();
    db.close();
    await expect(checkBackup(newer, dir)).rejects.toThrow(
      /plus-recente\.sqlite vient d’une version plus récente de Guichet Famille \(schéma 999/,
    );
    // The check works on a scratch copy, removed after.
    expect(existsSync(join(dir, 'verification-restauration.sqlite'))).toBe(false);
    await expect(checkBackup(file, dir)).resolves.toMatchObject({ integrity: 'ok' });
  });

  it('refuses a backup whose régie journal does not verify', async () => {
    const dir = temp();
    const core = await openTestCore({ path: join(dir, 'g.sqlite'), backupDir: join(dir, 'sauvegardes') });
    const taken = await core.invoke('system.backupNow', {});
    await core.close();
    if (!taken.ok) throw new Error(taken.error.message);
    const forged = join(dir, 'trafiquee.sqlite');
    copyFileSync((taken.data as { file: string }).file, forged);
    const db = new Database(forged);
    // An entry nobody sealed, slipped in with another program.
    db.prepare(
      "INSERT INTO journal (seq, kind, ref_id, payload, prev_hash, hash, at) VALUES (1, 'payment', 'x', '{}', 'a', 'b', '2026-12-01T10:00:00Z')",
    ).run();
    db.close();
    await expect(checkBackup(forged, dir)).rejects.toThrow(
      /Le journal de la régie de trafiquee\.sqlite ne se vérifie pas/,
    );
  });
});
