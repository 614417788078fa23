import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MenuItemConstructorOptions, Session, WebContents } from 'electron';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CONTENT_SECURITY_POLICY as BROWSER_HOST_CSP } from './browser-host/server.ts';
import {
  APP_ENTRY_URL,
  APP_SCHEME_PRIVILEGES,
  CONTENT_SECURITY_POLICY,
  createAppRequestHandler,
  createUrlPolicy,
} from './main/app-protocol.ts';
import { buildMenuTemplate } from './main/menu.ts';
import {
  applyDevContentSecurityPolicy,
  denyAllPermissions,
  DEV_CONTENT_SECURITY_POLICY,
  hardenWebContents,
  isTrustedSender,
  type FrameIdentity,
} from './main/security.ts';
import { mainWindowOptions, printWindowOptions, SECURE_WEB_PREFERENCES } from './main/window-options.ts';

// These modules only take Electron's types: loading Electron itself would throw outside Electron.
vi.mock('electron', () => {
  throw new Error('security modules must not load electron at runtime');
});

/**
 * Electron's security checklist (docs/tutorial/security.md), item by item, on what main actually passes to
 * Electron. Items that do not apply: 1 and 2 (no remote content is ever loaded), 11 (no shell.openExternal
 * of untrusted content), 16 (Electron version is pinned in package.json).
 */

const main = mainWindowOptions({ preload: '/app/out/preload/index.cjs', devTools: false });
const print = printWindowOptions();
const windows = { main, print } as const;

describe.each(Object.entries(windows))('%s window preferences', (_name, options) => {
  const prefs = options.webPreferences ?? {};

  it('3. keeps Node.js out of the page (nodeIntegration off everywhere)', () => {
    expect(prefs.nodeIntegration).toBe(false);
    expect(prefs.nodeIntegrationInWorker).toBe(false);
    expect(prefs.nodeIntegrationInSubFrames).toBe(false);
  });
  it('3. isolates the preload world (contextIsolation)', () => {
    expect(prefs.contextIsolation).toBe(true);
  });
  it('4. sandboxes the renderer process', () => {
    expect(prefs.sandbox).toBe(true);
  });
  it('6. keeps webSecurity on and refuses insecure content', () => {
    expect(prefs.webSecurity).toBe(true);
    expect(prefs.allowRunningInsecureContent).toBe(false);
  });
  it('9–10. enables no experimental or Blink features', () => {
    expect(prefs.experimentalFeatures).toBe(false);
    expect(prefs).not.toHaveProperty('enableBlinkFeatures');
  });
  it('12. disables the <webview> tag', () => {
    expect(prefs.webviewTag).toBe(false);
  });
  it('turns spellcheck off and keeps dialogs from being spammed', () => {
    expect(prefs.spellcheck).toBe(false);
    expect(prefs.safeDialogs).toBe(true);
    expect(prefs.navigateOnDragDrop).toBe(false);
  });
  it('carries every shared secure preference', () => {
    expect(prefs).toMatchObject(SECURE_WEB_PREFERENCES);
  });
});

describe('window specifics', () => {
  it('loads the CommonJS preload in the main window, with dev tools off when packaged', () => {
    expect(main.webPreferences?.preload).toMatch(/index\.cjs$/);
    expect(main.webPreferences?.devTools).toBe(false);
    expect(main.show).toBe(false);
  });
  it('gives the print window no preload (no bridge to the core) and the PDF viewer only', () => {
    expect(print.webPreferences).not.toHaveProperty('preload');
    expect(print.webPreferences?.plugins).toBe(true);
    expect(main.webPreferences).not.toHaveProperty('plugins');
    expect(print.show).toBe(false);
  });
});

