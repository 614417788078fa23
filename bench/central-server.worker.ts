/**
 * The central server in a thread of its own, for bench/ui.bench.ts: a counter's server is another machine, and
 * the time it spends reading and sending pages must not count against the thread that serves the window.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openServer } from './sync.bench.ts';

const server = await openServer((workerData as { path: string }).path);
parentPort?.postMessage({ url: server.url });
parentPort?.once('message', () => void server.close().then(() => parentPort?.close()));
