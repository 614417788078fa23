import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../api/envelope.ts';
import type { Actor } from '../api/operation.ts';
import { issueCreditNote } from '../billing/credit-notes.ts';
import type { Core } from '../app.ts';
import { LEFEVRE, testCore } from '../test/fixtures.ts';
import { draftLine, issueTestInvoice, type ActivityKey } from './fixtures.ts';
import { verifyJournal } from '../journal/journal.ts';
import { familyBalance, openInvoices } from '../billing/ledger.ts';
import { invoicesWithBalance } from '../billing/balance.ts';
import type { Statement } from 'better-sqlite3';
import { recordPayment, reversePayment, useCredit } from './payments.ts';
import { closeSession } from '../regie/session.ts';

/**
 * Random sequences of invoices, payments (oldest first or allocated by hand), uses of credit, reversals and credit
 * notes, for two households, after which the ledger must hold: for each family due = invoices − credit notes −
 * allocations and credit = payments − reversals − allocations ≥ 0, no invoice paid beyond what remains, no payment
 * giving more than its amount, receipts numbered 1…n, and the journal checks out. Then the journal is tampered with.
 *
 * Thousands of short sequences on one in-memory core: each runs inside a SAVEPOINT rolled back afterwards (each
 * operation in a nested one, as the dispatcher's transaction would), calling the domain functions the commands call.
 * The dispatcher cannot run inside a savepoint (it opens its own transaction), so the command layer itself is
 * exercised by longer sequences through `core.invoke`, each on a fresh core.
 */

/**
 * 10,000 sequences, the issue's figure: 21–27 s on this 2-core machine. `GF_PAYMENT_SEQUENCES=300` runs a quick
 * subset while working on the payments code.
 */
const SEQUENCES = Number(process.env.GF_PAYMENT_SEQUENCES ?? 10_000);
const START = new Date('2026-10-05T07:00:00Z');

type Op =
  | { kind: 'invoice'; h: number; lines: { activity: ActivityKey; price: number; qty: number }[] }
  | {
      kind: 'pay';
      h: number;
      mode: 'cash' | 'cheque' | 'card' | 'online';
      amount: number;
      how: 'oldest' | 'newest' | 'credit';
    }
  | { kind: 'useCredit'; h: number }
  | { kind: 'reverse'; i: number }
  | { kind: 'creditNote'; i: number; partial: boolean };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('invoice' as const),
      h: fc.nat(1),
      lines: fc.array(
        fc.record({
          activity: fc.constantFrom<ActivityKey>('canteen', 'care', 'alsh'),
          price: fc.integer({ min: 1, max: 6000 }),
          qty: fc.integer({ min: 1, max: 4 }),
        }),
        { minLength: 1, maxLength: 3 },
      ),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('pay' as const),
      h: fc.nat(1),
      mode: fc.constantFrom('cash' as const, 'cheque' as const, 'card' as const, 'online' as const),
      amount: fc.integer({ min: 1, max: 29_999 }),
      how: fc.constantFrom('oldest' as const, 'oldest' as const, 'newest' as const, 'credit' as const),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('useCredit' as const), h: fc.nat(1) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('reverse' as const), i: fc.nat(20) }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('creditNote' as const), i: fc.nat(20), partial: fc.boolean() }),
  },
);

let serial = 0;
const newId = () => `00000000-0000-7000-8000-${(serial++).toString(16).padStart(12, '0')}`;

interface World {
  core: Core;
  households: string[];
  actor: Actor;
  violations: Statement;
}

async function world(): Promise<World> {
  const t = await testCore(() => START);
  const households = [];
  for (const name of ['Lefèvre', 'Martin'])
    households.push((await t.call('family.createHousehold', { ...LEFEVRE, name })).householdId);
  await t.call('regie.openSession', { floatCents: 0 });
  const status = await t.call('auth.status', {});
  return {
    core: t.core,
    households,
    actor: { agentId: 'admin', agentName: status.agent?.name ?? '', deviceId: t.core.deviceId },
    violations: t.core.raw.prepare(VIOLATIONS),
  };
}

