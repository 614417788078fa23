import { describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../migrations/index.ts';
import { migrate } from '../db/migrate.ts';
import { openSqlite } from '../db/open.ts';
import { canonicalJson, chainHash } from './canonical.ts';
import { draftLine, payTown, type PayTown } from '../payments/fixtures.ts';
import { entryPayload, loadEvents, verifyJournal } from './journal.ts';

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
    // The payment was checked already: the full check reads it again.
    const report = await t.call('regie.verifyJournal', { full: true });
    expect(report.ok).toBe(false);
    expect(report.firstProblem).toEqual({
      seq: 2,
      problem: 'altered',
      message: `Paiement reçu ${p.receiptNumber} modifié(e) depuis son entrée n° 2 au journal.`,
    });
  });
});

/** When journaledDay's first check ran, on the town's clock: its checkpoint is dated so. */
const CHECKED_AT = '05/10/2026 à 09:00';

/**
 * An invoice and three payments (cash, cash, cheque) at the Belleval counter: journal entries 1 (invoice) to 4, and
 * receipts 1 to 3 of the counter's series. The tests below then do what a forger with the database file could do,
 * the triggers dropped, and read what the régisseur is told.
 */
async function journaledDay() {
  const t = await payTown();
  await t.invoice([draftLine('canteen', 220, 10)]);
  await t.call('regie.openSession', { floatCents: 0 });
  const payments = [];
  for (const amountCents of [500, 700])
    payments.push(await t.call('payment.record', { householdId: t.householdId, mode: 'cash', amountCents }));
  payments.push(
    await t.call('payment.record', {
      householdId: t.householdId,
      mode: 'cheque',
      cheque: { number: '77', bank: 'La Poste', drawer: 'M. Lefèvre', payeeChecked: true },
      amountCents: 1000,
    }),
  );
  expect(await t.call('regie.verifyJournal', {})).toMatchObject({ ok: true, entries: 4 });
  const raw = t.core.raw;
  raw.exec('DROP TRIGGER journal_no_update; DROP TRIGGER journal_no_delete;');
  const entry = (seq: number) =>
    raw.prepare('SELECT * FROM journal WHERE seq = ?').get(seq) as {
      payload: string;
      hash: string;
      at: string;
      kind: string;
      ref_id: string;
    };
  /** Gives entry `seq` another previous hash and seals it again, as a forger splicing the chain would. */
  const relink = (seq: number, prev: string) =>
    raw
      .prepare('UPDATE journal SET prev_hash = ?, hash = ? WHERE seq = ?')
      .run(prev, chainHash(prev, entry(seq).payload), seq);
  const verify = () => t.call('regie.verifyJournal', { full: true });
  return { t, raw, payments, entry, relink, verify };
}

