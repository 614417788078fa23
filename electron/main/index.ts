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
import type { CoreHost } from '../core-host/client.ts';
import { CLOSING_MESSAGE } from '../core-host/protocol.ts';
import {
  APP_ENTRY_URL,
  APP_SCHEME,
  APP_SCHEME_PRIVILEGES,
  createAppRequestHandler,
  createUrlPolicy,
} from './app-protocol.ts';
import { INVOKE_CHANNEL, PROGRESS_CHANNEL } from './channel.ts';
import { forkCoreHost } from './core-process.ts';
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
/** electron.vite.config.ts builds electron/core-host/entry.ts beside main's own bundle. */
const CORE_HOST_FILE = 'core-host.js';

// A packaged app ignores ELECTRON_RENDERER_URL: an environment variable must not be able to load another page
// with access to the core.
const devServerUrl = app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL || undefined;
const isAppUrl = createUrlPolicy(devServerUrl);
const here = import.meta.dirname;

// Both must happen before 'ready'; nothing above awaits, so they do.
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: APP_SCHEME_PRIVILEGES }]);
app.enableSandbox();

let mainWindow: BrowserWindow | null = null;
let core: CoreHost | null = null;

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
    if (!core) return;
    // Let the core host finish and close the file (WAL checkpoint) before the app goes: it answers the calls under
    // way, ends the sync round in progress (its transaction with it), then closes the file.
    event.preventDefault();
    const closing = core;
    core = null;
    ipcMain.removeHandler(INVOKE_CHANNEL);
    closing
      .close()
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
  const userData = app.getPath('userData');
  const host = forkCoreHost(join(here, CORE_HOST_FILE), {
    path: join(userData, DATABASE_FILE),
    backupDir: join(userData, BACKUP_FOLDER),
    // The demo town is for trying the app (`npm start`); an installed counter starts empty, its administrator is
    // created at first start and the town arrives from the central server once the PC is connected.
    seedDemo: !app.isPackaged || process.env.GF_DEMO === '1',
    sync: { appVersion: app.getVersion() },
  });
  core = host;
  // The file could not be opened, or the core host died: the window cannot work without it.
  void host.failure.then((failure) => fatal(failure.message, failure.detail));
  host.onProgress((event) => {
    if (mainWindow && !mainWindow.isDestroyed()) mainWindow.webContents.send(PROGRESS_CHANNEL, event);
  });

  ipcMain.handle(
    INVOKE_CHANNEL,
    createInvokeHandler<IpcMainInvokeEvent>({
      isTrustedSender: (event) => isTrustedSender(event, mainWindow, isAppUrl),
      invoke: async (name, input) => {
        if (isShellOperation(name)) {
          return runShellOperation(name, input, {
            printPdf: (bytes, fileName) =>
              printPdf(bytes, { fileName, ...(mainWindow ? { parent: mainWindow } : {}) }),
            ...(core ? { admit: core.admit } : {}),
          });
        }
        if (!core) return fail('INTERNAL', CLOSING_MESSAGE);
        // The sync operations and the shell-only commands are routed there too, beside the core.
        return core.invoke(name, input);
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