/** Runs `fn` as one transaction would: all or nothing. A refusal (DomainError) is a normal outcome. */
async function atomically(w: World, fn: () => Promise<unknown>): Promise<boolean> {
  w.core.raw.exec('SAVEPOINT op');
  try {
    await fn();
    w.core.raw.exec('RELEASE op');
    return true;
  } catch (e) {
    w.core.raw.exec('ROLLBACK TO op');
    w.core.raw.exec('RELEASE op');
    if (e instanceof DomainError) return false;
    throw e;
  }
}

async function apply(w: World, ops: readonly Op[]): Promise<void> {
  const db = w.core.db;
  const invoices: string[] = [];
  const payments: string[] = [];
  let now = START;
  for (const op of ops) {
    now = new Date(now.getTime() + 1000);
    const ctx = { actor: w.actor, now, newId, timeZone: 'Europe/Paris' as const };
    const household = 'h' in op ? (w.households[op.h] as string) : '';
    await atomically(w, async () => {
      switch (op.kind) {
        case 'invoice': {
          const lines = op.lines.map((l) => draftLine(l.activity, l.price, l.qty));
          const inv = await issueTestInvoice(db, household, lines, { ...ctx, issueDate: '2026-10-05' });
          invoices.push(inv.invoiceId);
          return;
        }
        case 'pay': {
          let allocations: { invoiceId: string; amountCents: number }[] | undefined;
          if (op.how === 'credit') allocations = [];
          if (op.how === 'newest') {
            // An allocation edited by hand: the newest invoices first, as far as the amount goes.
            allocations = [];
            let left = op.amount;
            for (const inv of (await openInvoices(db, household)).reverse()) {
              const take = Math.min(left, inv.remainingCents);
              if (take > 0) allocations.push({ invoiceId: inv.id, amountCents: take });
              left -= take;
            }
          }
          const paymentId = newId();
          await recordPayment(
            db,
            {
              paymentId,
              householdId: household,
              mode: op.mode,
              amountCents: op.amount,
              cheque:
                op.mode === 'cheque'
                  ? { number: '1234567', bank: 'Banque', drawer: 'Tireur', date: null }
                  : undefined,
              card:
                op.mode === 'card' ? { authorisation: 'A1B2C3', transaction: null, last4: null } : undefined,
              online: op.mode === 'online' ? { reference: 'PAYFIP-1' } : undefined,
              note: '',
              allocations,
              override: null,
            },
            ctx,
          );
          payments.push(paymentId);
          return;
        }
        case 'useCredit':
          await useCredit(db, { creditUseId: newId(), householdId: household }, ctx);
          return;
        case 'reverse': {
          const paymentId = payments[op.i % Math.max(1, payments.length)];
          if (paymentId) await reversePayment(db, { reversalId: newId(), paymentId, reason: 'Erreur' }, ctx);
          return;
        }
        case 'creditNote': {
          const invoiceId = invoices[op.i % Math.max(1, invoices.length)];
          if (!invoiceId) return;
          let lines: 'whole' | { invoiceLineId: string; amountCents: number }[] = 'whole';
          if (op.partial) {
            const line = await sql<{
              id: string;
              left: number;
            }>`SELECT l.id, l.amount_cents - coalesce((SELECT sum(c.amount_cents) FROM credit_note_lines c WHERE c.invoice_line_id = l.id), 0) AS left
              FROM invoice_lines l WHERE l.invoice_id = ${invoiceId} ORDER BY l.position`.execute(db);
            const open = line.rows.find((l) => l.left > 0);
            if (!open) return;
            lines = [{ invoiceLineId: open.id, amountCents: Math.ceil(open.left / 2) }];
          }
          await issueCreditNote(
            db,
            { creditNoteId: newId(), invoiceId, reason: 'Erreur matérielle', lines },
            ctx,
          );
          return;
        }
      }
    });
  }
}

