import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import type { Envelope } from '../core/api/envelope.ts';
import { openSqlite } from '../core/db/open.ts';
import { createSyncClient } from '../core/sync/client.ts';
import { openTestCore, TEST_PASSWORD } from '../core/test/fixtures.ts';
import type { CoreHost } from '../electron/core-host/client.ts';
import type { CoreHostOptions, LongWork } from '../electron/core-host/protocol.ts';
import { createSharedClock } from '../electron/core-host/shared-clock.ts';
import { startCoreWorker } from '../electron/core-host/worker.ts';
import { buildTownM, buildTownMFile } from './billing.bench.ts';
import { buildJournalFile } from './payments.bench.ts';
import { msSince, now, result, type BenchResult } from './stats.ts';
import { clock as syncClock, enrolDevice, openServer, spreadBookingVersions } from './sync.bench.ts';

/**
 * ui.max_block_ms: the longest the thread serving the window (Electron's main process, the browser host) goes
 * without turning its event loop — no repaint of a menu, no print, no answer to anything — while the core does the
 * three longest things a counter does: a month's invoicing of town M, a check of a 100,000-entry régie journal,
 * and the first pull of town M from the central server. Measured with perf_hooks.monitorEventLoopDelay (1 ms
 * resolution) on this thread while the core host works in its worker, as the browser host runs it. Baseline: the
 * same work with the core on this thread, as the app ran before.
 */
const MONTH = '2026-09';
const ISSUE_DATE = '2026-10-02';
const billingClock = () => new Date(`${ISSUE_DATE}T10:00:00+02:00`);
const journalClock = () => new Date('2026-10-05T09:00:00+02:00');
/** As openTestCore: cheap hashing of new passwords, no idle lock. */
const HOST = { scryptLogN: 10, idleMinutes: 60 * 24 * 365 * 100 } satisfies Partial<CoreHostOptions>;
/** How often the window would ask the core something meanwhile (the header polls every few seconds). */
const PING_MS = 200;
/**
 * Each work is measured this many times on each side, alternating, and its median kept: on a shared machine one
 * run can lose the CPU to a neighbour for tens of milliseconds, which is the machine's doing, not the app's.
 */
const REPEAT = 3;

interface Watched {
  /** Longest event-loop delay of this thread during the work. */
  blockMs: number;
  workMs: number;
}

