import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { installDemoActivities, type DemoActivities } from '../core/demo/demo-town.ts';
import { DEFAULT_REQUIRED_DOCUMENTS } from '../core/activities/enrolment.ts';
import type { InputOf, OperationName, OutputOf } from '../core/contract.ts';
import type { Envelope } from '../core/api/envelope.ts';
import type { Core } from '../core/app.ts';
import { schoolYearOf } from '../core/calendar/school-calendar.ts';
import { openSqlite } from '../core/db/open.ts';
import { writeSetting } from '../core/db/settings.ts';
import { openVault } from '../core/secrets/credential-vault.ts';
import { createDemoTown, type DemoTownSummary } from '../core/demo/town.ts';
import { LEFEVRE, TEST_PASSWORD } from '../core/test/fixtures.ts';
import { startBrowserHost, type BrowserHost } from '../electron/browser-host/server.ts';
import type { CoreHostSyncOptions } from '../electron/core-host/protocol.ts';
import { createSharedClock } from '../electron/core-host/shared-clock.ts';
import { startCoreWorker } from '../electron/core-host/worker.ts';

export const RENDERER_DIR = fileURLToPath(new URL('../out/renderer', import.meta.url));
export const RESULTS_DIR = fileURLToPath(new URL('../test-results', import.meta.url));

/** Chromium flags for these machines: no sandbox as root, and nothing that tries to reach the (closed) network. */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-dev-shm-usage',
];

/** The demo town installed on the harness's core, and a household whose file is complete for the school year. */
export interface DemoSetup {
  activities: DemoActivities;
  householdId: string;
  /** The Lefèvre children: Zoé (CE1), then Noé (GS). */
  children: { id: string; firstName: string }[];
  schoolYear: string;
}

type Call = <N extends OperationName>(name: N, input: InputOf<N>) => Promise<OutputOf<N>>;

export interface HarnessOptions {
  townName?: string;
  /** The core's clock, fixed. */
  now?: Date;
  /**
   * The core's clock, read at every command (a test may move it); the browser's clock is set to it when a page
   * opens, so « today » in the app is the core's today.
   */
  clock?: () => Date;
  /** Installs the demo town's activities (RULES.md) and the Lefèvre household with a complete file. */
  demo?: boolean;
  /** Gives the core host a link to a central server (on the core's clock), as `npm start` does. */
  sync?: CoreHostSyncOptions;
  /**
   * The demo town with its past (core/demo/town.ts), smaller than `npm start`'s, created on the file at the core's
   * clock before the core host opens it. Nobody is signed in: the test signs in through the login screen, with the
   * demo's accounts (accueil, regie, alsh, admin; password `belleval`), and `call` works once it has.
   */
  demoTown?: { households: number; active: number };
  /** Prepares the file before the core host opens it (a store as another PC or an earlier version left it). */
  beforeOpen?: (path: string) => Promise<void>;
}

export interface Harness {
  /**
   * The window's core as the test sees it: `invoke` goes to the core host the window uses (same session), `db` and
   * `raw` are this thread's own connection to the same file, to set up and read what the window did.
   */
  core: Core;
  /** A contract call to the window's core (set-up), throwing on a refusal. */
  call: Call;
  /** Present when started with `demo: true`. */
  demo: DemoSetup | null;
  /** Present when started with `demoTown`. */
  demoTown: DemoTownSummary | null;
  host: BrowserHost;
  browser: Browser;
  /** Errors the app's pages logged or threw (CSP violations, React errors): a clean run has none. */
  pageErrors: string[];
  /** A fresh page on the app, token in its address, already showing the town name. */
  openApp(): Promise<Page>;
  close(): Promise<void>;
}