/** Violations of the ledger's rules, counted in one statement (prepared once per core). */
const VIOLATIONS = `SELECT
  (SELECT count(*) FROM households h WHERE
     (SELECT coalesce(sum(amount_cents), 0) FROM family_credit WHERE household_id = h.id) <> 
       (SELECT coalesce(sum(amount_cents), 0) FROM payments WHERE household_id = h.id)
       - (SELECT coalesce(sum(amount_cents), 0) FROM payment_reversals WHERE household_id = h.id)
       - (SELECT coalesce(sum(amount_cents), 0) FROM allocations WHERE household_id = h.id)
     OR (SELECT coalesce(sum(amount_cents), 0) FROM family_credit WHERE household_id = h.id) < 0) AS badCredit,
  (SELECT count(*) FROM invoices i WHERE
     i.total_cents - coalesce((SELECT sum(total_cents) FROM credit_notes c WHERE c.invoice_id = i.id), 0)
       - coalesce((SELECT sum(amount_cents) FROM allocations a WHERE a.invoice_id = i.id), 0) < 0
     OR coalesce((SELECT sum(amount_cents) FROM allocations a WHERE a.invoice_id = i.id), 0) < 0) AS badInvoices,
  (SELECT count(*) FROM payments p WHERE
     coalesce((SELECT sum(amount_cents) FROM allocations a WHERE a.payment_id = p.id), 0) NOT BETWEEN 0 AND p.amount_cents
     OR (EXISTS (SELECT 1 FROM payment_reversals r WHERE r.payment_id = p.id)
         AND coalesce((SELECT sum(amount_cents) FROM allocations a WHERE a.payment_id = p.id), 0) <> 0)) AS badPayments,
  (SELECT count(*) FROM allocations a WHERE a.amount_cents > 0
     AND a.amount_cents + coalesce((SELECT sum(u.amount_cents) FROM allocations u WHERE u.undoes_id = a.id), 0) < 0) AS badUndo,
  (SELECT count(*) FROM receipts) AS receipts,
  (SELECT count(DISTINCT seq) FROM receipts) AS distinctSeqs,
  (SELECT coalesce(min(seq), 1) FROM receipts) AS minSeq,
  (SELECT coalesce(max(seq), 0) FROM receipts) AS maxSeq,
  (SELECT coalesce(max(next_number), 1) FROM series WHERE kind = 'receipt') AS nextSeq`;

/**
 * The ledger's rules after a sequence: for each family credit = payments − reversals − allocations ≥ 0 (each from
 * its own table), and due = invoices − credit notes − allocations equal to what billing says remains on its
 * invoices; no invoice paid beyond what remains, no payment allocating more than its amount (none at all once
 * reversed), no allocation undone below zero; receipts numbered 1…n with the series at n + 1; the journal checks out.
 */
async function checkInvariants(w: World): Promise<void> {
  const v = w.violations.get() as Record<string, number>;
  expect({
    ...v,
    receipts: undefined,
    distinctSeqs: undefined,
    minSeq: undefined,
    maxSeq: undefined,
    nextSeq: undefined,
  }).toEqual({
    badCredit: 0,
    badInvoices: 0,
    badPayments: 0,
    badUndo: 0,
  });
  expect([v.distinctSeqs, v.minSeq, v.maxSeq, v.nextSeq]).toEqual([
    v.receipts,
    1,
    v.receipts,
    v.receipts! + 1,
  ]);
  for (const h of w.households) {
    const [b, invoices] = await Promise.all([
      familyBalance(w.core.db, h),
      invoicesWithBalance(w.core.db, { householdId: h }),
    ]);
    expect(b.dueCents).toBe(b.invoicedCents - b.creditNotesCents - b.allocatedCents);
    expect(b.dueCents).toBe(invoices.reduce((s, i) => s + i.remainingCents, 0));
  }
  const report = await verifyJournal(w.core.db);
  expect(report.problems).toEqual([]);
}

describe('payments under random sequences', () => {
  it(`keeps balances consistent, receipts gap-free and the journal valid over ${SEQUENCES} sequences`, async () => {
    const w = await world();
    let ops = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 5 }), async (sequence) => {
        ops += sequence.length;
        w.core.raw.exec('SAVEPOINT sequence');
        try {
          await apply(w, sequence);
          await checkInvariants(w);
        } finally {
          w.core.raw.exec('ROLLBACK TO sequence');
          w.core.raw.exec('RELEASE sequence');
        }
      }),
      { numRuns: SEQUENCES },
    );
    expect(ops).toBeGreaterThan(SEQUENCES * 2);
  }, 120_000);
});

