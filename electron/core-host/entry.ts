/**
 * The core host's entry point: Electron's main process forks it as a utility process (built to
 * out/main/core-host.js), the browser host starts it as a worker thread. No Electron import: see host-port.ts.
 */
import { enableCompileCache } from 'node:module';
import { parentPort } from 'node:worker_threads';
import type { ToCoreHost } from './protocol.ts';
import { hostPortOf } from './host-port.ts';

// V8's compiled code for the core, kept on disk by Node between launches (in the system's temporary folder, keyed
// by Node's version and each file's content): compiling the core's bundle is a good part of the time before the
// sign-in screen answers, and it is the same work at every start. Enabled before the core is loaded, below.
enableCompileCache?.();

// The window may speak before the core is loaded: what it says waits here, in order.
const port = hostPortOf(process, parentPort);
const early: ToCoreHost[] = [];
let deliver: ((message: ToCoreHost) => void) | null = null;
port.onMessage((message) => (deliver ? deliver(message) : early.push(message)));

const { serveCoreHost } = await import('./host.ts');
serveCoreHost({
  post: port.post,
  onMessage: (listener) => {
    deliver = listener;
    for (const message of early.splice(0)) listener(message);
  },
});
