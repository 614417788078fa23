import { Worker } from 'node:worker_threads';
import { connectCoreHost, type CoreHost, type CoreHostLink } from './client.ts';
import type { CoreHostOptions } from './protocol.ts';

/** The entry point as source: the browser host, `npm start` and the tests run TypeScript directly on Node 22. */
export const CORE_HOST_ENTRY = new URL('./entry.ts', import.meta.url);

/** The core host in a worker thread of this process: the browser host's and the end-to-end tests' way. */
export function startCoreWorker(options: CoreHostOptions): CoreHost {
  return connectCoreHost(workerLink(new Worker(CORE_HOST_ENTRY, { name: 'guichet-famille-coeur' })), options);
}

export function workerLink(worker: Worker): CoreHostLink {
  let thrown: unknown = null;
  let exited = false;
  worker.on('error', (error) => (thrown = error));
  return {
    post: (message) => {
      if (!exited) worker.postMessage(message);
    },
    onMessage: (listener) => worker.on('message', listener),
    onExit: (listener) =>
      worker.on('exit', (code) => {
        exited = true;
        listener(
          thrown instanceof Error
            ? thrown.message
            : thrown !== null
              ? String(thrown)
              : `fil du cœur arrêté (code ${code})`,
        );
      }),
    stop: () => {
      if (!exited) void worker.terminate();
    },
  };
}