/**
 * The real renderer on a real core, the way the browser fallback serves it: the core host in its worker thread on
 * a temporary SQLite file, the loopback host, and Debian's Chromium driven by playwright-core.
 */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const dir = await mkdtemp(join(tmpdir(), 'guichet-e2e-'));
  const path = join(dir, 'famille.sqlite');
  const now = options.now;
  const clock = options.clock ?? (now ? () => now : undefined);
  const shared = clock ? createSharedClock(clock()) : null;
  const demoTown = options.demoTown
    ? await createDemoTown({ path, ...options.demoTown, scryptLogN: 10, ...(clock ? { clock } : {}) })
    : null;
  await options.beforeOpen?.(path);
  const worker = startCoreWorker({
    path,
    // As openTestCore: cheap password hashing, and no idle lock (tests move the clock by months).
    scryptLogN: 10,
    idleMinutes: 60 * 24 * 365 * 100,
    sync: options.sync ?? null,
    ...(shared ? { clockCell: shared.cell } : {}),
  });
  // The core read the test's clock at every command; the worker reads the shared cell, kept to the test's clock
  // at every call and, for background sync, every few milliseconds.
  const tick = clock && shared ? setInterval(() => shared.set(clock()), 20) : null;
  tick?.unref();
  const invoke: Core['invoke'] = (name, input) => {
    if (clock && shared) shared.set(clock());
    return worker.invoke(name, input);
  };
  const { deviceId } = await worker.ready;
  const file = openSqlite(path);
  // The worker made the folder's key at open: the test reads the same file.
  const credentials = openVault(path === ':memory:' ? null : dirname(path));
  const core: Core = {
    ...file,
    deviceId,
    credentials,
    invoke,
    admit: worker.admit,
    close: () => file.db.destroy(),
  };
  if (!demoTown) {
    const admin = await invoke('auth.setupAdmin', {
      username: 'admin',
      displayName: 'Administrateur',
      password: TEST_PASSWORD,
    });
    if (!admin.ok) throw new Error(admin.error.message);
  }
  const call: Call = async (name, input) => {
    const r = (await core.invoke(name, input)) as Envelope<OutputOf<typeof name>>;
    if (!r.ok) throw new Error(`${name}: ${r.error.code} ${r.error.message}`);
    return r.data;
  };
  const demo = options.demo ? await installDemo(call) : null;
  const townName = options.townName ?? (demo || demoTown ? 'Ville de Belleval' : 'Ville de Démo-sur-Loire');
  await writeSetting(core.db, 'town.name', townName);
  const host = await startBrowserHost({ invoke, rendererDir: RENDERER_DIR });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  const context = await browser.newContext({ viewport: { width: 1366, height: 820 }, locale: 'fr-FR' });
  // A UI that answers at all answers within a second or two here; fail fast rather than after 30 s.
  context.setDefaultTimeout(5_000);

  const pageErrors: string[] = [];
  return {
    core,
    call,
    demo,
    demoTown,
    host,
    browser,
    pageErrors,
    async openApp() {
      const page = await context.newPage();
      if (options.clock) await page.clock.setFixedTime(options.clock());
      page.on('pageerror', (error) => pageErrors.push(String(error)));
      page.on('console', (message) => {
        if (message.type() === 'error') pageErrors.push(`${message.text()} (${message.location().url})`);
      });
      await page.goto(host.url);
      // The demo town opens on its login screen, which names the app, not the town.
      await (
        demoTown ? page.getByRole('heading', { name: 'Connexion' }) : page.getByText(townName)
      ).waitFor();
      return page;
    },
    async close() {
      await browser.close().catch(() => {});
      await host.close();
      if (tick) clearInterval(tick);
      await worker.close();
      await core.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function installDemo(call: Call): Promise<DemoSetup> {
  const activities = await installDemoActivities(call);
  const { householdId } = await call('family.createHousehold', LEFEVRE);
  const file = await call('family.get', { householdId });
  // The core's today in the town's zone, whatever the zone of the machine running the tests.
  const schoolYear = schoolYearOf((await call('system.clock', {})).today);
  for (const doc of DEFAULT_REQUIRED_DOCUMENTS)
    await call('enrolment.checkDocument', { householdId, schoolYear, item: doc.code, checked: true });
  return {
    activities,
    householdId,
    children: file.children.map((c) => ({ id: c.id, firstName: c.firstName })),
    schoolYear,
  };
}
