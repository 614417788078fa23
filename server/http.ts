import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MAX_PUSH_BYTES } from '../core/sync/protocol.ts';

/** An HTTP answer: status and JSON body. */
export interface Reply {
  status: number;
  body: unknown;
}

/** A refusal, in French, as every route words one. */
export const fr = (status: number, code: string, message: string): Reply => ({
  status,
  body: { error: { code, message } },
});

export const isReply = (x: unknown): x is Reply =>
  typeof x === 'object' && x !== null && 'status' in x && 'body' in x;

export type Route = (req: IncomingMessage, body: unknown) => Promise<Reply>;

/**
 * The server's HTTP plumbing: bodies read up to the push limit and parsed as JSON, every answer JSON, and an
 * unexpected failure answered 503 (the counter sends again) rather than taking the process down.
 */
export function httpHandler(route: Route, onInternalError?: (where: string, error: unknown) => void) {
  return async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let reply: Reply;
    try {
      const text = await readBody(req, MAX_PUSH_BYTES);
      if (text === null) {
        reply = fr(
          413,
          'TOO_LARGE',
          `Envoi trop volumineux (plus de ${MAX_PUSH_BYTES / 1024 / 1024} Mo) : rien n'a été enregistré.`,
        );
      } else {
        let body: unknown = null;
        try {
          body = text ? JSON.parse(text) : null;
        } catch {
          reply = fr(400, 'MALFORMED', "Envoi illisible (JSON invalide) : rien n'a été enregistré.");
          return send(res, reply);
        }
        reply = await route(req, body);
      }
    } catch (error) {
      onInternalError?.(req.url ?? '', error);
      reply = fr(
        503,
        'INTERNAL',
        'Le serveur n’a pas pu enregistrer cet envoi : il sera renvoyé automatiquement.',
      );
    }
    send(res, reply);
  };
}

export async function listenOn(
  handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>,
  port = 0,
  host = '127.0.0.1',
): Promise<{ url: string; server: Server; close(): Promise<void> }> {
  const server = createServer((req, res) => void handle(req, res));
  // A counter may spend seconds rebasing after a big pull before its next request: keep its connection, so that
  // request does not race the idle timeout and come back « serveur injoignable ».
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  const address = server.address() as AddressInfo;
  return {
    url: `http://${host}:${address.port}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function readBody(req: IncomingMessage, max: number): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? null : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, reply: Reply): void {
  const text = JSON.stringify(reply.body);
  res.writeHead(reply.status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(text);
}
