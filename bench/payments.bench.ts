import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import type { Core } from '../core/app.ts';
import { createHouseholdGenerator } from '../core/demo/generate.ts';
import { chainHash, GENESIS_HASH } from '../core/journal/canonical.ts';
import { draftLine, issueTestInvoice } from '../core/payments/fixtures.ts';
import { entryPayload, loadEvents } from '../core/journal/journal.ts';
import { openTestCore } from '../core/test/fixtures.ts';
import {
  formatSummary,
  msSince,
  now,
  percentile,
  result,
  summarize,
  timePaired,
  type BenchResult,
} from './stats.ts';

/** Households with open invoices, and payments taken at the counter one after the other. */
const HOUSEHOLDS = 200;
const INVOICES_EACH = 5;
const PAYMENTS = 1_200;
const WARMUP = 200;
const JOURNAL_ENTRIES = 100_000;
const VERIFY_RUNS = 3;
/** A busy day at every counter of the town: the entries the routine check reads after the checkpoint. */
const DAY_ENTRIES = 1_000;

const clock = () => new Date('2026-10-05T09:00:00+02:00');

export async function run(): Promise<BenchResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'gf-bench-payments-'));
  try {
    const record = await recordBench(join(dir, 'counter.sqlite'));
    const verify = await verifyBench(join(dir, 'journal.sqlite'));
    return [
      result('payment.record_ms', record.ms, 'ms', record.baselineMs),
      result('payment.record_p99_ms', record.p99Ms, 'ms', record.baselineP99Ms),
      result('journal.verify_100k_ms', verify.ms, 'ms', verify.baselineMs),
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function call(core: Core, name: string, input: unknown): Promise<unknown> {
  const r = await core.invoke(name, input);
  if (!r.ok) throw new Error(`${name} : ${r.error.message}`);
  return r.data;
}

/**
 * `payment.record` through the whole contract (validation, permission, transaction, settings, till, allocation
 * oldest first, receipt number, rows, journal entry read back and hashed, command log), for a cash payment of
 * 12,34 € on a family with five open invoices. Baseline: the same rows written by bare prepared INSERTs in one
 * transaction (series, payment, receipt, allocation, journal entry with a precomputed hash, command log).
 * `payment.record_ms` is the median, `payment.record_p99_ms` the 99th percentile: the payment an agent waits for
 * once or twice a morning.
 */
async function recordBench(
  path: string,
): Promise<{ ms: number; baselineMs: number; p99Ms: number; baselineP99Ms: number }> {
  const core = await openTestCore({ path, clock });
  const generate = createHouseholdGenerator(50_005);
  const households: string[] = [];
  const actor = { agentId: 'bench', agentName: 'Banc', deviceId: core.deviceId };
  while (households.length < HOUSEHOLDS) {
    const { householdId } = (await call(core, 'family.createHousehold', generate())) as {
      householdId: string;
    };
    households.push(householdId);
  }
  await core.db.transaction().execute(async (trx) => {
    for (const h of households)
      for (let i = 0; i < INVOICES_EACH; i++)
        await issueTestInvoice(trx, h, [draftLine('canteen', 220, 15), draftLine('care', 210, 8)], {
          actor,
          now: clock(),
          issueDate: '2026-10-02',
        });
  });
  await call(core, 'regie.openSession', { floatCents: 10_000 });

  const raw = core.raw;
  const invoiceOf = raw.prepare('SELECT id FROM invoices WHERE household_id = ? LIMIT 1').pluck();
  const session = raw.prepare('SELECT id FROM cash_sessions').pluck().get() as string;
  const stmts = {
    series: raw.prepare(
      "INSERT INTO series (code, year, kind, label, prefix, next_number) VALUES ('RAW', 2026, 'receipt', 'raw', 'RAW-', 1) ON CONFLICT (code, year) DO UPDATE SET next_number = next_number + 1 RETURNING next_number",
    ),
    payment: raw.prepare(
      `INSERT INTO payments (id, household_id, mode, amount_cents, received_at, date, session_id, household_name, payer_name,
         note, agent_id, agent_name, device_id) VALUES (?, ?, 'cash', 1234, ?, '2026-10-05', ?, 'Foyer', 'Payeur', '', 'a', 'A', 'd')`,
    ),
    receipt: raw.prepare(
      "INSERT INTO receipts (id, payment_id, number, series_code, series_year, seq, issue_date) VALUES (?, ?, ?, 'RAW', 2026, ?, '2026-10-05')",
    ),
    allocation: raw.prepare(
      `INSERT INTO allocations (id, event_kind, event_id, position, household_id, invoice_id, payment_id, amount_cents,
         undoes_id, created_at, date) VALUES (?, 'payment', ?, 1, ?, ?, ?, 1234, NULL, ?, '2026-10-05')`,
    ),
    journal: raw.prepare(
      "INSERT INTO journal (seq, at, kind, ref_id, payload, prev_hash, hash) VALUES ((SELECT coalesce(max(seq), 0) + 1 FROM journal), ?, 'raw', ?, ?, ?, ?)",
    ),
    log: raw.prepare(
      "INSERT INTO command_log (id, name, input, agent_id, device_id, at) VALUES (?, 'raw', ?, 'a', 'd', ?)",
    ),
  };
  const payload = '{"raw":true}';
  const hash = chainHash(GENESIS_HASH, payload);
  const bare = raw.transaction((householdId: string) => {
    const id = uuidv7();
    const at = new Date().toISOString();
    const seq = (stmts.series.get() as { next_number: number }).next_number;
    stmts.payment.run(id, householdId, at, session);
    stmts.receipt.run(uuidv7(), id, `RAW-${seq}`, seq);
    stmts.allocation.run(uuidv7(), id, householdId, invoiceOf.get(householdId), id, at);
    stmts.journal.run(at, id, payload, GENESIS_HASH, hash);
    stmts.log.run(uuidv7(), '{"householdId":"x","mode":"cash","amountCents":1234}', at);
  });

  const items = Array.from({ length: PAYMENTS }, (_, i) => households[i % HOUSEHOLDS] as string);
  let receipts = 0;
  // CPU time of each payment beside its wall time: on a machine shared with others, a wall-time tail the CPU time
  // does not have is the machine taking the CPU away, not the app.
  const cpuMs: number[] = [];
  const times = await timePaired(
    items,
    async (householdId) => {
      const cpu0 = process.cpuUsage();
      const r = (await call(core, 'payment.record', { householdId, mode: 'cash', amountCents: 1234 })) as {
        allocations: unknown[];
      };
      const cpu = process.cpuUsage(cpu0);
      cpuMs.push((cpu.user + cpu.system) / 1000);
      if (r.allocations.length === 0) throw new Error('paiement sans affectation');
      receipts += 1;
    },
    (householdId) => bare(householdId),
    // The agent's payments come seconds apart, each in its own message from the window: the core's timers (its
    // idle WAL checkpoint) run between them.
    { warmup: WARMUP, repeat: 1, between: () => new Promise((resolve) => setImmediate(resolve)) },
  );
  const app = summarize(times.a);
  const base = summarize(times.b);
  const load = loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
  console.log(`  payment.record: ${formatSummary(app)} (load ${load})`);
  console.log(`  raw inserts:    ${formatSummary(base)}`);
  console.log(`  payment.record CPU time: ${formatSummary(summarize(cpuMs.slice(WARMUP)))}`);
  const rows = raw.prepare('SELECT count(*) FROM journal').pluck().get() as number;
  console.log(`  ${receipts} payments recorded, journal ${rows} entries`);
  await core.close();
  return {
    ms: app.p50,
    baselineMs: base.p50,
    p99Ms: app.p99,
    baselineP99Ms: base.p99,
  };
}

/**
 * A counter's file whose régie journal holds 100,000 payment entries, its administrator (TEST_PASSWORD) created:
 * payments and receipts by bare INSERTs, then their entries computed from the rows as the app computes them.
 */
export async function buildJournalFile(path: string): Promise<void> {
  const core = await openTestCore({ path, clock });
  const { householdId } = (await call(core, 'family.createHousehold', createHouseholdGenerator(7)())) as {
    householdId: string;
  };
  await journalPayments(core, householdId, JOURNAL_ENTRIES);
  await core.close();
}

/** `count` online payments after those already there, each with its receipt, family credit and journal entry. */
async function journalPayments(core: Core, householdId: string, count: number): Promise<void> {
  const raw = core.raw;
  const at = clock().toISOString();
  const ids: string[] = [];
  const before = raw
    .prepare("SELECT coalesce(max(seq), 0) FROM receipts WHERE series_code = 'REC-B'")
    .pluck();
  const from = (before.get() as number) + 1;
  raw.transaction(() => {
    const payment = raw.prepare(
      `INSERT INTO payments (id, household_id, mode, amount_cents, received_at, date, session_id, household_name, payer_name,
         online_reference, note, agent_id, agent_name, device_id)
       VALUES (?, ?, 'online', ?, ?, '2026-10-05', NULL, 'Foyer', 'Payeur', ?, '', 'a', 'A', 'd')`,
    );
    const receipt = raw.prepare(
      "INSERT INTO receipts (id, payment_id, number, series_code, series_year, seq, issue_date) VALUES (?, ?, ?, 'REC-B', 2026, ?, '2026-10-05')",
    );
    const credit = raw.prepare(
      "INSERT INTO family_credit (id, event_kind, event_id, household_id, amount_cents, created_at, date) VALUES (?, 'payment', ?, ?, ?, ?, '2026-10-05')",
    );
    for (let i = from; i < from + count; i++) {
      const id = uuidv7();
      ids.push(id);
      const cents = 100 + (i % 5000);
      payment.run(id, householdId, cents, at, `PAYFIP-${i}`);
      receipt.run(uuidv7(), id, `REC-B-2026-${String(i).padStart(6, '0')}`, i);
      credit.run(uuidv7(), id, householdId, cents, at);
    }
    raw
      .prepare(
        `INSERT INTO series (code, year, kind, label, prefix, next_number) VALUES ('REC-B', 2026, 'receipt', 'bench', 'REC-B-2026-', ?)
         ON CONFLICT (code, year) DO UPDATE SET next_number = excluded.next_number`,
      )
      .run(from + count);
  })();
  const data = await loadEvents(core.db, 'payment', ids);
  raw.transaction(() => {
    const insert = raw.prepare(
      "INSERT INTO journal (seq, at, kind, ref_id, payload, prev_hash, hash) VALUES (?, ?, 'payment', ?, ?, ?, ?)",
    );
    const last = raw.prepare('SELECT seq, hash FROM journal ORDER BY seq DESC LIMIT 1').get() as
      { seq: number; hash: string } | undefined;
    let seq = last?.seq ?? 0;
    let prev = last?.hash ?? GENESIS_HASH;
    for (const id of ids) {
      seq += 1;
      const payload = entryPayload(seq, at, 'payment', id, data.get(id));
      const hash = chainHash(prev, payload);
      insert.run(seq, at, id, payload, prev, hash);
      prev = hash;
    }
  })();
}

type Report = { ok: boolean; entries: number; since: number };

/**
 * `regie.verifyJournal` through the contract on a journal of 100,000 payment entries, as the régisseur runs it
 * routinely: checked in full once (which leaves a checkpoint), then a day's payments written, then the routine
 * check — the checkpoint and its chain checked, the day's entries read and compared with their rows, every table
 * searched for an event without entry, every series' numbering checked. Each routine run is rolled back to a
 * savepoint, so each one finds the same day to read. Baseline: sha256 over the bytes of the whole journal
 * (previous hash + payload), nothing else. The full check is timed and printed beside it.
 */
async function verifyBench(path: string): Promise<{ ms: number; baselineMs: number }> {
  const build0 = now();
  await buildJournalFile(path);
  console.log(`  journal of ${JOURNAL_ENTRIES} entries built in ${(msSince(build0) / 1000).toFixed(1)} s`);
  const core = await openTestCore({ path, clock });
  const raw = core.raw;
  const entries = raw.prepare('SELECT prev_hash, payload FROM journal ORDER BY seq').all() as {
    prev_hash: string;
    payload: string;
  }[];
  const bytes = entries.reduce((s, e) => s + e.prev_hash.length + e.payload.length, 0);
  const hashAll = () => {
    const b0 = now();
    let h = '';
    for (const e of entries) h = createHash('sha256').update(e.prev_hash).update(e.payload).digest('hex');
    if (h.length !== 64) throw new Error('hash');
    return msSince(b0);
  };
  const verify = async (input: { full?: boolean }, expected: number): Promise<number> => {
    const t0 = now();
    const report = (await call(core, 'regie.verifyJournal', input)) as Report;
    const ms = msSince(t0);
    if (!report.ok || report.entries !== expected) throw new Error(`journal : ${JSON.stringify(report)}`);
    return ms;
  };
  const fulls: number[] = [];
  const runs: number[] = [];
  const bases: number[] = [];
  for (let r = 0; r < VERIFY_RUNS; r++) {
    fulls.push(await verify({ full: true }, JOURNAL_ENTRIES));
    bases.push(hashAll());
  }
  const { householdId } = raw.prepare('SELECT id AS householdId FROM households LIMIT 1').get() as {
    householdId: string;
  };
  await journalPayments(core, householdId, DAY_ENTRIES);
  for (let r = 0; r < VERIFY_RUNS; r++) {
    raw.exec('SAVEPOINT routine');
    try {
      runs.push(await verify({}, DAY_ENTRIES));
    } finally {
      raw.exec('ROLLBACK TO routine');
      raw.exec('RELEASE routine');
    }
    bases.push(hashAll());
  }
  const load = () =>
    loadavg()
      .map((l) => l.toFixed(2))
      .join(' ');
  console.log(
    `  routine check (${DAY_ENTRIES} entries since the checkpoint at ${JOURNAL_ENTRIES}): ${runs.map((x) => x.toFixed(0)).join(' / ')} ms (load ${load()})`,
  );
  console.log(
    `  full check of ${JOURNAL_ENTRIES} entries: ${fulls.map((x) => x.toFixed(0)).join(' / ')} ms; bare sha256 of the same ${(bytes / 1e6).toFixed(1)} MB: ${bases.map((x) => x.toFixed(0)).join(' / ')} ms (load ${load()})`,
  );
  await core.close();
  return { ms: percentile(runs, 50), baselineMs: percentile(bases, 50) };
}
