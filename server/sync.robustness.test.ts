import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../migrations/index.ts';
import { operations, type InputOf, type OperationName, type OutputOf } from '../core/contract.ts';
import type { AnyOperation, CommandContext } from '../core/api/operation.ts';
import type { Core } from '../core/app.ts';
import { createSyncClient } from '../core/sync/client.ts';
import type { PushResponse } from '../core/sync/protocol.ts';
import { ADMIN_TOKEN, PORTAL_TOKEN, townServer, type TownServer } from './harness.ts';
import { createSyncServer } from './server.ts';

/*
 * What a counter's agent and the régie would notice when the network or the server misbehaves during a push: a
 * booking or a payment taken twice, one lost, a receipt number changed or skipped, « À régulariser » items that are
 * not real, commands left « en attente ». server/sync.test.ts covers the protocol's refusals one by one; these cases
 * replay, reorder, cut and crash real batches made at a counter.
 */

const START = '2026-08-20T10:00:00+02:00';
const ROOT = fileURLToPath(new URL('..', import.meta.url));

type Counter = Awaited<ReturnType<TownServer['counter']>>;

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

async function call<N extends OperationName>(core: Core, name: N, input: InputOf<N>): Promise<OutputOf<N>> {
  const r = await core.invoke(name, input);
  if (!r.ok) throw new Error(`${name}: ${r.error.code} ${r.error.message}`);
  return r.data as OutputOf<N>;
}

/** The counter's sync client, on the town's clock, talking through the given fetch (a flaky network). */
const syncClient = (c: Counter, serverUrl: string, doFetch: typeof fetch = fetch) =>
  createSyncClient(c.core, {
    serverUrl,
    credential: c.credential,
    clock: () => new Date(START),
    fetch: doFetch,
  });

interface Slot {
  childId: string;
  unitCode: 'morning' | 'evening';
  date: string;
}

/** Every before/after-school slot the two Lefèvre children can be booked on this school year, by date. */
async function openSlots(t: Pick<TownServer, 'zoe' | 'noe' | 'demo'>, core: Core): Promise<Slot[]> {
  const slots: Slot[] = [];
  for (const childId of [t.zoe, t.noe]) {
    const plan = await call(core, 'booking.preview', {
      childId,
      activityId: t.demo.care.activityId,
      siteId: t.demo.sites.jaures,
      unitCodes: ['morning', 'evening'],
      selection: { kind: 'period', from: '2026-09-01', to: '2027-06-30', weekdays: [1, 2, 4, 5] },
    });
    for (const d of plan.accepted)
      slots.push({ childId, unitCode: d.unitCode as Slot['unitCode'], date: d.date });
  }
  return slots.sort((a, b) => a.date.localeCompare(b.date) || a.unitCode.localeCompare(b.unitCode));
}

interface Work {
  bookingIds: string[];
  payments: { paymentId: string; receiptNumber: string; amountCents: number }[];
}

/**
 * A morning at the counter, offline: one booking per command (each books exactly one day, so a booking taken twice
 * or lost shows), and now and then a cash payment put to the family's credit.
 */
async function counterWork(
  t: Pick<TownServer, 'zoe' | 'noe' | 'demo' | 'householdId'>,
  c: Counter,
  slots: Slot[],
  { bookings, paymentEvery }: { bookings: number; paymentEvery: number },
): Promise<Work> {
  const session = await call(c.core, 'regie.currentSession', {});
  if (!session.session) await call(c.core, 'regie.openSession', { floatCents: 0 });
  const work: Work = { bookingIds: [], payments: [] };
  for (let i = 0; i < bookings; i++) {
    const slot = slots.shift();
    if (!slot) throw new Error('plus de créneau libre');
    const plan = await call(c.core, 'booking.book', {
      childId: slot.childId,
      activityId: t.demo.care.activityId,
      siteId: t.demo.sites.jaures,
      unitCodes: [slot.unitCode],
      selection: { kind: 'days', dates: [slot.date] },
    });
    expect(plan.accepted).toHaveLength(1);
    work.bookingIds.push(
      c.core.raw
        .prepare(
          `SELECT b.id FROM bookings b JOIN units u ON u.id = b.unit_id
           WHERE b.child_id = ? AND u.code = ? AND b.date = ? AND b.state = 'booked'`,
        )
        .pluck()
        .get(slot.childId, slot.unitCode, slot.date) as string,
    );
    if ((i + 1) % paymentEvery === 0) {
      const amountCents = 1000 + work.payments.length;
      const p = await call(c.core, 'payment.record', {
        householdId: t.householdId,
        mode: 'cash',
        amountCents,
        note: '',
      });
      work.payments.push({ paymentId: p.paymentId, receiptNumber: p.receiptNumber, amountCents });
    }
  }
  return work;
}

