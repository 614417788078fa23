import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { draftLine, payTown, type PayTown } from '../payments/fixtures.ts';

/**
 * A régisseur's day at the till beyond taking payments: cash paid in to the Trésor, the card terminal's batch, the
 * closing report (Z), the history of tills, the next float, and the deposit slips chosen cheque by cheque.
 */

const dir = mkdtempSync(join(tmpdir(), 'gf-till-day-'));
let files = 0;
function pdfText(base64: string): string {
  const file = join(dir, `doc-${(files += 1)}.pdf`);
  writeFileSync(file, Buffer.from(base64, 'base64'));
  return execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).replace(
    /\s+/g,
    ' ',
  );
}

const cheque = (number: string, drawer = 'M. Éric Lefèvre') => ({
  number,
  bank: 'Banque Populaire',
  drawer,
  payeeChecked: true as const,
});

/** An invoice of 100 € to pay, a régisseur signed in, and today's till opened with 50 €. */
async function openDay(t: PayTown) {
  t.at('2026-10-01T09:00:00+02:00');
  await t.invoice([draftLine('canteen', 1000, 10)]);
  t.at('2026-10-05T08:30:00+02:00');
  await t.as('regisseur');
  return t.call('regie.openSession', { floatCents: 5000 });
}

describe('cash paid in to the Trésor (versement)', () => {
  it('takes the cash out of the till, is journaled, and the closing expects that much less', async () => {
    const t = await payTown();
    const till = await openDay(t);
    t.at('2026-10-05T10:00:00+02:00');
    await t.call('payment.record', { householdId: t.householdId, mode: 'cash', amountCents: 4000 });

    // 50 + 40 = 90 € in the drawer: 95 € cannot leave it.
    expect(await t.invoke('regie.payIn', { amountCents: 9500, reference: 'Quittance T-2026-114' })).toEqual({
      ok: false,
      error: {
        code: 'VALIDATION',
        message: 'Versement de 95,00\u00a0€ supérieur aux espèces en caisse (90,00\u00a0€).',
        field: 'amountCents',
      },
    });
    expect(await t.invoke('regie.payIn', { amountCents: 3000, reference: '  ' })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', field: 'reference' },
    });
    t.at('2026-10-05T11:15:00+02:00');
    const paid = await t.call('regie.payIn', {
      amountCents: 6000,
      reference: 'Quittance T-2026-114',
      note: 'Remis à la Trésorerie de Belleval',
    });
    expect(paid).toMatchObject({
      cashOnHandCents: 3000,
      payIn: { sessionId: till.id, amountCents: 6000, reference: 'Quittance T-2026-114', date: '2026-10-05' },
    });
    const current = (await t.call('regie.currentSession', {})).session!;
    expect(current).toMatchObject({ paidInCents: 6000, cashOnHandCents: 3000 });

    // A fact: never changed nor deleted, journaled like a payment, and the journal still checks.
    expect(() => t.core.raw.prepare('UPDATE cash_payins SET amount_cents = 1').run()).toThrow(
      /ne se modifie ni ne se supprime/,
    );
    expect(() => t.core.raw.prepare('DELETE FROM cash_payins').run()).toThrow(/ne se modifie/);
    expect(t.core.raw.prepare('SELECT kind FROM journal ORDER BY seq DESC LIMIT 1').pluck().get()).toBe(
      'cash_payin',
    );
    expect((await t.call('regie.verifyJournal', {})).ok).toBe(true);
    t.core.raw.exec('DROP TRIGGER cash_payins_no_update');
    t.core.raw.prepare('UPDATE cash_payins SET amount_cents = 5000').run();
    // Checked already: the full check reads its entry again.
    const altered = await t.call('regie.verifyJournal', { full: true });
    expect(altered.ok).toBe(false);
    expect(altered.firstProblem?.message).toMatch(
      /^Versement au comptable réf\. Quittance T-2026-114 modifié\(e\) depuis son entrée n° \d+ au journal\.$/,
    );
  });

  it('counts in the closing: 30 € expected after 60 € paid in, and the till refuses a pay-in once closed', async () => {
    const t = await payTown();
    const till = await openDay(t);
    await t.call('payment.record', { householdId: t.householdId, mode: 'cash', amountCents: 4000 });
    await t.call('regie.payIn', { amountCents: 6000, reference: 'Q-1' });
    const closed = await t.call('regie.closeSession', {
      sessionId: till.id,
      counted: [{ denominationCents: 1000, count: 3 }],
      reason: '',
    });
    expect(closed).toMatchObject({ cashOnHandCents: 3000, countedCents: 3000, differenceCents: 0 });
    expect(await t.invoke('regie.payIn', { amountCents: 100, reference: 'Q-2' })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', field: 'sessionId' },
    });
    // The database refuses it too, whoever writes.
    expect(() =>
      t.core.raw
        .prepare(
          `INSERT INTO cash_payins (id, session_id, device_id, amount_cents, reference, paid_at, date, agent_id, agent_name)
           VALUES ('x', ?, 'd', 100, 'r', 'x', '2026-10-05', 'a', 'a')`,
        )
        .run(till.id),
    ).toThrow(/caisse clôturée/);
  });

  it('is the régisseur’s: an agent cannot record one', async () => {
    const t = await payTown();
    await openDay(t);
    await t.as('agent');
    expect(await t.invoke('regie.payIn', { amountCents: 100, reference: 'Q' })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
  });
});