describe('the journal check, entry by entry', () => {
  it('finds an entry re-sealed onto another chain: the entry it no longer follows is named', async () => {
    const { relink, verify } = await journaledDay();
    // The last entry, sealed again after another previous hash: its own seal holds, its link does not.
    relink(4, 'e'.repeat(64));
    expect((await verify()).problems).toEqual([
      {
        seq: 3,
        problem: 'altered',
        message: 'Entrée n° 3 modifiée ou remplacée : l’entrée n° 4 ne la suit plus.',
      },
      // Checked when the day was done: the checkpoint says entry 4 changed since.
      {
        seq: 4,
        problem: 'altered',
        message: `Entrée n° 4 modifiée ou remplacée depuis sa vérification du ${CHECKED_AT} (point de vérification n° 1).`,
      },
    ]);
  });

  it('finds a first entry that no longer opens the journal, and the one after it cut off', async () => {
    const { relink, verify } = await journaledDay();
    relink(1, 'e'.repeat(64));
    expect((await verify()).problems).toEqual([
      { seq: 1, problem: 'altered', message: 'Entrée n° 1 modifiée : elle n’ouvre plus le journal.' },
      {
        seq: 1,
        problem: 'altered',
        message: 'Entrée n° 1 modifiée ou remplacée : l’entrée n° 2 ne la suit plus.',
      },
    ]);
  });

  it('finds an entry whose seal or content was changed, or that was moved', async () => {
    const { raw, verify } = await journaledDay();
    const forged = async (...statements: string[]) => {
      raw.exec('SAVEPOINT forge');
      try {
        for (const statement of statements) raw.exec(statement);
        return (await verify()).firstProblem;
      } finally {
        raw.exec('ROLLBACK TO forge');
        raw.exec('RELEASE forge');
      }
    };
    const unsealed = {
      seq: 2,
      problem: 'altered',
      message: 'Entrée n° 2 modifiée : son empreinte ne correspond plus à son contenu.',
    };
    expect(await forged(`UPDATE journal SET hash = '${'f'.repeat(64)}' WHERE seq = 2`)).toEqual(unsealed);
    expect(
      await forged(
        `UPDATE journal SET payload = replace(payload, '"amount_cents":500', '"amount_cents":50') WHERE seq = 2`,
      ),
    ).toEqual(unsealed);
    expect(await forged("UPDATE journal SET payload = 'illisible' WHERE seq = 2")).toEqual(unsealed);
    expect(
      await forged(
        'UPDATE journal SET seq = -1 WHERE seq = 2',
        'UPDATE journal SET seq = 2 WHERE seq = 3',
        'UPDATE journal SET seq = 3 WHERE seq = -1',
      ),
    ).toEqual({
      seq: 2,
      problem: 'reordered',
      message: 'Entrée n° 2 déplacée : son contenu est celui de l’entrée n° 3.',
    });
  });

  it('finds an entry whose kind, date or reference was rewritten beside its sealed content', async () => {
    const { raw, verify } = await journaledDay();
    const mismatch = {
      seq: 2,
      problem: 'altered',
      message:
        'Entrée n° 2 modifiée : sa nature, sa date ou sa référence ne correspondent plus à son contenu.',
    };
    const rewrites = [
      "kind = 'reversal'",
      "kind = 'remboursement'",
      "at = '2026-10-04T09:00:00.000Z'",
      "ref_id = '01900000-0000-7000-8000-0000000000ff'",
    ];
    for (const rewrite of rewrites) {
      raw.exec('SAVEPOINT forge');
      raw.exec(`UPDATE journal SET ${rewrite} WHERE seq = 2`);
      expect((await verify()).firstProblem, rewrite).toEqual(mismatch);
      raw.exec('ROLLBACK TO forge');
      raw.exec('RELEASE forge');
    }
    expect((await verify()).ok).toBe(true);
  });

  it('names the missing entries, one or several, and the payment left without any', async () => {
    const { raw, payments, verify } = await journaledDay();
    raw.exec('SAVEPOINT forge');
    raw.exec('DELETE FROM journal WHERE seq = 2');
    expect((await verify()).problems).toEqual([
      {
        seq: 2,
        problem: 'missing',
        message: 'Entrée n° 2 manquante : le journal passe de l’entrée n° 1 à l’entrée n° 3.',
      },
      {
        seq: null,
        problem: 'missing',
        message: `Paiement reçu ${payments[0]!.receiptNumber} absent(e) du journal.`,
      },
    ]);
    raw.exec('ROLLBACK TO forge');
    raw.exec('DELETE FROM journal WHERE seq IN (2, 3)');
    expect((await verify()).firstProblem).toEqual({
      seq: 2,
      problem: 'missing',
      message: 'Entrées n° 2 à 3 manquantes : le journal passe de l’entrée n° 1 à l’entrée n° 4.',
    });
  });

  it('finds a payment recorded without its journal entry, even at the end where no number is skipped', async () => {
    const { t, raw, payments, verify } = await journaledDay();
    raw.exec('DELETE FROM journal WHERE seq = 4');
    // The checkpoint on entry 4 vouches for nothing now: the routine check too reads the journal from its start.
    expect(await t.call('regie.verifyJournal', {})).toMatchObject({ ok: false, since: 0, entries: 3 });
    const report = await verify();
    expect(report).toMatchObject({ ok: false, entries: 3, lastSeq: 3 });
    expect(report.problems).toEqual([
      {
        seq: 4,
        problem: 'missing',
        message: `Entrée n° 4 supprimée depuis sa vérification du ${CHECKED_AT} (point de vérification n° 1).`,
      },
      {
        seq: null,
        problem: 'missing',
        message: `Paiement reçu ${payments[2]!.receiptNumber} absent(e) du journal.`,
      },
    ]);
  });

  it('finds a gap in a series of receipts: a number given and no receipt, or a receipt beyond the last number', async () => {
    const { raw, payments, verify } = await journaledDay();
    const series = raw.prepare("SELECT code, prefix FROM series WHERE kind = 'receipt'").get() as {
      code: string;
      prefix: string;
    };
    expect(payments[2]!.receiptNumber).toBe(`${series.prefix}000003`);
    // A number taken and never printed (the series moves forward only, so the forger can do just that).
    raw.exec('SAVEPOINT forge');
    raw.prepare('UPDATE series SET next_number = next_number + 1 WHERE code = ?').run(series.code);
    expect((await verify()).problems).toEqual([
      {
        seq: null,
        problem: 'missing',
        message: `Série ${series.prefix}… : 4 numéro(s) attribué(s), 3 document(s) présent(s) — numérotation interrompue.`,
      },
    ]);
    raw.exec('ROLLBACK TO forge');
    // The third receipt renumbered 4: as many receipts as numbers given, but one beyond them.
    raw.exec('DROP TRIGGER receipts_no_update');
    raw.prepare('UPDATE receipts SET seq = 4 WHERE number = ?').run(payments[2]!.receiptNumber);
    expect((await verify()).problems).toContainEqual({
      seq: null,
      problem: 'missing',
      message: `Série ${series.prefix}… : 3 numéro(s) attribué(s), 3 document(s) présent(s) — numérotation interrompue.`,
    });
  });
});

