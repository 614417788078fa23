import { mkdirSync, mkdtempSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqlite } from '../../core/db/open.ts';
import { LEFEVRE, TEST_PASSWORD } from '../../core/test/fixtures.ts';
import { connectCoreHost, CoreHostError, type CoreHost } from './client.ts';
import {
  CRASHED_MESSAGE,
  OPEN_FAILED_MESSAGE,
  type CoreHostOptions,
  type ProgressEvent,
} from './protocol.ts';
import { CORE_HOST_ENTRY, startCoreWorker, workerLink } from './worker.ts';

/** The real core host in a real worker thread, as the browser host runs it; the window is played by the test. */
const hosts: CoreHost[] = [];
const servers: Server[] = [];
afterEach(async () => {
  for (const host of hosts.splice(0)) await host.close();
  for (const server of servers.splice(0)) server.close();
});

const dir = () => mkdtempSync(join(tmpdir(), 'gf-core-host-'));

async function startHost(options: Partial<CoreHostOptions> = {}) {
  const path = join(dir(), 'famille.sqlite');
  const host = startCoreWorker({ path, scryptLogN: 10, ...options });
  hosts.push(host);
  const progress: ProgressEvent[] = [];
  host.onProgress((event) => progress.push(event));
  await host.ready;
  const admin = { username: 'admin', displayName: 'Administrateur', password: TEST_PASSWORD };
  expect(await host.invoke('auth.setupAdmin', admin)).toMatchObject({ ok: true });
  return { host, path, progress };
}

describe('the core host in its worker', { timeout: 30_000 }, () => {
  it('serves the contract: what one call writes, the next one reads', async () => {
    const { host } = await startHost();
    const created = await host.invoke('family.createHousehold', LEFEVRE);
    expect(created).toMatchObject({ ok: true, data: { householdId: expect.any(String) } });
    const { householdId } = (created as { data: { householdId: string } }).data;
    expect(await host.invoke('family.get', { householdId })).toMatchObject({
      ok: true,
      data: { name: 'Lefèvre', children: [{ firstName: 'Zoé' }, { firstName: 'Noé' }] },
    });
    // Refusals come back as the core words them.
    expect(await host.invoke('family.get', { householdId: 'inconnu' })).toMatchObject({
      ok: false,
      error: { code: expect.any(String), message: expect.any(String) },
    });
  });

  it('answers each of many concurrent calls with its own result', async () => {
    const { host } = await startHost();
    const names = Array.from({ length: 30 }, (_, i) => `Famille${String.fromCharCode(65 + (i % 26))}${i}`);
    // Writes and reads mixed, all sent before the first answer comes back.
    const created = await Promise.all(
      names.map((name) => host.invoke('family.createHousehold', { ...LEFEVRE, name })),
    );
    const ids = created.map((r) => (r as { data: { householdId: string } }).data.householdId);
    expect(new Set(ids).size).toBe(names.length);
    const files = await Promise.all(ids.map((householdId) => host.invoke('family.get', { householdId })));
    expect(files.map((r) => (r as { data: { name: string } }).data.name)).toEqual(names);
  });

  it('keeps the sync operations and the shell-only commands to itself when the window calls', async () => {
    const { host, path } = await startHost({ sync: null });
    expect(await host.invoke('sync.syncNow', {})).toMatchObject({
      ok: false,
      error: { code: 'UNKNOWN_OPERATION', message: expect.stringContaining('serveur central') },
    });
    const direct = await host.invoke('sync.saveConnection', {
      serverUrl: 'http://ailleurs.example',
      credential: 'appareil.secret-choisi-par-la-page',
      deviceId: 'appareil',
      deviceName: 'x',
      seriesPrefix: 'G9',
    });
    expect(direct).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const file = openSqlite(path);
    expect(file.raw.prepare("SELECT key FROM settings WHERE key LIKE 'sync.%'").all()).toEqual([]);
    await file.db.destroy();
  });

  it('says when a month run and a journal check start and end, in French', async () => {
    const { host, progress } = await startHost();
    expect(await host.invoke('regie.verifyJournal', {})).toMatchObject({ ok: true });
    // Issued before the month has ended: refused, and the bar says the run stopped.
    expect(
      await host.invoke('billing.runMonth', { month: '2026-09', issueDate: '2026-09-15' }),
    ).toMatchObject({
      ok: false,
    });
    expect(
      await host.invoke('billing.runMonth', { month: '2026-09', issueDate: '2026-10-02' }),
    ).toMatchObject({
      ok: true,
    });
    expect(progress.map((e) => [e.workId, e.work, e.phase, e.label])).toEqual([
      [1, 'regie.verifyJournal', 'start', 'Vérification du journal de la régie…'],
      [1, 'regie.verifyJournal', 'end', 'Vérification du journal terminée.'],
      [2, 'billing.runMonth', 'start', 'Facturation du mois en cours…'],
      [2, 'billing.runMonth', 'end', 'Facturation du mois interrompue.'],
      [3, 'billing.runMonth', 'start', 'Facturation du mois en cours…'],
      [3, 'billing.runMonth', 'end', 'Facturation du mois terminée.'],
    ]);
    // Short work says nothing.
    await host.invoke('system.info', {});
    expect(progress).toHaveLength(6);
  });

  it('says the database could not be opened when the file cannot be', async () => {
    const path = join(dir(), 'famille.sqlite');
    mkdirSync(path); // a folder where the file should be
    const worker = new Worker(CORE_HOST_ENTRY, { stderr: true });
    let logged = '';
    worker.stderr.on('data', (chunk: Buffer) => (logged += chunk.toString()));
    const host = connectCoreHost(workerLink(worker), { path });
    const refused = await host.ready.catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(CoreHostError);
    expect(refused).toMatchObject({ message: OPEN_FAILED_MESSAGE, detail: 'unable to open database file' });
    expect(await host.failure).toMatchObject({ message: OPEN_FAILED_MESSAGE });
    expect(await host.invoke('system.info', {})).toEqual({
      ok: false,
      error: { code: 'INTERNAL', message: OPEN_FAILED_MESSAGE },
    });
    // The technical reason is in the log, for whoever is called.
    expect(logged).toContain('[cœur] ouverture de la base : SqliteError: unable to open database file');
  });

  it('says the core stopped when its thread dies, and answers every later call so', async () => {
    const worker = new Worker(CORE_HOST_ENTRY);
    const host = connectCoreHost(workerLink(worker), { path: join(dir(), 'famille.sqlite') });
    await host.ready;
    expect(await host.invoke('system.info', {})).toMatchObject({ ok: true });
    await worker.terminate();
    expect(await host.failure).toEqual({ message: CRASHED_MESSAGE, detail: 'fil du cœur arrêté (code 1)' });
    expect(await host.invoke('system.info', {})).toEqual({
      ok: false,
      error: { code: 'INTERNAL', message: CRASHED_MESSAGE },
    });
  });
});

