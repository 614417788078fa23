import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { installDemoActivities } from '../core/demo/demo-town.ts';
import { DEFAULT_REQUIRED_DOCUMENTS } from '../core/activities/enrolment.ts';
import type { Core } from '../core/app.ts';
import { addDaysTo } from '../core/calendar/local-date.ts';
import { openSqlite } from '../core/db/open.ts';
import { createHouseholdGenerator } from '../core/demo/generate.ts';
import { createSyncClient, type SyncOutcome } from '../core/sync/client.ts';
import { LOCAL_SETTING_PREFIXES, SYNC_TABLES } from '../core/sync/tables.ts';
import { openTestCore } from '../core/test/fixtures.ts';
import { ADMIN_TOKEN, PORTAL_TOKEN } from '../server/harness.ts';
import { createSyncServer } from '../server/server.ts';
import { openServerStore } from '../server/store.ts';
import { buildTownM, type Call } from './billing.bench.ts';
import { msSince, now, result, type BenchResult } from './stats.ts';

/** Before the rentrée, as the counters prepare it: every day asked for is bookable, none is late. */
export const clock = () => new Date('2026-08-20T10:00:00+02:00');
const PUSH_CHILDREN = 100;
/** Ten requests per child: six weeks of canteen, three or four of evening care, and a cancelled meal for half. */
const ROUNDS = 10;
const REPEAT = 3;
const WEEKS = ['2026-09-07', '2026-09-14', '2026-09-21', '2026-09-28', '2026-10-05', '2026-10-12'];
/** Bookings of town M's bulk insert per server version: one child's month of one activity, one command. */
const BOOKINGS_PER_VERSION = 20;

type Raw = Core['raw'];

export async function run(): Promise<BenchResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'gf-bench-sync-'));
  try {
    const push = await pushBench(dir);
    const pull = await pullBench(dir);
    console.log(`  load average ${loadavg()[0]?.toFixed(1)} on ${availableParallelism()} CPUs`);
    return [
      result('sync.push_1000_ms', push.ms, 'ms', push.baselineMs),
      result('sync.initial_pull_town_m_s', pull.s, 's', pull.baselineS),
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const list = (xs: number[], digits = 0) => xs.map((x) => x.toFixed(digits)).join(' / ');

/** A sync server on loopback over a SQLite file, as `server/main.ts` runs it. */
export async function openServer(path: string) {
  const store = await openServerStore({ sqlite: path });
  const server = createSyncServer({ store, clock, adminToken: ADMIN_TOKEN, portalToken: PORTAL_TOKEN });
  await server.ready;
  const http = await server.listen();
  // Server and counter share this one thread here: a rebase that holds it longer than Node's 5 s keep-alive lets
  // the server drop the idle socket just as the client reuses it (ECONNRESET). Apart processes do not see this.
  http.server.keepAliveTimeout = 10 * 60_000;
  const call: Call = (name, input) => server.adminCommand(name, input) as never;
  return {
    store,
    url: http.url,
    call,
    async close() {
      await http.close();
      await store.close();
    },
  };
}

/** A counter PC enrolled the administrator's way: `POST /devices` with the admin token. */
export async function enrolDevice(
  url: string,
  name: string,
): Promise<{ deviceId: string; credential: string }> {
  const res = await fetch(`${url}/devices`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name }),
  });
  if (res.status !== 201) throw new Error(`enrôlement du poste : ${res.status}`);
  return (await res.json()) as { deviceId: string; credential: string };
}

const cpuMs = (a: NodeJS.CpuUsage, b: NodeJS.CpuUsage) => (b.user - a.user + b.system - a.system) / 1000;

interface TimedSync {
  outcome: SyncOutcome;
  totalMs: number;
  /** From the start of the round to its first `/pull` request: outbox, push requests, results recorded. */
  pushMs: number;
  /**
   * The process's CPU time over the same span (server and counter share it): on a loaded shared machine the wall
   * time counts the waits for a core too, this does not.
   */
  pushCpuMs: number;
  /** Pull pages: server reads, HTTP, JSON, until the last page's body is parsed. */
  pagesMs: number;
  /** The local rebase after the last page: undo, server rows applied, search index, pending commands again. */
  applyMs: number;
  requests: { push: number; pull: number };
  bytes: number;
}

/**
 * One `syncOnce` of the real client, timed in its halves through the client's own `fetch` option: the first
 * `/pull` request marks the end of the push, the last body parsed the end of the network part of the pull.
 */
