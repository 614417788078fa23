import type { MessagePort } from 'node:worker_threads';
import type { HostPort } from './host.ts';
import type { ToCoreHost } from './protocol.ts';

/** `process.parentPort` of an Electron utility process, typed here so this module never imports Electron. */
interface UtilityParentPort {
  on(event: 'message', listener: (event: { data: unknown }) => void): unknown;
  postMessage(message: unknown): void;
}

/**
 * The host's end of the channel, wherever it runs: an Electron utility process gets its messages wrapped in an
 * event (`{ data }`), a worker thread gets them as sent.
 */
export function hostPortOf(proc: object, workerPort: MessagePort | null): HostPort {
  const utility = (proc as { parentPort?: UtilityParentPort }).parentPort;
  if (utility) {
    return {
      post: (message) => utility.postMessage(message),
      onMessage: (listener) => utility.on('message', (event) => listener(event.data as ToCoreHost)),
    };
  }
  if (workerPort) {
    return {
      post: (message) => workerPort.postMessage(message),
      onMessage: (listener) => workerPort.on('message', (message: ToCoreHost) => listener(message)),
    };
  }
  throw new Error('Le cœur de Guichet Famille doit être lancé par l’application (processus ou fil dédié).');
}
