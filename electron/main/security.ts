import type { Session, WebContents } from 'electron';
import { CONTENT_SECURITY_POLICY } from './app-protocol.ts';

type UrlPolicy = (url: string) => boolean;

/**
 * Applied to every webContents the app creates (main window, print window, PDF viewer, dev tools): a page,
 * even ours, never leaves the app's origin, never opens a window and never embeds a <webview>.
 */
export function hardenWebContents(contents: WebContents, isAppUrl: UrlPolicy): void {
  contents.on('will-navigate', (event) => {
    if (!isAppUrl(event.url)) {
      event.preventDefault();
      console.warn('[sécurité] navigation bloquée vers', event.url);
    }
  });
  contents.on('will-redirect', (event) => {
    if (!isAppUrl(event.url)) {
      event.preventDefault();
      console.warn('[sécurité] redirection bloquée vers', event.url);
    }
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

/** The counter needs no camera, microphone, location, notification, USB, serial or HID access: none is granted. */
export function denyAllPermissions(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
}

/**
 * Vite's dev server injects an inline React Refresh preamble; only the unpackaged dev run relaxes script-src
 * for it. The packaged app gets its policy from the app:// protocol handler.
 */
export const DEV_CONTENT_SECURITY_POLICY = CONTENT_SECURITY_POLICY.replace(
  "script-src 'self'",
  "script-src 'self' 'unsafe-inline'",
);

export function applyDevContentSecurityPolicy(session: Session, isDevServerUrl: UrlPolicy): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    if (!isDevServerUrl(details.url)) return callback({});
    callback({
      responseHeaders: {
        ...details.responseHeaders,
        'Content-Security-Policy': [DEV_CONTENT_SECURITY_POLICY],
      },
    });
  });
}

export interface FrameIdentity {
  readonly url: string;
  readonly processId: number;
  readonly routingId: number;
}

export interface SenderEvent {
  readonly sender: unknown;
  readonly senderFrame: FrameIdentity | null;
}

export interface WindowHandle {
  isDestroyed(): boolean;
  readonly webContents: { readonly mainFrame: FrameIdentity };
}

/**
 * Item 17 of Electron's checklist: only the top frame of our own window, showing our own page, may call the
 * core. An iframe, the print window or a page that somehow navigated away is refused.
 */
export function isTrustedSender(
  event: SenderEvent,
  window: WindowHandle | null,
  isAppUrl: UrlPolicy,
): boolean {
  if (window === null || window.isDestroyed()) return false;
  if (event.sender !== window.webContents) return false;
  const frame = event.senderFrame;
  if (frame === null) return false;
  const main = window.webContents.mainFrame;
  // WebFrameMain wrappers are not guaranteed to be the same object across calls: compare the frame's identity.
  if (frame.processId !== main.processId || frame.routingId !== main.routingId) return false;
  return isAppUrl(frame.url);
}
