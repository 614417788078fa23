import { readFile } from 'node:fs/promises';
import { extname, isAbsolute, join, normalize, relative } from 'node:path';
import { CONTENT_SECURITY_POLICY } from '../browser-host/server.ts';

/**
 * The renderer is served from `app://counter/` rather than file://: a file:// page may read any other local
 * file, and its origin is shared by every file on disk, so it could not be told apart from a dropped document.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'counter';
export const APP_ENTRY_URL = `${APP_SCHEME}://${APP_HOST}/`;

/** One policy for both transports: the loopback host sends the same header. */
export { CONTENT_SECURITY_POLICY };

/**
 * `standard` gives the scheme real origins and relative URL resolution, `secure` makes it a secure context.
 * Nothing here bypasses CSP, enables CORS or service workers.
 */
export const APP_SCHEME_PRIVILEGES = {
  standard: true,
  secure: true,
  supportFetchAPI: true,
  codeCache: true,
} as const;

/**
 * Which addresses count as the app itself, for navigation and IPC checks. The vite dev server counts only when
 * main passed it, which it does only in an unpackaged run.
 */
export function createUrlPolicy(devServerUrl?: string): (url: string) => boolean {
  const devOrigin = devServerUrl ? new URL(devServerUrl).origin : undefined;
  return (url) => {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return false;
    }
    // A non-special scheme has an opaque origin ("null") in WHATWG URL: compare scheme and host instead.
    if (parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST) return true;
    return devOrigin !== undefined && parsed.origin === devOrigin;
  };
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
};

const SECURITY_HEADERS = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

/** Answers `app://counter/...` from the built renderer folder; registered with `protocol.handle`. */
export function createAppRequestHandler(rendererDir: string): (request: Request) => Promise<Response> {
  const root = normalize(rendererDir);
  return async (request) => {
    const url = new URL(request.url);
    if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return notFound();
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return new Response('Méthode non autorisée.', { status: 405, headers: SECURITY_HEADERS });
    }
    let pathname: string;
    try {
      pathname = decodeURIComponent(url.pathname);
    } catch {
      return notFound();
    }
    const wanted = normalize(pathname).replace(/^[/\\]+/, '');
    const file = join(root, wanted === '' ? 'index.html' : wanted);
    const inside = relative(root, file);
    // Decoded %2e%2e or %5c could climb out of the folder once joined.
    if (inside.startsWith('..') || isAbsolute(inside) || pathname.includes('\0')) return notFound();

    let body: Buffer;
    let served = file;
    try {
      body = await readFile(file);
    } catch {
      // The renderer routes itself: an address without an extension gets the app shell.
      if (extname(file) !== '') return notFound();
      served = join(root, 'index.html');
      try {
        body = await readFile(served);
      } catch {
        return notFound();
      }
    }
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), {
      status: 200,
      headers: { 'content-type': TYPES[extname(served)] ?? 'application/octet-stream', ...SECURITY_HEADERS },
    });
  };
}

function notFound(): Response {
  return new Response('Introuvable.', {
    status: 404,
    headers: { 'content-type': 'text/plain; charset=utf-8', ...SECURITY_HEADERS },
  });
}
