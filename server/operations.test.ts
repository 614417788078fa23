import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { afterEach, describe, expect, it } from 'vitest';
import type { InputOf, OperationName, OutputOf } from '../core/contract.ts';
import type { Core } from '../core/app.ts';
import { createSyncClient } from '../core/sync/client.ts';
import { APP_VERSION } from '../core/system/operations.ts';
import { LEFEVRE, openTestCore, TEST_PASSWORD } from '../core/test/fixtures.ts';
import { MIGRATIONS } from '../migrations/index.ts';
import type { DeviceReport } from './devices-report.ts';

/*
 * The server as a town's IT runs it: `node server/main.ts --env-file …` in its own process, its journal on standard
 * output, `admin-cli.ts` against it. What they rely on: /healthz tells a supervisor the truth, `devices` shows each PC,
 * and the journal never holds a secret or a family's data.
 */

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SCHEMA = MIGRATIONS.at(-1)?.version ?? 0;
// Health notes as an agent types them: what must never reach a log line.
const HEALTH_NOTES = 'Allergie sévère arachide, PAI n° 2026-117, stylo Anapen dans le cartable';

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as AddressInfo;
  await new Promise((resolve) => s.close(resolve));
  return port;
}

interface Running {
  url: string;
  envFile: string;
  adminToken: string;
  portalToken: string;
  dir: string;
  child: ChildProcess;
  /** Everything the process wrote, standard output and error. */
  output(): string;
  stop(): Promise<number | null>;
}