describe('7. Content-Security-Policy', () => {
  const directives = new Map(
    CONTENT_SECURITY_POLICY.split(';').map((d) => {
      const [name = '', ...values] = d.trim().split(/\s+/);
      return [name, values] as const;
    }),
  );

  it('is the loopback host’s policy, so both transports run the page under the same rules', () => {
    expect(CONTENT_SECURITY_POLICY).toBe(BROWSER_HOST_CSP);
  });
  it('allows scripts from the app only: no inline script, no eval', () => {
    expect(directives.get('default-src')).toEqual(["'self'"]);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval/);
  });
  it('forbids plugins, <base> and form posts', () => {
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('base-uri')).toEqual(["'none'"]);
    expect(directives.get('form-action')).toEqual(["'none'"]);
  });
  it('relaxes script-src for the vite dev server only', () => {
    expect(DEV_CONTENT_SECURITY_POLICY).toContain("script-src 'self' 'unsafe-inline'");
    expect(DEV_CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval/);
  });
});

interface Listener {
  (...args: unknown[]): void;
}
function fakeContents() {
  const listeners = new Map<string, Listener[]>();
  let openHandler: (() => { action: string }) | undefined;
  const contents = {
    on(name: string, listener: Listener) {
      listeners.set(name, [...(listeners.get(name) ?? []), listener]);
      return contents;
    },
    setWindowOpenHandler(handler: () => { action: string }) {
      openHandler = handler;
    },
  };
  const emit = (name: string, url?: string) => {
    const event = { url, preventDefault: vi.fn() };
    for (const listener of listeners.get(name) ?? []) listener(event, url);
    return event.preventDefault.mock.calls.length > 0;
  };
  return {
    contents: contents as unknown as WebContents,
    emit,
    openWindow: () => openHandler?.(),
    listens: (name: string) => listeners.has(name),
  };
}

describe('13–14. navigation and new windows', () => {
  const isAppUrl = createUrlPolicy();

  it('blocks navigation away from app://counter, and redirects too', () => {
    const { contents, emit } = fakeContents();
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    hardenWebContents(contents, isAppUrl);
    for (const url of [
      'https://example.org/',
      'file:///etc/passwd',
      'app://other/',
      'http://127.0.0.1:5173/',
    ]) {
      expect(emit('will-navigate', url), url).toBe(true);
      expect(emit('will-redirect', url), url).toBe(true);
    }
    expect(emit('will-navigate', 'app://counter/familles')).toBe(false);
    expect(emit('will-navigate', APP_ENTRY_URL)).toBe(false);
  });

  it('denies every window.open and target=_blank', () => {
    const { contents, openWindow } = fakeContents();
    hardenWebContents(contents, isAppUrl);
    expect(openWindow()).toEqual({ action: 'deny' });
  });

  it('12. refuses to attach a <webview> even if one slipped in', () => {
    const { contents, emit } = fakeContents();
    hardenWebContents(contents, isAppUrl);
    expect(emit('will-attach-webview')).toBe(true);
  });

  it('trusts the dev server only when main passes it (never when packaged)', () => {
    expect(createUrlPolicy()('http://localhost:5173/')).toBe(false);
    const dev = createUrlPolicy('http://localhost:5173/');
    expect(dev('http://localhost:5173/index.html')).toBe(true);
    expect(dev('http://localhost:5174/')).toBe(false);
    expect(dev('not a url')).toBe(false);
  });
});

