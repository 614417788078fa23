import { join } from 'node:path';
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  protocol,
  session,
  type IpcMainInvokeEvent,
} from 'electron';
import { fail } from '../../core/api/envelope.ts';
import { openCore, type Core } from '../../core/app.ts';
import { startBackupSchedule } from '../../core/backup/schedule.ts';
import { seedDemoTownIfEmpty } from '../../core/demo/seed.ts';
import { createSyncRunner, routeWindowCall, type SyncRunner } from '../sync-runner.ts';
import {
  APP_ENTRY_URL,
  APP_SCHEME,
  APP_SCHEME_PRIVILEGES,
  createAppRequestHandler,
  createUrlPolicy,
} from './app-protocol.ts';
import { INVOKE_CHANNEL } from './channel.ts';
import { createInvokeHandler } from './ipc-contract.ts';
import { printPdf } from './print-pdf.ts';
import { isShellOperation, runShellOperation } from './shell-operations.ts';
import { buildMenuTemplate } from './menu.ts';
import {
  applyDevContentSecurityPolicy,
  denyAllPermissions,
  hardenWebContents,
  isTrustedSender,
} from './security.ts';
import { mainWindowOptions } from './window-options.ts';

const APP_ID = 'fr.guichet-famille.app';
const BACKUP_FOLDER = 'sauvegardes';
const DATABASE_FILE = 'guichet-famille.sqlite';

// A packaged app ignores ELECTRON_RENDERER_URL: an environment variable must not be able to load another page
// with access to the core.
const devServerUrl = app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL || undefined;
const isAppUrl = createUrlPolicy(devServerUrl);
const here = import.meta.dirname;

// Both must happen before 'ready'; nothing above awaits, so they do.
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: APP_SCHEME_PRIVILEGES }]);
app.enableSandbox();

let mainWindow: BrowserWindow | null = null;
let corePromise: Promise<Core> | null = null;
let syncPromise: Promise<SyncRunner> | null = null;

// Two instances would open the same SQLite file and two counter windows: the second one hands over and quits.
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  if (process.platform === 'win32') app.setAppUserModelId(APP_ID);

  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, isAppUrl));
  app.on('window-all-closed', () => app.quit());
  app.on('will-quit', (event) => {
    if (!corePromise) return;
    // Let kysely and better-sqlite3 finish and close the file (WAL checkpoint) before the process goes.
    event.preventDefault();
    const closing = corePromise;
    const syncing = syncPromise;
    corePromise = null;
    syncPromise = null;
    ipcMain.removeHandler(INVOKE_CHANNEL);
    // The sync round in progress ends (its transaction with it) before the file closes.
    closing
      .then(async (core) => {
        await (await syncing)?.stop();
        await core.close();
      })
      .catch((error: unknown) => console.error('[main] fermeture de la base :', error))
      .finally(() => app.quit());
  });

  app
    .whenReady()
    .then(start)
    .catch((error: unknown) => fatal('Guichet Famille n’a pas pu démarrer.', error));
}

function start(): void {
  const ses = session.defaultSession;
  denyAllPermissions(ses);
  if (devServerUrl) {
    const devOrigin = new URL(devServerUrl).origin;
    applyDevContentSecurityPolicy(ses, (url) => URL.canParse(url) && new URL(url).origin === devOrigin);
  }
  ses.protocol.handle(APP_SCHEME, createAppRequestHandler(join(here, '../renderer')));

  // The window appears while migrations and the demo seeding run; calls made meanwhile wait for the core.
  corePromise = openDatabase();
  corePromise.catch((error: unknown) =>
    fatal(
      'La base de données du poste n’a pas pu être ouverte. Vérifiez qu’aucune autre copie de Guichet Famille n’est ouverte, puis prévenez l’administrateur.',
      error,
    ),
  );
  syncPromise = corePromise.then(async (core) => {
    const runner = createSyncRunner(core, { appVersion: app.getVersion() });
    // A counter that cannot start syncing still works, offline: the indicator says so.
    await runner.start().catch((error: unknown) => console.error('[main] synchronisation :', error));
    return runner;
  });
  syncPromise.catch(() => {}); // the core's own failure is reported just above

  ipcMain.handle(
    INVOKE_CHANNEL,
    createInvokeHandler<IpcMainInvokeEvent>({
      isTrustedSender: (event) => isTrustedSender(event, mainWindow, isAppUrl),
      invoke: async (name, input) => {
        if (isShellOperation(name)) {
          return runShellOperation(name, input, {
            printPdf: (bytes, fileName) =>
              printPdf(bytes, { fileName, ...(mainWindow ? { parent: mainWindow } : {}) }),
          });
        }
        if (!corePromise || !syncPromise)
          return fail('INTERNAL', 'Guichet Famille est en train de se fermer.');
        const core = await corePromise;
        return routeWindowCall(await syncPromise, name, input, core.invoke);
      },
      onInternalError: (name, error) => console.error(`[main] ${name} :`, error),
    }),
  );

  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      buildMenuTemplate({ print: printCurrentScreen, about: showAbout }, { devTools: !app.isPackaged }),
    ),
  );
  mainWindow = createMainWindow();
}

async function openDatabase(): Promise<Core> {
  const backupDir = join(app.getPath('userData'), BACKUP_FOLDER);
  const core = await openCore({ path: join(app.getPath('userData'), DATABASE_FILE), backupDir });
  try {
    // The demo town is for trying the app (`npm start`); an installed counter starts empty, its administrator is
    // created at first start and the town arrives from the central server once the PC is connected.
    if (!app.isPackaged || process.env.GF_DEMO === '1') await seedDemoTownIfEmpty(core);
    startBackupSchedule(core.raw, backupDir);
  } catch (error) {
    await core.close();
    throw error;
  }
  return core;
}

function createMainWindow(): BrowserWindow {
  const window = new BrowserWindow(
    mainWindowOptions({ preload: join(here, '../preload/index.cjs'), devTools: !app.isPackaged }),
  );
  window.once('ready-to-show', () => window.show());
  window.on('closed', () => {
    if (mainWindow === window) mainWindow = null;
  });
  window
    .loadURL(devServerUrl ?? APP_ENTRY_URL)
    .catch((error: unknown) => fatal('L’écran de Guichet Famille n’a pas pu être chargé.', error));
  return window;
}

function printCurrentScreen(): void {
  mainWindow?.webContents.print({ printBackground: true }, (success, reason) => {
    if (!success && !/cancel/i.test(reason)) {
      dialog.showErrorBox(
        'Impression impossible',
        `L’impression a échoué (${reason}). Vérifiez l’imprimante du poste.`,
      );
    }
  });
}

function showAbout(): void {
  const options = {
    type: 'info' as const,
    title: 'À propos de Guichet Famille',
    message: 'Guichet Famille',
    detail: `Version ${app.getVersion()}\nLe guichet unique des services à la famille.`,
    buttons: ['Fermer'],
  };
  void (mainWindow ? dialog.showMessageBox(mainWindow, options) : dialog.showMessageBox(options));
}

function fatal(message: string, error: unknown): void {
  console.error('[main]', message, error);
  const detail = error instanceof Error ? error.message : String(error);
  dialog.showErrorBox('Guichet Famille', `${message}\n\n${detail}`);
  app.exit(1);
}
