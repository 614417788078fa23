import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

/**
 * The server's journal: one JSON object per line on standard output (journald keeps it; `journalctl -u
 * guichet-famille-serveur -o cat | jq` reads it), with a level, an ISO time and a French message.
 *
 * What it never holds: a token, a PC's credential, a password, a request or response body (a family file, a child's
 * health notes), the text of a refusal (it can name a child). The rule is kept by structure — requests are logged by
 * method, path, status and time, errors by type, code and stack — and a last filter masks any known secret and any
 * credential-shaped text that would still reach a line.
 */
export interface LoggerOptions {
  level?: string;
  /** Secrets the filter masks wherever they appear (the tokens, the PostgreSQL password). */
  secrets?: readonly string[];
  destination?: DestinationStream;
}

const MASK = '[masqué]';

/** Credential-shaped text: `Bearer …`, `postgres://user:password@`, a PC's `deviceId.secret`. */
const PATTERNS: readonly [RegExp, string][] = [
  [/(Bearer\s+)[^\s"\\]+/gi, `$1${MASK}`],
  [/([a-z][a-z0-9+.-]*:\/\/[^:/\s"@]*:)[^@\s"]+@/gi, `$1${MASK}@`],
  [/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.)[A-Za-z0-9_-]{20,}/gi, `$1${MASK}`],
  [/(password\s*=\s*)[^\s"&]+/gi, `$1${MASK}`],
];

/** Masks secrets in a text: the known values first, then the shapes above. */
export function scrub(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length < 6) continue; // a short value would mask ordinary words
    out = out.split(secret).join(MASK);
    const escaped = JSON.stringify(secret).slice(1, -1);
    if (escaped !== secret) out = out.split(escaped).join(MASK);
  }
  for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

/** SQLSTATE class 22 (data exception): PostgreSQL quotes the offending value in the message. */
const ECHOES_VALUE = /^22/;

/**
 * An error as the journal keeps it: its type, message, code and stack, and for a PostgreSQL error the names of the
 * table, column and constraint. Not its other properties: node-postgres puts the row's values in `detail` and
 * `where`, and a library may hang the request or its parameters on an error.
 */
export function safeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { type: typeof error, message: String(error).slice(0, 200) };
  const e = error as Error & Record<string, unknown>;
  const pgCode = typeof e.severity === 'string' && typeof e.code === 'string' ? e.code : null;
  const out: Record<string, unknown> = { type: e.name || e.constructor?.name || 'Error' };
  if (pgCode && ECHOES_VALUE.test(pgCode)) {
    out.message = `valeur refusée par PostgreSQL (SQLSTATE ${pgCode}) : détail non journalisé`;
    out.stack = (e.stack ?? '').split('\n').slice(1).join('\n');
  } else {
    out.message = e.message;
    out.stack = e.stack;
  }
  if (typeof e.code === 'string' || typeof e.code === 'number') out.code = e.code;
  if (pgCode) {
    for (const key of ['severity', 'table', 'column', 'constraint', 'routine'] as const) {
      if (typeof e[key] === 'string') out[key] = e[key];
    }
  }
  if (e.cause !== undefined) out.cause = safeError(e.cause);
  return out;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const secrets = (options.secrets ?? []).filter((s) => s.length > 0);
  return pino(
    {
      level: options.level ?? 'info',
      base: { app: 'guichet-famille-serveur', pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      serializers: { err: safeError, error: safeError },
      // Belt and braces for structured fields: whoever logs an object with one of these keys gets it masked.
      redact: {
        paths: [
          'authorization',
          'headers.authorization',
          'req.headers.authorization',
          'password',
          '*.password',
          'token',
          '*.token',
          'adminToken',
          'portalToken',
          'credential',
          '*.credential',
          'secret',
          '*.secret',
          'pgUrl',
          '*.pgUrl',
          'input',
          '*.input',
          'body',
          '*.body',
          'notes',
          '*.notes',
        ],
        censor: MASK,
      },
      hooks: { streamWrite: (line) => scrub(line, secrets) },
    },
    options.destination ?? pino.destination({ dest: 1, sync: true }),
  );
}

/** Routes every counter calls every few seconds: logged at `debug`, or the journal is nothing else. */
const ROUTINE = new Set(['/pull', '/healthz', '/device']);

/**
 * One line per request, once answered: method, path (never the query or the body), status, duration, and the PC
 * when the server authenticated one. Errors at `error`, refusals at `warn`, the routine polling at `debug`.
 */
export function logRequests(
  server: Server,
  logger: Logger,
  deviceOf: (req: IncomingMessage) => string | undefined = () => undefined,
): void {
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const start = process.hrtime.bigint();
    const path = new URL(req.url ?? '/', 'http://serveur').pathname;
    const done = (aborted: boolean) => {
      const ms = Math.round(Number(process.hrtime.bigint() - start) / 1e5) / 10;
      const entry = {
        method: req.method,
        path,
        status: res.statusCode,
        ms,
        device: deviceOf(req),
        bytesIn: Number(req.headers['content-length'] ?? 0) || undefined,
      };
      if (aborted) return logger.warn(entry, 'Requête interrompue avant la réponse');
      const level =
        res.statusCode >= 500
          ? 'error'
          : res.statusCode >= 400
            ? 'warn'
            : ROUTINE.has(path) && req.method === 'GET'
              ? 'debug'
              : 'info';
      logger[level](entry, `${req.method} ${path} ${res.statusCode}`);
    };
    res.once('finish', () => done(false));
    res.once('close', () => {
      if (!res.writableFinished) done(true);
    });
  });
}