describe('the journal check, two forgeries at once', () => {
  it('names the broken link first when the entry re-sealed elsewhere also describes an altered payment', async () => {
    const { raw, payments, relink, verify } = await journaledDay();
    // Entry 3 (the second payment) moved onto another chain, and that payment's amount changed behind it.
    relink(3, 'e'.repeat(64));
    raw.exec('DROP TRIGGER payments_no_update');
    raw.prepare('UPDATE payments SET amount_cents = 70 WHERE id = ?').run(payments[1]!.paymentId);
    expect((await verify()).problems).toEqual([
      {
        seq: 2,
        problem: 'altered',
        message: 'Entrée n° 2 modifiée ou remplacée : l’entrée n° 3 ne la suit plus.',
      },
      {
        seq: 3,
        problem: 'altered',
        message: 'Entrée n° 3 modifiée ou remplacée : l’entrée n° 4 ne la suit plus.',
      },
    ]);
  });

  it('finds a receipt taken out of the middle of its series, the last number still there', async () => {
    const { raw, payments, verify } = await journaledDay();
    const prefix = (
      raw.prepare("SELECT prefix FROM series WHERE kind = 'receipt'").get() as { prefix: string }
    ).prefix;
    raw.exec('DROP TRIGGER receipts_no_delete');
    raw.prepare('DELETE FROM receipts WHERE number = ?').run(payments[1]!.receiptNumber);
    expect((await verify()).problems).toContainEqual({
      seq: null,
      problem: 'missing',
      message: `Série ${prefix}… : 3 numéro(s) attribué(s), 2 document(s) présent(s) — numérotation interrompue.`,
    });
  });
});