async function timedSync(core: Core, serverUrl: string, credential: string): Promise<TimedSync> {
  let firstPull: bigint | null = null;
  let cpuAtPull: NodeJS.CpuUsage | null = null;
  let lastBody: bigint | null = null;
  const requests = { push: 0, pull: 0 };
  let bytes = 0;
  const timedFetch: typeof fetch = async (input, init) => {
    const isPull = String(input instanceof Request ? input.url : input).includes('/pull?');
    if (isPull) {
      requests.pull += 1;
      if (firstPull === null) {
        firstPull = now();
        cpuAtPull = process.cpuUsage();
      }
    } else requests.push += 1;
    const res = await fetch(input, init);
    res.json = async () => {
      const text = await res.text();
      bytes += Buffer.byteLength(text);
      const body = JSON.parse(text) as unknown;
      if (isPull) lastBody = now();
      return body;
    };
    return res;
  };
  const client = createSyncClient(core, { serverUrl, credential, clock, fetch: timedFetch });
  const start = now();
  const cpuAtStart = process.cpuUsage();
  const outcome = await client.syncOnce();
  const end = now();
  const cpuAtEnd = process.cpuUsage();
  if (!outcome.ok) throw new Error(`synchronisation : ${outcome.error}`);
  const ms = (a: bigint, b: bigint) => Number(b - a) / 1e6;
  const pullAt = firstPull ?? end;
  const bodyAt = lastBody ?? pullAt;
  return {
    outcome,
    totalMs: ms(start, end),
    pushMs: ms(start, pullAt),
    pushCpuMs: cpuMs(cpuAtStart, cpuAtPull ?? cpuAtEnd),
    pagesMs: ms(pullAt, bodyAt),
    applyMs: ms(bodyAt, end),
    requests,
    bytes,
  };
}

interface Kid {
  id: string;
  siteId: string;
}

/**
 * Households from the demo generator with a complete file, each child enrolled in the canteen and in care on one
 * of the two schools, half on each so that no slot is full: the push measures the rules, not refusals.
 */
async function enrolChildren(srv: Awaited<ReturnType<typeof openServer>>) {
  const { call } = srv;
  const demo = await installDemoActivities(call);
  const next = createHouseholdGenerator(2_031);
  const kids: Kid[] = [];
  while (kids.length < PUSH_CHILDREN) {
    const { householdId } = await call('family.createHousehold', next());
    for (const doc of DEFAULT_REQUIRED_DOCUMENTS)
      await call('enrolment.checkDocument', {
        householdId,
        schoolYear: '2026-2027',
        item: doc.code,
        checked: true,
      });
    const children = await srv.store.db
      .selectFrom('children')
      .select('id')
      .where('household_id', '=', householdId)
      .orderBy('birth_date')
      .execute();
    for (const child of children) {
      if (kids.length === PUSH_CHILDREN) break;
      const siteId = kids.length % 2 === 0 ? demo.sites.jaures : demo.sites.curie;
      for (const a of [demo.canteen, demo.care])
        await call('enrolment.enrol', {
          childId: child.id,
          activityId: a.activityId,
          schoolYear: '2026-2027',
          siteId,
        });
      kids.push({ id: child.id, siteId });
    }
  }
  return { demo, kids };
}

type Demo = Awaited<ReturnType<typeof installDemoActivities>>;

/**
 * A counter's morning of the rentrée, round after round over the children as families come by: weeks of canteen,
 * weeks of evening care, and for half the children a meal of the first week cancelled.
 */
function counterCommands(
  demo: Demo,
  kids: Kid[],
): { name: 'booking.book' | 'booking.cancel'; input: unknown }[] {
  const out: { name: 'booking.book' | 'booking.cancel'; input: unknown }[] = [];
  const week = (monday: string) => ({
    kind: 'period' as const,
    from: monday,
    to: addDaysTo(monday, 4),
    weekdays: [1, 2, 4, 5],
  });
  const canteen = (kid: Kid, selection: unknown) => ({
    childId: kid.id,
    activityId: demo.canteen.activityId,
    siteId: kid.siteId,
    unitCodes: ['meal'],
    selection,
    origin: 'counter',
  });
  const care = (kid: Kid, monday: string) => ({
    childId: kid.id,
    activityId: demo.care.activityId,
    siteId: kid.siteId,
    unitCodes: ['evening'],
    selection: week(monday),
    origin: 'counter',
  });
  for (let round = 0; round < ROUNDS; round++) {
    kids.forEach((kid, i) => {
      if (round < 6) out.push({ name: 'booking.book', input: canteen(kid, week(WEEKS[round] as string)) });
      else if (round < 9) out.push({ name: 'booking.book', input: care(kid, WEEKS[round - 6] as string) });
      else if (i % 2 === 0)
        out.push({
          name: 'booking.cancel',
          input: canteen(kid, { kind: 'days', dates: ['2026-09-10'] }),
        });
      else out.push({ name: 'booking.book', input: care(kid, WEEKS[3] as string) });
    });
  }
  return out;
}