describe('5. permission requests', () => {
  function fakeSession() {
    const handlers: Record<string, (...args: never[]) => unknown> = {};
    const session = {
      setPermissionRequestHandler: (h: (...args: never[]) => unknown) => (handlers.request = h),
      setPermissionCheckHandler: (h: (...args: never[]) => unknown) => (handlers.check = h),
      setDevicePermissionHandler: (h: (...args: never[]) => unknown) => (handlers.device = h),
    };
    return { session: session as unknown as Session, handlers };
  }

  it('denies every permission request, check and device access', () => {
    const { session, handlers } = fakeSession();
    denyAllPermissions(session);
    const request = handlers.request as unknown as (
      c: unknown,
      p: string,
      cb: (granted: boolean) => void,
    ) => void;
    const check = handlers.check as unknown as (c: unknown, p: string) => boolean;
    const device = handlers.device as unknown as (d: unknown) => boolean;
    for (const permission of [
      'media',
      'geolocation',
      'notifications',
      'clipboard-read',
      'openExternal',
      'hid',
    ]) {
      const callback = vi.fn();
      request({}, permission, callback);
      expect(callback).toHaveBeenCalledExactlyOnceWith(false);
      expect(check({}, permission)).toBe(false);
    }
    expect(device({ deviceType: 'usb' })).toBe(false);
  });

  it('adds the dev policy header to dev-server responses only', () => {
    let listener: ((details: unknown, cb: (r: unknown) => void) => void) | undefined;
    const session = { webRequest: { onHeadersReceived: (l: typeof listener) => (listener = l) } };
    applyDevContentSecurityPolicy(session as unknown as Session, (url) =>
      url.startsWith('http://localhost:5173/'),
    );
    const devAnswer = vi.fn();
    listener?.({ url: 'http://localhost:5173/', responseHeaders: { a: ['b'] } }, devAnswer);
    expect(devAnswer).toHaveBeenCalledWith({
      responseHeaders: { a: ['b'], 'Content-Security-Policy': [DEV_CONTENT_SECURITY_POLICY] },
    });
    const otherAnswer = vi.fn();
    listener?.({ url: 'https://example.org/', responseHeaders: {} }, otherAnswer);
    expect(otherAnswer).toHaveBeenCalledWith({});
  });
});

describe('17. IPC sender validation', () => {
  const isAppUrl = createUrlPolicy();
  const mainFrame: FrameIdentity = { url: 'app://counter/', processId: 4, routingId: 1 };
  const webContents = { mainFrame };
  const window = { isDestroyed: () => false, webContents };

  it('trusts the main frame of our window showing our page', () => {
    const frame = { ...mainFrame };
    expect(isTrustedSender({ sender: webContents, senderFrame: frame }, window, isAppUrl)).toBe(true);
  });
  it('refuses another webContents, a subframe, a missing frame or a foreign page', () => {
    expect(isTrustedSender({ sender: {}, senderFrame: mainFrame }, window, isAppUrl)).toBe(false);
    expect(
      isTrustedSender({ sender: webContents, senderFrame: { ...mainFrame, routingId: 7 } }, window, isAppUrl),
    ).toBe(false);
    expect(isTrustedSender({ sender: webContents, senderFrame: null }, window, isAppUrl)).toBe(false);
    const foreign = { ...mainFrame, url: 'https://example.org/' };
    expect(
      isTrustedSender(
        { sender: webContents, senderFrame: foreign },
        { ...window, webContents: { mainFrame: foreign } },
        isAppUrl,
      ),
    ).toBe(false);
  });
  it('refuses everything once the window is gone', () => {
    expect(isTrustedSender({ sender: webContents, senderFrame: mainFrame }, null, isAppUrl)).toBe(false);
    const closed = { ...window, isDestroyed: () => true };
    expect(isTrustedSender({ sender: webContents, senderFrame: mainFrame }, closed, isAppUrl)).toBe(false);
  });
});