const localBooked = (c: Counter) =>
  (c.core.raw.prepare("SELECT id FROM bookings WHERE state = 'booked'").pluck().all() as string[]).sort();
const localReceipts = (c: Counter) =>
  c.core.raw.prepare('SELECT number FROM receipts ORDER BY number').pluck().all() as string[];

async function status(c: Counter) {
  return call(c.core, 'sync.status', {});
}

/** What the server holds, as plain rows, whichever way it is reached (its store in-process, its file otherwise). */
interface ServerView {
  seqs: number[];
  commandIds: string[];
  lastSeq: number;
  booked: string[];
  payments: { id: string; number: string; amountCents: number }[];
}

async function viewOfStore(t: TownServer, deviceId: string): Promise<ServerView> {
  const db = t.store.db;
  const received = await db
    .selectFrom('received_commands')
    .select(['seq', 'command_id'])
    .where('device_id', '=', deviceId)
    .orderBy('seq')
    .execute();
  const device = await db
    .selectFrom('devices')
    .select('last_seq')
    .where('id', '=', deviceId)
    .executeTakeFirstOrThrow();
  const booked = await db.selectFrom('bookings').select('id').where('state', '=', 'booked').execute();
  const payments = await db
    .selectFrom('payments')
    .leftJoin('receipts', 'receipts.payment_id', 'payments.id')
    .select(['payments.id', 'receipts.number', 'payments.amount_cents'])
    .orderBy('receipts.number')
    .execute();
  return {
    seqs: received.map((r) => Number(r.seq)),
    commandIds: received.map((r) => r.command_id),
    lastSeq: Number(device.last_seq),
    booked: booked.map((b) => b.id).sort(),
    payments: payments.map((p) => ({
      id: p.id,
      number: p.number ?? '',
      amountCents: Number(p.amount_cents),
    })),
  };
}

function viewOfFile(raw: Database.Database, deviceId: string): ServerView {
  const received = raw
    .prepare('SELECT seq, command_id FROM received_commands WHERE device_id = ? ORDER BY seq')
    .all(deviceId) as { seq: number; command_id: string }[];
  const payments = raw
    .prepare(
      `SELECT p.id, r.number, p.amount_cents AS amountCents FROM payments p
       LEFT JOIN receipts r ON r.payment_id = p.id ORDER BY r.number`,
    )
    .all() as { id: string; number: string | null; amountCents: number }[];
  return {
    seqs: received.map((r) => r.seq),
    commandIds: received.map((r) => r.command_id),
    lastSeq: (raw.prepare('SELECT last_seq FROM devices WHERE id = ?').pluck().get(deviceId) as number) ?? 0,
    booked: (raw.prepare("SELECT id FROM bookings WHERE state = 'booked'").pluck().all() as string[]).sort(),
    payments: payments.map((p) => ({ ...p, number: p.number ?? '' })),
  };
}

const oneTo = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

/** The server holds exactly the counter's work: every command once, in order, every booking and payment once. */
function expectExactlyOnce(view: ServerView, work: Work, commands: number) {
  expect(view.seqs).toEqual(oneTo(commands));
  expect(new Set(view.commandIds).size).toBe(commands);
  expect(view.lastSeq).toBe(commands);
  expect(view.booked).toEqual(work.bookingIds.slice().sort());
  expect(view.payments).toEqual(
    work.payments
      .map((p) => ({ id: p.paymentId, number: p.receiptNumber, amountCents: p.amountCents }))
      .sort((a, b) => a.number.localeCompare(b.number)),
  );
}

