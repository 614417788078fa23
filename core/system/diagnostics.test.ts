import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeSetting } from '../db/settings.ts';
import { DEVICE_KEY_FILE } from '../secrets/credential-vault.ts';
import { LEFEVRE, openTestCore } from '../test/fixtures.ts';
import { createFileLog, oldLogFile, tailLog } from './file-log.ts';

const CREDENTIAL = '01a2431e-3c02-724d.s3cr3t-du-poste-Zx81kQ';
const HEALTH = 'Allergie sévère aux arachides, stylo Anapen dans le sac';

describe('the diagnostic report', () => {
  it('gives the support the version, schema, data folder and the logs’ ends, never a secret nor a child’s health', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'gf-diagnostics-'));
    const core = await openTestCore({
      path: join(dataDir, 'guichet-famille.sqlite'),
      backupDir: join(dataDir, 'sauvegardes'),
    });
    // As the shell stores it: sealed with the data folder's key, which the report must open to mask it in the logs.
    await writeSetting(core.db, 'sync.credential', core.credentials.seal(CREDENTIAL));
    const key = readFileSync(join(dataDir, DEVICE_KEY_FILE), 'utf8').trim().split(':')[1]!;
    await writeSetting(core.db, 'sync.serverUrl', 'https://guichet.belleval.fr');
    expect(await core.invoke('family.createHousehold', LEFEVRE)).toMatchObject({ ok: true });
    // The health section is written by another screen: the note is planted in the file as that one would.
    core.raw.prepare("UPDATE children SET health_notes = ? WHERE first_name = 'Zoé'").run(HEALTH);
    mkdirSync(join(dataDir, 'journaux'));
    const core_ = createFileLog(join(dataDir, 'journaux', 'core.log'));
    core_.info('[cœur] base ouverte');
    core_.error(`[sync] refusé : authorization: Bearer ${CREDENTIAL}`);
    core_.error('[auth] échec', JSON.stringify({ username: 'regie', password: 'belleval-2026!' }));
    core_.warn(`[famille] enregistrement refusé : ${HEALTH}`);
    core_.info('[sync] token=abcdef123456 envoyé');
    core_.warn(`[cœur] lu ${key} dans le dossier`);
    writeFileSync(
      join(dataDir, 'journaux', 'renderer.log'),
      `[2026-12-04 10:00:00.000] [error] Écran : ${CREDENTIAL.split('.')[1]}\n`,
    );

    const r = await core.invoke('system.diagnostics', {});
    if (!r.ok) throw new Error(r.error.message);
    const { report } = r.data as { report: string };
    expect(report).toContain('Version : 0.1.0');
    expect(report).toMatch(/Schéma de la base : \d+/);
    expect(report).toContain(`Dossier de données : ${dataDir}`);
    expect(report).toContain('Serveur central : https://guichet.belleval.fr');
    expect(report).toContain('[info] [cœur] base ouverte');
    expect(report).toContain('--- main.log (fin) ---\n(absent)');
    for (const secret of [
      CREDENTIAL,
      key,
      's3cr3t-du-poste-Zx81kQ',
      'belleval-2026!',
      'abcdef123456',
      'arachides',
      'Anapen',
    ])
      expect(report).not.toContain(secret);
    expect(report).toContain('«masqué»');
    await core.close();
  });
});

describe('the logs on disk', () => {
  it('write electron-log’s line format and rotate to .old.log past their size', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'gf-log-')), 'core.log');
    const log = createFileLog(file, { maxBytes: 200, clock: () => new Date(2026, 11, 4, 9, 5, 7, 42) });
    log.error('Sauvegarde impossible :', new Error('disque plein').message);
    expect(tailLog(file, 5)).toEqual([
      '[2026-12-04 09:05:07.042] [error] Sauvegarde impossible : disque plein',
    ]);
    for (let i = 0; i < 10; i++) log.info(`ligne ${i}`);
    const lines = tailLog(file, 100);
    // The newest lines are kept across the rotation, the oldest dropped with the older file.
    expect(lines.at(-1)).toBe('[2026-12-04 09:05:07.042] [info] ligne 9');
    expect(lines.length).toBeLessThan(11);
    expect(tailLog(oldLogFile(file), 100).length).toBeGreaterThan(0);
  });
});
