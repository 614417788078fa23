import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../core/app.ts';
import { openTestCore, TEST_PASSWORD } from '../core/test/fixtures.ts';
import { ADMIN_TOKEN, townServer, type TownServer } from '../server/harness.ts';
import { createSyncRunner, routeWindowCall, type SyncRoundEvent, type SyncRunner } from './sync-runner.ts';

const AT = '2026-09-14T10:00:00+02:00';

let town: TownServer | null = null;
const cores: Core[] = [];
const runners: SyncRunner[] = [];
afterEach(async () => {
  for (const r of runners.splice(0)) await r.stop();
  for (const c of cores.splice(0)) await c.close();
  await town?.close();
  town = null;
});

/** A fresh counter PC on the server's clock, with the shell's runner (rounds only when asked). */
async function counter() {
  const core = await openTestCore({ path: ':memory:', clock: () => new Date(AT) });
  cores.push(core);
  const runner = createSyncRunner(core, { clock: () => new Date(AT), intervalMs: 600_000 });
  runners.push(runner);
  const window = (name: string, input: unknown = {}) => routeWindowCall(runner, name, input, core.invoke);
  return { core, runner, window };
}

async function enrol(t: TownServer, name: string) {
  const res = await fetch(`${t.http.url}/devices`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name }),
  });
  return (await res.json()) as { deviceId: string; credential: string; seriesPrefix: string };
}

const setting = (core: Core, key: string) =>
  (core.raw.prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined)
    ?.value;