/** `node server/main.ts --env-file <file>`: the settings, secrets included, only in the file. */
async function startServer(settings: Record<string, string>): Promise<Running> {
  const dir = await mkdtemp(join(tmpdir(), 'gf-ops-'));
  const port = await freePort();
  const adminToken = randomBytes(32).toString('hex');
  const portalToken = randomBytes(32).toString('hex');
  const envFile = join(dir, 'serveur.env');
  const lines = {
    GF_ADMIN_TOKEN: adminToken,
    GF_PORTAL_TOKEN: portalToken,
    GF_PORT: String(port),
    GF_LOG_LEVEL: 'debug',
    ...settings,
  };
  await writeFile(
    envFile,
    `# Serveur de test\n${Object.entries(lines)
      .map(([k, v]) => `${k}=${v}`)
      .join('\n')}\n`,
  );
  await chmod(envFile, 0o600);
  // Only what a service gets: no token in the environment, none on the command line.
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith('GF_')),
  ) as NodeJS.ProcessEnv;
  const child = spawn(process.execPath, ['server/main.ts', '--env-file', envFile], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    return exited;
  };
  cleanup.push(async () => {
    await stop();
    await rm(dir, { recursive: true, force: true });
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serveur non démarré : ${output}`)), 20_000);
    const check = () => {
      if (output.includes('Serveur Guichet Famille')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', check);
    void exited.then((code) => reject(new Error(`serveur arrêté (${code}) : ${output}`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    envFile,
    adminToken,
    portalToken,
    dir,
    child,
    output: () => output,
    stop,
  };
}

/** The admin command line as IT types it: the token read from the server's file, never given on the line. */
const admin = (s: Running, ...args: string[]) =>
  run(process.execPath, ['server/admin-cli.ts', '--env-file', s.envFile, ...args], {
    cwd: ROOT,
    env: Object.fromEntries(
      Object.entries(process.env).filter(([k]) => !k.startsWith('GF_')),
    ) as NodeJS.ProcessEnv,
  });

async function call<N extends OperationName>(core: Core, name: N, input: InputOf<N>): Promise<OutputOf<N>> {
  const r = await core.invoke(name, input);
  if (!r.ok) throw new Error(`${name}: ${r.error.code} ${r.error.message}`);
  return r.data as OutputOf<N>;
}

const healthz = async (url: string) => {
  const res = await fetch(`${url}/healthz`);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

describe('the server as IT runs it (a live process)', { timeout: 60_000 }, () => {
  it('answers /healthz without authentication, and 503 once the SQLite file is gone', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gf-ops-db-'));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    const file = join(dir, 'serveur.sqlite');
    const s = await startServer({ GF_DB: file });

    expect(await healthz(s.url)).toEqual({
      status: 200,
      body: expect.objectContaining({
        status: 'ok',
        app: 'guichet-famille-serveur',
        version: APP_VERSION,
        database: 'sqlite',
        schemaVersion: SCHEMA,
        expectedSchemaVersion: SCHEMA,
      }),
    });

    // Deleted under the running server (a clean-up script, a restore done the wrong way): the open handle still
    // answers queries, but every write would go to a file nobody will find again.
    for (const suffix of ['', '-wal', '-shm']) await rm(file + suffix, { force: true });
    const gone = await healthz(s.url);
    expect(gone).toEqual({
      status: 503,
      body: expect.objectContaining({ status: 'indisponible', error: 'Base de données injoignable.' }),
    });
    // The public answer says no more; the journal says why, for IT.
    expect(JSON.stringify(gone.body)).not.toContain(dir);
    expect(s.output()).toContain('Fichier de base supprimé ou remplacé depuis le démarrage');
  });

  it('lists each enrolled PC with its last contact, version, pending, refused and held operations; the journal keeps no secret and no family data', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gf-ops-db-'));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    const s = await startServer({ GF_DB: join(dir, 'serveur.sqlite') });

    // Two PCs enrolled the way the docs say.
    const enrol = async (name: string) => {
      const out = (await admin(s, 'enrol', name)).stdout;
      return out.trim().split('\n').at(-1) as string;
    };
    const accueil = await enrol('Guichet Accueil');
    const regie = await enrol('Guichet Régie');
    const before = JSON.parse((await admin(s, 'devices', '--json')).stdout) as DeviceReport[];
    expect(before.map((d) => [d.name, d.seriesPrefix, d.lastContactAt])).toEqual([
      ['Guichet Accueil', 'G01', null],
      ['Guichet Régie', 'G02', null],
    ]);

    // The reception PC: a real counter, a family with health notes, synced.
    const core = await openTestCore({ path: ':memory:' });
    cleanup.push(() => core.close());
    const { householdId } = await call(core, 'family.createHousehold', LEFEVRE);
    const child = (await core.db
      .selectFrom('children')
      .select('id')
      .where('household_id', '=', householdId)
      .executeTakeFirstOrThrow()) as { id: string };
    await call(core, 'health.save', { childId: child.id, notes: HEALTH_NOTES });
    const sync = createSyncClient(core, { serverUrl: s.url, credential: accueil, appVersion: APP_VERSION });
    expect(await sync.syncOnce()).toMatchObject({ ok: true, pushed: 2 });

    // The régie PC, by hand: a request the server refuses, a fact it holds, then operation 4 without 3 (lost).
    const push = (commands: unknown[]) =>
      fetch(`${s.url}/push`, {
        method: 'POST',
        headers: { authorization: `Bearer ${regie}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          deviceId: regie.split('.')[0],
          schemaVersion: SCHEMA,
          appVersion: '0.0.9',
          sentAt: new Date().toISOString(),
          commands,
        }),
      });
    const cmd = (seq: number, name: string, input: unknown) => ({
      seq,
      id: uuidv7(),
      name,
      input,
      agentId: 'agent-regie',
      at: new Date().toISOString(),
    });
    const first = await push([
      cmd(1, 'health.save', { childId: uuidv7(), notes: HEALTH_NOTES }),
      cmd(2, 'regie.closeSession', { sessionId: uuidv7(), counted: [], reason: '' }),
    ]);
    expect((await first.json()) as unknown).toMatchObject({
      lastAckedSeq: 2,
      results: [{ status: 'rejected' }, { status: 'held' }],
    });
    expect((await push([cmd(4, 'health.save', { childId: child.id, notes: 'x' })])).status).toBe(200);

    // Secrets and data sent where they do not belong still stay out of the journal.
    await fetch(`${s.url}/admin/devices`, { headers: { authorization: `Bearer ${s.portalToken}` } });
    await fetch(`${s.url}/push`, {
      method: 'POST',
      headers: { authorization: `Bearer ${s.adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ notes: HEALTH_NOTES, password: TEST_PASSWORD }),
    });
    await fetch(`${s.url}/push`, {
      method: 'POST',
      headers: { authorization: `Bearer ${accueil}`, 'content-type': 'application/json' },
      body: `{"notes": "${HEALTH_NOTES}"`,
    });

    const listed = JSON.parse((await admin(s, 'devices', '--json')).stdout) as DeviceReport[];
    const byName = Object.fromEntries(listed.map((d) => [d.name, d]));
    expect(byName['Guichet Accueil']).toMatchObject({
      appVersion: APP_VERSION,
      schemaVersion: SCHEMA,
      lastSeq: 2,
      pending: 0,
      refused: 0,
      held: 0,
      revokedAt: null,
    });
    expect(byName['Guichet Régie']).toMatchObject({
      appVersion: '0.0.9',
      lastSeq: 2,
      pending: 2,
      refused: 1,
      held: 1,
    });
    for (const d of listed) expect(Date.now() - Date.parse(d.lastContactAt as string)).toBeLessThan(60_000);

    const table = (await admin(s, 'devices')).stdout;
    expect(table).toContain(`2 poste(s) enrôlé(s), serveur en version ${APP_VERSION}.`);
    expect(table).toMatch(/Guichet Accueil\s+G01\s+\S+ \S+ \(à l’instant\)\s+0\.1\.0 \(schéma \d+\)/);
    expect(table).toContain(
      'Guichet Régie : 2 opération(s) présentée(s) mais pas encore acceptées (envoi en échec : voir le journal du serveur).',
    );
    expect(table).toContain('Guichet Régie : 1 fait(s) retenu(s) à régler par la régie.');
    expect(table).toContain(`Guichet Régie : version 0.0.9, le serveur est en ${APP_VERSION}.`);

    // A wrong token is refused and says so.
    await expect(
      run(process.execPath, ['server/admin-cli.ts', '--url', s.url, 'devices'], {
        cwd: ROOT,
        env: { ...process.env, GF_ADMIN_TOKEN: 'faux-jeton', GF_ENV_FILE: '' },
      }),
    ).rejects.toMatchObject({ stderr: expect.stringContaining('Liste des postes refusée (401)') });

    expect(await s.stop()).toBe(0);
    const journal = s.output();
    const lines = journal.trim().split('\n');
    // Every line is one JSON object with a level, an ISO time and a message.
    for (const line of lines) {
      expect(JSON.parse(line)).toMatchObject({
        level: expect.stringMatching(/^(debug|info|warn|error|fatal)$/),
        time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        msg: expect.any(String),
      });
    }
    const entries = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(entries).toContainEqual(
      expect.objectContaining({ method: 'POST', path: '/push', status: 200, device: 'Guichet Accueil' }),
    );
    expect(entries).toContainEqual(
      expect.objectContaining({ path: '/admin/devices', status: 401, level: 'warn' }),
    );
    expect(entries.at(-1)).toMatchObject({ msg: 'Serveur arrêté' });
    for (const secret of [
      s.adminToken,
      s.portalToken,
      accueil.split('.')[1] as string,
      regie.split('.')[1] as string,
      TEST_PASSWORD,
      'Anapen',
      'arachide',
      'Lefèvre',
    ]) {
      expect(journal).not.toContain(secret);
    }
  });

  it('refuses a PostgreSQL password on the command line, before connecting', async () => {
    const started = Date.now();
    const refused = await run(
      process.execPath,
      ['server/main.ts', '--pg', 'postgres://gf:Motdepasse-secret@127.0.0.1:1/guichet'],
      { cwd: ROOT, env: { ...process.env, GF_ADMIN_TOKEN: 'a'.repeat(32), GF_PORTAL_TOKEN: 'b'.repeat(32) } },
    ).catch((error: { code: number; stderr: string; stdout: string }) => error);
    expect(refused).toMatchObject({
      code: 2,
      stderr: expect.stringContaining(
        'Le mot de passe PostgreSQL ne doit pas figurer sur la ligne de commande',
      ),
    });
    expect(`${refused.stdout}${refused.stderr}`).not.toContain('Motdepasse-secret');
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it.runIf(process.env.GF_TEST_PG_URL)(
    'on PostgreSQL: /healthz answers 200, and 503 once the town’s schema is gone; devices lists a PC',
    async () => {
      const base = new URL(process.env.GF_TEST_PG_URL as string);
      base.searchParams.delete('scratch');
      const town = `ops_${randomBytes(4).toString('hex')}`;
      const drop = async () => {
        const c = new pg.Client({ connectionString: base.toString() });
        await c.connect();
        try {
          await c.query(`DROP SCHEMA IF EXISTS town_${town} CASCADE`);
        } finally {
          await c.end();
        }
      };
      cleanup.push(drop);
      const s = await startServer({ GF_PG_URL: base.toString(), GF_TOWN: town });
      expect(await healthz(s.url)).toMatchObject({
        status: 200,
        body: { status: 'ok', database: 'postgres', schemaVersion: SCHEMA },
      });
      expect(s.output()).toContain(`schéma town_${town}`);

      const credential = (await admin(s, 'enrol', 'Guichet PG')).stdout.trim().split('\n').at(-1) as string;
      const core = await openTestCore({ path: ':memory:' });
      cleanup.push(() => core.close());
      await call(core, 'family.createHousehold', LEFEVRE);
      const sync = createSyncClient(core, { serverUrl: s.url, credential, appVersion: APP_VERSION });
      expect(await sync.syncOnce()).toMatchObject({ ok: true, pushed: 1 });
      const listed = JSON.parse((await admin(s, 'devices', '--json')).stdout) as DeviceReport[];
      expect(listed).toMatchObject([{ name: 'Guichet PG', appVersion: APP_VERSION, lastSeq: 1, pending: 0 }]);

      await drop();
      expect(await healthz(s.url)).toMatchObject({ status: 503, body: { status: 'indisponible' } });
    },
  );
});