/**
 * sync.push_1000_ms: a counter makes 1,000 booking requests offline, then one `syncOnce` sends them to the server
 * (two requests of 500), which applies each request in one transaction, a savepoint per command, and pulls back
 * what it wrote. The figure is the push half (up to the first pull request); the whole round is printed. Each run
 * starts from copies of the same two files. Baseline: the rows the push left on the server (received commands, bookings, change feed, the
 * device's acknowledged seq) written by prepared INSERTs in one transaction into a copy of the store before it.
 */
async function pushBench(dir: string): Promise<{ ms: number; baselineMs: number }> {
  const build0 = now();
  const serverTemplate = join(dir, 'push-server.sqlite');
  const counterTemplate = join(dir, 'push-counter.sqlite');
  const srv = await openServer(serverTemplate);
  const { demo, kids } = await enrolChildren(srv);
  const device = await enrolDevice(srv.url, 'Guichet du banc');
  const counter = await openTestCore({ path: counterTemplate, clock });
  const first = await timedSync(counter, srv.url, device.credential);
  const commands = counterCommands(demo, kids);
  const offline0 = now();
  for (const c of commands) {
    const r = await counter.invoke(c.name, c.input);
    if (!r.ok) throw new Error(`${c.name} : ${r.error.message}`);
    if ((r.data as { accepted: unknown[] }).accepted.length === 0)
      throw new Error(`${c.name} : rien d'accepté`);
  }
  const offlineMs = msSince(offline0);
  await counter.close();
  await srv.close();
  const baseVersion = (() => {
    const raw = openSqlite(serverTemplate).raw;
    const v = raw.prepare('SELECT version FROM sync_meta WHERE id = 1').pluck().get() as number;
    raw.close();
    return v;
  })();
  console.log(
    `  push set-up: ${kids.length} children enrolled, counter's first pull ${first.outcome.pulled} rows;` +
      ` ${commands.length} commands made offline in ${(offlineMs / 1000).toFixed(1)} s;` +
      ` built in ${(msSince(build0) / 1000).toFixed(1)} s`,
  );

  const runs: TimedSync[] = [];
  let written: ServerRows | null = null;
  for (let i = 0; i < REPEAT; i++) {
    const serverPath = join(dir, `push-server-${i}.sqlite`);
    const counterPath = join(dir, `push-counter-${i}.sqlite`);
    copyFileSync(serverTemplate, serverPath);
    copyFileSync(counterTemplate, counterPath);
    const s = await openServer(serverPath);
    const c = await openTestCore({ path: counterPath, clock });
    const t = await timedSync(c, s.url, device.credential);
    runs.push(t);
    if (t.outcome.pushed !== commands.length)
      throw new Error(`${t.outcome.pushed} commandes envoyées sur ${commands.length}`);
    const serverBookings = await s.store.db
      .selectFrom('bookings')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const counterBookings = c.raw.prepare('SELECT count(*) FROM bookings').pluck().get() as number;
    if (Number(serverBookings.n) !== counterBookings)
      throw new Error(`serveur ${serverBookings.n} réservations, guichet ${counterBookings}`);
    await c.close();
    await s.close();
    written ??= readWrittenRows(serverPath, device.deviceId, baseVersion);
  }
  const rows = written as ServerRows;
  const applied = rows.received.filter((r) => r.status === 'applied' && r.refused === null).length;
  if (applied !== commands.length) throw new Error(`${applied} commandes appliquées sans refus`);

  const baselines: number[] = [];
  for (let i = 0; i < REPEAT; i++) {
    const path = join(dir, `push-baseline-${i}.sqlite`);
    copyFileSync(serverTemplate, path);
    baselines.push(insertWrittenRows(path, rows, device.deviceId));
  }
  const pick = (k: keyof TimedSync) => runs.map((r) => r[k] as number);
  const last = runs.at(-1) as TimedSync;
  console.log(
    `  push: ${list(pick('pushMs'))} ms for ${commands.length} commands in ${last.requests.push} requests` +
      ` (${rows.bookings.length} bookings, ${rows.changes.length} feed rows, ${rows.received.length} received commands);` +
      ` raw INSERTs of the same rows ${list(baselines, 1)} ms; CPU time of the push ${list(pick('pushCpuMs'))} ms`,
  );
  console.log(
    `  whole syncOnce: ${list(pick('totalMs'))} ms; its pull: ${list(pick('pagesMs'))} ms for ${last.outcome.pulled} rows` +
      ` in ${last.requests.pull} pages, then rebase ${list(pick('applyMs'))} ms`,
  );
  return { ms: median(pick('pushMs')), baselineMs: median(baselines) };
}