export async function run(): Promise<BenchResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'gf-bench-ui-'));
  try {
    const build0 = now();
    const town = join(dir, 'town-m.sqlite');
    await buildTownMFile(town, billingClock);
    const journal = join(dir, 'journal.sqlite');
    await buildJournalFile(journal);
    const serverFile = join(dir, 'server.sqlite');
    await buildServerTownM(serverFile);
    console.log(`  town M, journal and server built in ${(msSince(build0) / 1000).toFixed(1)} s`);

    const server = await startServerThread(serverFile);
    try {
      const works: [string, () => Promise<Watched>, () => Promise<Watched & { waitedMs: number }>][] = [
        ['month run', () => monthInThread(dir, town), () => monthOffThread(dir, town)],
        ['journal check', () => journalInThread(journal), () => journalOffThread(journal)],
        ['initial pull', () => pullInThread(dir, server.url), () => pullOffThread(dir, server.url)],
      ];
      const before: number[] = [];
      const after: number[] = [];
      for (const [name, inThread, offThread] of works) {
        const a: Watched[] = [];
        const b: (Watched & { waitedMs: number })[] = [];
        for (let i = 0; i < REPEAT; i++) {
          if (i % 2 === 0) a.push(await inThread());
          b.push(await offThread());
          if (i % 2 === 1) a.push(await inThread());
        }
        const pick = <T extends Watched>(xs: T[], k: keyof T) => xs.map((x) => x[k] as number);
        before.push(median(pick(a, 'blockMs')));
        after.push(median(pick(b, 'blockMs')));
        console.log(
          `  ${name}: window's thread blocked up to ${list(pick(a, 'blockMs'))} ms with the core on it` +
            ` (work ${list(pick(a, 'workMs'))} ms); ${list(pick(b, 'blockMs'), 1)} ms with the core in its worker` +
            ` (work ${list(pick(b, 'workMs'))} ms; a call to the core made meanwhile waited up to` +
            ` ${list(pick(b, 'waitedMs'))} ms)`,
        );
      }
      const idle = await watch(() => pause(5_000));
      console.log(
        `  the same thread idle for 5 s, for comparison: longest delay ${idle.blockMs.toFixed(1)} ms`,
      );
      console.log(`  load average ${loadavg()[0]?.toFixed(1)} on ${availableParallelism()} CPUs`);
      return [result('ui.max_block_ms', Math.max(...after), 'ms', Math.max(...before))];
    } finally {
      await server.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const list = (xs: number[], digits = 0) => xs.map((x) => x.toFixed(digits)).join(' / ');

/** The longest delay this thread's event loop saw while `work` ran. */
async function watch(work: () => Promise<unknown>): Promise<Watched> {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  // The histogram's timer must be running before the work starts: a block that begins at once is never sampled.
  await pause(50);
  const start = now();
  await work();
  const workMs = msSince(start);
  // A block at the very end is only recorded once the loop turns again.
  await pause(10);
  histogram.disable();
  return { blockMs: histogram.max / 1e6, workMs };
}

/**
 * `watch` with the core in its worker, asking it something every PING_MS as the window's polling would: what
 * the window waits for while the core is busy (its thread is free; the core's answers queue behind the work).
 */
async function watchHost(
  host: CoreHost,
  work: () => Promise<unknown>,
): Promise<Watched & { waitedMs: number }> {
  let waitedMs = 0;
  let done = false;
  const pinging = (async () => {
    while (!done) {
      const start = now();
      await host.invoke('system.info', {});
      waitedMs = Math.max(waitedMs, msSince(start));
      await pause(PING_MS);
    }
  })();
  const watched = await watch(work);
  done = true;
  await pinging;
  return { ...watched, waitedMs };
}

/** Each run works on its own copy (a month can only be billed once, a counter pulls its town once), then drops it. */
let files = 0;
const drop = (path: string) => {
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
};

function check(name: string, r: Envelope<unknown>): void {
  if (!r.ok) throw new Error(`${name} : ${r.error.message}`);
}

async function startHost(path: string, clock: () => Date, options: Partial<CoreHostOptions> = {}) {
  const host = startCoreWorker({ path, ...HOST, clockCell: createSharedClock(clock()).cell, ...options });
  await host.ready;
  return host;
}

async function monthInThread(dir: string, town: string): Promise<Watched> {
  const path = join(dir, `month-in-${++files}.sqlite`);
  copyFileSync(town, path);
  const core = await openTestCore({ path, clock: billingClock });
  const watched = await watch(async () =>
    check('billing.runMonth', await core.invoke('billing.runMonth', { month: MONTH, issueDate: ISSUE_DATE })),
  );
  await core.close();
  drop(path);
  return watched;
}

async function monthOffThread(dir: string, town: string) {
  const path = join(dir, `month-off-${++files}.sqlite`);
  copyFileSync(town, path);
  const host = await startHost(path, billingClock);
  check('auth.login', await host.invoke('auth.login', { username: 'admin', password: TEST_PASSWORD }));
  const watched = await watchHost(host, async () =>
    check('billing.runMonth', await host.invoke('billing.runMonth', { month: MONTH, issueDate: ISSUE_DATE })),
  );
  await host.close();
  drop(path);
  return watched;
}

async function journalInThread(path: string): Promise<Watched> {
  const core = await openTestCore({ path, clock: journalClock });
  const watched = await watch(async () =>
    check('regie.verifyJournal', await core.invoke('regie.verifyJournal', { full: true })),
  );
  await core.close();
  return watched;
}

async function journalOffThread(path: string) {
  const host = await startHost(path, journalClock);
  check('auth.login', await host.invoke('auth.login', { username: 'admin', password: TEST_PASSWORD }));
  const watched = await watchHost(host, async () =>
    check('regie.verifyJournal', await host.invoke('regie.verifyJournal', { full: true })),
  );
  await host.close();
  return watched;
}

/** Town M on the central server's file, its bookings spread over versions as commands would have written them. */
async function buildServerTownM(path: string): Promise<void> {
  const server = await openServer(path);
  const raw = openSqlite(path).raw;
  try {
    await buildTownM(server.call, raw);
    spreadBookingVersions(raw);
  } finally {
    raw.close();
    await server.close();
  }
}

async function startServerThread(path: string): Promise<{ url: string; close(): Promise<void> }> {
  const worker = new Worker(new URL('./central-server.worker.ts', import.meta.url), { workerData: { path } });
  const { url } = await new Promise<{ url: string }>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  return {
    url,
    close: async () => {
      const exited = new Promise((resolve) => worker.once('exit', resolve));
      worker.postMessage('close');
      await exited;
    },
  };
}

async function pullInThread(dir: string, url: string): Promise<Watched> {
  const device = await enrolDevice(url, 'Guichet sur le fil de la fenêtre');
  const path = join(dir, `pull-in-${++files}.sqlite`);
  const core = await openTestCore({ path, clock: syncClock });
  const client = createSyncClient(core, { serverUrl: url, credential: device.credential, clock: syncClock });
  const watched = await watch(async () => {
    const outcome = await client.syncOnce();
    if (!outcome.ok) throw new Error(`synchronisation : ${outcome.error}`);
  });
  await core.close();
  drop(path);
  return watched;
}

/** Connected the administrator's way (`sync.connect`); the first round, started by the connection, pulls the town. */
async function pullOffThread(dir: string, url: string) {
  const device = await enrolDevice(url, 'Guichet avec son cœur à part');
  const path = join(dir, `pull-off-${++files}.sqlite`);
  const host = await startHost(path, syncClock, { sync: { intervalMs: 600_000 } });
  const admin = { username: 'admin', displayName: 'Administrateur', password: TEST_PASSWORD };
  check('auth.setupAdmin', await host.invoke('auth.setupAdmin', admin));
  const watched = await watchHost(host, async () => {
    const pulled = ended(host, 'sync.pull');
    check(
      'sync.connect',
      await host.invoke('sync.connect', { serverUrl: url, credential: device.credential }),
    );
    const label = await pulled;
    if (!label.startsWith('Poste à jour')) throw new Error(label);
  });
  await host.close();
  drop(path);
  return watched;
}

function ended(host: CoreHost, work: LongWork): Promise<string> {
  return new Promise((resolve) => {
    const stop = host.onProgress((event) => {
      if (event.work !== work || event.phase !== 'end') return;
      stop();
      resolve(event.label);
    });
  });
}
