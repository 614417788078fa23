/**
 * Where a counter PC keeps its database, backups and logs. Plain Node (no Electron import): Electron's main process,
 * the browser host (`scripts/start.ts`) and the tests resolve it with this same code.
 *
 * An installed counter is shared by several Windows accounts: its data is the machine's, not one profile's
 * (`app.getPath('userData')` would give each agent signing in another database, credential and till).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { PROFILE_MIGRATION_FILE, type ProfileMigration } from '../core/backup/profile-migration.ts';

export { PROFILE_MIGRATION_FILE, readProfileMigration } from '../core/backup/profile-migration.ts';

export const APP_FOLDER = 'Guichet Famille';
export const DATABASE_FILE = 'guichet-famille.sqlite';
export const BACKUP_FOLDER = 'sauvegardes';
export { LOG_FOLDER } from '../core/system/file-log.ts';
/** The machine-wide setting IT deploys (GPO « Fichiers », Intune, a script): `{ "dossierDonnees": "D:\\…" }`. */
export const MACHINE_CONFIG_FILE = 'guichet-famille.json';

export type DataFolderSource = 'argument' | 'environment' | 'machine-config' | 'default';

export interface DataFolder {
  dir: string;
  source: DataFolderSource;
  /** The machine-wide setting read, when there is one. */
  configFile?: string;
}

export interface DataFolderInputs {
  argv: readonly string[];
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
  /** An installed app uses the machine's folder; a development run (`npm start`) keeps the user's. */
  installed: boolean;
  /** The folder of the executable: a setting beside it wins over the one in ProgramData. */
  exeDir?: string;
}

/** `C:\ProgramData\Guichet Famille`, `/var/lib/guichet-famille`: what every account of the PC shares. */
export function machineFolder(platform: NodeJS.Platform, env: NodeJS.ProcessEnv): string {
  if (platform === 'win32')
    return join(env.ProgramData ?? env.ALLUSERSPROFILE ?? 'C:\\ProgramData', APP_FOLDER);
  if (platform === 'darwin') return join('/Library/Application Support', APP_FOLDER);
  return '/var/lib/guichet-famille';
}

/** Where Electron's `userData` is for productName « Guichet Famille »: the development folder, and the old one. */
export function profileFolder(platform: NodeJS.Platform, env: NodeJS.ProcessEnv): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), APP_FOLDER);
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', APP_FOLDER);
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), APP_FOLDER);
}

/** `--data-dir X` or `--data-dir=X`; the last one given wins. */
export function argumentValue(argv: readonly string[], name: string): string | undefined {
  let value: string | undefined;
  argv.forEach((arg, i) => {
    if (arg === name && i + 1 < argv.length) value = argv[i + 1];
    else if (arg.startsWith(`${name}=`)) value = arg.slice(name.length + 1);
  });
  return value || undefined;
}

function readMachineConfig(file: string): { dossierDonnees?: unknown } | null {
  if (!existsSync(file)) return null;
  try {
    return JSON.parse(readFileSync(file, 'utf8').replace(/^\uFEFF/, '')) as { dossierDonnees?: unknown };
  } catch (error) {
    // A setting IT wrote badly must stop the app, not silently open another database.
    throw new Error(`Le réglage ${file} n’est pas du JSON valide : ${(error as Error).message}`, {
      cause: error,
    });
  }
}

/**
 * The first of: `--data-dir`, `GF_DATA_DIR`, the machine-wide setting (`guichet-famille.json` beside the
 * executable, then in the machine folder), the default (the machine folder when installed, the user's otherwise).
 */
export function resolveDataFolder(inputs: DataFolderInputs): DataFolder {
  const fromArgument = argumentValue(inputs.argv, '--data-dir');
  if (fromArgument) return { dir: fromArgument, source: 'argument' };
  if (inputs.env.GF_DATA_DIR) return { dir: inputs.env.GF_DATA_DIR, source: 'environment' };
  const machine = machineFolder(inputs.platform, inputs.env);
  const candidates = [
    ...(inputs.exeDir ? [join(inputs.exeDir, MACHINE_CONFIG_FILE)] : []),
    join(machine, MACHINE_CONFIG_FILE),
  ];
  for (const configFile of candidates) {
    const dir = readMachineConfig(configFile)?.dossierDonnees;
    if (dir === undefined) continue;
    if (typeof dir !== 'string' || dir.trim() === '')
      throw new Error(`Le réglage ${configFile} : « dossierDonnees » doit être un chemin de dossier.`);
    return { dir: dir.trim(), source: 'machine-config', configFile };
  }
  return {
    dir: inputs.installed ? machine : profileFolder(inputs.platform, inputs.env),
    source: 'default',
  };
}

export interface EnsureOptions {
  platform: NodeJS.Platform;
  /** Runs `icacls`; replaced in tests. */
  run?: (command: string, args: string[]) => void;
}

/**
 * Creates the folder when the installer has not. On Windows a folder created in ProgramData by the first agent
 * belongs to that agent and the others may only read it: the app then grants the PC's users (S-1-5-32-545,
 * « Utilisateurs » whatever the language of Windows) the right to modify it, as the NSIS installer does.
 * Returns whether it was created now.
 */
export function ensureDataFolder(dir: string, options: EnsureOptions): boolean {
  if (existsSync(dir)) return false;
  mkdirSync(dir, { recursive: true });
  if (options.platform === 'win32') {
    const run =
      options.run ?? ((command, args) => execFileSync(command, args, { stdio: 'ignore', windowsHide: true }));
    try {
      run('icacls', [dir, '/grant', '*S-1-5-32-545:(OI)(CI)M']);
    } catch {
      // Without it the folder still works for this account; docs/installer-un-poste.md says how IT fixes it.
    }
  }
  return true;
}

/**
 * Copies the database of a per-profile install (versions before the machine-wide folder) into the machine folder,
 * once: the first account that starts the new version brings its database; the old file stays where it was. The
 * copy is SQLite's online backup, so a `-wal` beside the old file comes with it.
 */
export async function migrateProfileDatabase(
  legacyDir: string,
  dataDir: string,
  now = new Date(),
): Promise<ProfileMigration | null> {
  const target = join(dataDir, DATABASE_FILE);
  const source = join(legacyDir, DATABASE_FILE);
  const marker = join(dataDir, PROFILE_MIGRATION_FILE);
  if (resolve(legacyDir) === resolve(dataDir) || existsSync(marker)) return null;
  if (existsSync(target) || !existsSync(source)) return null;
  const partial = `${target}.copie-profil`;
  const db = new Database(source, { readonly: true, fileMustExist: true });
  try {
    await db.backup(partial);
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  } finally {
    db.close();
  }
  // Renamed once whole: a copy cut short is never opened as the counter's database.
  renameSync(partial, target);
  const migration: ProfileMigration = { from: source, to: target, at: now.toISOString() };
  writeFileSync(marker, JSON.stringify(migration, null, 2));
  return migration;
}
