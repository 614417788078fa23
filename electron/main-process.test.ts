import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
/**
 * Loads the real main entry against a stand-in for Electron and checks what it asked Electron to do: the
 * wiring a unit test of each module cannot see. The core host is real, in a worker standing in for the utility
 * process (SQLite in a temp userData folder).
 */
const fake = await vi.hoisted(() => import('./testing/fake-electron.ts'));
vi.mock('electron', () => ({ ...fake.electron, default: fake.electron }));

const { electron, appListeners, windows, state, forks, FakeWebContents, clipboardText } = fake;
const { LEFEVRE, openTestCore, TEST_PASSWORD } = await import('../core/test/fixtures.ts');
type Handler = (event: unknown, ...args: unknown[]) => Promise<unknown>;
type Calls = unknown[][];

describe('main process entry', () => {
  let handler: Handler;
  // vitest clears mock calls before each test (clearMocks): what the import did is copied here first.
  const startup: Record<string, Calls> = {};
  /** The machine-wide folder (GF_DATA_DIR here, %ProgramData%\Guichet Famille on a counter), not there yet. */
  let dataDir = '';

  beforeAll(async () => {
    state.userData = await mkdtemp(join(tmpdir(), 'gf-userdata-'));
    dataDir = join(await mkdtemp(join(tmpdir(), 'gf-machine-')), 'Guichet Famille');
    vi.stubEnv('GF_DATA_DIR', dataDir);
    // The database an earlier version kept in this Windows profile, with a family in it.
    const previous = await openTestCore({ path: join(state.userData, 'guichet-famille.sqlite') });
    await previous.invoke('family.createHousehold', LEFEVRE);
    await previous.close();
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
      showMessageBoxSync: [...electron.dialog.showMessageBoxSync.mock.calls],
    } satisfies Record<string, Calls>);
    handler = startup.ipcHandle?.[0]?.[1] as Handler;
  });

  afterAll(async () => {
    vi.unstubAllEnvs();
    await rm(state.userData, { recursive: true, force: true });
    await rm(dirname(dataDir), { recursive: true, force: true });
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

  it('runs the core in one utility process, built beside main, on the machine’s data folder', () => {
    expect(forks).toHaveLength(1);
    const [host] = forks;
    expect(host?.modulePath).toBe(fileURLToPath(new URL('./main/core-host.js', import.meta.url)));
    expect(host?.posted[0]).toEqual({
      type: 'start',
      options: {
        path: join(dataDir, 'guichet-famille.sqlite'),
        backupDir: join(dataDir, 'sauvegardes'),
        logDir: join(dataDir, 'journaux'),
        network: 'electron',
        // An installed counter starts empty: no demo families on a real town's PC.
        seedDemo: false,
        sync: { appVersion: '0.1.0' },
      },
    });
  });

  it('answers counter:invoke from the window’s main frame with the real core, through the core host', async () => {
    expect(startup.ipcHandle).toEqual([['counter:invoke', expect.any(Function)]]);
    const window = windows[0];
    const event = { sender: window?.webContents, senderFrame: { ...window?.webContents.mainFrame } };
    const result = await handler(event, 'system.info', {});
    // The family of the profile's database, copied into the machine folder.
    expect(result).toMatchObject({ ok: true, data: { households: 1 } });
    expect(existsSync(join(dataDir, 'guichet-famille.sqlite'))).toBe(true);
    expect(forks[0]?.posted).toContainEqual({ type: 'invoke', id: 1, name: 'system.info', input: {} });
  }, 30_000);

  it('copies the profile’s database into the machine folder once, keeps the old one and tells the agent', () => {
    expect(existsSync(join(state.userData, 'guichet-famille.sqlite'))).toBe(true);
    const marker = JSON.parse(readFileSync(join(dataDir, 'migration-profil.json'), 'utf8')) as {
      from: string;
    };
    expect(marker.from).toBe(join(state.userData, 'guichet-famille.sqlite'));
    expect(startup.showMessageBoxSync).toHaveLength(1);
    expect(startup.showMessageBoxSync?.[0]?.[0]).toMatchObject({
      message: 'La base de ce poste a été déplacée dans le dossier commun du poste.',
    });
  });

  it('logs main’s start in journaux/main.log, in the data folder', () => {
    const log = readFileSync(join(dataDir, 'journaux', 'main.log'), 'utf8');
    expect(log).toMatch(
      /^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}\] \[info\] \[main\] Guichet Famille 0\.1\.0, dossier de données /m,
    );
    expect(log).toContain(dataDir);
  });

  it('copies the diagnostic report from Aide, with the data folder and the core’s log', async () => {
    const template = startup.buildFromTemplate?.[0]?.[0] as {
      label: string;
      submenu: { label?: string; click?: () => void }[];
    }[];
    const help = template.find((item) => item.label === 'A&ide');
    help?.submenu.find((item) => item.label === 'Copier le rapport de diagnostic')?.click?.();
    await vi.waitFor(() => expect(electron.dialog.showMessageBox).toHaveBeenCalled(), { timeout: 10_000 });
    expect(electron.dialog.showMessageBox.mock.calls[0]?.at(-1)).toMatchObject({
      message: 'Le rapport de diagnostic est copié.',
    });
    expect(clipboardText[0]).toContain(`Dossier de données : ${dataDir}`);
    expect(clipboardText[0]).toMatch(/--- core\.log \(fin\) ---\n\[.*\] \[info\] \[cœur\] base ouverte : /);
  });

  it('shows the window what long work the core is doing', async () => {
    const window = windows[0];
    const event = { sender: window?.webContents, senderFrame: { ...window?.webContents.mainFrame } };
    // The administrator came with the profile's database.
    expect(await handler(event, 'auth.login', { username: 'admin', password: TEST_PASSWORD })).toMatchObject({
      ok: true,
    });
    expect(await handler(event, 'regie.verifyJournal', {})).toMatchObject({ ok: true });
    const sent = window?.webContents.send.mock.calls ?? [];
    expect(sent.map(([channel, progress]) => [channel, progress.work, progress.phase])).toEqual([
      ['counter:progress', 'regie.verifyJournal', 'start'],
      ['counter:progress', 'regie.verifyJournal', 'end'],
    ]);
    expect(sent[1]?.[1]).toMatchObject({ label: 'Vérification du journal terminée.' });
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

  it('relaunches the whole app for an administrator’s « Redémarrer » (a restore is honoured on the way up)', async () => {
    const window = windows[0];
    const event = { sender: window?.webContents, senderFrame: { ...window?.webContents.mainFrame } };
    expect(await handler(event, 'shell.restart', {})).toEqual({ ok: true, data: { restarting: true } });
    await vi.waitFor(() => expect(state.relaunchCalls).toBe(1));
    expect(state.quitCalls).toBe(1);
    state.quitCalls = 0;
  });

  it('closes the database, then the core host, before quitting', async () => {
    const [willQuit] = appListeners.get('will-quit') ?? [];
    const preventDefault = vi.fn();
    willQuit?.({ preventDefault });
    expect(preventDefault).toHaveBeenCalled();
    expect(electron.ipcMain.removeHandler).toHaveBeenCalledWith('counter:invoke');
    await vi.waitFor(() => expect(state.quitCalls).toBe(1));
    expect(forks[0]?.posted.at(-1)).toEqual({ type: 'close' });
    await vi.waitFor(() => expect(forks[0]?.exited).toBe(true));
    // The last connection to close checkpoints the WAL into the file and removes it: the file was closed cleanly.
    expect(existsSync(join(dataDir, 'guichet-famille.sqlite-wal'))).toBe(false);
    // The second will-quit, once the core is closed, lets the app go.
    const again = vi.fn();
    willQuit?.({ preventDefault: again });
    expect(again).not.toHaveBeenCalled();
  });
});
