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
describe('npm start on a new counter PC in Paris', () => {
  let child: ChildProcess;
  let dataDir: string;
  let origin: string;
  let token: string;
  let output = '';

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'guichet-start-'));
    child = spawn(process.execPath, ['scripts/start.ts'], {
      cwd: ROOT,
      env: { ...process.env, TZ: 'Europe/Paris', GF_BROWSER: '1', GF_DATA_DIR: dataDir, GF_PORT: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
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
    origin = address.origin;
    token = new URLSearchParams(address.hash.slice(1)).get('token') ?? '';
  }, START_TIMEOUT_MS + 10_000);

  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  /** A contract call through the loopback browser host, as the renderer in Chromium makes it. */
  async function invoke<T>(name: string, input: unknown): Promise<Envelope<T>> {
    const response = await fetch(`${origin}/api/invoke`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name, input }),
    });
    expect(response.status).toBe(200);
    return (await response.json()) as Envelope<T>;
  }

  it('creates the demo town, signs in the counter agent and finds a family of Belleval', async () => {
    expect(output).toContain(`Base : ${join(dataDir, 'guichet-famille.sqlite')}`);
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
    const seeded = /Ville de démonstration créée[^\n]* en ([\d.]+) s/.exec(output);
    console.log(`Création de la ville de démonstration : ${seeded?.[1] ?? '< 1'} s`);
  });
});