type Row = Record<string, unknown>;
interface ServerRows {
  received: Row[];
  changes: Row[];
  bookings: Row[];
  lastSeq: number;
}

/** What a push left on the server: its device's received commands, the change feed past `since` and its rows. */
function readWrittenRows(path: string, deviceId: string, since: number): ServerRows {
  const raw = openSqlite(path).raw;
  try {
    const changes = raw
      .prepare('SELECT tbl, row_key, version FROM sync_changes WHERE version > ? ORDER BY version')
      .all(since) as Row[];
    const other = changes.find((c) => c.tbl !== 'bookings');
    if (other) throw new Error(`le banc n'attend que des réservations, pas « ${String(other.tbl)} »`);
    return {
      received: raw
        .prepare('SELECT * FROM received_commands WHERE device_id = ? ORDER BY seq')
        .all(deviceId) as Row[],
      changes,
      bookings: raw
        .prepare(
          `SELECT b.* FROM bookings b JOIN sync_changes c ON c.tbl = 'bookings' AND c.row_key = json_array(b.id)
           WHERE c.version > ? ORDER BY c.version`,
        )
        .all(since) as Row[],
      lastSeq: raw.prepare('SELECT last_seq FROM devices WHERE id = ?').pluck().get(deviceId) as number,
    };
  } finally {
    raw.close();
  }
}

const insertSql = (table: string, row: Row, verb = 'INSERT') => {
  const cols = Object.keys(row);
  return `${verb} INTO ${table} (${cols.join(', ')}) VALUES (${cols.map((c) => `@${c}`).join(', ')})`;
};

/** The push's rows by bare prepared statements, the feed triggers dropped since the feed rows are written too. */
function insertWrittenRows(path: string, rows: ServerRows, deviceId: string): number {
  const raw = openSqlite(path).raw;
  try {
    const triggers = raw
      .prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'sync_feed_%'")
      .pluck()
      .all() as string[];
    for (const t of triggers) raw.exec(`DROP TRIGGER ${t}`);
    const received = raw.prepare(insertSql('received_commands', rows.received[0] as Row));
    const booking = raw.prepare(insertSql('bookings', rows.bookings[0] as Row));
    const change = raw.prepare(insertSql('sync_changes', rows.changes[0] as Row));
    const device = raw.prepare('UPDATE devices SET last_seq = ?, last_seen_at = ? WHERE id = ?');
    const start = now();
    raw.transaction(() => {
      for (const r of rows.received) received.run(r);
      for (const r of rows.bookings) booking.run(r);
      for (const r of rows.changes) change.run(r);
      device.run(rows.lastSeq, clock().toISOString(), deviceId);
    })();
    return msSince(start);
  } finally {
    raw.close();
  }
}

/**
 * sync.initial_pull_town_m_s: town M (billing's builder, run through the server's administration, its month of
 * bookings spread over versions as commands would have written them), then a fresh counter enrolled and synced
 * once, paging the whole town and applying it. Baseline: the same rows copied into a fresh counter file by
 * prepared INSERTs in one transaction (rows already read; the read is printed apart).
 */
