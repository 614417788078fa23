/**
 * `npm start`: the desktop app on the demo database in the user data folder. Where the Electron binary cannot
 * be had (the build machines cannot download it), it says so and serves the same renderer and core through the
 * loopback browser host instead.
 */
import { spawnSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEMO_PASSWORD } from '../core/demo/seed.ts';
import { startBrowserHost } from '../electron/browser-host/server.ts';
import type { CoreHostFailure } from '../electron/core-host/client.ts';
import { startCoreWorker } from '../electron/core-host/worker.ts';
import { demoCache, keepDemoTown, restoreDemoTown } from './demo-cache.ts';
import { restartableCore } from '../electron/core-host/restartable.ts';
import {
  argumentValue,
  BACKUP_FOLDER,
  DATABASE_FILE,
  ensureDataFolder,
  LOG_FOLDER,
  resolveDataFolder,
} from '../electron/data-folder.ts';
import { writeRestoreRequest } from '../core/backup/restore.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name: string) => join(root, 'node_modules', '.bin', name);

function electronBinary(): string | null {
  const pathFile = join(root, 'node_modules', 'electron', 'path.txt');
  if (!existsSync(pathFile)) return null;
  const executable = join(root, 'node_modules', 'electron', 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(executable) ? executable : null;
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

function run(command: string, args: string[]): void {
  const r = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

const electron = process.env.GF_BROWSER === '1' ? null : electronBinary();
if (electron) {
  run(bin('electron-vite'), ['build']);
  spawn(electron, [root], { cwd: root, stdio: 'inherit' }).on('exit', (code) => process.exit(code ?? 0));
} else {
  console.log(
    "Electron n'est pas disponible sur ce poste (son binaire ne peut pas être téléchargé ici) : " +
      "l'application est servie par l'hôte navigateur local, sur le même cœur et la même base.",
  );
  const rendererDir = join(root, 'out', 'renderer');
  const index = join(rendererDir, 'index.html');
  if (!existsSync(index) || statSync(index).mtimeMs < newestMtime(join(root, 'renderer'))) {
    run(bin('vite'), ['build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn']);
  }
  // The same resolution as the desktop app's (electron/data-folder.ts): `--data-dir`, GF_DATA_DIR, the machine's
  // guichet-famille.json, then the user's folder for a development run.
  const { dir: dataDir } = resolveDataFolder({
    argv: process.argv,
    env: process.env,
    platform: process.platform,
    installed: false,
  });
  ensureDataFolder(dataDir, { platform: process.platform });
  const dbPath = join(dataDir, DATABASE_FILE);
  const cache = demoCache(root);
  const restored = restoreDemoTown(cache, dbPath);
  // `--restore FILE`: honoured by the core host before it opens the file, as a restore asked in the app.
  const restoreFile = argumentValue(process.argv, '--restore');
  if (restoreFile)
    writeRestoreRequest(dataDir, {
      file: restoreFile,
      requestedAt: new Date().toISOString(),
      by: '--restore',
    });
  const stopOn = (failure: CoreHostFailure): never => {
    console.error(`${failure.message}\n${failure.detail}`);
    process.exit(1);
  };
  // The core (SQLite, the demo town, backups, sync) works in its own thread: a month's invoicing or a first pull
  // from the server does not hold up this one, which serves the window. « Redémarrer » (after a restore is asked)
  // starts another.
  const core = restartableCore(() => {
    const worker = startCoreWorker({
      path: dbPath,
      backupDir: join(dataDir, BACKUP_FOLDER),
      logDir: join(dataDir, LOG_FOLDER),
      seedDemo: true,
      sync: {},
    });
    void worker.failure.then(stopOn);
    return worker;
  });
  // `ready` fails with a CoreHostError: the same French message and detail.
  const { seedMs } = await core.current().ready.catch(stopOn);
  if (restored) console.log(`Ville de démonstration du jour reprise de ${cache.file}.`);
  else if (seedMs > 1000) {
    console.log(
      `Ville de démonstration créée, avec les derniers mois de son année scolaire, en ${(seedMs / 1000).toFixed(1)} s.`,
    );
    // The next start on an empty folder today takes this copy (scripts/demo-cache.ts); one that cannot be made
    // costs that start its time, nothing else.
    try {
      keepDemoTown(cache, dbPath);
    } catch (error) {
      console.error(`Copie de la ville de démonstration non gardée : ${(error as Error).message}`);
    }
  }
  const host = await startBrowserHost({
    invoke: core.invoke,
    rendererDir,
    port: process.env.GF_PORT ? Number(process.env.GF_PORT) : 0,
  });
  console.log(`Base : ${dbPath}`);
  console.log(`Ouvrez Guichet Famille dans Chromium : ${host.url}`);
  console.log(`Comptes de démonstration : accueil, regie, alsh, admin — mot de passe « ${DEMO_PASSWORD} ».`);
  console.log('(Ctrl+C pour arrêter)');
  const stop = async () => {
    await host.close();
    // The sync round in progress ends before the file closes.
    await core.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}