describe('the journal check, record by record', () => {
  it('names the altered or deleted record as the régisseur knows it, whatever its kind', async () => {
    const t = await payTown();
    const inv = await t.invoice([draftLine('canteen', 220, 10)]);
    const s = await t.call('regie.openSession', { floatCents: 0 });
    const p = await t.call('payment.record', {
      householdId: t.householdId,
      mode: 'cheque',
      cheque: { number: '1', bank: 'B', drawer: 'D', payeeChecked: true },
      amountCents: 3000,
    });
    const note = await t.call('billing.creditNote', {
      invoiceId: inv.invoiceId,
      reason: 'Erreur',
      lines: 'whole',
    });
    const slip = await t.call('regie.depositSlip.create', {});
    const rev = await t.call('payment.reverse', { paymentId: p.paymentId, reason: 'Chèque impayé' });
    await t.call('regie.closeSession', { sessionId: s.id, counted: [], reason: '' });
    const raw = t.core.raw;
    const entries = raw.prepare('SELECT seq, kind FROM journal ORDER BY seq').all();
    expect(entries).toEqual(
      ['invoice', 'payment', 'credit_note', 'release', 'deposit_slip', 'reversal', 'session_close'].map(
        (kind, i) => ({ seq: i + 1, kind }),
      ),
    );
    raw.pragma('foreign_keys = OFF');
    const forged = async (sql: string) => {
      raw.exec('SAVEPOINT forge');
      try {
        for (const table of [
          'invoices',
          'credit_notes',
          'deposit_slips',
          'payment_reversals',
          'family_credit',
        ])
          raw.exec(`DROP TRIGGER ${table}_no_update; DROP TRIGGER ${table}_no_delete;`);
        raw.exec('DROP TRIGGER cash_sessions_locked; DROP TRIGGER deposit_slip_cheques_no_delete;');
        raw.exec(sql);
        return (await t.call('regie.verifyJournal', {})).firstProblem?.message;
      } finally {
        raw.exec('ROLLBACK TO forge');
        raw.exec('RELEASE forge');
      }
    };
    expect(await forged('UPDATE invoices SET total_cents = 1')).toBe(
      `Facture ${inv.number} modifié(e) depuis son entrée n° 1 au journal.`,
    );
    expect(await forged('UPDATE credit_notes SET total_cents = 1')).toBe(
      `Avoir ${note.number} modifié(e) depuis son entrée n° 3 au journal.`,
    );
    expect(await forged("UPDATE family_credit SET amount_cents = 1 WHERE event_kind = 'release'")).toMatch(
      /^Reprise d’affectation après avoir \(.+\) modifié\(e\) depuis son entrée n° 4 au journal\.$/,
    );
    expect(await forged('UPDATE deposit_slips SET total_cents = 1')).toBe(
      `Bordereau de remise ${slip.number} modifié(e) depuis son entrée n° 5 au journal.`,
    );
    expect(await forged("UPDATE payment_reversals SET reason = 'Erreur'")).toBe(
      `Annulation de paiement (${rev.reversalId}) modifié(e) depuis son entrée n° 6 au journal.`,
    );
    expect(await forged('UPDATE cash_sessions SET counted_cents = 1')).toBe(
      `Clôture de caisse (${s.id}) modifié(e) depuis son entrée n° 7 au journal.`,
    );
    expect(await forged('DELETE FROM deposit_slip_cheques; DELETE FROM deposit_slips')).toBe(
      `Bordereau de remise (${slip.id}) supprimé(e) : l’entrée n° 5 du journal le mentionne.`,
    );
    raw.pragma('foreign_keys = ON');
    expect((await t.call('regie.verifyJournal', {})).ok).toBe(true);
  });
});

