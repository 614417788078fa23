import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createSyncClient } from '../core/sync/client.ts';
import { openTestCore } from '../core/test/fixtures.ts';
import { careEvening, STORES, townServer, type TownServer } from './harness.ts';

const count = async (t: TownServer, table: 'received_commands' | 'bookings', where = '') => {
  const { sql } = await import('kysely');
  const r = await sql<{
    n: number | string;
  }>`SELECT count(*) AS n FROM ${sql.table(table)} ${sql.raw(where)}`.execute(t.store.db);
  return Number(r.rows[0]?.n);
};

let town: TownServer | null = null;
afterEach(async () => {
  await town?.close();
  town = null;
});

describe.each(STORES)('server on %s', { timeout: 60_000 }, (_label, storeOptions) => {
  it('two counters offline book the last place: the server keeps one, the other counter sees why', async () => {
    const t = (town = await townServer(storeOptions()));
    await t.call('admin.setCapacity', {
      siteId: t.demo.sites.jaures,
      unitId: t.demo.care.unitIds.evening as string,
      date: '2026-09-15',
      places: 1,
    });
    const a = await t.counter('Guichet A');
    const b = await t.counter('Guichet B');
    expect((await a.sync.syncOnce()).ok).toBe(true);
    expect((await b.sync.syncOnce()).ok).toBe(true);

    // Both offline: each counter accepts its own booking of the last place.
    const ra = await a.core.invoke('booking.book', careEvening(t, t.zoe, ['2026-09-15', '2026-09-17']));
    const rb = await b.core.invoke('booking.book', careEvening(t, t.noe, ['2026-09-15']));
    expect(ra.ok && rb.ok).toBe(true);
    expect((rb as { data: { accepted: unknown[] } }).data.accepted).toHaveLength(1);

    expect((await a.sync.syncOnce()).ok).toBe(true);
    expect((await b.sync.syncOnce()).ok).toBe(true);
    expect(await count(t, 'bookings', "WHERE date = '2026-09-15' AND state = 'booked'")).toBe(1);

    const rejections = await b.core.invoke('sync.rejections', {});
    expect(rejections).toMatchObject({
      ok: true,
      data: [{ status: 'refused_days', code: 'FULL', summary: expect.stringContaining('Noé') }],
    });
    const item = (rejections as { data: { commandId: string; message: string; suggestion: string }[] })
      .data[0]!;
    expect(item.message).toContain('15/09/2026');
    expect(item.suggestion).toContain('autre jour');
    // The counter's state is the server's: Noé's optimistic booking is gone, Zoé's (from A) has arrived.
    const local = b.core.raw
      .prepare("SELECT child_id FROM bookings WHERE date = '2026-09-15' AND state = 'booked'")
      .all() as { child_id: string }[];
    expect(local).toEqual([{ child_id: t.zoe }]);
    expect(await b.core.invoke('sync.status', {})).toMatchObject({
      ok: true,
      data: { online: true, pending: 0, toSettle: 1 },
    });
    expect((await b.core.invoke('sync.acknowledge', { commandId: item.commandId })).ok).toBe(true);
    expect(await b.core.invoke('sync.rejections', {})).toEqual({ ok: true, data: [] });
    // Acknowledging is local: it never travels.
    expect((await b.sync.syncOnce()).pushed).toBe(0);
  });

  it('a late booking the counter’s agent was allowed to make is not judged again by role on the server', async () => {
    const t = (town = await townServer(storeOptions()));
    const a = await t.counter('Guichet A');
    await a.sync.syncOnce();
    // Thursday 24’s evening closed to families 48 h before: the agent signed in at A may go past it.
    t.at('2026-09-22T10:00:00+02:00');
    const late = await a.core.invoke('booking.book', {
      ...careEvening(t, t.zoe, ['2026-09-24']),
      overrideReason: 'demande de la mère au guichet',
    });
    expect(late).toMatchObject({ ok: true, data: { accepted: [{ date: '2026-09-24', late: true }] } });
    expect(await a.sync.syncOnce()).toMatchObject({ ok: true, pushed: 1 });
    expect(await count(t, 'bookings', "WHERE date = '2026-09-24' AND state = 'booked' AND late = 1")).toBe(1);
    expect(await a.core.invoke('sync.rejections', {})).toEqual({ ok: true, data: [] });
    const local = a.core.raw.prepare("SELECT late_reason FROM bookings WHERE date = '2026-09-24'").all();
    expect(local).toEqual([{ late_reason: 'demande de la mère au guichet' }]);
  });

  it('a booking made on the portal appears in the counter’s grid after a sync; family deadlines apply', async () => {
    const t = (town = await townServer(storeOptions()));
    const a = await t.counter('Guichet A');
    await a.sync.syncOnce();
    const portal = async (body: unknown) => {
      const res = await fetch(`${t.http.url}/portal/bookings`, {
        method: 'POST',
        headers: { authorization: 'Bearer jeton-portail-test', 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return {
        status: res.status,
        body: (await res.json()) as { plan?: { accepted: unknown[]; refused: { code: string }[] } },
      };
    };
    const req = { action: 'book', householdId: t.householdId, ...careEvening(t, t.zoe, ['2026-09-21']) };
    const r = await portal(req);
    expect(r.status).toBe(200);
    expect(r.body.plan?.accepted).toHaveLength(1);
    await a.sync.syncOnce();
    const grid = await a.core.invoke('booking.grid', {
      childId: t.zoe,
      activityId: t.demo.care.activityId,
      siteId: t.demo.sites.jaures,
      from: '2026-09-21',
      to: '2026-09-21',
    });
    const cells = (grid as { data: { cells: { unitCode: string; state: string }[] } }).data.cells;
    expect(cells.find((c) => c.unitCode === 'evening')?.state).toBe('booked');
    // Past the family's deadline, judged by the server's clock: refused, no override possible.
    t.at('2026-09-22T23:00:00+02:00');
    const late = await portal({
      ...req,
      selection: { kind: 'days', dates: ['2026-09-22'] },
      overrideReason: 'x',
    });
    expect(late.body.plan?.accepted).toEqual([]);
    expect(late.body.plan?.refused[0]?.code).toBe('DEADLINE_PASSED');
    // A family cannot book another household's child.
    expect((await portal({ ...req, householdId: '00000000-0000-7000-8000-000000000000' })).status).toBe(403);
  });
});

const post = async (t: TownServer, path: string, body: string, auth?: string) => {
  const res = await fetch(`${t.http.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(auth ? { authorization: `Bearer ${auth}` } : {}) },
    body,
  });
  return {
    status: res.status,
    body: (await res.json()) as Record<string, unknown> & { error?: { code: string; message: string } },
  };
};

describe('push protocol', { timeout: 30_000 }, () => {
  it('replays are acknowledged, gaps stop the batch, bad pushes are refused with nothing written', async () => {
    const t = (town = await townServer({ sqlite: ':memory:' }));
    const a = await t.counter('Guichet A');
    await a.sync.syncOnce();
    const cmd = (seq: number, dates: string[], id = `00000000-0000-7000-8000-00000000000${seq}`) => ({
      seq,
      id,
      name: 'booking.book',
      input: careEvening(t, t.zoe, dates),
      agentId: 'agent-a',
      at: '2026-08-20T08:00:00Z',
    });
    const push = (commands: unknown[], extra: Record<string, unknown> = {}, auth = a.credential) =>
      post(
        t,
        '/push',
        JSON.stringify({ deviceId: a.deviceId, schemaVersion: 6, appVersion: '0.1.0', commands, ...extra }),
        auth,
      );

    const first = await push([cmd(1, ['2026-09-14']), cmd(2, ['2026-09-15'])]);
    expect(first.body).toMatchObject({
      lastAckedSeq: 2,
      gapAt: null,
      results: [{ status: 'applied' }, { status: 'applied' }],
    });
    // Replayed whole, and cut mid-batch then resent with the next one: nothing applied twice.
    const again = await push([cmd(1, ['2026-09-14']), cmd(2, ['2026-09-15']), cmd(3, ['2026-09-17'])]);
    expect(again.body).toMatchObject({
      lastAckedSeq: 3,
      results: [{ replay: true }, { replay: true }, { status: 'applied' }],
    });
    expect(await count(t, 'bookings', "WHERE child_id IS NOT NULL AND state = 'booked'")).toBe(3);
    // A gap: seq 5 before 4 is refused without being applied.
    const gap = await push([cmd(5, ['2026-09-18'])]);
    expect(gap.body).toMatchObject({ lastAckedSeq: 3, gapAt: 5, results: [] });
    // Reordered inside a batch: refused whole.
    const reordered = await push([cmd(5, ['2026-09-18']), cmd(4, ['2026-09-21'])]);
    expect(reordered.status).toBe(400);

    const before = await count(t, 'received_commands');
    const bookingsBefore = await count(t, 'bookings');
    const refusals = [
      await post(t, '/push', '{not json', a.credential),
      await push([{ seq: 4, name: 'booking.book' }]),
      await push([cmd(4, ['2026-09-21'])], {}, `${a.deviceId}.mauvais-secret`),
      await push([cmd(4, ['2026-09-21'])], {}, ''),
      await post(
        t,
        '/push',
        JSON.stringify({
          deviceId: a.deviceId,
          schemaVersion: 6,
          appVersion: '0.1.0',
          commands: [],
          pad: 'x'.repeat(5 * 1024 * 1024),
        }),
        a.credential,
      ),
      await push([cmd(4, ['2026-09-21'])], { schemaVersion: 0 }),
    ];
    expect(refusals.map((r) => r.status)).toEqual([400, 400, 401, 401, 413, 200]);
    for (const r of refusals.slice(0, 5)) expect(r.body.error?.message).toMatch(/[a-zé]/);
    // A device too old for this server (its minimum raised): told to update, its log kept.
    const strict = (await import('./server.ts')).createSyncServer({
      store: t.store,
      adminToken: 'x',
      portalToken: 'y',
      minSchemaVersion: 7,
    });
    const old = await strict.push(`Bearer ${a.credential}`, {
      deviceId: a.deviceId,
      schemaVersion: 6,
      appVersion: '0.1.0',
      commands: [cmd(4, ['2026-09-21'])],
    });
    expect(old).toMatchObject({ status: 426, body: { error: { code: 'VERSION_TOO_OLD' } } });
    // The schemaVersion 0 push above was accepted by the default server (minimum 0): count it.
    expect(await count(t, 'received_commands')).toBe(before + 1);
    expect(await count(t, 'bookings')).toBe(bookingsBefore + 1);

    // Revoked: pushes refused in French, pulls still answered.
    expect((await post(t, `/devices/${a.deviceId}/revoke`, '{}', 'jeton-admin-test')).status).toBe(200);
    const revoked = await push([cmd(5, ['2026-09-22'])]);
    expect(revoked).toMatchObject({ status: 403, body: { error: { code: 'DEVICE_REVOKED' } } });
    expect(revoked.body.error?.message).toContain('révoqué');
    const pulled = await fetch(`${t.http.url}/pull?since=0`, {
      headers: { authorization: `Bearer ${a.credential}` },
    });
    expect(pulled.status).toBe(200);
    expect(await count(t, 'received_commands')).toBe(before + 1);

    // The revoked counter learns it at its next round and becomes read-only: it looks up, it books nothing.
    await a.sync.syncOnce();
    expect(await a.core.invoke('sync.status', {})).toMatchObject({
      ok: true,
      data: { blocked: expect.stringContaining('révoqué') },
    });
    expect(await a.core.invoke('booking.book', careEvening(t, t.zoe, ['2026-09-24']))).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', message: expect.stringContaining('consultation seulement') },
    });
    expect((await a.core.invoke('family.get', { householdId: t.householdId })).ok).toBe(true);
  });

  it('a counter restored from an older backup: its new operations are renumbered, nothing is lost', async () => {
    const t = (town = await townServer({ sqlite: ':memory:' }));
    const a = await t.counter('Guichet A');
    await a.sync.syncOnce();
    await a.core.invoke('booking.book', careEvening(t, t.zoe, ['2026-09-14']));
    await a.sync.syncOnce();
    // The nightly backup…
    const dir = mkdtempSync(join(tmpdir(), 'gf-restore-'));
    const file = join(dir, 'guichet.sqlite');
    await a.core.raw.backup(file);
    // …then a day of work that reaches the server, then the disk is lost and the backup restored.
    await a.core.invoke('booking.book', careEvening(t, t.zoe, ['2026-09-15']));
    await a.core.invoke('booking.book', careEvening(t, t.noe, ['2026-09-15']));
    expect((await a.sync.syncOnce()).ok).toBe(true);
    const restored = await openTestCore({ path: file, clock: () => new Date('2026-08-20T10:00:00+02:00') });
    try {
      const sync = createSyncClient(restored, { serverUrl: t.http.url, credential: a.credential });
      // The first operation after the restore takes a number the server already holds for another command.
      await restored.invoke('booking.book', careEvening(t, t.noe, ['2026-09-17']));
      expect(await sync.syncOnce()).toMatchObject({ ok: true, pushed: 1 });
      const server = await t.store.db
        .selectFrom('bookings')
        .select(['child_id', 'date'])
        .where('state', '=', 'booked')
        .orderBy('date')
        .orderBy('child_id')
        .execute();
      expect(server.map((b) => `${b.child_id === t.zoe ? 'Zoé' : 'Noé'} ${b.date}`).sort()).toEqual(
        ['Noé 2026-09-15', 'Noé 2026-09-17', 'Zoé 2026-09-14', 'Zoé 2026-09-15'].sort(),
      );
      // The restored counter gets back the day it had lost, and has nothing left to send.
      const local = restored.raw
        .prepare("SELECT count(*) FROM bookings WHERE state = 'booked'")
        .pluck()
        .get();
      expect(local).toBe(4);
      expect(await restored.invoke('sync.status', {})).toMatchObject({ ok: true, data: { pending: 0 } });
      expect(await sync.syncOnce()).toMatchObject({ ok: true, pushed: 0 });
    } finally {
      await restored.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('tells a device whose clock drifts', async () => {
    const t = (town = await townServer({ sqlite: ':memory:' }));
    const a = await t.counter('Guichet A');
    const r = await post(
      t,
      '/push',
      JSON.stringify({
        deviceId: a.deviceId,
        schemaVersion: 6,
        appVersion: '0.1.0',
        sentAt: '2026-08-20T09:00:00Z',
        commands: [],
      }),
      a.credential,
    );
    expect((r.body.clock as { warning: string }).warning).toContain('horloge');
  });
});
