import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import type { Envelope } from '../../core/api/envelope.ts';

/**
 * Serves the built renderer and the contract over loopback HTTP, for the browser fallback and the end-to-end
 * tests. No Electron here: the same renderer runs on the same core in any Chromium.
 */
export interface BrowserHostOptions {
  /**
   * The window's door to the core: a core host's `invoke` (electron/core-host), which answers the sync operations
   * and refuses the shell-only commands as Electron's main process does, the core running off this thread.
   */
  invoke: (name: string, input: unknown) => Promise<Envelope<unknown>>;
  /** Folder of the built renderer (index.html and assets). */
  rendererDir: string;
  port?: number;
  /** Per-launch secret; generated when absent. */
  token?: string;
}

export interface BrowserHost {
  /** The address to open: it carries the token in the fragment, which the browser never sends to a server. */
  url: string;
  origin: string;
  token: string;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 1_000_000;
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
};
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; frame-src 'self' blob:; object-src 'none'; base-uri 'none'; form-action 'none'";

export async function startBrowserHost(options: BrowserHostOptions): Promise<BrowserHost> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const expected = Buffer.from(`Bearer ${token}`);
  let allowedHosts: Set<string> = new Set();

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      console.error('[browser-host]', error);
      if (!res.headersSent) send(res, 500, envelope('INTERNAL', 'Erreur interne du serveur local.'));
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // A page of another site, or a DNS-rebinding name pointing at 127.0.0.1, must not reach the contract.
    if (!allowedHosts.has(req.headers.host ?? '')) {
      return send(res, 403, envelope('FORBIDDEN', 'Hôte non autorisé.'));
    }
    const origin = req.headers.origin;
    if (origin !== undefined && !allowedHosts.has(origin.replace(/^http:\/\//, ''))) {
      return send(res, 403, envelope('FORBIDDEN', 'Origine non autorisée.'));
    }
    const url = new URL(req.url ?? '/', 'http://host');
    if (url.pathname === '/api/invoke') return handleInvoke(req, res);
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return send(res, 405, envelope('FORBIDDEN', 'Méthode non autorisée.'));
    return serveStatic(url.pathname, res);
  }

  async function handleInvoke(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'POST') return send(res, 405, envelope('FORBIDDEN', 'Méthode non autorisée.'));
    const auth = Buffer.from(req.headers.authorization ?? '');
    if (auth.length !== expected.length || !timingSafeEqual(auth, expected)) {
      req.resume();
      return send(
        res,
        401,
        envelope(
          'UNAUTHORIZED',
          'Jeton de session invalide : rouvrez l’application depuis l’adresse affichée au lancement.',
        ),
      );
    }
    let body: string;
    try {
      body = await readBody(req);
    } catch {
      return send(res, 413, envelope('VALIDATION', 'Requête trop volumineuse.'));
    }
    let message: unknown;
    try {
      message = JSON.parse(body);
    } catch {
      return send(res, 400, envelope('VALIDATION', 'Requête illisible (JSON invalide).'));
    }
    if (
      typeof message !== 'object' ||
      message === null ||
      typeof (message as { name?: unknown }).name !== 'string'
    ) {
      return send(res, 400, envelope('VALIDATION', 'Requête invalide : nom d’opération manquant.'));
    }
    const { name, input } = message as { name: string; input?: unknown };
    send(res, 200, await options.invoke(name, input));
  }

  async function serveStatic(pathname: string, res: ServerResponse): Promise<void> {
    const relative = normalize(decodeURIComponent(pathname)).replace(/^([/\\])+/, '');
    const file = relative === '' ? 'index.html' : relative;
    const full = join(options.rendererDir, file);
    if (!full.startsWith(options.rendererDir + sep) && full !== options.rendererDir)
      return send(res, 404, envelope('NOT_FOUND', 'Introuvable.'));
    let content: Buffer;
    try {
      content = await readFile(full);
    } catch {
      // The renderer routes itself: unknown paths get the app shell.
      if (extname(file) !== '') return send(res, 404, envelope('NOT_FOUND', 'Introuvable.'));
      content = await readFile(join(options.rendererDir, 'index.html'));
    }
    res.writeHead(200, {
      'content-type': TYPES[extname(full)] ?? 'text/html; charset=utf-8',
      'content-security-policy': CONTENT_SECURITY_POLICY,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-store',
    });
    res.end(content);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  allowedHosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  const origin = `http://127.0.0.1:${port}`;
  return {
    url: `${origin}/#token=${token}`,
    origin,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function envelope(code: string, message: string) {
  return { ok: false, error: { code, message } };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const json = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(json);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      // Keep draining so the refusal can still be answered on this connection.
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () =>
      size > MAX_BODY_BYTES
        ? reject(new Error('too large'))
        : resolve(Buffer.concat(chunks).toString('utf8')),
    );
    req.on('error', reject);
  });
}