describe('18. app:// protocol instead of file://', () => {
  let dir: string;
  let handle: (request: Request) => Promise<Response>;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gf-renderer-'));
    await mkdir(join(dir, 'renderer', 'assets'), { recursive: true });
    await writeFile(join(dir, 'renderer', 'index.html'), '<!doctype html><title>Guichet</title>');
    await writeFile(join(dir, 'renderer', 'assets', 'app.js'), 'console.log(1)');
    await writeFile(join(dir, 'secret.txt'), 'not for the page');
    handle = createAppRequestHandler(join(dir, 'renderer'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('registers a standard, secure scheme that bypasses nothing', () => {
    expect(APP_SCHEME_PRIVILEGES).toMatchObject({ standard: true, secure: true });
    expect(APP_SCHEME_PRIVILEGES).not.toHaveProperty('bypassCSP');
    expect(APP_SCHEME_PRIVILEGES).not.toHaveProperty('corsEnabled');
    expect(APP_SCHEME_PRIVILEGES).not.toHaveProperty('allowServiceWorkers');
  });

  it('serves the renderer with the CSP header on every response', async () => {
    const index = await handle(new Request(APP_ENTRY_URL));
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toMatch(/^text\/html/);
    expect(index.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(index.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await index.text()).toContain('<title>Guichet</title>');

    const script = await handle(new Request('app://counter/assets/app.js'));
    expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(script.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
  });

  it('answers the app shell for client-side routes, 404 for missing assets', async () => {
    expect(await (await handle(new Request('app://counter/familles/42'))).text()).toContain(
      '<title>Guichet</title>',
    );
    const missing = await handle(new Request('app://counter/assets/missing.js'));
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
  });

  it('never serves a file outside the renderer folder', async () => {
    for (const url of [
      'app://counter/%2e%2e/secret.txt',
      'app://counter/..%2fsecret.txt',
      'app://counter/..%5csecret.txt',
      'app://counter/assets/%2e%2e/%2e%2e/secret.txt',
      'app://counter/%252e%252e/secret.txt',
      'app://counter/%E0%A4%A',
    ]) {
      const response = await handle(new Request(url));
      expect(response.status, url).toBe(404);
      expect(await response.text(), url).not.toContain('not for the page');
    }
  });

  it('answers other hosts with 404 and refuses writes', async () => {
    expect((await handle(new Request('app://other/'))).status).toBe(404);
    expect((await handle(new Request(APP_ENTRY_URL, { method: 'POST', body: 'x' }))).status).toBe(405);
  });
});

describe('French application menu', () => {
  const actions = { print: vi.fn(), about: vi.fn(), diagnostics: vi.fn() };
  const template = buildMenuTemplate(actions, { devTools: false });
  const labels = template.map((item) => item.label?.replace('&', ''));
  const submenu = (index: number) => (template[index]?.submenu ?? []) as MenuItemConstructorOptions[];

  it('has Fichier, Édition, Affichage and Aide', () => {
    expect(labels).toEqual(['Fichier', 'Édition', 'Affichage', 'Aide']);
  });
  it('prints with Ctrl+P and quits from Fichier', () => {
    const printItem = submenu(0).find((item) => item.label === 'Imprimer…');
    expect(printItem?.accelerator).toBe('CmdOrCtrl+P');
    printItem?.click?.({} as never, undefined, {} as never);
    expect(actions.print).toHaveBeenCalled();
    expect(submenu(0).find((item) => item.role === 'quit')?.label).toBe('Quitter');
  });
  it('uses the standard edit roles and zoom / full screen, with French labels', () => {
    expect(
      submenu(1)
        .map((item) => item.role)
        .filter(Boolean),
    ).toEqual(['undo', 'redo', 'cut', 'copy', 'paste', 'selectAll']);
    expect(
      submenu(2)
        .map((item) => item.role)
        .filter(Boolean),
    ).toEqual(['zoomIn', 'zoomOut', 'resetZoom', 'togglefullscreen']);
    for (const item of [...submenu(1), ...submenu(2)]) if (item.role) expect(item.label).toMatch(/^[A-ZÀ-Ý]/);
  });
  it('offers the diagnostic report and À propos, and developer tools only in an unpackaged run', () => {
    const help = submenu(3);
    help
      .find((item) => item.label === 'Copier le rapport de diagnostic')
      ?.click?.({} as never, undefined, {} as never);
    expect(actions.diagnostics).toHaveBeenCalled();
    help
      .find((item) => item.label === 'À propos de Guichet Famille')
      ?.click?.({} as never, undefined, {} as never);
    expect(actions.about).toHaveBeenCalled();
    expect(submenu(2).some((item) => item.role === 'toggleDevTools')).toBe(false);
    const dev = buildMenuTemplate(actions, { devTools: true });
    expect(
      ((dev[2]?.submenu ?? []) as MenuItemConstructorOptions[]).some((i) => i.role === 'toggleDevTools'),
    ).toBe(true);
  });
});
