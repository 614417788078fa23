import { utilityProcess } from 'electron';
import { connectCoreHost, type CoreHost } from '../core-host/client.ts';
import type { CoreHostOptions } from '../core-host/protocol.ts';

/**
 * The core host in an Electron utility process (Actual's layout): a Node process of its own, so a month's
 * invoicing or a first pull from the server runs while the window, printing and menus stay responsive, and a crash
 * in the core leaves main alive to say so.
 */
export function forkCoreHost(entry: string, options: CoreHostOptions): CoreHost {
  const child = utilityProcess.fork(entry, [], { serviceName: 'Guichet Famille (cœur)', stdio: 'inherit' });
  let exited = false;
  let fatalError = '';
  child.on('error', (type, location) => (fatalError = `${type} (${location})`));
  return connectCoreHost(
    {
      // Posting to a utility process that has gone crashed main in some Electron versions.
      post: (message) => {
        if (!exited) child.postMessage(message);
      },
      onMessage: (listener) => child.on('message', listener),
      onExit: (listener) =>
        child.on('exit', (code) => {
          exited = true;
          listener(fatalError || `processus du cœur arrêté (code ${code})`);
        }),
      stop: () => {
        if (!exited) child.kill();
      },
    },
    options,
  );
}