/** The same kinds of operations through the contract, as the counter sends them: validation, commands, log. */
async function applyThroughContract(ops: readonly Op[]): Promise<World> {
  const t = await testCore(() => START);
  const households: string[] = [];
  for (const name of ['Lefèvre', 'Martin'])
    households.push((await t.call('family.createHousehold', { ...LEFEVRE, name })).householdId);
  await t.call('regie.openSession', { floatCents: 0 });
  const actor: Actor = { agentId: 'admin', agentName: 'Administrateur', deviceId: t.core.deviceId };
  const invoices: string[] = [];
  const payments: string[] = [];
  for (const op of ops) {
    const household = 'h' in op ? (households[op.h] as string) : '';
    if (op.kind === 'invoice') {
      const lines = op.lines.map((l) => draftLine(l.activity, l.price, l.qty));
      const inv = await t.core.db
        .transaction()
        .execute((trx) =>
          issueTestInvoice(trx, household, lines, { actor, now: START, issueDate: '2026-10-05' }),
        );
      invoices.push(inv.invoiceId);
    } else if (op.kind === 'pay') {
      let allocations: { invoiceId: string; amountCents: number }[] | undefined;
      if (op.how === 'credit') allocations = [];
      if (op.how === 'newest') {
        const proposal = await t.call('payment.proposeAllocation', {
          householdId: household,
          amountCents: op.amount,
        });
        allocations = [];
        let left = op.amount;
        for (const inv of proposal.openInvoices.reverse()) {
          const take = Math.min(left, inv.remainingCents);
          if (take > 0) allocations.push({ invoiceId: inv.invoiceId, amountCents: take });
          left -= take;
        }
      }
      const details = {
        cash: {},
        cheque: {
          cheque: { number: '1234567', bank: 'Banque', drawer: 'Tireur', payeeChecked: true as const },
        },
        card: { card: { authorisation: 'A1B2C3' } },
        online: { online: { reference: 'PAYFIP-1' } },
      }[op.mode];
      const r = await t.call('payment.record', {
        householdId: household,
        mode: op.mode,
        amountCents: op.amount,
        ...details,
        ...(allocations ? { allocations } : {}),
      });
      payments.push(r.paymentId);
    } else if (op.kind === 'useCredit') {
      const r = await t.invoke('payment.useCredit', { householdId: household });
      if (!r.ok) expect(r.error.code).toBe('CONFLICT');
    } else if (op.kind === 'reverse') {
      const paymentId = payments[op.i % Math.max(1, payments.length)];
      if (!paymentId) continue;
      const r = await t.invoke('payment.reverse', { paymentId, reason: 'Erreur' });
      if (!r.ok) expect(r.error.message).toBe('Ce paiement est déjà annulé.');
    } else {
      const invoiceId = invoices[op.i % Math.max(1, invoices.length)];
      if (!invoiceId) continue;
      const r = await t.invoke('billing.creditNote', {
        invoiceId,
        reason: 'Erreur matérielle',
        lines: 'whole',
      });
      if (!r.ok) expect(r.error.code).toBe('CONFLICT');
    }
  }
  return { core: t.core, households, actor, violations: t.core.raw.prepare(VIOLATIONS) };
}

describe('payments through the contract', () => {
  it('keeps the same invariants when every operation goes through core.invoke', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 20, maxLength: 40 }), async (sequence) => {
        const w = await applyThroughContract(sequence);
        await checkInvariants(w);
        await w.core.close();
      }),
      { numRuns: 8 },
    );
  }, 60_000);
});

type Tamper =
  | {
      on: 'entry';
      row: number;
      how: 'payload' | 'payloadResealed' | 'hash' | 'prev' | 'kind' | 'at' | 'ref' | 'delete';
    }
  | { on: 'swap'; row: number; other: number }
  | {
      on: 'record';
      row: number;
      table: 'payments' | 'allocations' | 'invoices' | 'receipts' | 'family_credit' | 'cash_sessions';
      how: 'update' | 'delete';
    };

