import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { draftLine, payTown, type PayTown } from '../payments/fixtures.ts';
import { splitProRata } from './collection-report.ts';

const dir = mkdtempSync(join(tmpdir(), 'gf-regie-pdf-'));
let files = 0;
/** The PDF's text as pdftotext lays it out, whitespace runs folded to one space. */
function pdfText(base64: string): string {
  const file = join(dir, `doc-${(files += 1)}.pdf`);
  writeFileSync(file, Buffer.from(base64, 'base64'));
  return execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).replace(
    /\s+/g,
    ' ',
  );
}

const cheque = (number: string, drawer = 'M. Éric Lefèvre', bank = 'Banque Populaire') => ({
  number,
  bank,
  drawer,
  payeeChecked: true as const,
});

async function withInvoice(t: PayTown) {
  t.at('2026-10-01T09:00:00+02:00');
  const inv = await t.invoke('regie.currentSession', {});
  expect(inv).toMatchObject({ ok: true, data: { session: null } });
  await t.invoice([draftLine('canteen', 220, 10), draftLine('care', 210, 5)]);
  t.at('2026-10-05T09:00:00+02:00');
}

describe('the cash session', () => {
  it('takes no payment at the counter without an open till; online payments need none; agents cannot open it', async () => {
    const t = await payTown();
    await withInvoice(t);
    expect(
      await t.invoke('payment.record', { householdId: t.householdId, mode: 'cash', amountCents: 500 }),
    ).toEqual({
      ok: false,
      error: {
        code: 'CONFLICT',
        message:
          'Aucune caisse n’est ouverte sur ce poste : ouvrez la caisse (fonds de caisse) avant d’encaisser.',
        field: 'sessionId',
      },
    });
    expect(
      (
        await t.invoke('payment.record', {
          householdId: t.householdId,
          mode: 'online',
          amountCents: 500,
          online: { reference: 'PAYFIP-1' },
        })
      ).ok,
    ).toBe(true);
    await t.as('agent');
    expect(await t.invoke('regie.openSession', { floatCents: 5000 })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
  });

  it('keeps running totals by mode, warns above the ceiling, closes with a counting and locks', async () => {
    const t = await payTown();
    await withInvoice(t);
    await t.call('regie.saveSettings', {
      modes: ['cash', 'cheque', 'card', 'ancv', 'cesu', 'online'],
      cashLimitCents: 30_000,
      cashLimitOverridable: true,
      cashCeilingCents: 10_000,
    });
    await t.as('regisseur');
    // A float of 50 € counted: 2 × 20 € + 1 × 10 €.
    const opened = await t.call('regie.openSession', {
      floatDenominations: [
        { denominationCents: 2000, count: 2 },
        { denominationCents: 1000, count: 1 },
      ],
    });
    expect(opened).toMatchObject({ floatCents: 5000, cashOnHandCents: 5000, warnings: [] });
    expect(await t.invoke('regie.openSession', { floatCents: 0 })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT' },
    });
    await t.as('agent');
    await t.call('payment.record', { householdId: t.householdId, mode: 'cash', amountCents: 2000 });
    const big = await t.call('payment.record', {
      householdId: t.householdId,
      mode: 'cash',
      amountCents: 4000,
    });
    // 50 + 20 + 40 = 110 € in the drawer, over the 100 € ceiling.
    expect(big.warnings[0]).toBe(
      'Encaisse de 110,00\u00a0€ au-delà du plafond de 100,00\u00a0€ fixé par l’acte constitutif : versez l’excédent au comptable.',
    );
    await t.call('payment.record', {
      householdId: t.householdId,
      mode: 'cheque',
      cheque: cheque('0000001'),
      amountCents: 1500,
    });
    const card = await t.call('payment.record', {
      householdId: t.householdId,
      mode: 'card',
      card: { authorisation: 'AUT123' },
      amountCents: 700,
    });
    const current = (await t.call('regie.currentSession', {})).session!;
    const totals = Object.fromEntries(current.totals.map((m) => [m.mode, [m.count, m.netCents]]));
    expect(totals).toEqual({
      cash: [2, 6000],
      cheque: [1, 1500],
      card: [1, 700],
      ancv: [0, 0],
      cesu: [0, 0],
      online: [0, 0],
      // Never taken at a till (the régie's direct-debit file records it), listed with the others.
      direct_debit: [0, 0],
    });
    expect(current).toMatchObject({ cashOnHandCents: 11_000, totalNetCents: 8200 });
    expect(current.warnings).toHaveLength(1);

    await t.as('regisseur');
    // The card payment is reversed: no cash moves, the card total goes down.
    await t.call('payment.reverse', { paymentId: card.paymentId, reason: 'Double débit au terminal' });
    // Counted: 100 € + 5 € + 4 × 1 € = 109 €, one euro short of 110 €.
    const counted = [
      { denominationCents: 10_000, count: 1 },
      { denominationCents: 500, count: 1 },
      { denominationCents: 100, count: 4 },
      { denominationCents: 50, count: 0 },
    ];
    expect(await t.invoke('regie.closeSession', { sessionId: opened.id, counted, reason: '' })).toEqual({
      ok: false,
      error: {
        code: 'VALIDATION',
        message:
          'Écart de -1,00\u00a0€ entre le compté (109,00\u00a0€) et l’attendu (110,00\u00a0€) : indiquez-en le motif.',
        field: 'reason',
      },
    });
    expect(
      await t.invoke('regie.closeSession', {
        sessionId: opened.id,
        counted: [{ denominationCents: 300, count: 1 }],
        reason: 'x',
      }),
    ).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', field: 'counted.0.denominationCents' },
    });
    const closed = await t.call('regie.closeSession', {
      sessionId: opened.id,
      counted,
      reason: 'Monnaie rendue en trop',
    });
    expect(closed).toMatchObject({
      closed: true,
      countedCents: 10_900,
      cashOnHandCents: 11_000,
      differenceCents: -100,
      differenceReason: 'Monnaie rendue en trop',
      countedDenominations: [
        { denominationCents: 10_000, count: 1 },
        { denominationCents: 500, count: 1 },
        { denominationCents: 100, count: 4 },
      ],
    });
    expect(closed.totals.find((m) => m.mode === 'card')).toMatchObject({
      count: 1,
      reversedCount: 1,
      netCents: 0,
    });
    expect(closed.warnings[0]).toMatch(/^Écart de caisse : -1,00\u00a0€ \(déficit\)/);

    // Locked: no payment goes into it, no closing twice, the database refuses any change or addition.
    expect(
      await t.invoke('payment.record', { householdId: t.householdId, mode: 'cash', amountCents: 100 }),
    ).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', field: 'sessionId' },
    });
    expect(
      await t.invoke('regie.closeSession', { sessionId: opened.id, counted, reason: 'x' }),
    ).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', message: 'Cette caisse est déjà clôturée : elle est verrouillée.' },
    });
    expect(() => t.core.raw.prepare('UPDATE cash_sessions SET counted_cents = 11000').run()).toThrow(
      /verrouillée/,
    );
    expect(() => t.core.raw.prepare('DELETE FROM cash_sessions').run()).toThrow(/ne se supprime pas/);
    expect(() =>
      t.core.raw
        .prepare(
          'INSERT INTO payments (id, household_id, mode, amount_cents, received_at, date, session_id, household_name, payer_name, agent_id, agent_name, device_id) VALUES (?, ?, ?, 100, ?, ?, ?, ?, ?, ?, ?, ?)',
        )
        .run('x', t.householdId, 'cash', 'x', '2026-10-05', opened.id, 'L', 'L', 'a', 'a', 'd'),
    ).toThrow(/caisse clôturée/);
    const journal = t.core.raw.prepare('SELECT kind FROM journal ORDER BY seq').pluck().all();
    expect(journal.at(-1)).toBe('session_close');
    expect((await t.call('regie.verifyJournal', {})).ok).toBe(true);
    // The day's till stays as its closing certified it.
    expect((await t.call('regie.sessions', {}))[0]).toMatchObject({
      id: opened.id,
      closed: true,
      differenceCents: -100,
    });
    // The cash counted stays in the drawer: it is the next till's float.
    expect(await t.call('regie.currentSession', {})).toEqual({
      session: null,
      nextFloat: {
        cents: 10_900,
        denominations: closed.countedDenominations,
        source: 'closing',
        fromDate: '2026-10-05',
      },
    });
  });

  it('refuses payments into yesterday’s till left open, until it is closed and today’s opened', async () => {
    const t = await payTown();
    await withInvoice(t);
    const s = await t.call('regie.openSession', { floatCents: 0 });
    t.at('2026-10-06T08:30:00+02:00');
    expect(
      await t.invoke('payment.record', { householdId: t.householdId, mode: 'cash', amountCents: 100 }),
    ).toMatchObject({
      ok: false,
      error: {
        code: 'CONFLICT',
        message:
          'La caisse ouverte le 5 octobre 2026 n’a pas été clôturée : clôturez-la, puis ouvrez celle du jour.',
      },
    });
    expect((await t.call('regie.currentSession', {})).session).toMatchObject({ stale: true });
    await t.call('regie.closeSession', { sessionId: s.id, counted: [], reason: '' });
    await t.call('regie.openSession', { floatCents: 0 });
    expect(
      (await t.invoke('payment.record', { householdId: t.householdId, mode: 'cash', amountCents: 100 })).ok,
    ).toBe(true);
  });
});