/** Receipts keep the numbers the families were handed, one series per counter, none skipped. */
function expectReceiptsGapFree(work: Work, seriesPrefix: string) {
  const numbers = work.payments.map((p) => p.receiptNumber);
  expect(numbers).toEqual(
    oneTo(numbers.length).map((n) => `REC-${seriesPrefix}-2026-${String(n).padStart(6, '0')}`),
  );
}

/** The counter after recovery: nothing waiting, nothing to settle, its bookings and receipts the server's. */
async function expectCounterSettled(c: Counter, work: Work) {
  expect(await status(c)).toMatchObject({ online: true, pending: 0, toSettle: 0, lastError: null });
  expect(await call(c.core, 'sync.rejections', {})).toEqual([]);
  expect(localBooked(c)).toEqual(work.bookingIds.slice().sort());
  expect(localReceipts(c)).toEqual(work.payments.map((p) => p.receiptNumber));
  expect(await call(c.core, 'regie.verifyJournal', {})).toMatchObject({ ok: true });
}

/** A town on an in-memory server with one counter that has pulled it. */
async function townWithCounter() {
  const t = await townServer({ sqlite: ':memory:' }, START);
  cleanup.push(() => t.close());
  const a = await t.counter('Guichet A');
  expect((await a.sync.syncOnce()).ok).toBe(true);
  return { t, a, slots: await openSlots(t, a.core) };
}

/**
 * A second server on the same store whose commands wait for the event loop before running, so that two requests
 * interleave command by command as they do over PostgreSQL.
 */
async function yieldingServer(t: TownServer) {
  const registry: Readonly<Record<string, AnyOperation>> = operations;
  let ran = 0;
  const yielding = Object.fromEntries(
    Object.entries(registry).map(([name, op]): [string, AnyOperation] => [
      name,
      op.kind === 'command'
        ? {
            ...op,
            run: async (ctx: CommandContext, input: unknown) => {
              await new Promise((r) => setImmediate(r));
              ran += 1;
              return op.run(ctx, input);
            },
          }
        : op,
    ]),
  );
  const server = createSyncServer({
    store: t.store,
    clock: () => new Date(START),
    adminToken: ADMIN_TOKEN,
    portalToken: PORTAL_TOKEN,
    operations: yielding,
  });
  const http = await server.listen();
  // How many requests it was working on at once: the cases below are only worth something if they overlapped.
  let inFlight = 0;
  let maxInFlight = 0;
  http.server.on('request', (_req, res) => {
    maxInFlight = Math.max(maxInFlight, ++inFlight);
    res.on('close', () => inFlight--);
  });
  cleanup.push(() => http.close());
  return { url: http.url, maxInFlight: () => maxInFlight, ran: () => ran };
}

const isPush = (url: string | URL | Request, init?: RequestInit) =>
  String(url).endsWith('/push') && init?.method === 'POST';

/** A fetch that is offline: what the counter sees when the server cannot be reached. */
const offline: typeof fetch = () => Promise.reject(new TypeError('fetch failed'));

/** The batch exactly as the counter's client would push it next, read from its outbox. */
function outboxBatch(c: Counter) {
  const rows = c.core.raw
    .prepare(
      `SELECT o.device_seq AS seq, l.id, l.name, l.input, l.agent_id, l.device_id, l.at
       FROM sync_outbox o JOIN command_log l ON l.seq = o.log_seq ORDER BY o.device_seq`,
    )
    .all() as {
    seq: number;
    id: string;
    name: string;
    input: string;
    agent_id: string;
    device_id: string;
    at: string;
  }[];
  return rows.map((r) => ({
    seq: r.seq,
    id: r.id,
    name: r.name,
    input: JSON.parse(r.input) as unknown,
    agentId: r.agent_id,
    deviceId: r.device_id,
    at: r.at,
  }));
}

