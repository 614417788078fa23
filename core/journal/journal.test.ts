import { describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../migrations/index.ts';
import { migrate } from '../db/migrate.ts';
import { openSqlite } from '../db/open.ts';
import { draftLine, payTown } from '../payments/fixtures.ts';
import { verifyJournal } from './journal.ts';

describe('the journal', () => {
  it('takes in the invoices and credit notes issued before the upgrade, in issue order, and checks them', async () => {
    const { db, raw } = openSqlite(':memory:');
    await migrate(db, MIGRATIONS.slice(0, 4), 'sqlite');
    raw.exec(`
      INSERT INTO households (id, name, created_at, updated_at) VALUES ('h1', 'Bénard', 'x', 'x');
      INSERT INTO series (code, year, kind, label, prefix, next_number, last_issue_date)
        VALUES ('FAC', 2026, 'invoice', 'F', 'FAC-2026-', 3, '2026-10-02'), ('AV', 2026, 'credit_note', 'A', 'AV-2026-', 2, '2026-10-03');
      INSERT INTO invoices (id, number, series_code, series_year, seq, household_id, kind, issue_date, due_date, total_cents,
        household_name, payer_name, payer_address, created_at, agent_id, device_id) VALUES
        ('i2', 'FAC-2026-000002', 'FAC', 2026, 2, 'h1', 'monthly', '2026-10-02', '2026-10-25', 440, 'Bénard', 'M. Bénard', '1 rue\n45000 Orléans', '2026-10-02T08:00:00Z', 'a', 'd'),
        ('i1', 'FAC-2026-000001', 'FAC', 2026, 1, 'h1', 'monthly', '2026-10-01', '2026-10-25', 220, 'Bénard', 'M. Bénard', '', '2026-10-01T08:00:00Z', 'a', 'd');
      INSERT INTO invoice_lines (id, invoice_id, position, kind, child_id, child_name, activity_id, activity_name, unit_code,
        unit_label, quantity, unit_price_cents, amount_cents, base_cents, basis) VALUES
        ('l1', 'i1', 1, 'booked', 'c', 'Léa', 'a', 'Cantine', 'meal', 'Repas', 1, 220, 220, 220, 'QF'),
        ('l2', 'i2', 1, 'booked', 'c', 'Léa', 'a', 'Cantine', 'meal', 'Repas', 2, 220, 440, 220, 'QF');
      INSERT INTO credit_notes (id, number, series_code, series_year, seq, invoice_id, household_id, issue_date, reason,
        total_cents, created_at, agent_id, device_id) VALUES
        ('n1', 'AV-2026-000001', 'AV', 2026, 1, 'i2', 'h1', '2026-10-03', 'Erreur', 220, '2026-10-03T08:00:00Z', 'a', 'd');
      INSERT INTO credit_note_lines (id, credit_note_id, invoice_line_id, amount_cents) VALUES ('cl1', 'n1', 'l2', 220);
    `);
    await migrate(db, MIGRATIONS, 'sqlite');
    expect(raw.prepare('SELECT seq, kind, ref_id FROM journal ORDER BY seq').all()).toEqual([
      { seq: 1, kind: 'invoice', ref_id: 'i1' },
      { seq: 2, kind: 'invoice', ref_id: 'i2' },
      { seq: 3, kind: 'credit_note', ref_id: 'n1' },
    ]);
    expect(await verifyJournal(db)).toMatchObject({ ok: true, entries: 3, lastSeq: 3 });
    await db.destroy();
  });

  it('journals every financial event of the day, and says in French what was altered', async () => {
    const t = await payTown();
    const inv = await t.invoice([draftLine('canteen', 220, 10)]);
    const s = await t.call('regie.openSession', { floatCents: 0 });
    const p = await t.call('payment.record', {
      householdId: t.householdId,
      mode: 'cheque',
      cheque: { number: '1', bank: 'B', drawer: 'D', payeeChecked: true },
      amountCents: 3000,
    });
    await t.call('payment.useCredit', { householdId: t.householdId }).catch(() => null);
    await t.call('billing.creditNote', { invoiceId: inv.invoiceId, reason: 'Erreur', lines: 'whole' });
    await t.call('regie.depositSlip.create', {});
    await t.call('payment.reverse', { paymentId: p.paymentId, reason: 'Chèque impayé' });
    await t.call('regie.closeSession', { sessionId: s.id, counted: [], reason: '' });
    const kinds = t.core.raw.prepare('SELECT kind FROM journal ORDER BY seq').pluck().all();
    expect(kinds).toEqual([
      'invoice',
      'payment',
      'credit_note',
      'release',
      'deposit_slip',
      'reversal',
      'session_close',
    ]);
    expect(await t.call('regie.verifyJournal', {})).toMatchObject({
      ok: true,
      entries: 7,
      firstProblem: null,
    });

    t.core.raw.exec('DROP TRIGGER payments_no_update');
    t.core.raw.prepare('UPDATE payments SET amount_cents = 300 WHERE id = ?').run(p.paymentId);
    const report = await t.call('regie.verifyJournal', {});
    expect(report.ok).toBe(false);
    expect(report.firstProblem).toEqual({
      seq: 2,
      problem: 'altered',
      message: `Paiement reçu ${p.receiptNumber} modifié(e) depuis son entrée n° 2 au journal.`,
    });
  });
});