describe('cheque deposit slips', () => {
  it('lists number, drawer, bank, amount, count and total; a cheque goes on one slip only; a returned one on none', async () => {
    const t = await payTown();
    await withInvoice(t);
    await t.call('regie.openSession', { floatCents: 0 });
    const a = await t.call('payment.record', {
      householdId: t.householdId,
      mode: 'cheque',
      cheque: cheque('1000001'),
      amountCents: 1250,
    });
    const b = await t.call('payment.record', {
      householdId: t.householdId,
      mode: 'cheque',
      cheque: cheque('2000002', 'Mme Sophie Lefèvre', 'Crédit Agricole Centre Loire'),
      amountCents: 2000,
    });
    const c = await t.call('payment.record', {
      householdId: t.householdId,
      mode: 'cheque',
      cheque: cheque('3000003'),
      amountCents: 999,
    });
    await t.call('payment.record', { householdId: t.householdId, mode: 'cash', amountCents: 100 });
    await t.call('payment.reverse', { paymentId: c.paymentId, reason: 'Chèque non signé, rendu' });
    expect((await t.call('regie.pendingCheques', {})).cheques.map((x) => x.chequeNumber)).toEqual([
      '1000001',
      '2000002',
    ]);

    const slip = await t.call('regie.depositSlip.create', {});
    expect(slip).toMatchObject({ chequeCount: 2, totalCents: 3250 });
    expect(slip.number).toMatch(/^BOR-P[0-9A-F]{4}-2026-000001$/);
    expect(slip.cheques.map((x) => [x.chequeNumber, x.drawer, x.bank, x.amountCents])).toEqual([
      ['1000001', 'M. Éric Lefèvre', 'Banque Populaire', 1250],
      ['2000002', 'Mme Sophie Lefèvre', 'Crédit Agricole Centre Loire', 2000],
    ]);
    expect((await t.call('regie.pendingCheques', {})).count).toBe(0);
    expect(await t.invoke('regie.depositSlip.create', {})).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', message: 'Aucun chèque à remettre.' },
    });
    expect(await t.invoke('regie.depositSlip.create', { paymentIds: [a.paymentId] })).toEqual({
      ok: false,
      error: {
        code: 'CONFLICT',
        message: `Le chèque n° 1000001 figure déjà sur le bordereau ${slip.number} : un chèque n’est remis qu’une fois.`,
        field: 'paymentIds.0',
      },
    });
    expect(await t.invoke('regie.depositSlip.create', { paymentIds: [c.paymentId] })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', field: 'paymentIds.0' },
    });
    // The database holds the rule too.
    expect(() =>
      t.core.raw
        .prepare('INSERT INTO deposit_slip_cheques (payment_id, slip_id, position) VALUES (?, ?, 9)')
        .run(b.paymentId, slip.id),
    ).toThrow(/UNIQUE constraint failed/);
    expect((await t.call('payment.get', { paymentId: b.paymentId })).depositSlip).toEqual({
      id: slip.id,
      number: slip.number,
    });

    const text = pdfText((await t.call('regie.depositSlipPdf', { depositSlipId: slip.id })).base64);
    for (const s of [
      'BORDEREAU',
      'Remise de chèques',
      slip.number,
      '1000001 M. Éric Lefèvre Banque Populaire',
      '12,50 €',
      '2000002 Mme Sophie Lefèvre Crédit Agricole Centre', // the bank's name wraps in its column
      '20,00 €',
      '2 chèques',
      'Total 32,50 €',
    ])
      expect(text).toContain(s);
    const csv = await t.call('regie.depositSlipCsv', { depositSlipId: slip.id });
    expect(csv.text.split('\r\n').slice(1, 5)).toEqual([
      'N°;Numéro du chèque;Tireur;Banque;Montant (€);Reçu;Date de réception',
      `1;1000001;M. Éric Lefèvre;Banque Populaire;12,50;${a.receiptNumber};2026-10-05`,
      `2;2000002;Mme Sophie Lefèvre;Crédit Agricole Centre Loire;20,00;${b.receiptNumber};2026-10-05`,
      'Total;;;;32,50;2 chèque(s);',
    ]);
    expect(csv.text.startsWith('\uFEFFBordereau;')).toBe(true);
  });
});

