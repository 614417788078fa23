/**
 * The core host's entry point: Electron's main process forks it as a utility process (built to
 * out/main/core-host.js), the browser host starts it as a worker thread. No Electron import: see host-port.ts.
 */
import { parentPort } from 'node:worker_threads';
import { serveCoreHost } from './host.ts';
import { hostPortOf } from './host-port.ts';

serveCoreHost(hostPortOf(process, parentPort));