describe('the routine check, from the last checkpoint', () => {
  const checkpoints = (raw: PayTown['core']['raw']) =>
    raw.prepare('SELECT n, upto_seq, full_check AS full FROM journal_checkpoints ORDER BY n').all();

  it('reads only the entries written since the last check, and finds a payment altered among them', async () => {
    const { t, raw } = await journaledDay();
    expect(checkpoints(raw)).toEqual([{ n: 1, upto_seq: 4, full: 0 }]);
    const late = await t.call('payment.record', {
      householdId: t.householdId,
      mode: 'cash',
      amountCents: 900,
    });
    expect(await t.call('regie.verifyJournal', {})).toMatchObject({
      ok: true,
      since: 4,
      entries: 1,
      lastSeq: 5,
    });
    expect(checkpoints(raw)).toEqual([
      { n: 1, upto_seq: 4, full: 0 },
      { n: 2, upto_seq: 5, full: 0 },
    ]);
    // Nothing new: the routine check reads nothing and leaves no new checkpoint.
    expect(await t.call('regie.verifyJournal', {})).toMatchObject({ ok: true, since: 5, entries: 0 });
    expect(checkpoints(raw)).toHaveLength(2);

    const another = await t.call('payment.record', {
      householdId: t.householdId,
      mode: 'cash',
      amountCents: 400,
    });
    raw.exec('DROP TRIGGER payments_no_update');
    raw.prepare('UPDATE payments SET amount_cents = 40 WHERE id = ?').run(another.paymentId);
    expect(await t.call('regie.verifyJournal', {})).toMatchObject({
      ok: false,
      since: 5,
      entries: 1,
      firstProblem: {
        seq: 6,
        problem: 'altered',
        message: `Paiement reçu ${another.receiptNumber} modifié(e) depuis son entrée n° 6 au journal.`,
      },
    });
    // A check that found something vouches for nothing.
    expect(checkpoints(raw)).toHaveLength(2);
    expect(late.receiptNumber).not.toBe(another.receiptNumber);
  });

  it('leaves a payment altered before the last check to the full check, which finds it', async () => {
    const { t, raw, payments } = await journaledDay();
    raw.exec('DROP TRIGGER payments_no_update');
    raw.prepare('UPDATE payments SET amount_cents = 5 WHERE id = ?').run(payments[0]!.paymentId);
    expect(await t.call('regie.verifyJournal', {})).toMatchObject({ since: 4, entries: 0 });
    expect(await t.call('regie.verifyJournal', { full: true })).toMatchObject({
      ok: false,
      full: true,
      since: 0,
      entries: 4,
      firstProblem: {
        seq: 2,
        problem: 'altered',
        message: `Paiement reçu ${payments[0]!.receiptNumber} modifié(e) depuis son entrée n° 2 au journal.`,
      },
    });
  });

  it('finds a payment rewritten with its entry and the whole chain re-sealed after it, by the checkpoint', async () => {
    const { t, raw, payments, entry } = await journaledDay();
    // The forger changes the first cash payment and seals entries 2 to 4 again: each entry agrees with its rows.
    raw.exec('DROP TRIGGER payments_no_update');
    raw.prepare('UPDATE payments SET amount_cents = 50 WHERE id = ?').run(payments[0]!.paymentId);
    let prev = entry(1).hash;
    for (const seq of [2, 3, 4]) {
      const e = entry(seq);
      const data = (await loadEvents(t.core.db, 'payment', [e.ref_id])).get(e.ref_id);
      const payload = entryPayload(seq, e.at, e.kind, e.ref_id, data);
      const hash = chainHash(prev, payload);
      raw
        .prepare('UPDATE journal SET payload = ?, prev_hash = ?, hash = ? WHERE seq = ?')
        .run(payload, prev, hash, seq);
      prev = hash;
    }
    const accused = {
      seq: 4,
      problem: 'altered',
      message: `Entrée n° 4 modifiée ou remplacée depuis sa vérification du ${CHECKED_AT} (point de vérification n° 1).`,
    };
    for (const full of [false, true])
      expect(await t.call('regie.verifyJournal', { full }), `full: ${full}`).toMatchObject({
        ok: false,
        since: 0,
        entries: 4,
        problems: [accused],
      });
  });

  it('refuses a forged checkpoint: it vouches for nothing and the whole journal is read again', async () => {
    const { t, raw } = await journaledDay();
    const p = await t.call('payment.record', { householdId: t.householdId, mode: 'cash', amountCents: 900 });
    raw.exec('DROP TRIGGER payments_no_update');
    raw.prepare('UPDATE payments SET amount_cents = 9 WHERE id = ?').run(p.paymentId);
    const head = raw.prepare('SELECT hash FROM journal WHERE seq = 5').pluck().get() as string;
    const previous = raw.prepare('SELECT hash FROM journal_checkpoints WHERE n = 1').pluck().get() as string;
    // « Entries 1 to 5 checked », written by hand with the right hash of entry 5 but without the check's seal.
    raw
      .prepare(
        "INSERT INTO journal_checkpoints (n, upto_seq, upto_hash, checked_at, full_check, prev_hash, hash) VALUES (2, 5, ?, '2026-10-05T08:00:00.000Z', 1, ?, ?)",
      )
      .run(head, previous, 'f'.repeat(64));
    const report = await t.call('regie.verifyJournal', {});
    expect(report).toMatchObject({ ok: false, since: 0, entries: 5 });
    expect(report.problems).toEqual([
      {
        seq: 5,
        problem: 'altered',
        message: `Paiement reçu ${p.receiptNumber} modifié(e) depuis son entrée n° 5 au journal.`,
      },
      {
        seq: null,
        problem: 'altered',
        message:
          'Point de vérification n° 2 falsifié : ce n’est pas celui qu’une vérification a écrit le 05/10/2026 à 10:00, il est écarté.',
      },
    ]);
  });

  it('keeps its checkpoints as written: one is neither changed nor deleted', async () => {
    const { raw } = await journaledDay();
    expect(() => raw.exec('UPDATE journal_checkpoints SET upto_seq = 1')).toThrow(
      /ne se modifie ni ne se supprime/,
    );
    expect(() => raw.exec('DELETE FROM journal_checkpoints')).toThrow(/ne se modifie ni ne se supprime/);
  });

  it('vouches only for the entries the central server has confirmed: the others may be renumbered by the next sync', async () => {
    const { t, raw } = await journaledDay();
    for (const amountCents of [900, 800, 700])
      await t.call('payment.record', { householdId: t.householdId, mode: 'cash', amountCents });
    // Entries 6 and 7 (and a receipt) still waiting for the server, as sync's tracking records them.
    raw.exec(
      `INSERT INTO sync_shadow (tbl, row_key, pre) VALUES ('journal', '[6]', NULL), ('journal', '[7]', NULL), ('receipts', '["x"]', NULL)`,
    );
    expect(await t.call('regie.verifyJournal', {})).toMatchObject({ ok: true, since: 4, entries: 3 });
    expect(checkpoints(raw).at(-1)).toEqual({ n: 2, upto_seq: 5, full: 0 });
  });
});

