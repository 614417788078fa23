import type { BrowserWindowConstructorOptions, WebPreferences } from 'electron';

/**
 * The Electron security checklist, as preferences shared by every window this app opens. Several are already
 * Electron's defaults: they are spelled out so a test can hold them and a future default change cannot slip in.
 */
export const SECURE_WEB_PREFERENCES = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  experimentalFeatures: false,
  webviewTag: false,
  navigateOnDragDrop: false,
  safeDialogs: true,
  // Agents type names from every origin: a dictionary underlines them all and sends nothing useful.
  spellcheck: false,
} as const satisfies WebPreferences;

export interface MainWindowOptions {
  /** Absolute path of the built preload (`out/preload/index.cjs`). */
  preload: string;
  devTools: boolean;
}

export function mainWindowOptions(options: MainWindowOptions): BrowserWindowConstructorOptions {
  return {
    title: 'Guichet Famille',
    width: 1280,
    height: 800,
    minWidth: 1024,
    minHeight: 640,
    // Shown on ready-to-show, so the agent never sees a white flash.
    show: false,
    backgroundColor: '#ffffff',
    webPreferences: {
      ...SECURE_WEB_PREFERENCES,
      preload: options.preload,
      devTools: options.devTools,
    },
  };
}

/** A hidden window that only ever shows one local PDF in Chromium's viewer, to print it. */
export function printWindowOptions(): BrowserWindowConstructorOptions {
  return {
    title: 'Impression — Guichet Famille',
    show: false,
    width: 900,
    height: 1100,
    webPreferences: {
      ...SECURE_WEB_PREFERENCES,
      // Chromium's PDF viewer is the only plugin Electron ships: enabled here, for this window only.
      plugins: true,
      devTools: false,
    },
  };
}