const tamperArb: fc.Arbitrary<Tamper> = fc.oneof(
  fc.record({
    on: fc.constant('entry' as const),
    row: fc.nat(),
    how: fc.constantFrom(
      'payload' as const,
      'payloadResealed' as const,
      'hash' as const,
      'prev' as const,
      'kind' as const,
      'at' as const,
      'ref' as const,
      'delete' as const,
    ),
  }),
  fc.record({ on: fc.constant('swap' as const), row: fc.nat(), other: fc.nat() }),
  fc.record({
    on: fc.constant('record' as const),
    row: fc.nat(),
    table: fc.constantFrom(
      'payments' as const,
      'allocations' as const,
      'invoices' as const,
      'receipts' as const,
      'family_credit' as const,
      'cash_sessions' as const,
    ),
    how: fc.constantFrom('update' as const, 'delete' as const),
  }),
);

/** The last entry a checkpoint of the journal check vouches for (0: none). */
const vouchedUpTo = (raw: Core['raw']) =>
  (raw.prepare('SELECT max(upto_seq) FROM journal_checkpoints').pluck().get() as number | null) ?? 0;

const TRIGGERS_OFF = `DROP TRIGGER journal_no_update; DROP TRIGGER journal_no_delete;
  DROP TRIGGER payments_no_update; DROP TRIGGER payments_no_delete; DROP TRIGGER allocations_no_update;
  DROP TRIGGER allocations_no_delete; DROP TRIGGER invoices_no_update; DROP TRIGGER invoices_no_delete;
  DROP TRIGGER receipts_no_update; DROP TRIGGER receipts_no_delete; DROP TRIGGER family_credit_no_update;
  DROP TRIGGER family_credit_no_delete; DROP TRIGGER cash_sessions_locked; DROP TRIGGER cash_sessions_no_delete;`;

describe('the journal under tampering', () => {
  it('detects any altered, deleted or reordered entry, and any altered or deleted record, at the right entry', async () => {
    const w = await world();
    const build = fc.sample(fc.array(opArb, { minLength: 60, maxLength: 60 }), {
      numRuns: 1,
      seed: 45_005,
    })[0] as Op[];
    await apply(w, build);
    // Close the till so a session closing is in the journal too.
    const session = w.core.raw.prepare('SELECT id FROM cash_sessions').pluck().get() as string;
    await closeSession(
      w.core.db,
      { sessionId: session, counted: [], reason: 'écart de test' },
      { actor: w.actor, now: new Date(START.getTime() + 3_600_000), newId, timeZone: 'Europe/Paris' },
    );
    await checkInvariants(w);
    const raw = w.core.raw;
    const count = raw.prepare('SELECT count(*) FROM journal').pluck().get() as number;
    expect(count).toBeGreaterThan(40);
    const kinds = new Set(raw.prepare('SELECT kind FROM journal').pluck().all());
    for (const k of ['invoice', 'payment', 'session_close']) expect(kinds).toContain(k);

    // Foreign keys cannot be switched inside a transaction: off for the whole test, the triggers dropped per case.
    raw.pragma('foreign_keys = OFF');
    await fc.assert(
      fc.asyncProperty(tamperArb, async (tamper) => {
        raw.exec('SAVEPOINT tamper');
        try {
          raw.exec(TRIGGERS_OFF);
          const expected = tamperWith(w, tamper, count);
          if (expected === 'noop') return;
          // The invariants' check left a checkpoint: tampering with what it vouches for is the full check's to find.
          const report = await verifyJournal(w.core.db, { full: true });
          expect(report.ok, JSON.stringify(tamper)).toBe(false);
          if (expected) expect(report.firstProblem, JSON.stringify(tamper)).toMatchObject(expected);
        } finally {
          raw.exec('ROLLBACK TO tamper');
          raw.exec('RELEASE tamper');
        }
      }),
      { numRuns: 400 },
    );
    raw.pragma('foreign_keys = ON');
    expect((await verifyJournal(w.core.db)).ok).toBe(true);
  }, 60_000);
});