describe('receipts as PDF', () => {
  it('prints the régie, number, date, payer, amount in figures and words, mode, invoices and agent; a reprint says DUPLICATA', async () => {
    const t = await payTown();
    await withInvoice(t);
    await t.call('regie.openSession', { floatCents: 0 });
    await t.as('agent');
    const r = await t.call('payment.record', {
      householdId: t.householdId,
      mode: 'cheque',
      cheque: { ...cheque('7654321'), date: '2026-10-04' },
      amountCents: 12_345,
    });
    const first = await t.call('payment.receiptPdf', { paymentId: r.paymentId });
    expect(first).toMatchObject({ duplicate: false, printCount: 1, fileName: `recu-${r.receiptNumber}.pdf` });
    const text = pdfText(first.base64);
    for (const s of [
      'Ville de Belleval',
      'Régie des services à la famille',
      'REÇU',
      r.receiptNumber,
      '5 octobre 2026 à 09:00',
      'Mme Sophie Lefèvre',
      '123,45 €',
      'cent vingt-trois euros et quarante-cinq centimes',
      'Chèque n° 7654321 — Banque Populaire — tireur M. Éric Lefèvre — daté du 04/10/2026',
      'FAC-2026-000001',
      '32,50 €',
      'Porté au crédit de la famille : 90,95 €',
      'Camille Agent',
    ])
      expect(text).toContain(s);
    expect(text).not.toContain('DUPLICATA');
    t.at('2026-10-07T15:00:00+02:00');
    const again = await t.call('payment.receiptPdf', { paymentId: r.paymentId });
    expect(again).toMatchObject({
      duplicate: true,
      printCount: 2,
      fileName: `recu-${r.receiptNumber}-duplicata.pdf`,
    });
    const dup = pdfText(again.base64);
    expect(dup).toContain('REÇU — DUPLICATA');
    expect(dup).toContain(
      'DUPLICATA — réédité le 7 octobre 2026 ; l’original a été remis le 5 octobre 2026.',
    );
    expect(dup).toContain('cent vingt-trois euros et quarante-cinq centimes');
    expect(
      t.core.raw.prepare('SELECT duplicate FROM receipt_prints ORDER BY printed_at').pluck().all(),
    ).toEqual([0, 1]);
  });
});