describe('the checkpoints, as a forger with the file would try them', () => {
  /** A checkpoint sealed exactly as the check seals one: what a forger who read the code could write. */
  function sealedCheckpoint(
    raw: PayTown['core']['raw'],
    c: { n: number; upto: number; prev: string; full?: number; uptoHash?: string },
  ) {
    const uptoHash =
      c.uptoHash ?? (raw.prepare('SELECT hash FROM journal WHERE seq = ?').pluck().get(c.upto) as string);
    const checkedAt = '2026-10-05T08:30:00.000Z';
    const full = c.full ?? 0;
    const hash = chainHash(c.prev, canonicalJson({ n: c.n, uptoSeq: c.upto, uptoHash, checkedAt, full }));
    raw
      .prepare(
        'INSERT INTO journal_checkpoints (n, upto_seq, upto_hash, checked_at, full_check, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)',
      )
      .run(c.n, c.upto, uptoHash, checkedAt, full, c.prev, hash);
  }
  const firstHash = (raw: PayTown['core']['raw']) =>
    raw.prepare('SELECT hash FROM journal_checkpoints WHERE n = 1').pluck().get() as string;
  const refused = (n: number) => ({
    seq: null,
    problem: 'altered',
    message: `Point de vérification n° ${n} falsifié : ce n’est pas celui qu’une vérification a écrit le 05/10/2026 à 10:30, il est écarté.`,
  });

  it('trusts a checkpoint written by the check itself, as the routine check would', async () => {
    const { t, raw } = await journaledDay();
    sealedCheckpoint(raw, { n: 2, upto: 4, prev: firstHash(raw), full: 1 });
    expect(await t.call('regie.verifyJournal', {})).toMatchObject({ ok: true, since: 4, entries: 0 });
  });

  it('refuses a checkpoint out of its place in the chain: a number skipped, another previous one, or going back', async () => {
    const { t, raw } = await journaledDay();
    const genesis = '0'.repeat(64);
    const cases: [string, () => void][] = [
      ['numbered 3 after 1', () => sealedCheckpoint(raw, { n: 3, upto: 4, prev: firstHash(raw) })],
      ['chained to nothing', () => sealedCheckpoint(raw, { n: 2, upto: 4, prev: genesis })],
      ['back to entry 2', () => sealedCheckpoint(raw, { n: 2, upto: 2, prev: firstHash(raw) })],
    ];
    for (const [name, forge] of cases) {
      raw.exec('SAVEPOINT forge');
      forge();
      const report = await t.call('regie.verifyJournal', {});
      expect(report, name).toMatchObject({ ok: false, since: 0, entries: 4 });
      expect(report.problems, name).toEqual([refused(name.startsWith('numbered') ? 3 : 2)]);
      raw.exec('ROLLBACK TO forge');
      raw.exec('RELEASE forge');
    }
  });

  it('refuses the chain of checkpoints once one is taken out of it', async () => {
    const { t, raw } = await journaledDay();
    await t.call('payment.record', { householdId: t.householdId, mode: 'cash', amountCents: 900 });
    expect(await t.call('regie.verifyJournal', {})).toMatchObject({ ok: true, since: 4, entries: 1 });
    raw.exec('DROP TRIGGER journal_checkpoints_no_delete');
    raw.exec('DELETE FROM journal_checkpoints WHERE n = 1');
    const report = await t.call('regie.verifyJournal', {});
    expect(report).toMatchObject({ ok: false, since: 0, entries: 5 });
    expect(report.problems.map((p) => p.message)).toEqual([
      'Point de vérification n° 2 falsifié : ce n’est pas celui qu’une vérification a écrit le 05/10/2026 à 09:00, il est écarté.',
    ]);
  });

  it('writes a checkpoint at each full check, and the routine check goes on from the last one', async () => {
    const { t, raw } = await journaledDay();
    t.at('2026-10-06T18:00:00+02:00');
    expect(await t.call('regie.verifyJournal', { full: true })).toMatchObject({
      ok: true,
      full: true,
      since: 0,
    });
    expect(await t.call('regie.verifyJournal', {})).toMatchObject({
      ok: true,
      full: false,
      since: 4,
      sinceAt: '2026-10-06T16:00:00.000Z',
      entries: 0,
    });
    expect(raw.prepare('SELECT n, upto_seq, full_check FROM journal_checkpoints ORDER BY n').all()).toEqual([
      { n: 1, upto_seq: 4, full_check: 0 },
      { n: 2, upto_seq: 4, full_check: 1 },
    ]);
  });

  it('two checks at the same moment leave one checkpoint, and neither fails', async () => {
    const { t, raw } = await journaledDay();
    await t.call('payment.record', { householdId: t.householdId, mode: 'cash', amountCents: 900 });
    const both = await Promise.all([t.call('regie.verifyJournal', {}), t.call('regie.verifyJournal', {})]);
    expect(both.map((r) => r.ok)).toEqual([true, true]);
    expect(raw.prepare('SELECT count(*) FROM journal_checkpoints').pluck().get()).toBe(2);
  });
});