describe('connecting a counter PC to the central server', { timeout: 30_000 }, () => {
  it('checks the credential with the server, stores it locally, starts syncing and pulls the town', async () => {
    const t = (town = await townServer({ sqlite: ':memory:' }, AT));
    const device = await enrol(t, 'Guichet A');
    const c = await counter();

    const r = await c.window('sync.connect', { serverUrl: `${t.http.url}/`, credential: device.credential });
    expect(r).toEqual({
      ok: true,
      data: {
        serverUrl: t.http.url,
        deviceName: 'Guichet A',
        seriesPrefix: device.seriesPrefix,
        pendingLocal: 0,
        clockWarning: null,
      },
    });
    expect(JSON.stringify(r)).not.toContain(device.credential.split('.')[1]);
    expect(c.runner.active).toBe(true);
    expect(JSON.parse(setting(c.core, `device.counterCode.${c.core.deviceId}`) ?? 'null')).toBe(
      device.seriesPrefix,
    );
    // The receipts of this counter are now numbered in its own series.
    expect(await c.core.invoke('payment.settings', {})).toMatchObject({
      ok: true,
      data: { receiptSeries: `REC-${device.seriesPrefix}` },
    });
    // The secret is kept for the shell, never in the command log nor in what the window can read.
    const log = c.core.raw.prepare("SELECT input FROM command_log WHERE name = 'sync.saveConnection'").all();
    expect(log).toHaveLength(1);
    expect(JSON.stringify(log)).not.toContain(device.credential.split('.')[1]);
    const seen = await c.window('sync.connection');
    expect(seen).toMatchObject({ ok: true, data: { connected: true, deviceName: 'Guichet A' } });
    expect(JSON.stringify(seen)).not.toContain(device.credential.split('.')[1]);

    const round = await c.window('sync.syncNow');
    expect(round).toMatchObject({ ok: true, data: { ok: true, error: null } });
    const households = c.core.raw.prepare('SELECT name FROM households').all();
    expect(households).toEqual([{ name: 'Lefèvre' }]);
    expect(await c.core.invoke('sync.status', {})).toMatchObject({
      ok: true,
      data: { connected: true, online: true, pending: 0, clockWarning: null },
    });
  });

  it('refuses in French, beside the right field, what it cannot connect, and stores nothing', async () => {
    const t = (town = await townServer({ sqlite: ':memory:' }, AT));
    const device = await enrol(t, 'Guichet A');
    const c = await counter();
    const connect = (serverUrl: string, credential: string) =>
      c.window('sync.connect', { serverUrl, credential });

    expect(await connect('ftp://serveur', device.credential)).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', field: 'serverUrl', message: expect.stringMatching(/^Champ « Adresse/) },
    });
    expect(await connect(t.http.url, 'pas-un-identifiant')).toMatchObject({
      ok: false,
      error: {
        code: 'VALIDATION',
        field: 'credential',
        message: expect.stringContaining('identifiant.secret'),
      },
    });
    expect(await connect(t.http.url, `${device.deviceId}.mauvais-secret-0123456789`)).toMatchObject({
      ok: false,
      error: { field: 'credential', message: expect.stringContaining('Poste non reconnu par le serveur') },
    });
    // Nothing listens on port 9 of loopback.
    expect(await connect('http://127.0.0.1:9', device.credential)).toMatchObject({
      ok: false,
      error: { field: 'serverUrl', message: expect.stringContaining('Serveur injoignable') },
    });
    // A web page rather than the server's JSON.
    const html = createSyncRunner(c.core, {
      fetch: async () => new Response('<html>proxy</html>', { headers: { 'content-type': 'text/html' } }),
    });
    expect(
      await html.run('sync.connect', { serverUrl: t.http.url, credential: device.credential }),
    ).toMatchObject({
      ok: false,
      error: { field: 'serverUrl', message: expect.stringContaining('Serveur injoignable') },
    });
    // A revoked device.
    await fetch(`${t.http.url}/devices/${device.deviceId}/revoke`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(await connect(t.http.url, device.credential)).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', message: expect.stringContaining('révoqué') },
    });
    expect(setting(c.core, 'sync.serverUrl')).toBeUndefined();
    expect(setting(c.core, 'sync.credential')).toBeUndefined();
    expect(c.runner.active).toBe(false);
    expect(await c.window('sync.syncNow')).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', message: expect.stringContaining('pas relié au serveur central') },
    });
  });

  it('lets only the administrator connect and disconnect, any agent sync, and never the window store a credential', async () => {
    const t = (town = await townServer({ sqlite: ':memory:' }, AT));
    const device = await enrol(t, 'Guichet A');
    const c = await counter();
    expect(
      (await c.window('sync.connect', { serverUrl: t.http.url, credential: device.credential })).ok,
    ).toBe(true);
    const direct = await c.window('sync.saveConnection', {
      serverUrl: 'http://ailleurs.example',
      credential: device.credential,
      deviceId: device.deviceId,
      deviceName: 'x',
      seriesPrefix: 'G99',
    });
    expect(direct).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await c.window('sync.forgetConnection')).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });

    await c.core.invoke('staff.save', {
      username: 'accueil',
      displayName: 'Camille Durand',
      role: 'agent',
      password: TEST_PASSWORD,
    });
    await c.core.invoke('auth.logout', {});
    await c.core.invoke('auth.login', { username: 'accueil', password: TEST_PASSWORD });
    expect(await c.window('sync.disconnect')).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', message: expect.stringContaining('Agent d’accueil') },
    });
    expect(
      await c.window('sync.connect', { serverUrl: t.http.url, credential: device.credential }),
    ).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(await c.window('sync.syncNow')).toMatchObject({ ok: true, data: { ok: true } });
    await c.core.invoke('auth.logout', {});
    expect(await c.window('sync.syncNow')).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    expect(c.runner.active).toBe(true);
  });

  it('disconnects, and connects again at a new address under the same identity, which later rounds keep', async () => {
    const t = (town = await townServer({ sqlite: ':memory:' }, AT));
    const device = await enrol(t, 'Guichet A');
    const c = await counter();
    await c.window('sync.connect', { serverUrl: t.http.url, credential: device.credential });
    await c.window('sync.syncNow');

    expect(await c.window('sync.disconnect')).toEqual({ ok: true, data: { disconnected: true } });
    expect(c.runner.active).toBe(false);
    expect(setting(c.core, 'sync.credential')).toBeUndefined();
    expect(await c.core.invoke('sync.status', {})).toMatchObject({ ok: true, data: { connected: false } });
    // The series stays: numbers already issued keep it.
    expect(setting(c.core, `device.counterCode.${c.core.deviceId}`)).toBeDefined();

    const other = t.http.url.replace('127.0.0.1', 'localhost');
    expect((await c.window('sync.connect', { serverUrl: other, credential: device.credential })).ok).toBe(
      true,
    );
    // A booking waits for the server, so the next round rebuilds local state from the server's.
    await c.core.invoke('booking.book', {
      childId: t.zoe,
      activityId: t.demo.care.activityId,
      siteId: t.demo.sites.jaures,
      unitCodes: ['evening'],
      selection: { kind: 'days', dates: ['2026-09-21'] },
      origin: 'counter',
    });
    expect(await c.window('sync.syncNow')).toMatchObject({ ok: true, data: { ok: true, pushed: 1 } });
    expect(await c.window('sync.syncNow')).toMatchObject({ ok: true, data: { ok: true } });
    expect(await c.window('sync.connection')).toMatchObject({ ok: true, data: { serverUrl: other } });
    expect(JSON.parse(setting(c.core, 'sync.serverUrl') ?? 'null')).toBe(other);

    // Another device's credential on a PC that has already worked under this one: refused.
    const b = await enrol(t, 'Guichet B');
    expect(await c.window('sync.connect', { serverUrl: other, credential: b.credential })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', field: 'credential', message: expect.stringContaining('Guichet A') },
    });
    expect(c.runner.active).toBe(true);
  });

  it('refuses to send the demo town to a real server', async () => {
    const t = (town = await townServer({ sqlite: ':memory:' }, AT));
    const device = await enrol(t, 'Guichet A');
    const c = await counter();
    c.core.raw
      .prepare("INSERT INTO settings (key, value) VALUES ('demo.accounts', ?)")
      .run(JSON.stringify({ password: 'x', usernames: [] }));
    expect(
      await c.window('sync.connect', { serverUrl: t.http.url, credential: device.credential }),
    ).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', message: expect.stringContaining('ville de démonstration') },
    });
    expect(setting(c.core, 'sync.serverUrl')).toBeUndefined();
  });

  it('reads the stored connection at start-up, and says « hors ligne » in French when the server is gone', async () => {
    const t = (town = await townServer({ sqlite: ':memory:' }, AT));
    const device = await enrol(t, 'Guichet A');
    const c = await counter();
    await c.window('sync.connect', { serverUrl: t.http.url, credential: device.credential });
    await c.runner.stop();

    const again = createSyncRunner(c.core, { clock: () => new Date(AT), intervalMs: 600_000 });
    runners.push(again);
    expect(await again.start()).toBe(true);
    expect(await again.run('sync.syncNow', {})).toMatchObject({ ok: true, data: { ok: true } });
    await t.http.close();
    expect(await again.run('sync.syncNow', {})).toMatchObject({
      ok: true,
      data: { ok: false, error: 'Serveur injoignable : le guichet travaille hors ligne.' },
    });
    expect(await c.core.invoke('sync.status', {})).toMatchObject({
      ok: true,
      data: { connected: true, online: false, offlineSince: new Date(AT).toISOString() },
    });
  });

  it('tells of every round once, the background one and a syncNow sharing a round alike, with its pull pages', async () => {
    const t = (town = await townServer({ sqlite: ':memory:' }, AT));
    const device = await enrol(t, 'Guichet A');
    const core = await openTestCore({ path: ':memory:', clock: () => new Date(AT) });
    cores.push(core);
    const events: SyncRoundEvent[] = [];
    const runner = createSyncRunner(core, {
      clock: () => new Date(AT),
      intervalMs: 600_000,
      onRound: (e) => events.push(e),
    });
    runners.push(runner);
    await runner.run('sync.connect', { serverUrl: t.http.url, credential: device.credential });
    // The first round is the background loop's, started by the connection.
    await expect.poll(() => events.filter((e) => e.kind === 'end')).toHaveLength(1);
    expect(events[0]).toMatchObject({ kind: 'page', page: 1, more: false });
    expect(events[1]).toMatchObject({ kind: 'end', outcome: { ok: true, pulled: expect.any(Number) } });
    expect((events[1] as { outcome: { pulled: number } }).outcome.pulled).toBeGreaterThan(0);

    events.length = 0;
    // Two agents asking at once share one round: one end, pages counted from 1 again.
    await Promise.all([runner.run('sync.syncNow', {}), runner.run('sync.syncNow', {})]);
    await expect.poll(() => events.filter((e) => e.kind === 'end')).toHaveLength(1);
    expect(events.map((e) => (e.kind === 'page' ? `page ${e.page}` : e.kind))).toEqual(['page 1', 'end']);
  });
});