async function rawPush(t: TownServer, c: Counter, commands: unknown[]) {
  const res = await fetch(`${t.http.url}/push`, {
    method: 'POST',
    headers: { authorization: `Bearer ${c.credential}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      deviceId: c.deviceId,
      schemaVersion: MIGRATIONS.at(-1)?.version,
      appVersion: '0.1.0',
      commands,
    }),
  });
  return {
    status: res.status,
    body: (await res.json()) as PushResponse & { error?: { code: string; message: string } },
  };
}

describe('sync robustness on a flaky network', { timeout: 30_000 }, () => {
  it('a push sent three times in a row, then three times at once: every booking and payment is kept once', async () => {
    const { t, a, slots } = await townWithCounter();
    const answers: PushResponse[] = [];
    let copies = 0;
    let atOnce = false;
    // The network duplicates every push: in turn (a retrying proxy), then all at once (a client retrying early).
    const tripled: typeof fetch = async (url, init) => {
      if (!isPush(url, init)) return fetch(url, init);
      const send = async () => {
        copies++;
        const res = await fetch(url, init);
        answers.push((await res.clone().json()) as PushResponse);
        return res;
      };
      if (atOnce) return (await Promise.all([send(), send(), send()]))[0] as Response;
      await send();
      await send();
      return send();
    };
    const sync = syncClient(a, t.http.url, tripled);

    const first = await counterWork(t, a, slots, { bookings: 6, paymentEvery: 2 });
    expect(await status(a)).toMatchObject({ pending: 10 });
    expect(await sync.syncOnce()).toMatchObject({ ok: true, error: null });
    expect(copies).toBe(3);
    // The copies after the first are answered from what the server recorded, not applied again.
    expect(answers[0]?.results.every((r) => r.status === 'applied' && !r.replay)).toBe(true);
    for (const again of answers.slice(1)) {
      expect(again.results.map((r) => [r.seq, r.replay])).toEqual(oneTo(10).map((s) => [s, true]));
      expect(again.lastAckedSeq).toBe(10);
    }
    expectExactlyOnce(await viewOfStore(t, a.deviceId), first, 10);
    await expectCounterSettled(a, first);

    // At once, on a server that interleaves requests command by command (as over PostgreSQL).
    atOnce = true;
    answers.length = 0;
    const more = await counterWork(t, a, slots, { bookings: 8, paymentEvery: 4 });
    expect(await status(a)).toMatchObject({ pending: 10 });
    const interleaving = await yieldingServer(t);
    expect((await syncClient(a, interleaving.url, tripled).syncOnce()).ok).toBe(true);
    expect(interleaving.maxInFlight()).toBe(3);
    expect(copies).toBe(6);
    // However the three copies interleaved, each command was applied by exactly one of them.
    const applied = answers.flatMap((r) => r.results.filter((x) => !x.replay).map((x) => x.seq));
    expect(applied.sort((x, y) => x - y)).toEqual(oneTo(10).map((s) => s + 10));
    const all: Work = {
      bookingIds: [...first.bookingIds, ...more.bookingIds],
      payments: [...first.payments, ...more.payments],
    };
    expectExactlyOnce(await viewOfStore(t, a.deviceId), all, 20);
    expectReceiptsGapFree(all, a.seriesPrefix);
    await expectCounterSettled(a, all);
  });

  it('a batch out of order is refused whole; one with a hole is applied up to it, and the client fills it', async () => {
    const { t, a, slots } = await townWithCounter();
    const work = await counterWork(t, a, slots, { bookings: 6, paymentEvery: 3 });
    // Offline: the commands are numbered in the outbox and wait there.
    const failed = await syncClient(a, t.http.url, offline).syncOnce();
    expect(failed).toMatchObject({ ok: false, error: expect.stringContaining('injoignable') });
    const batch = outboxBatch(a);
    expect(batch.map((c) => c.seq)).toEqual(oneTo(9));

    // Two commands swapped (a payment before the booking it followed): nothing of the batch is written.
    const swapped = [...batch];
    [swapped[3], swapped[4]] = [swapped[4]!, swapped[3]!];
    const refused = await rawPush(t, a, swapped);
    expect(refused.status).toBe(400);
    expect(refused.body.error?.message).toContain("rien n'a été enregistré");
    const untouched = await viewOfStore(t, a.deviceId);
    expect(untouched).toMatchObject({ seqs: [], lastSeq: 0, booked: [], payments: [] });

    // The fourth command missing: the first three are applied, the rest waits for it.
    const holed = await rawPush(t, a, [...batch.slice(0, 3), ...batch.slice(4)]);
    expect(holed.status).toBe(200);
    expect(holed.body).toMatchObject({ lastAckedSeq: 3, gapAt: 5 });
    expect(holed.body.results.map((r) => [r.seq, r.status])).toEqual([
      [1, 'applied'],
      [2, 'applied'],
      [3, 'applied'],
    ]);
    expect((await viewOfStore(t, a.deviceId)).seqs).toEqual([1, 2, 3]);

    // The counter's next round re-sends from what it knows (nothing acknowledged): 1–3 are replays, 4–9 applied.
    const round = await syncClient(a, t.http.url).syncOnce();
    expect(round).toMatchObject({ ok: true, pushed: 6 });
    expectExactlyOnce(await viewOfStore(t, a.deviceId), work, 9);
    await expectCounterSettled(a, work);

    // The same hole made on the way by the network, inside the client's own push: it fills it in the same round.
    const more = await counterWork(t, a, slots, { bookings: 5, paymentEvery: 5 });
    let holes = 0;
    const dropping: typeof fetch = async (url, init) => {
      if (!isPush(url, init) || holes > 0) return fetch(url, init);
      holes++;
      const body = JSON.parse(String(init?.body)) as { commands: { seq: number }[] };
      body.commands = body.commands.filter((c) => c.seq !== 12);
      return fetch(url, { ...init, body: JSON.stringify(body) });
    };
    expect(await syncClient(a, t.http.url, dropping).syncOnce()).toMatchObject({ ok: true, pushed: 6 });
    expect(holes).toBe(1);
    const all: Work = {
      bookingIds: [...work.bookingIds, ...more.bookingIds],
      payments: [...work.payments, ...more.payments],
    };
    expectExactlyOnce(await viewOfStore(t, a.deviceId), all, 15);
    expectReceiptsGapFree(all, a.seriesPrefix);
    await expectCounterSettled(a, all);
  });

  it('the connection cut mid-batch: the counter re-sends, the applied part comes back as replays, the rest is applied', async () => {
    const { t, a, slots } = await townWithCounter();
    const received = async () =>
      Number(
        (
          await t.store.db
            .selectFrom('received_commands')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('device_id', '=', a.deviceId)
            .executeTakeFirstOrThrow()
        ).n,
      );
    const answers: PushResponse[] = [];
    const answered = async (res: Response) => {
      answers.push((await res.clone().json()) as PushResponse);
      return res;
    };

    // 1. The answer lost: the server applied the whole batch, the counter saw the network fail.
    const work = await counterWork(t, a, slots, { bookings: 10, paymentEvery: 5 });
    const lostAnswer: typeof fetch = async (url, init) => {
      if (!isPush(url, init)) return fetch(url, init);
      await (await fetch(url, init)).json();
      throw new TypeError('fetch failed');
    };
    expect(await syncClient(a, t.http.url, lostAnswer).syncOnce()).toMatchObject({
      ok: false,
      error: expect.stringContaining('injoignable'),
    });
    // The agent sees the counter offline with its work waiting; the server has it all already.
    expect(await status(a)).toMatchObject({ online: false, pending: 13 });
    expect(await received()).toBe(13);
    const again = await syncClient(a, t.http.url).syncOnce();
    expect(again).toMatchObject({ ok: true, pushed: 0 });
    expectExactlyOnce(await viewOfStore(t, a.deviceId), work, 13);
    await expectCounterSettled(a, work);

    // 2. Cut after the server applied the first 7 of 15 commands: the rest of the request never reached it.
    const cutWork = await counterWork(t, a, slots, { bookings: 12, paymentEvery: 4 });
    expect(await status(a)).toMatchObject({ pending: 15 });
    let cuts = 0;
    const cutting: typeof fetch = async (url, init) => {
      if (!isPush(url, init)) return fetch(url, init);
      if (cuts++ > 0) return answered(await fetch(url, init));
      const body = JSON.parse(String(init?.body)) as { commands: unknown[] };
      body.commands = body.commands.slice(0, 7);
      await fetch(url, { ...init, body: JSON.stringify(body) });
      throw new TypeError('fetch failed');
    };
    const sync = syncClient(a, t.http.url, cutting);
    expect((await sync.syncOnce()).ok).toBe(false);
    expect(await received()).toBe(13 + 7);
    expect(await status(a)).toMatchObject({ online: false, pending: 15 });
    expect(await sync.syncOnce()).toMatchObject({ ok: true, pushed: 8 });
    expect(answers.flatMap((r) => r.results.map((x) => [x.seq, x.status, x.replay ?? false]))).toEqual(
      oneTo(15).map((i) => [13 + i, 'applied', i <= 7]),
    );
    const sofar: Work = {
      bookingIds: [...work.bookingIds, ...cutWork.bookingIds],
      payments: [...work.payments, ...cutWork.payments],
    };
    expectExactlyOnce(await viewOfStore(t, a.deviceId), sofar, 28);
    await expectCounterSettled(a, sofar);

    // 3. Cut while the server is still applying, and re-sent at once: the server does not stop for a closed
    // connection, so the two requests race over the same sequence numbers. In-process SQLite runs a whole push
    // without yielding; this server yields between commands, as PostgreSQL's I/O does. The re-sent request waits
    // for the first one's transaction and finds every command of it applied.
    const racing = await yieldingServer(t);
    const raceWork = await counterWork(t, a, slots, { bookings: 40, paymentEvery: 8 });
    expect(await status(a)).toMatchObject({ pending: 45 });
    answers.length = 0;
    let atCut = -1;
    let atRetry = -1;
    const abandoning: typeof fetch = async (url, init) => {
      if (!isPush(url, init)) return fetch(url, init);
      if (atCut >= 0) {
        atRetry = racing.ran();
        return answered(await fetch(url, init));
      }
      const abort = new AbortController();
      const inFlight = fetch(url, { ...init, signal: abort.signal }).catch(() => null);
      while ((atCut = racing.ran()) < 12) await new Promise((r) => setImmediate(r));
      abort.abort();
      await inFlight;
      throw new TypeError('fetch failed');
    };
    const raceSync = syncClient(a, racing.url, abandoning);
    expect((await raceSync.syncOnce()).ok).toBe(false);
    expect(atCut).toBeGreaterThanOrEqual(12);
    expect(await raceSync.syncOnce()).toMatchObject({ ok: true });
    // The re-sent request arrived before the server was through the first one.
    expect(atRetry).toBeLessThan(45);
    const resent = answers.flatMap((r) => r.results);
    expect(resent.map((r) => r.seq)).toEqual(oneTo(45).map((i) => 28 + i));
    expect(resent.every((r) => r.replay)).toBe(true);
    expect(racing.ran()).toBe(45);
    const all: Work = {
      bookingIds: [...sofar.bookingIds, ...raceWork.bookingIds],
      payments: [...sofar.payments, ...raceWork.payments],
    };
    expectExactlyOnce(await viewOfStore(t, a.deviceId), all, 28 + 45);
    expectReceiptsGapFree(all, a.seriesPrefix);
    await expectCounterSettled(a, all);
  });
});

/**
 * Runs the real server (`node server/main.ts`) on a SQLite file. Its clock is the town's (the in-process servers'
 * start, moving on in real time), so the school year's days stay bookable whatever day the suite runs.
 */
async function childServer(dir: string, file: string, port: number) {
  const preload = join(dir, 'town-clock.mjs');
  await writeFile(
    preload,
    `const offset = Number(process.env.GF_TEST_CLOCK_OFFSET_MS);
const RealDate = globalThis.Date;
globalThis.Date = class TownDate extends RealDate {
  constructor(...args) { if (args.length === 0) super(RealDate.now() + offset); else super(...args); }
  static now() { return RealDate.now() + offset; }
};
`,
  );
  const child = spawn(
    process.execPath,
    ['--import', pathToFileURL(preload).href, 'server/main.ts', '--db', file, '--port', String(port)],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        GF_ADMIN_TOKEN: ADMIN_TOKEN,
        GF_PORTAL_TOKEN: PORTAL_TOKEN,
        GF_TEST_CLOCK_OFFSET_MS: String(Date.parse(START) - Date.now()),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  cleanup.push(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serveur non démarré : ${output}`)), 20_000);
    child.stdout.on('data', (d: Buffer) => {
      output += d.toString();
      if (output.includes('Serveur Guichet Famille')) {
        clearTimeout(timer);
        resolve();
      }
    });
    void exited.then((code) => reject(new Error(`serveur arrêté (${code}) : ${output}`)));
  });
  return { child, exited, output: () => output };
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as AddressInfo;
  await new Promise((resolve) => s.close(resolve));
  return port;
}