describe('the collection report (état récapitulatif)', () => {
  it('splits by activity pro rata, to the cent, with the largest remainders', () => {
    // 10,00 € on an invoice of 20,00 (canteen) + 10,00 (care): 6,666… and 3,333… → 6,67 and 3,33.
    expect(
      splitProRata(1000, [
        { key: 'canteen', weight: 2000, order: 1 },
        { key: 'care', weight: 1000, order: 2 },
      ]),
    ).toEqual(
      new Map([
        ['canteen', 667],
        ['care', 333],
      ]),
    );
    // 1,00 € on three equal activities: 0,33 each and the last cent to the first line (equal remainders, equal weights).
    const three = [
      { key: 'a', weight: 100, order: 1 },
      { key: 'b', weight: 100, order: 2 },
      { key: 'c', weight: 100, order: 3 },
    ];
    expect([...splitProRata(100, three).values()]).toEqual([34, 33, 33]);
    expect([...splitProRata(-100, three).values()]).toEqual([-34, -33, -33]);
  });

  it('adds up by mode and by activity as worked out by hand, for a day and for the month', async () => {
    const t = await payTown();
    t.at('2026-10-01T09:00:00+02:00');
    // Invoice A: canteen 2 × 10,00 + care 1 × 10,00 = 30,00. Invoice B: canteen, care, holiday centre 1,00 each.
    const a = await t.invoice([draftLine('canteen', 1000, 2), draftLine('care', 1000, 1)]);
    const b = await t.invoice([draftLine('canteen', 100), draftLine('care', 100), draftLine('alsh', 100)]);
    t.at('2026-10-05T09:00:00+02:00');
    await t.call('regie.openSession', { floatCents: 0 });
    await t.call('payment.record', {
      householdId: t.householdId,
      mode: 'cash',
      amountCents: 1000,
      allocations: [{ invoiceId: a.invoiceId, amountCents: 1000 }],
    });
    const chq = await t.call('payment.record', {
      householdId: t.householdId,
      mode: 'cheque',
      cheque: cheque('1111111'),
      amountCents: 100,
      allocations: [{ invoiceId: b.invoiceId, amountCents: 100 }],
    });
    await t.call('payment.record', {
      householdId: t.householdId,
      mode: 'online',
      online: { reference: 'PAYFIP-9' },
      amountCents: 500,
      allocations: [],
    });

    // 5 October: cash 10,00 + cheque 1,00 + online 5,00 = 16,00.
    // By activity: A's 10,00 → canteen 6,67, care 3,33; B's 1,00 → canteen 0,34, care 0,33, holiday centre 0,33.
    // Canteen 7,01, care 3,66, holiday centre 0,33: 11,00 allocated; the online 5,00 went to credit.
    const day = await t.call('regie.collectionReport', {
      from: '2026-10-05',
      to: '2026-10-05',
      byPayer: true,
    });
    expect(day.title).toBe('Journée du 5 octobre 2026');
    const byMode = (r: typeof day) =>
      Object.fromEntries(
        r.byMode
          .filter((m) => m.count || m.reversedCount)
          .map((m) => [m.mode, [m.count, m.amountCents, m.reversedCents, m.netCents]]),
      );
    const byActivity = (r: typeof day) =>
      Object.fromEntries(r.byActivity.map((x) => [x.activityName, x.amountCents]));
    expect(byMode(day)).toEqual({
      cash: [1, 1000, 0, 1000],
      cheque: [1, 100, 0, 100],
      online: [1, 500, 0, 500],
    });
    expect(day.totals).toEqual({
      count: 3,
      amountCents: 1600,
      reversedCount: 0,
      reversedCents: 0,
      netCents: 1600,
    });
    expect(byActivity(day)).toEqual({
      'Restauration scolaire': 701,
      'Accueil périscolaire': 366,
      'Accueil de loisirs': 33,
    });
    expect(day.creditChangeCents).toBe(500);
    expect(day.byPayer).toEqual([
      expect.objectContaining({ householdName: 'Lefèvre', count: 3, netCents: 1600 }),
    ]);

    // 6 October: the cheque is reversed. Cheque −1,00; B's 1,00 leaves its activities: −0,34, −0,33, −0,33.
    t.at('2026-10-06T10:00:00+02:00');
    await t.call('payment.reverse', { paymentId: chq.paymentId, reason: 'Chèque impayé' });
    const next = await t.call('regie.collectionReport', {
      from: '2026-10-06',
      to: '2026-10-06',
      byPayer: false,
    });
    expect(byMode(next)).toEqual({ cheque: [0, 0, 100, -100] });
    expect(byActivity(next)).toEqual({
      'Restauration scolaire': -34,
      'Accueil périscolaire': -33,
      'Accueil de loisirs': -33,
    });
    expect(next.creditChangeCents).toBe(0);
    expect(next.byPayer).toBeNull();

    // October: 16,00 − 1,00 = 15,00: canteen 6,67, care 3,33, credit 5,00 (the holiday centre nets to nothing).
    const month = await t.call('regie.collectionReport', {
      from: '2026-10-01',
      to: '2026-10-31',
      byPayer: true,
    });
    expect(month.totals).toMatchObject({ amountCents: 1600, reversedCents: 100, netCents: 1500 });
    expect(byActivity(month)).toEqual({ 'Restauration scolaire': 667, 'Accueil périscolaire': 333 });
    expect(month.creditChangeCents).toBe(500);

    const text = pdfText(
      (await t.call('regie.collectionReportPdf', { from: '2026-10-01', to: '2026-10-31', byPayer: true }))
        .base64,
    );
    for (const s of [
      'État récapitulatif des encaissements',
      'Période du 1 octobre 2026 au 31 octobre 2026',
      'Espèces 1 10,00 € — — 10,00 €',
      'Chèque 1 1,00 € 1 − 1,00 € 0,00 €',
      'Restauration scolaire — — 6,67 €',
      'Total 3 16,00 € 1 − 1,00 € 15,00 €',
      'Lefèvre — Mme Sophie Lefèvre',
    ])
      expect(text).toContain(s);
    const csv = (
      await t.call('regie.collectionReportCsv', { from: '2026-10-01', to: '2026-10-31', byPayer: true })
    ).text.split('\r\n');
    expect(csv).toContain('Mode de règlement;Chèque;;;1;1,00;1,00;0,00');
    expect(csv).toContain('Activité;Restauration scolaire;;;;;;6,67');
    expect(csv).toContain(
      'Activité;Encaissements non imputés à une facture (crédit des familles, net des crédits utilisés);;;;;;5,00',
    );
    expect(csv).toContain('Activité;Total;;;;;;15,00');
    const head = t.core.raw.prepare('SELECT seq, hash FROM journal ORDER BY seq DESC LIMIT 1').get() as {
      seq: number;
      hash: string;
    };
    expect(month.journal).toEqual({ lastSeq: head.seq, lastHash: head.hash });
    expect(text).toContain(
      `journal des encaissements arrêté à l’écriture n° ${head.seq}, empreinte numérique (SHA-256) ${head.hash}`,
    );
    expect(await t.invoke('regie.collectionReport', { from: '2026-10-31', to: '2026-10-01' })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', field: 'to' },
    });
  });
});