/**
 * A central server that sends the town in three pages, the second of which waits for the test's word: the round
 * is under way, its rows not yet applied.
 */
async function slowServer() {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const json = (res: ServerResponse, body: unknown) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const page = (since: number, more: boolean, changes: unknown[] = []) => ({
    serverVersion: since + 1,
    hasMore: more,
    lastAckedSeq: 0,
    results: [],
    changes,
    revoked: false,
  });
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://serveur');
    if (url.pathname === '/device')
      return json(res, {
        deviceId: 'poste-1',
        name: 'Guichet A',
        seriesPrefix: 'G01',
        revoked: false,
        serverTime: new Date().toISOString(),
      });
    if (url.pathname === '/pull') {
      const since = Number(url.searchParams.get('since'));
      if (since === 0) return json(res, page(0, true));
      if (since === 1) return void released.then(() => json(res, page(1, true)));
      const town = { key: 'town.name', value: JSON.stringify('Ville du Serveur') };
      return json(res, page(2, false, [{ table: 'settings', key: ['town.name'], row: town }]));
    }
    res.writeHead(404, { 'content-type': 'application/json' }).end('{}');
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, release };
}

describe('the core host and the central server', { timeout: 30_000 }, () => {
  it('shows a first pull page by page, and closes the file only once the round has ended', async () => {
    const server = await slowServer();
    const { host, path, progress } = await startHost({ sync: { intervalMs: 600_000 } });
    const connected = await host.invoke('sync.connect', {
      serverUrl: server.url,
      credential: 'poste-1.secret-du-poste',
    });
    expect(connected).toMatchObject({ ok: true, data: { deviceName: 'Guichet A' } });
    // The first round started with the connection: page 1 is in, page 2 is held by the server.
    await expect.poll(() => progress.map((e) => e.phase)).toEqual(['start']);
    expect(progress[0]).toMatchObject({
      work: 'sync.pull',
      label: 'Réception des changements du serveur central…',
    });

    let closed = false;
    const closing = host.close().then(() => (closed = true));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(closed).toBe(false);
    server.release();
    await closing;

    expect(progress.map((e) => [e.phase, e.label])).toEqual([
      ['start', 'Réception des changements du serveur central…'],
      ['step', 'Réception des changements du serveur central (page 2)…'],
      ['step', 'Mise à jour du poste avec les changements reçus…'],
      ['end', 'Poste à jour : 1 changement reçu du serveur central.'],
    ]);
    expect(new Set(progress.map((e) => e.workId)).size).toBe(1);
    // The round's rows and its place in the server's versions reached the file before it closed.
    const file = openSqlite(path);
    expect(file.raw.prepare("SELECT value FROM settings WHERE key = 'town.name'").pluck().get()).toBe(
      '"Ville du Serveur"',
    );
    expect(file.raw.prepare('SELECT server_version FROM sync_state WHERE id = 1').pluck().get()).toBe(3);
    await file.db.destroy();
  });
});