describe('the closing report (Z), the history and the next float', () => {
  it('prints float, modes with counts, expected against counted note by note, the difference and its reason, cheques and their slips, card against the terminal, who and when', async () => {
    const t = await payTown();
    const till = await openDay(t);
    t.at('2026-10-05T09:10:00+02:00');
    const cash = await t.call('payment.record', {
      householdId: t.householdId,
      mode: 'cash',
      amountCents: 2000,
    });
    const chq1 = await t.call('payment.record', {
      householdId: t.householdId,
      mode: 'cheque',
      cheque: cheque('0012345', 'Mme Sophie Lefèvre'),
      amountCents: 3000,
    });
    await t.call('payment.record', {
      householdId: t.householdId,
      mode: 'cheque',
      cheque: cheque('0067890'),
      amountCents: 1500,
    });
    await t.call('payment.record', {
      householdId: t.householdId,
      mode: 'card',
      card: { authorisation: 'A12345' },
      amountCents: 1200,
    });
    await t.call('payment.record', {
      householdId: t.householdId,
      mode: 'card',
      card: { authorisation: 'B67890' },
      amountCents: 800,
    });
    const slip = await t.call('regie.depositSlip.create', { paymentIds: [chq1.paymentId] });
    t.at('2026-10-05T17:45:00+02:00');
    await t.call('payment.reverse', { paymentId: cash.paymentId, reason: 'Erreur de famille' });

    // Read-only detail of the open till: each payment with its receipt, the reversal, the slip of each cheque.
    const detail = await t.call('regie.session', { sessionId: till.id });
    expect(detail.payments.map((p) => [p.modeLabel, p.amountCents, p.reversed, p.depositSlip])).toEqual([
      ['Espèces', 2000, true, null],
      ['Chèque', 3000, false, slip.number],
      ['Chèque', 1500, false, null],
      ['Carte bancaire', 1200, false, null],
      ['Carte bancaire', 800, false, null],
    ]);
    expect(detail.payments[0]!.receiptNumber).toBe(cash.receiptNumber);
    expect(detail.reversals).toEqual([
      expect.objectContaining({ reason: 'Erreur de famille', amountCents: 2000 }),
    ]);
    expect(await t.invoke('regie.sessionReportPdf', { sessionId: till.id })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', field: 'sessionId' },
    });

    // 50 € float + 20 − 20 = 50 € expected; 49,50 € counted. The terminal's batch says 19,00 € against 20,00 €.
    t.at('2026-10-05T18:02:00+02:00');
    await t.call('regie.closeSession', {
      sessionId: till.id,
      counted: [
        { denominationCents: 2000, count: 2 },
        { denominationCents: 500, count: 1 },
        { denominationCents: 200, count: 2 },
        { denominationCents: 50, count: 1 },
      ],
      reason: 'Pièce de 0,50 € introuvable',
      cardBatchCents: 1900,
    });
    const z = await t.call('regie.sessionReportPdf', { sessionId: till.id });
    expect(z.fileName).toMatch(/^cloture-caisse-2026-10-05-P[0-9A-F]{4}\.pdf$/);
    const text = pdfText(z.base64);
    for (const s of [
      'CLÔTURE DE CAISSE',
      'Caisse du 5 octobre 2026',
      'Ouverture 05/10/2026 à 08:30',
      'Clôture 05/10/2026 à 18:02',
      'Fonds de caisse à l’ouverture 50,00 €',
      'Espèces encaissées 1 paiement + 20,00 €',
      'Espèces rendues (paiements annulés) 1 − 20,00 €',
      'Espèces attendues 50,00 €',
      'Espèces comptées 49,50 €',
      'Écart déficit -0,50 €',
      'Motif de l’écart : Pièce de 0,50 € introuvable',
      'Billet de 20,00 € 2 40,00 €',
      'Pièce de 0,50 € 1 0,50 €',
      'Chèque 2 45,00 € — 45,00 €',
      'Carte bancaire 2 20,00 € — 20,00 €',
      'Paiements par carte enregistrés : 2 pour 20,00 €',
      'Total de la télécollecte du terminal : 19,00 € — écart : -1,00 €',
      `0012345 Mme Sophie Lefèvre Banque Populaire 30,00 € ${slip.number}`,
      '0067890 M. Éric Lefèvre Banque Populaire 15,00 € en attente de remise',
      `${cash.receiptNumber} 09:10`,
      'Erreur de famille (Rémi Régisseur)',
      'Le régisseur (signature)',
    ])
      expect(text).toContain(s);
    // The float was typed as a sum: there is no note-by-note float to print.
    expect(text).not.toContain('Fonds de caisse compté à l’ouverture');
    expect(text).not.toContain('-0,00');

    // The history lists it with its counter; its Z is reprinted from there.
    const [past] = await t.call('regie.sessions', {});
    expect(past).toMatchObject({ id: till.id, closed: true, cardBatchCents: 1900, thisCounter: true });
    expect(past!.counterCode).toMatch(/^P[0-9A-F]{4}$/);
    expect(pdfText((await t.call('regie.sessionReportPdf', { sessionId: till.id })).base64)).toContain(
      'Espèces comptées 49,50 €',
    );
  });

  it('proposes the next float: the cash last counted, else the town’s float, else nothing', async () => {
    const t = await payTown();
    expect((await t.call('regie.currentSession', {})).nextFloat).toEqual({
      cents: 0,
      denominations: null,
      source: 'none',
      fromDate: null,
    });
    await t.call('regie.saveSettings', {
      modes: ['cash', 'cheque'],
      cashLimitCents: 30_000,
      cashLimitOverridable: true,
      cashCeilingCents: 100_000,
      floatCents: 15_000,
    });
    expect((await t.call('regie.currentSession', {})).nextFloat).toMatchObject({
      cents: 15_000,
      source: 'setting',
    });
    // Settings saved without the float leave it as it was; null says the town sets none.
    const settings = {
      modes: ['cash' as const],
      cashLimitCents: 30_000,
      cashLimitOverridable: true,
      cashCeilingCents: 100_000,
    };
    await t.call('regie.saveSettings', settings);
    expect((await t.call('regie.currentSession', {})).nextFloat).toMatchObject({ cents: 15_000 });
    await t.call('regie.saveSettings', { ...settings, floatCents: null });
    expect((await t.call('regie.currentSession', {})).nextFloat).toMatchObject({ cents: 0, source: 'none' });
    await t.call('regie.saveSettings', { ...settings, floatCents: 15_000 });

    const till = await t.call('regie.openSession', { floatCents: 15_000 });
    expect((await t.call('regie.currentSession', {})).nextFloat).toBeNull();
    await t.call('regie.closeSession', {
      sessionId: till.id,
      counted: [{ denominationCents: 5000, count: 2 }],
      reason: 'Fonds incomplet',
    });
    // What was counted stayed in the drawer: it wins over the town's float.
    expect((await t.call('regie.currentSession', {})).nextFloat).toEqual({
      cents: 10_000,
      denominations: [{ denominationCents: 5000, count: 2 }],
      source: 'closing',
      fromDate: '2026-10-05',
    });
  });
});