const integrity = (raw: Database.Database) => ({
  integrity: raw.pragma('integrity_check', { simple: true }),
  foreignKeys: raw.pragma('foreign_key_check'),
});

describe('sync robustness when the server dies', { timeout: 60_000 }, () => {
  it('the server killed (-9) while applying a large batch: nothing of it kept; restarted on its file, every command ends applied once', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gf-robustesse-'));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    const file = join(dir, 'serveur.sqlite');

    // The town set up in-process on the file, the counter enrolled and up to date; then that server stops.
    const t = await townServer({ sqlite: file }, START);
    const a = await t.counter('Guichet A');
    expect((await a.sync.syncOnce()).ok).toBe(true);
    const slots = await openSlots(t, a.core);
    await t.http.close();
    await t.store.close();
    cleanup.push(() => a.core.close());

    // A busy day offline: 500 bookings and 20 cash payments (and the till opened), 521 commands in all.
    const work = await counterWork(t, a, slots, { bookings: 500, paymentEvery: 25 });
    const total = 521;
    expect(await status(a)).toMatchObject({ pending: total });

    const port = await freePort();
    let pushSent: boolean | undefined;
    const sync = syncClient(a, `http://127.0.0.1:${port}`, (url, init) => {
      if (isPush(url, init)) pushSent = true;
      return fetch(url, init);
    });
    // Killed twice while applying the first push of 500 commands, the second time in the re-sent one.
    for (const crash of [1, 2]) {
      const server = await childServer(dir, file, port);
      const reader = new Database(file, { fileMustExist: true, timeout: 0 });
      // The server's write transaction holds the file's write lock: another writer is turned away at once.
      const writing = () => {
        try {
          reader.exec('BEGIN IMMEDIATE; ROLLBACK');
          return false;
        } catch {
          return true;
        }
      };
      pushSent = false;
      let pushDone = false;
      const pushing = sync.syncOnce().finally(() => (pushDone = true));
      while (!(pushSent && writing()) && !pushDone) await new Promise((r) => setTimeout(r, 1));
      // Anywhere in its first commands, well before the push's transaction could commit its 500.
      await new Promise((r) => setTimeout(r, Math.random() * 30));
      const finishedFirst = pushDone;
      server.child.kill('SIGKILL');
      await server.exited;
      reader.close();
      const why = `arrêt ${crash}`;
      expect(finishedFirst, `${why} : le serveur a tout appliqué avant d'être tué`).toBe(false);
      // The counter sees the server gone: it works on offline, everything still waiting.
      expect(await pushing).toMatchObject({ ok: false, error: expect.stringContaining('injoignable') });
      expect(await status(a)).toMatchObject({ online: false, pending: total });

      // What the file holds after the crash: nothing of the push cut in the middle, no command half-done.
      const crashed = new Database(file);
      expect(integrity(crashed), why).toEqual({ integrity: 'ok', foreignKeys: [] });
      const atCrash = viewOfFile(crashed, a.deviceId);
      crashed.close();
      expect(outboxBatch(a)).toHaveLength(total);
      expect(atCrash.seqs, why).toEqual([]);
      expectExactlyOnce(atCrash, { bookingIds: [], payments: [] }, 0);
    }

    // Restarted on the same file: the next round re-sends everything, each command applied once.
    const server = await childServer(dir, file, port);
    expect(await sync.syncOnce()).toMatchObject({ ok: true, pushed: total, error: null });
    await expectCounterSettled(a, work);
    server.child.kill('SIGTERM');
    expect(await server.exited, server.output()).toBe(0);

    const after = new Database(file);
    expect(integrity(after)).toEqual({ integrity: 'ok', foreignKeys: [] });
    expectExactlyOnce(viewOfFile(after, a.deviceId), work, total);
    after.close();
    expectReceiptsGapFree(work, a.seriesPrefix);
  });
});