/** Applies one tampering; returns what the check must report first (null: only that it fails), or 'noop'. */
function tamperWith(
  w: World,
  t: Tamper,
  count: number,
): { seq: number | null; problem: string } | null | 'noop' {
  const raw = w.core.raw;
  const seq = (t.row % count) + 1;
  if (t.on === 'swap') {
    const other = (t.other % count) + 1;
    if (other === seq) return 'noop';
    const [lo, hi] = [Math.min(seq, other), Math.max(seq, other)];
    raw.prepare('UPDATE journal SET seq = -1 WHERE seq = ?').run(lo);
    raw.prepare('UPDATE journal SET seq = ? WHERE seq = ?').run(lo, hi);
    raw.prepare('UPDATE journal SET seq = ? WHERE seq = -1').run(hi);
    return { seq: lo, problem: 'reordered' };
  }
  if (t.on === 'record') {
    const ids = raw.prepare(`SELECT rowid FROM ${t.table} ORDER BY rowid`).pluck().all() as number[];
    if (ids.length === 0) return 'noop';
    const rowid = ids[t.row % ids.length];
    if (t.how === 'delete') raw.prepare(`DELETE FROM ${t.table} WHERE rowid = ?`).run(rowid);
    else {
      const column = {
        payments: 'amount_cents',
        allocations: 'amount_cents',
        invoices: 'total_cents',
        receipts: 'number',
        family_credit: 'amount_cents',
        cash_sessions: 'counted_cents',
      }[t.table];
      raw.prepare(`UPDATE ${t.table} SET ${column} = ${column} || '1' WHERE rowid = ?`).run(rowid);
    }
    return null;
  }
  const row = raw.prepare('SELECT * FROM journal WHERE seq = ?').get(seq) as {
    payload: string;
    prev_hash: string;
    hash: string;
  };
  switch (t.how) {
    case 'delete':
      raw.prepare('DELETE FROM journal WHERE seq = ?').run(seq);
      // The last entry leaves no gap behind it: its event is then found without an entry, unless a checkpoint of
      // the journal check vouched for it, which names the entry gone.
      return seq === count && vouchedUpTo(raw) < seq
        ? { seq: null, problem: 'missing' }
        : { seq, problem: 'missing' };
    case 'payload':
      raw
        .prepare('UPDATE journal SET payload = ? WHERE seq = ?')
        .run(
          row.payload.replace(/"amount_cents":(\d)/, '"amount_cents":9$1').replace(/"at":"/, '"at":"0'),
          seq,
        );
      return { seq, problem: 'altered' };
    case 'payloadResealed': {
      // A forger who recomputes the hash: the next entry no longer follows, or (last entry) the rows disagree.
      const payload = row.payload.replace(/"at":"/, '"at":"0');
      const hash = createHash('sha256').update(row.prev_hash).update(payload).digest('hex');
      raw.prepare('UPDATE journal SET payload = ?, hash = ? WHERE seq = ?').run(payload, hash, seq);
      return { seq, problem: 'altered' };
    }
    case 'hash':
      raw.prepare('UPDATE journal SET hash = ? WHERE seq = ?').run('f'.repeat(64), seq);
      return { seq, problem: 'altered' };
    case 'prev':
      raw.prepare('UPDATE journal SET prev_hash = ? WHERE seq = ?').run('e'.repeat(64), seq);
      return { seq, problem: 'altered' };
    case 'kind':
      raw
        .prepare(
          "UPDATE journal SET kind = CASE kind WHEN 'payment' THEN 'reversal' ELSE 'payment' END WHERE seq = ?",
        )
        .run(seq);
      return { seq, problem: 'altered' };
    case 'at':
      raw.prepare("UPDATE journal SET at = '2020-01-01T00:00:00.000Z' WHERE seq = ?").run(seq);
      return { seq, problem: 'altered' };
    case 'ref':
      raw.prepare("UPDATE journal SET ref_id = 'x' WHERE seq = ?").run(seq);
      return { seq, problem: 'altered' };
  }
}