describe('deposit slips, chosen and reprinted', () => {
  it('makes a slip of the cheques chosen only, and a reprint from the list says DUPLICATA', async () => {
    const t = await payTown();
    await openDay(t);
    const a = await t.call('payment.record', {
      householdId: t.householdId,
      mode: 'cheque',
      cheque: cheque('1000001'),
      amountCents: 1250,
    });
    await t.call('payment.record', {
      householdId: t.householdId,
      mode: 'cheque',
      cheque: cheque('2000002'),
      amountCents: 2000,
    });
    const slip = await t.call('regie.depositSlip.create', { paymentIds: [a.paymentId] });
    expect(slip).toMatchObject({ chequeCount: 1, totalCents: 1250 });
    expect((await t.call('regie.pendingCheques', {})).cheques.map((c) => c.chequeNumber)).toEqual([
      '2000002',
    ]);
    expect(await t.call('regie.depositSlips', {})).toEqual([
      expect.objectContaining({ id: slip.id, number: slip.number, chequeCount: 1, totalCents: 1250 }),
    ]);
    const original = pdfText((await t.call('regie.depositSlipPdf', { depositSlipId: slip.id })).base64);
    expect(original).not.toContain('DUPLICATA');
    t.at('2026-11-02T10:00:00+01:00');
    const again = await t.call('regie.depositSlipPdf', { depositSlipId: slip.id, reprint: true });
    expect(again.fileName).toBe(`bordereau-${slip.number}-duplicata.pdf`);
    const text = pdfText(again.base64);
    expect(text).toContain('Exemplaire DUPLICATA');
    expect(text).toContain(`Bordereau ${slip.number} · DUPLICATA · page 1/1`);
    expect(text).toContain(
      'DUPLICATA — réédité le 2 novembre 2026 ; l’original a été établi le 5 octobre 2026.',
    );
    expect(text).toContain('1000001 M. Éric Lefèvre Banque Populaire');
  });
});