describe('the routine check, on what was written since', () => {
  it('names a payment deleted after the last check, with all its rows', async () => {
    const { t, raw } = await journaledDay();
    const p = await t.call('payment.record', { householdId: t.householdId, mode: 'cash', amountCents: 900 });
    raw.pragma('foreign_keys = OFF');
    for (const table of ['payments', 'receipts', 'allocations', 'family_credit'])
      raw.exec(`DROP TRIGGER ${table}_no_delete`);
    raw.prepare("DELETE FROM allocations WHERE event_kind = 'payment' AND event_id = ?").run(p.paymentId);
    raw.prepare("DELETE FROM family_credit WHERE event_kind = 'payment' AND event_id = ?").run(p.paymentId);
    raw.prepare('DELETE FROM receipts WHERE payment_id = ?').run(p.paymentId);
    raw.prepare('DELETE FROM payments WHERE id = ?').run(p.paymentId);
    const report = await t.call('regie.verifyJournal', {});
    expect(report).toMatchObject({ ok: false, since: 4, entries: 1 });
    expect(report.firstProblem).toEqual({
      seq: 5,
      problem: 'altered',
      message: `Paiement (${p.paymentId}) supprimé(e) : l’entrée n° 5 du journal le mentionne.`,
    });
  });

  it('lists fifty problems at most, the first ones, for a journal altered throughout', async () => {
    const t = await payTown();
    await t.call('regie.openSession', { floatCents: 0 });
    for (let i = 0; i < 55; i++)
      await t.call('payment.record', { householdId: t.householdId, mode: 'cash', amountCents: 100 + i });
    t.core.raw.exec(`DROP TRIGGER journal_no_update; UPDATE journal SET hash = '${'f'.repeat(64)}'`);
    const report = await t.call('regie.verifyJournal', {});
    expect(report.problems).toHaveLength(50);
    expect(report.problems.at(-1)?.seq).toBe(50);
  });
});
