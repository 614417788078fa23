import { EventEmitter } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { vi } from 'vitest';
import { CORE_HOST_ENTRY } from '../core-host/worker.ts';

/**
 * A stand-in for Electron, for tests that load the real main entry and check what it asked Electron to do.
 * `utilityProcess.fork` runs the real core host, from source, in a worker thread: main talks to it as to the
 * utility process, and the core behind it is real (SQLite in a temporary userData folder).
 */
type Listener = (...args: unknown[]) => unknown;
const on = (store: Map<string, Listener[]>) =>
  function (this: unknown, name: string, listener: Listener) {
    store.set(name, [...(store.get(name) ?? []), listener]);
    return this;
  };

export const appListeners = new Map<string, Listener[]>();
export const state = { userData: '', quitCalls: 0, relaunchCalls: 0 };
/** What main copied to the clipboard. */
export const clipboardText: string[] = [];
export const windows: FakeWindow[] = [];
export const forks: FakeUtilityProcess[] = [];

export class FakeWebContents {
  listeners = new Map<string, Listener[]>();
  mainFrame = { url: 'app://counter/', processId: 3, routingId: 1 };
  on = on(this.listeners);
  setWindowOpenHandler = vi.fn();
  print = vi.fn();
  send = vi.fn();
  reload = vi.fn();
}

export class FakeWindow {
  options: unknown;
  webContents = new FakeWebContents();
  listeners = new Map<string, Listener[]>();
  loadURL = vi.fn(async () => {});
  constructor(options: unknown) {
    this.options = options;
    windows.push(this);
  }
  on = on(this.listeners);
  once = on(this.listeners);
  show = vi.fn();
  focus = vi.fn();
  restore = vi.fn();
  isMinimized = () => false;
  isDestroyed = () => false;
}

/** What Electron's UtilityProcess offers main: postMessage, kill, and 'message' and 'exit' events. */
export class FakeUtilityProcess extends EventEmitter {
  readonly modulePath: string;
  readonly options: unknown;
  readonly posted: unknown[] = [];
  readonly worker: Worker;
  /** What the core host printed (backups made, errors logged), kept out of the test run's output. */
  output = '';
  exited = false;
  constructor(modulePath: string, options: unknown) {
    super();
    this.modulePath = modulePath;
    this.options = options;
    this.worker = new Worker(CORE_HOST_ENTRY, { stdout: true, stderr: true });
    for (const stream of [this.worker.stdout, this.worker.stderr])
      stream.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    this.worker.on('message', (message) => this.emit('message', message));
    this.worker.on('error', () => {}); // the exit that follows is what Electron reports
    this.worker.on('exit', (code) => {
      this.exited = true;
      this.emit('exit', code);
    });
    forks.push(this);
  }
  postMessage(message: unknown): void {
    this.posted.push(message);
    this.worker.postMessage(message);
  }
  kill(): boolean {
    void this.worker.terminate();
    return true;
  }
}

export const electron = {
  app: {
    isPackaged: true,
    requestSingleInstanceLock: vi.fn(() => true),
    enableSandbox: vi.fn(),
    setAppUserModelId: vi.fn(),
    on: on(appListeners),
    whenReady: () => Promise.resolve(),
    getPath: (name: string) =>
      name === 'userData'
        ? state.userData
        : name === 'exe'
          ? join(tmpdir(), 'guichet-famille.exe')
          : tmpdir(),
    getVersion: () => '0.1.0',
    quit: vi.fn(() => {
      state.quitCalls++;
    }),
    exit: vi.fn(),
    relaunch: vi.fn(() => {
      state.relaunchCalls++;
    }),
  },
  clipboard: { writeText: vi.fn((text: string) => clipboardText.push(text)) },
  protocol: { registerSchemesAsPrivileged: vi.fn() },
  session: {
    defaultSession: {
      setPermissionRequestHandler: vi.fn(),
      setPermissionCheckHandler: vi.fn(),
      setDevicePermissionHandler: vi.fn(),
      webRequest: { onHeadersReceived: vi.fn() },
      protocol: { handle: vi.fn() },
    },
  },
  ipcMain: { handle: vi.fn(), removeHandler: vi.fn() },
  BrowserWindow: FakeWindow,
  Menu: { buildFromTemplate: vi.fn((template: unknown) => ({ template })), setApplicationMenu: vi.fn() },
  dialog: {
    showErrorBox: vi.fn(),
    showMessageBox: vi.fn(async () => ({ response: 0 })),
    showMessageBoxSync: vi.fn(() => 0),
  },
  shell: { openPath: vi.fn(async () => '') },
  utilityProcess: {
    fork: vi.fn(
      (modulePath: string, _args: string[], options: unknown) => new FakeUtilityProcess(modulePath, options),
    ),
  },
};