describe('the collection report for the Trésorerie', () => {
  it('prints no negative zero, names each activity’s accounting codes, and lists the cash paid in', async () => {
    const t = await payTown();
    await openDay(t);
    await t.call('payment.record', { householdId: t.householdId, mode: 'cash', amountCents: 4000 });
    await t.call('regie.payIn', { amountCents: 2000, reference: 'Quittance 114' });
    // The test invoices' canteen is an activity of its own: give it its codes as the administrator would.
    t.core.raw
      .prepare(
        `INSERT INTO activities (id, code, name, kind, settings, sort, updated_at) VALUES (?, 'cantine', 'Restauration scolaire', 'canteen', ?, 1, 'x')`,
      )
      .run(
        '01900000-0000-7000-8000-00000000a001',
        JSON.stringify({
          calendar: 'school',
          granularity: 'day',
          bookingDeadline: { kind: 'none' },
          cancelDeadline: { kind: 'none' },
          payment: 'monthly',
          lateAdd: null,
          unbookedPresence: null,
          lateCancellationBilled: true,
          unjustifiedAbsenceBilled: true,
          accounting: { imputation: '7067-251', productCode: 'REST' },
        }),
      );
    const input = { from: '2026-10-01', to: '2026-10-31', byPayer: true };
    const report = await t.call('regie.collectionReport', input);
    expect(report.byActivity).toEqual([
      expect.objectContaining({
        activityName: 'Restauration scolaire',
        imputation: '7067-251',
        productCode: 'REST',
      }),
    ]);
    const text = pdfText((await t.call('regie.collectionReportPdf', input)).base64);
    expect(text).not.toMatch(/-0,00/);
    expect(text).toContain('Total 1 40,00 € — — 40,00 €');
    expect(text).toContain('Restauration scolaire 7067-251 REST 40,00 €');
    expect(text).toMatch(/05\/10\/2026 P[0-9A-F]{4} Quittance 114 Rémi Régisseur 20,00 €/);
    for (const developerWord of ['centimes entiers', 'plus grands restes', 'variation', 'entrée n°'])
      expect(text).not.toContain(developerWord);
    const csv = (await t.call('regie.collectionReportCsv', input)).text.split('\r\n');
    expect(csv[0]).toBe('\uFEFFVille de Belleval — Régie des services à la famille');
    expect(csv).toContain('Activité;Restauration scolaire;7067-251;REST;;;;40,00');
    expect(csv).toContain('Mode de règlement;Total;;;1;40,00;0,00;40,00');
    expect(csv.find((l) => l.startsWith('Versement au comptable;'))).toMatch(
      /^Versement au comptable;05\/10\/2026 — guichet P[0-9A-F]{4} — référence Quittance 114;;;;;;20,00$/,
    );
  });

  it('refuses an accounting code a spreadsheet could take for a formula, naming the field', async () => {
    const t = await payTown();
    const r = await t.invoke('admin.saveActivity', {
      code: 'cantine',
      name: 'Restauration scolaire',
      kind: 'canteen',
      settings: {
        calendar: 'school',
        granularity: 'day',
        bookingDeadline: { kind: 'none' },
        cancelDeadline: { kind: 'none' },
        payment: 'monthly',
        lateAdd: null,
        unbookedPresence: null,
        lateCancellationBilled: true,
        unjustifiedAbsenceBilled: true,
        accounting: { imputation: '=SOMME(A1)', productCode: '' },
      },
      units: [{ code: 'meal', label: 'Repas', weekdays: [1] }],
      siteIds: [],
    });
    expect(r).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(JSON.stringify(r)).toContain('imputation budgétaire');
  });
});
