import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it, vi } from 'vitest';
import {
  ensureDataFolder,
  migrateProfileDatabase,
  readProfileMigration,
  resolveDataFolder,
} from './data-folder.ts';

const temp = () => mkdtempSync(join(tmpdir(), 'gf-data-folder-'));
const windows = { ProgramData: 'C:\\ProgramData', APPDATA: 'C:\\Users\\agent1\\AppData\\Roaming' };

describe('the data folder of a counter PC', () => {
  it('is the machine’s on an installed counter, whoever signs in to Windows', () => {
    const a = resolveDataFolder({ argv: [], env: { ...windows }, platform: 'win32', installed: true });
    const b = resolveDataFolder({
      argv: [],
      env: { ...windows, APPDATA: 'C:\\Users\\agent2\\AppData\\Roaming' },
      platform: 'win32',
      installed: true,
    });
    expect(a).toEqual({ dir: join('C:\\ProgramData', 'Guichet Famille'), source: 'default' });
    expect(b.dir).toBe(a.dir);
    expect(resolveDataFolder({ argv: [], env: {}, platform: 'linux', installed: true }).dir).toBe(
      '/var/lib/guichet-famille',
    );
  });

  it('stays the user’s folder for a development run (npm start), as before', () => {
    const dev = resolveDataFolder({
      argv: [],
      env: { XDG_CONFIG_HOME: '/home/dev/.config' },
      platform: 'linux',
      installed: false,
    });
    expect(dev.dir).toBe('/home/dev/.config/Guichet Famille');
  });

  it('takes --data-dir first, then GF_DATA_DIR, then the machine-wide setting', () => {
    const machine = temp();
    const env = { ProgramData: machine, GF_DATA_DIR: '/srv/env' };
    mkdirSync(join(machine, 'Guichet Famille'));
    writeFileSync(
      join(machine, 'Guichet Famille', 'guichet-famille.json'),
      '\uFEFF{ "dossierDonnees": "D:\\\\Guichet" }',
    );
    expect(
      resolveDataFolder({ argv: ['x', '--data-dir', '/a'], env, platform: 'win32', installed: true }),
    ).toEqual({
      dir: '/a',
      source: 'argument',
    });
    expect(
      resolveDataFolder({ argv: ['x', '--data-dir=/b'], env, platform: 'win32', installed: true }).dir,
    ).toBe('/b');
    expect(resolveDataFolder({ argv: [], env, platform: 'win32', installed: true }).source).toBe(
      'environment',
    );
    const fromSetting = resolveDataFolder({
      argv: [],
      env: { ProgramData: machine },
      platform: 'win32',
      installed: true,
    });
    expect(fromSetting).toEqual({
      dir: 'D:\\Guichet',
      source: 'machine-config',
      configFile: join(machine, 'Guichet Famille', 'guichet-famille.json'),
    });
    // Beside the executable wins over ProgramData: IT can ship it with the installed files.
    const exeDir = temp();
    writeFileSync(join(exeDir, 'guichet-famille.json'), '{ "dossierDonnees": "E:\\\\Autre" }');
    expect(
      resolveDataFolder({
        argv: [],
        env: { ProgramData: machine },
        platform: 'win32',
        installed: true,
        exeDir,
      }).dir,
    ).toBe('E:\\Autre');
  });

  it('refuses a machine-wide setting written badly rather than opening another database', () => {
    const exeDir = temp();
    writeFileSync(join(exeDir, 'guichet-famille.json'), '{ dossierDonnees: D:\\ }');
    expect(() =>
      resolveDataFolder({ argv: [], env: {}, platform: 'win32', installed: true, exeDir }),
    ).toThrow(/guichet-famille\.json n’est pas du JSON valide/);
    writeFileSync(join(exeDir, 'guichet-famille.json'), '{ "dossierDonnees": 3 }');
    expect(() =>
      resolveDataFolder({ argv: [], env: {}, platform: 'win32', installed: true, exeDir }),
    ).toThrow(/« dossierDonnees » doit être un chemin de dossier/);
  });

  it('is created at first start, and on Windows opened to every user of the PC', () => {
    const run = vi.fn();
    const dir = join(temp(), 'Guichet Famille');
    expect(ensureDataFolder(dir, { platform: 'win32', run })).toBe(true);
    expect(existsSync(dir)).toBe(true);
    expect(run).toHaveBeenCalledWith('icacls', [dir, '/grant', '*S-1-5-32-545:(OI)(CI)M']);
    expect(ensureDataFolder(dir, { platform: 'win32', run })).toBe(false);
    expect(run).toHaveBeenCalledTimes(1);
  });
});

describe('the database of a Windows profile, from versions before the machine folder', () => {
  function profileWithDatabase(): string {
    const dir = temp();
    const db = new Database(join(dir, 'guichet-famille.sqlite'));
    db.pragma('journal_mode = WAL');
    db.exec("CREATE TABLE t (x); INSERT INTO t VALUES ('dans le WAL')");
    // Left open: its last rows are still in the -wal file, as after a crash.
    return dir;
  }

  it('is copied once into the machine folder, WAL included, and kept where it was', async () => {
    const profile = profileWithDatabase();
    const machine = temp();
    const done = await migrateProfileDatabase(profile, machine, new Date('2026-12-04T08:00:00Z'));
    expect(done).toEqual({
      from: join(profile, 'guichet-famille.sqlite'),
      to: join(machine, 'guichet-famille.sqlite'),
      at: '2026-12-04T08:00:00.000Z',
    });
    const copy = new Database(join(machine, 'guichet-famille.sqlite'), { readonly: true });
    expect(copy.prepare('SELECT x FROM t').pluck().get()).toBe('dans le WAL');
    copy.close();
    expect(existsSync(join(profile, 'guichet-famille.sqlite'))).toBe(true);
    expect(readProfileMigration(machine)).toEqual(done);
    // Another agent's profile with its own old database: the machine already has one, nothing is copied over it.
    const other = profileWithDatabase();
    expect(await migrateProfileDatabase(other, machine)).toBeNull();
    expect(JSON.parse(readFileSync(join(machine, 'migration-profil.json'), 'utf8'))).toEqual(done);
  });

  it('is not copied when the machine folder already has a database', async () => {
    const machine = temp();
    writeFileSync(join(machine, 'guichet-famille.sqlite'), '');
    expect(await migrateProfileDatabase(profileWithDatabase(), machine)).toBeNull();
    expect(readProfileMigration(machine)).toBeNull();
  });
});
