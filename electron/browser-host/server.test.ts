import { mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqlite, type SqliteHandle } from '../../core/db/open.ts';
import { LEFEVRE, TEST_PASSWORD } from '../../core/test/fixtures.ts';
import type { CoreHost } from '../core-host/client.ts';
import { startCoreWorker } from '../core-host/worker.ts';
import { startBrowserHost, type BrowserHost } from './server.ts';

/** As `npm start` serves it: the core in its worker, without a link to a central server. */
let core: CoreHost;
/** The same file from this thread, to see what reached it. */
let file: SqliteHandle;
let host: BrowserHost;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gf-browser-host-'));
  core = startCoreWorker({ path: join(dir, 'famille.sqlite'), scryptLogN: 10 });
  await core.ready;
  const admin = { username: 'admin', displayName: 'Administrateur', password: TEST_PASSWORD };
  expect(await core.invoke('auth.setupAdmin', admin)).toMatchObject({ ok: true });
  file = openSqlite(join(dir, 'famille.sqlite'));
  const rendererDir = mkdtempSync(join(tmpdir(), 'gf-renderer-'));
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Guichet Famille</title>');
  writeFileSync(join(tmpdir(), 'gf-secret.txt'), 'secret');
  host = await startBrowserHost({ invoke: core.invoke, rendererDir });
});
afterAll(async () => {
  await host.close();
  await core.close();
  await file.db.destroy();
});

const countRows = (table: string) =>
  (file.raw.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

/** Raw HTTP, so tests can send the headers a browser would refuse to forge. */
function http(path: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: string }>(
    (resolve, reject) => {
      const url = new URL(path, host.origin);
      const req = request(url, { method: init.method ?? 'GET', headers: init.headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString(),
          }),
        );
      });
      req.on('error', reject);
      req.end(init.body);
    },
  );
}

const invoke = (body: unknown, token = host.token, extra: Record<string, string> = {}) =>
  http('/api/invoke', {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...extra },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

describe('browser host', () => {
  it('listens on loopback only and hands out its token in the URL fragment', () => {
    expect(host.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(host.url).toBe(`${host.origin}/#token=${host.token}`);
    expect(host.token.length).toBeGreaterThanOrEqual(32);
  });

  it('serves the contract to the right token', async () => {
    const r = await invoke({ name: 'family.createHousehold', input: LEFEVRE });
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toMatchObject({ ok: true, data: { householdId: expect.any(String) } });
  });

  it('refuses a wrong or missing token with a French message, and writes nothing', async () => {
    const before = countRows('households');
    for (const token of ['wrong', '', `${host.token}x`]) {
      const r = await invoke({ name: 'family.createHousehold', input: LEFEVRE }, token);
      expect(r.status).toBe(401);
      expect(JSON.parse(r.body)).toMatchObject({
        ok: false,
        error: { code: 'UNAUTHORIZED', message: expect.stringMatching(/Jeton de session invalide/) },
      });
    }
    expect(countRows('households')).toBe(before);
  });

  it('answers an unknown operation and malformed requests with clear errors', async () => {
    const unknown = await invoke({ name: 'family.deleteAll', input: {} });
    expect(JSON.parse(unknown.body)).toMatchObject({ ok: false, error: { code: 'UNKNOWN_OPERATION' } });
    const notJson = await invoke('{name:');
    expect(notJson.status).toBe(400);
    expect(JSON.parse(notJson.body)).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', message: 'Requête illisible (JSON invalide).' },
    });
    const noName = await invoke({ input: {} });
    expect(noName.status).toBe(400);
    const huge = await invoke({ name: 'family.search', input: { text: 'x'.repeat(2_000_000) } });
    expect(huge.status).toBe(413);
  });

  it('answers the sync operations as the desktop shell does, and never lets the page store a credential', async () => {
    // This core was started without a link to a central server.
    const now = await invoke({ name: 'sync.syncNow', input: {} });
    expect(JSON.parse(now.body)).toMatchObject({
      ok: false,
      error: { code: 'UNKNOWN_OPERATION', message: expect.stringContaining('serveur central') },
    });
    const direct = await invoke({
      name: 'sync.saveConnection',
      input: {
        serverUrl: 'http://ailleurs.example',
        credential: 'appareil.secret-choisi-par-la-page',
        deviceId: 'appareil',
        deviceName: 'x',
        seriesPrefix: 'G9',
      },
    });
    expect(JSON.parse(direct.body)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const stored = file.raw.prepare("SELECT key FROM settings WHERE key LIKE 'sync.%'").all();
    expect(stored).toEqual([]);
  });

  it('rejects foreign Host and Origin headers (DNS rebinding, other sites)', async () => {
    const badHost = await invoke({ name: 'system.info', input: {} }, host.token, { host: 'evil.example:80' });
    expect(badHost.status).toBe(403);
    const badOrigin = await invoke({ name: 'system.info', input: {} }, host.token, {
      origin: 'http://evil.example',
    });
    expect(badOrigin.status).toBe(403);
    const sameOrigin = await invoke({ name: 'system.info', input: {} }, host.token, { origin: host.origin });
    expect(sameOrigin.status).toBe(200);
  });

  it('serves the renderer with a strict content security policy, and nothing outside its folder', async () => {
    const page = await http('/');
    expect(page.status).toBe(200);
    expect(page.body).toContain('Guichet Famille');
    expect(String(page.headers['content-security-policy'])).toContain("script-src 'self'");
    const deepLink = await http('/famille/123');
    expect(deepLink.body).toContain('Guichet Famille');
    for (const path of ['/../gf-secret.txt', '/%2e%2e/gf-secret.txt', '/..%2fgf-secret.txt']) {
      const r = await http(path);
      expect(r.body).not.toContain('secret');
    }
  });
});
