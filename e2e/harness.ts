import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { installDemoActivities, type DemoActivities } from '../core/demo/demo-town.ts';
import { DEFAULT_REQUIRED_DOCUMENTS } from '../core/activities/enrolment.ts';
import type { InputOf, OperationName, OutputOf } from '../core/contract.ts';
import type { Envelope } from '../core/api/envelope.ts';
import type { Core } from '../core/app.ts';
import { schoolYearOf } from '../core/calendar/school-calendar.ts';
import { writeSetting } from '../core/db/settings.ts';
import { LEFEVRE, openTestCore } from '../core/test/fixtures.ts';
import { startBrowserHost, type BrowserHost } from '../electron/browser-host/server.ts';
import { createSyncRunner, type SyncRunner, type SyncRunnerOptions } from '../electron/sync-runner.ts';

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
  /** Gives the browser host the shell's link to a central server (on the core's clock), as `npm start` does. */
  sync?: Omit<SyncRunnerOptions, 'clock'>;
}

export interface Harness {
  core: Core;
  /** A contract call straight to the core (set-up), throwing on a refusal. */
  call: Call;
  /** Present when started with `demo: true`. */
  demo: DemoSetup | null;
  host: BrowserHost;
  /** Present when started with `sync`. */
  sync: SyncRunner | null;
  browser: Browser;
  /** Errors the app's pages logged or threw (CSP violations, React errors): a clean run has none. */
  pageErrors: string[];
  /** A fresh page on the app, token in its address, already showing the town name. */
  openApp(): Promise<Page>;
  close(): Promise<void>;
}

/**
 * The real renderer on a real core, the way the browser fallback serves it: a core on a temporary SQLite file,
 * the loopback host, and Debian's Chromium driven by playwright-core.
 */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const dir = await mkdtemp(join(tmpdir(), 'guichet-e2e-'));
  const now = options.now;
  const clock = options.clock ?? (now ? () => now : undefined);
  const core = await openTestCore({ path: join(dir, 'famille.sqlite'), ...(clock ? { clock } : {}) });
  const call: Call = async (name, input) => {
    const r = (await core.invoke(name, input)) as Envelope<OutputOf<typeof name>>;
    if (!r.ok) throw new Error(`${name}: ${r.error.code} ${r.error.message}`);
    return r.data;
  };
  const demo = options.demo ? await installDemo(call) : null;
  const townName = options.townName ?? (demo ? 'Ville de Belleval' : 'Ville de Démo-sur-Loire');
  await writeSetting(core.db, 'town.name', townName);
  const sync = options.sync ? createSyncRunner(core, { ...options.sync, ...(clock ? { clock } : {}) }) : null;
  await sync?.start();
  const host = await startBrowserHost({ invoke: core.invoke, sync, rendererDir: RENDERER_DIR });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  const context = await browser.newContext({ viewport: { width: 1366, height: 820 }, locale: 'fr-FR' });
  // A UI that answers at all answers within a second or two here; fail fast rather than after 30 s.
  context.setDefaultTimeout(5_000);

  const pageErrors: string[] = [];
  return {
    core,
    call,
    demo,
    host,
    sync,
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
      await page.getByText(townName).waitFor();
      return page;
    },
    async close() {
      await browser.close().catch(() => {});
      await host.close();
      await sync?.stop();
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
