import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Envelope } from '../core/api/envelope.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** Creating the demo town (2,000 households through the contract) takes a minute or two on a busy build machine. */
const START_TIMEOUT_MS = 300_000;

/**
 * `npm start` as an agent runs it on a counter PC in metropolitan France: `scripts/start.ts` in its browser mode
 * (no Electron binary here), on an empty user data folder, in Europe/Paris. The demo town is created through the
 * contract at first start, so a command the core refuses on such a PC (« admin.saveTariff refusé : Champ
 * « validFrom » : cette date n'existe pas », east of UTC) stops the app before it prints its address.
 */
interface Started {
  child: ChildProcess;
  origin: string;
  token: string;
  output: () => string;
}

/** `npm start` on `dataDir`, its demo copies kept in `cacheDir`: resolves once it prints its address. */
async function startApp(dataDir: string, cacheDir: string): Promise<Started> {
  const child = spawn(process.execPath, ['scripts/start.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      TZ: 'Europe/Paris',
      GF_BROWSER: '1',
      GF_DATA_DIR: dataDir,
      GF_DEMO_CACHE_DIR: cacheDir,
      GF_PORT: '',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const address = await new Promise<URL>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`pas d’adresse après ${START_TIMEOUT_MS / 1000} s :\n${output}`)),
      START_TIMEOUT_MS,
    );
    const read = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const found = /Ouvrez Guichet Famille dans Chromium : (\S+)/.exec(output);
      if (found?.[1]) {
        clearTimeout(timer);
        resolve(new URL(found[1]));
      }
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', read);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`npm start s’est arrêté (code ${code}) :\n${output}`));
    });
  });
  return {
    child,
    origin: address.origin,
    token: new URLSearchParams(address.hash.slice(1)).get('token') ?? '',
    output: () => output,
  };
}

async function stopApp(child: ChildProcess | undefined): Promise<void> {
  if (child && child.exitCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
}

/** A contract call through the loopback browser host, as the renderer in Chromium makes it. */
async function invokeOn<T>(app: Started, name: string, input: unknown): Promise<Envelope<T>> {
  const response = await fetch(`${app.origin}/api/invoke`, {
    method: 'POST',
    headers: { authorization: `Bearer ${app.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name, input }),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as Envelope<T>;
}

describe('npm start on a new counter PC in Paris', () => {
  let app: Started;
  let dataDir: string;
  let cacheDir: string;
  const again: { app?: Started; dataDir?: string } = {};

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'guichet-start-'));
    // Its own (empty) folder of demo copies: this start makes the town, whatever an earlier one kept.
    cacheDir = await mkdtemp(join(tmpdir(), 'guichet-start-cache-'));
    app = await startApp(dataDir, cacheDir);
  }, START_TIMEOUT_MS + 10_000);

  afterAll(async () => {
    await stopApp(app?.child);
    await stopApp(again.app?.child);
    for (const dir of [dataDir, cacheDir, again.dataDir])
      if (dir) await rm(dir, { recursive: true, force: true });
  });

  const invoke = <T>(name: string, input: unknown) => invokeOn<T>(app, name, input);

  it('creates the demo town, signs in the counter agent and finds a family of Belleval', async () => {
    expect(app.output()).toContain(`Base : ${join(dataDir, 'guichet-famille.sqlite')}`);
    expect(await readdir(dataDir)).toContain('guichet-famille.sqlite');

    const login = await invoke<{ username: string }>('auth.login', {
      username: 'accueil',
      password: 'belleval',
    });
    expect(login).toMatchObject({ ok: true, data: { username: 'accueil', role: 'agent' } });

    const found = await invoke<{ householdName: string }[]>('family.search', { text: 'martin', limit: 5 });
    if (!found.ok) throw new Error(found.error.message);
    expect(found.data.length).toBeGreaterThan(0);
    expect(found.data[0]?.householdName).toMatch(/Martin/);

    const info = await invoke<{ townName: string; households: number; today: string }>('system.info', {});
    expect(info).toMatchObject({ ok: true, data: { townName: 'Ville de Belleval', households: 2000 } });
  });

  it('gives the town the past of its school year: tills, invoices, requests, today untouched', async () => {
    const login = await invoke('auth.login', { username: 'regie', password: 'belleval' });
    expect(login.ok).toBe(true);
    const clock = await invoke<{ today: string }>('system.clock', {});
    if (!clock.ok) throw new Error(clock.error.message);
    const { today } = clock.data;
    const month = Number(today.slice(5, 7));
    const sessions = await invoke<{ openDate: string; closed: boolean }[]>('regie.sessions', {});
    if (!sessions.ok) throw new Error(sessions.error.message);
    // Today's till is the régisseur's to open; every earlier one is closed.
    expect(sessions.data.every((s) => s.closed && s.openDate < today)).toBe(true);
    // In term time from October on, at least one month was invoiced and its due date has passed.
    if (month >= 10 || month <= 6) {
      expect(sessions.data.length).toBeGreaterThan(20);
      const unpaid = await invoke<{ invoices: unknown[] }>('billing.unpaid', { asOf: today });
      expect(unpaid.ok && unpaid.data.invoices.length).toBeGreaterThan(0);
      const inbox = await invoke<{ counts: { pending: number } }>('request.inbox', { state: 'pending' });
      expect(inbox.ok && inbox.data.counts.pending).toBeGreaterThan(0);
    }
    const seeded = /Ville de démonstration créée[^\n]* en ([\d.]+) s/.exec(app.output());
    console.log(`Création de la ville de démonstration : ${seeded?.[1] ?? '< 1'} s`);
  });

  it(
    'a second first start the same day takes the town the first one kept, in seconds',
    async () => {
      again.dataDir = await mkdtemp(join(tmpdir(), 'guichet-start-'));
      const started = performance.now();
      again.app = await startApp(again.dataDir, cacheDir);
      const seconds = (performance.now() - started) / 1000;
      expect(again.app.output()).toContain('Ville de démonstration du jour reprise de');
      expect(again.app.output()).not.toContain('Ville de démonstration créée');
      // The same town and past: the same till sessions and the same unpaid invoices as the first start's.
      const summary = async (on: Started) => {
        await invokeOn(on, 'auth.login', { username: 'regie', password: 'belleval' });
        const { today } = (
          (await invokeOn<{ today: string }>(on, 'system.clock', {})) as { data: { today: string } }
        ).data;
        const sessions = await invokeOn<unknown[]>(on, 'regie.sessions', {});
        const unpaid = await invokeOn<{ invoices: { number: string }[] }>(on, 'billing.unpaid', {
          asOf: today,
        });
        return {
          sessions: sessions.ok ? sessions.data.length : -1,
          unpaid: unpaid.ok ? unpaid.data.invoices.map((i) => i.number) : [],
        };
      };
      expect(await summary(again.app)).toEqual(await summary(app));
      console.log(`Reprise de la ville de démonstration gardée : ${seconds.toFixed(1)} s`);
    },
    START_TIMEOUT_MS,
  );
});