async function pullBench(dir: string): Promise<{ s: number; baselineS: number }> {
  const serverPath = join(dir, 'town-m-server.sqlite');
  const srv = await openServer(serverPath);
  // A second connection to the same file for the bulk bookings: the server's own is behind Kysely.
  const raw = openSqlite(serverPath).raw;
  try {
    await buildTownM(srv.call, raw);
    const versions = spreadBookingVersions(raw);
    const read0 = now();
    const tables = serverRows(raw);
    const readMs = msSince(read0);
    const total = tables.reduce((s, t) => s + t.rows.length, 0);
    const bookings = tables.find((t) => t.name === 'bookings')?.rows.length ?? 0;
    console.log(
      `  town M on the server: ${total} synced rows, ${versions} versions; read back in ${readMs.toFixed(0)} ms`,
    );

    const runs: TimedSync[] = [];
    for (let i = 0; i < REPEAT; i++) {
      const device = await enrolDevice(srv.url, `Guichet neuf ${i + 1}`);
      const core = await openTestCore({ path: join(dir, `pull-counter-${i}.sqlite`), clock });
      const t = await timedSync(core, srv.url, device.credential);
      runs.push(t);
      const local = core.raw.prepare('SELECT count(*) FROM bookings').pluck().get() as number;
      await core.close();
      if (t.outcome.pulled !== total || local !== bookings)
        throw new Error(
          `reçu ${t.outcome.pulled} lignes sur ${total}, ${local} réservations sur ${bookings}`,
        );
    }
    const baselines: number[] = [];
    for (let i = 0; i < REPEAT; i++) {
      const core = await openTestCore({ path: join(dir, `pull-baseline-${i}.sqlite`), clock });
      baselines.push(copyRows(core.raw, tables));
      const local = core.raw.prepare('SELECT count(*) FROM bookings').pluck().get() as number;
      await core.close();
      if (local !== bookings) throw new Error(`copie : ${local} réservations sur ${bookings}`);
    }
    const pick = (k: keyof TimedSync) => runs.map((r) => (r[k] as number) / 1000);
    const last = runs.at(-1) as TimedSync;
    console.log(
      `  initial pull: ${list(pick('totalMs'), 1)} s — pages ${list(pick('pagesMs'), 1)} s` +
        ` (${last.requests.pull} requests, ${(last.bytes / 1e6).toFixed(0)} MB of JSON), rebase ${list(pick('applyMs'), 1)} s;` +
        ` raw INSERTs ${list(baselines, 2)} s`,
    );
    return { s: median(pick('totalMs')), baselineS: median(baselines) };
  } finally {
    raw.close();
    await srv.close();
  }
}

/**
 * The builder inserts the month's bookings in one transaction, so the change feed holds them at one version, and a
 * pull cannot split a version: one page of 70,000 rows. On a real server they arrive command by command; the feed
 * is given that shape, a version per few weeks of one child's activity.
 */
export function spreadBookingVersions(raw: Raw): number {
  raw.transaction(() => {
    const v = raw
      .prepare("SELECT max(version) FROM sync_changes WHERE tbl <> 'bookings'")
      .pluck()
      .get() as number;
    const first = raw
      .prepare("SELECT min(rowid) FROM sync_changes WHERE tbl = 'bookings'")
      .pluck()
      .get() as number;
    raw
      .prepare(
        "UPDATE sync_changes SET version = ? + 1 + CAST((rowid - ?) / ? AS INTEGER) WHERE tbl = 'bookings'",
      )
      .run(v, first, BOOKINGS_PER_VERSION);
    raw.prepare('UPDATE sync_meta SET version = (SELECT max(version) FROM sync_changes) WHERE id = 1').run();
  })();
  return raw.prepare('SELECT version FROM sync_meta WHERE id = 1').pluck().get() as number;
}

/** Every row a counter receives, table by table in the feed's parent-first order, local settings left out. */
function serverRows(raw: Raw): { name: string; rows: Row[] }[] {
  return SYNC_TABLES.map((t) => ({
    name: t.name,
    rows: (raw.prepare(`SELECT * FROM ${t.name}`).all() as Row[]).filter(
      (r) => t.name !== 'settings' || !LOCAL_SETTING_PREFIXES.some((p) => String(r.key).startsWith(p)),
    ),
  }));
}

/** Seconds to write the rows with one prepared INSERT per table, in one transaction, as the client's upsert does. */
function copyRows(raw: Raw, tables: { name: string; rows: Row[] }[]): number {
  const statements = tables
    .filter((t) => t.rows.length > 0)
    .map((t) => ({ t, stmt: raw.prepare(insertSql(t.name, t.rows[0] as Row, 'INSERT OR REPLACE')) }));
  const start = now();
  raw.transaction(() => {
    raw.pragma('defer_foreign_keys = ON');
    for (const { t, stmt } of statements) for (const r of t.rows) stmt.run(r);
  })();
  return msSince(start) / 1000;
}
