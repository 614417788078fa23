import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

/**
 * Loads the real main entry against a stand-in for Electron and checks what it asked Electron to do: the
 * wiring a unit test of each module cannot see. The core is real (SQLite in a temp userData folder).
 */
const fake = vi.hoisted(() => {
  type Listener = (...args: unknown[]) => unknown;
  const on = (store: Map<string, Listener[]>) =>
    function (this: unknown, name: string, listener: Listener) {
      store.set(name, [...(store.get(name) ?? []), listener]);
      return this;
    };

  const appListeners = new Map<string, Listener[]>();
  const state = { userData: '', quitCalls: 0, seeded: [] as unknown[] };
  const windows: FakeWindow[] = [];

  class FakeWebContents {
    listeners = new Map<string, Listener[]>();
    mainFrame = { url: 'app://counter/', processId: 3, routingId: 1 };
    on = on(this.listeners);
    setWindowOpenHandler = vi.fn();
    print = vi.fn();
  }
  class FakeWindow {
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

  const electron = {
    app: {
      isPackaged: true,
      requestSingleInstanceLock: vi.fn(() => true),
      enableSandbox: vi.fn(),
      setAppUserModelId: vi.fn(),
      on: on(appListeners),
      whenReady: () => Promise.resolve(),
      getPath: (name: string) => (name === 'userData' ? state.userData : tmpdir()),
      getVersion: () => '0.1.0',
      quit: vi.fn(() => {
        state.quitCalls++;
      }),
      exit: vi.fn(),
    },
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
    dialog: { showErrorBox: vi.fn(), showMessageBox: vi.fn(async () => ({ response: 0 })) },
    shell: { openPath: vi.fn(async () => '') },
  };
  return { electron, appListeners, windows, state, FakeWebContents };
});

vi.mock('electron', () => ({ ...fake.electron, default: fake.electron }));
// The demo town belongs to another module and takes seconds to generate: here we only check main calls it.
vi.mock('../core/demo/seed.ts', () => ({
  seedDemoTownIfEmpty: async (core: unknown) => {
    fake.state.seeded.push(core);
  },
}));

const { electron, appListeners, windows, state, FakeWebContents } = fake;
type Handler = (event: unknown, ...args: unknown[]) => Promise<unknown>;
type Calls = unknown[][];

describe('main process entry', () => {
  let handler: Handler;
  // vitest clears mock calls before each test (clearMocks): what the import did is copied here first.
  const startup: Record<string, Calls> = {};

  beforeAll(async () => {
    state.userData = await mkdtemp(join(tmpdir(), 'gf-userdata-'));
    // A packaged app must ignore this: it would otherwise load any page with the bridge to the core.
    vi.stubEnv('ELECTRON_RENDERER_URL', 'http://localhost:5173/');
    await import('./main/index.ts');
    await vi.waitFor(() => expect(windows).toHaveLength(1));
    await vi.waitFor(() => expect(electron.ipcMain.handle).toHaveBeenCalled());
    const ses = electron.session.defaultSession;
    Object.assign(startup, {
      requestSingleInstanceLock: [...electron.app.requestSingleInstanceLock.mock.calls],
      enableSandbox: [...electron.app.enableSandbox.mock.calls],
      registerSchemesAsPrivileged: [...electron.protocol.registerSchemesAsPrivileged.mock.calls],
      protocolHandle: [...ses.protocol.handle.mock.calls],
      onHeadersReceived: [...ses.webRequest.onHeadersReceived.mock.calls],
      setPermissionRequestHandler: [...ses.setPermissionRequestHandler.mock.calls],
      setPermissionCheckHandler: [...ses.setPermissionCheckHandler.mock.calls],
      setDevicePermissionHandler: [...ses.setDevicePermissionHandler.mock.calls],
      ipcHandle: [...electron.ipcMain.handle.mock.calls],
      buildFromTemplate: [...electron.Menu.buildFromTemplate.mock.calls],
      setApplicationMenu: [...electron.Menu.setApplicationMenu.mock.calls],
      loadURL: [...(windows[0]?.loadURL.mock.calls ?? [])],
    } satisfies Record<string, Calls>);
    handler = startup.ipcHandle?.[0]?.[1] as Handler;
  });

  afterAll(async () => {
    vi.unstubAllEnvs();
    await rm(state.userData, { recursive: true, force: true });
  });

  it('takes the single-instance lock and sandboxes every renderer before ready', () => {
    expect(startup.requestSingleInstanceLock).toHaveLength(1);
    expect(startup.enableSandbox).toHaveLength(1);
    expect(appListeners.has('second-instance')).toBe(true);
  });

  it('registers app:// as a privileged standard scheme and serves it from out/renderer', () => {
    expect(startup.registerSchemesAsPrivileged).toEqual([
      [[{ scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) }]],
    ]);
    const [scheme, handle] = startup.protocolHandle?.[0] ?? [];
    expect(scheme).toBe('app');
    expect(handle).toBeTypeOf('function');
  });

  it('opens one secure window on app://counter/, ignoring ELECTRON_RENDERER_URL when packaged', () => {
    const window = windows[0];
    const prefs = (window?.options as { webPreferences: Record<string, unknown> }).webPreferences;
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
      spellcheck: false,
      devTools: false,
    });
    expect(prefs.preload).toMatch(/[/\\]preload[/\\]index\.cjs$/);
    expect(startup.loadURL).toEqual([['app://counter/']]);
    expect(startup.onHeadersReceived).toEqual([]);
  });

  it('denies permissions on the default session', () => {
    const request = startup.setPermissionRequestHandler?.[0]?.[0] as (...args: unknown[]) => void;
    const callback = vi.fn();
    request({}, 'media', callback);
    expect(callback).toHaveBeenCalledWith(false);
    const check = startup.setPermissionCheckHandler?.[0]?.[0] as (...args: unknown[]) => boolean;
    expect(check({}, 'geolocation')).toBe(false);
    expect(startup.setDevicePermissionHandler).toHaveLength(1);
  });

  it('hardens every webContents the app creates', () => {
    const [created] = appListeners.get('web-contents-created') ?? [];
    const contents = new FakeWebContents();
    created?.({}, contents);
    const open = contents.setWindowOpenHandler.mock.calls[0]?.[0] as () => unknown;
    expect(open()).toEqual({ action: 'deny' });
    const preventDefault = vi.fn();
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    for (const listener of contents.listeners.get('will-navigate') ?? []) {
      listener({ url: 'https://example.org/', preventDefault });
    }
    expect(preventDefault).toHaveBeenCalled();
    expect(contents.listeners.has('will-attach-webview')).toBe(true);
  });

  it('installs the French menu', () => {
    const template = startup.buildFromTemplate?.[0]?.[0] as { label: string }[];
    expect(template.map((item) => item.label.replace('&', ''))).toEqual([
      'Fichier',
      'Édition',
      'Affichage',
      'Aide',
    ]);
    expect(startup.setApplicationMenu).toHaveLength(1);
  });

  it('answers counter:invoke from the window’s main frame with the real core', async () => {
    expect(startup.ipcHandle).toEqual([['counter:invoke', expect.any(Function)]]);
    const window = windows[0];
    const event = { sender: window?.webContents, senderFrame: { ...window?.webContents.mainFrame } };
    const result = await handler(event, 'system.info', {});
    expect(result).toMatchObject({ ok: true, data: { households: 0 } });
    // An installed counter starts empty: no demo families on a real town's PC.
    expect(state.seeded).toHaveLength(0);
    expect(existsSync(join(state.userData, 'guichet-famille.sqlite'))).toBe(true);
  });

  it('refuses counter:invoke from any other sender or frame', async () => {
    const window = windows[0];
    const other = { sender: {}, senderFrame: { url: 'app://counter/', processId: 9, routingId: 1 } };
    expect(await handler(other, 'system.info', {})).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    const iframe = {
      sender: window?.webContents,
      senderFrame: { url: 'app://counter/', processId: 3, routingId: 2 },
    };
    expect(await handler(iframe, 'system.info', {})).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
  });

  it('closes the database before quitting', async () => {
    const [willQuit] = appListeners.get('will-quit') ?? [];
    const preventDefault = vi.fn();
    willQuit?.({ preventDefault });
    expect(preventDefault).toHaveBeenCalled();
    expect(electron.ipcMain.removeHandler).toHaveBeenCalledWith('counter:invoke');
    await vi.waitFor(() => expect(state.quitCalls).toBe(1));
    // The second will-quit, once the core is closed, lets the app go.
    const again = vi.fn();
    willQuit?.({ preventDefault: again });
    expect(again).not.toHaveBeenCalled();
  });
});
