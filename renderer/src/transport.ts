import type { CounterApi, InputOf, OperationName, OutputOf } from '../../core/contract.ts';
import type { Envelope } from '../../core/api/envelope.ts';

declare global {
  interface Window {
    counter?: CounterApi;
  }
}

const TOKEN_KEY = 'guichet-famille.token';
export const CONNECTION_LOST =
  'Connexion au poste perdue : vérifiez que Guichet Famille est toujours ouvert sur ce poste, puis réessayez.';
const UNREADABLE = 'Réponse illisible du poste : réessayez, puis prévenez l’administrateur si cela persiste.';

const internal = (message: string): Envelope<never> => ({ ok: false, error: { code: 'INTERNAL', message } });

/**
 * Takes the session token out of the address: it stays for this tab only (a reload keeps working) and no longer
 * shows in the address bar, the history or a screenshot.
 */
export function takeSessionToken(): string | null {
  const match = /(?:^#|&)token=([^&]*)/.exec(location.hash);
  if (match) {
    const token = decodeURIComponent(match[1] ?? '');
    sessionStorage.setItem(TOKEN_KEY, token);
    history.replaceState(history.state, '', location.pathname + location.search);
    return token;
  }
  return sessionStorage.getItem(TOKEN_KEY);
}

/** The contracts made by httpCounter: the browser host, as opposed to Electron's preload. */
const httpCounters = new WeakSet<CounterApi>();

/** Whether this contract goes over the loopback browser host (no desktop shell behind it to print). */
export const isHttpCounter = (api: CounterApi): boolean => httpCounters.has(api);

/** Whether the page runs in the desktop app: Electron's preload gave window.counter, not the HTTP stand-in. */
export const inDesktopShell = (): boolean => window.counter !== undefined && !isHttpCounter(window.counter);

/** The contract over the loopback browser host. Every failure comes back as an envelope, never as a throw. */
export function httpCounter(token: string | null, fetchImpl: typeof fetch = fetch): CounterApi {
  const api: CounterApi = {
    async invoke<N extends OperationName>(name: N, input: InputOf<N>): Promise<Envelope<OutputOf<N>>> {
      let response: Response;
      try {
        response = await fetchImpl('/api/invoke', {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            ...(token === null ? {} : { authorization: `Bearer ${token}` }),
          },
          body: JSON.stringify({ name, input }),
        });
      } catch {
        return internal(CONNECTION_LOST);
      }
      // The host answers refusals (bad token, bad request) with an envelope too, whatever the status.
      try {
        const body: unknown = await response.json();
        if (typeof body === 'object' && body !== null && typeof (body as { ok?: unknown }).ok === 'boolean') {
          return body as Envelope<OutputOf<N>>;
        }
      } catch {
        // A proxy's or a crashed host's HTML page: said below in the agent's words.
      }
      return internal(response.ok ? UNREADABLE : CONNECTION_LOST);
    },
  };
  httpCounters.add(api);
  return api;
}

/** Electron's preload provides window.counter; in a plain browser the HTTP transport stands in for it. */
export function installCounter(): CounterApi {
  window.counter ??= httpCounter(takeSessionToken());
  return window.counter;
}
