import { v7 as uuidv7 } from 'uuid';
import { describe, expect, it } from 'vitest';
import type { Remark } from '../api/operation.ts';
import { draftLine, payTown, type PayTown } from './fixtures.ts';
import { recordPayment, type PaymentInput } from './payments.ts';

/**
 * What the counter shows and the régie keeps when a payment is taken or reversed (core/payments/payments.ts): the
 * warnings read to the agent, who let a cash payment over the limit through, and the till a refund comes out of.
 */

const cheque = {
  number: '5551234',
  bank: 'Crédit Agricole',
  drawer: 'Mme Sophie Lefèvre',
  payeeChecked: true as const,
};

/** A 96,50 € invoice (September meals and evenings) and the day's till opened with a 50,00 € float. */
async function invoicedWithTill(t: PayTown) {
  await t.invoice([draftLine('canteen', 220, 20), draftLine('care', 210, 25)]);
  return t.call('regie.openSession', { floatCents: 5000 });
}

describe('what the agent is told after a payment', () => {
  it('says how much went to the family’s credit, and says nothing when the payment settles exactly', async () => {
    const t = await payTown();
    await invoicedWithTill(t);
    const exact = await t.call('payment.record', {
      householdId: t.householdId,
      mode: 'cheque',
      cheque,
      amountCents: 4000,
    });
    expect(exact).toMatchObject({ creditCents: 0, warnings: [] });
    // 60,00 € on the 56,50 € left: 3,50 € of credit.
    const over = await t.call('payment.record', {
      householdId: t.householdId,
      mode: 'cheque',
      cheque: { ...cheque, number: '5551235' },
      amountCents: 6000,
    });
    expect(over).toMatchObject({ creditCents: 350, familyCreditCents: 350, dueCents: 0 });
    expect(over.warnings).toEqual([
      '3,50\u00a0€ porté(s) au crédit de la famille, utilisable(s) sur une prochaine facture.',
    ]);
  });

  it('warns of the cash ceiling after cash only: a cheque leaves the drawer as it was', async () => {
    const t = await payTown();
    await invoicedWithTill(t);
    await t.call('regie.saveSettings', {
      modes: ['cash', 'cheque', 'card', 'online'],
      cashLimitCents: 30_000,
      cashLimitOverridable: true,
      cashCeilingCents: 8000,
    });
    // 50,00 € float + 20,00 € cash = 70,00 € in the drawer: under the ceiling, nothing to say.
    const under = await t.call('payment.record', {
      householdId: t.householdId,
      mode: 'cash',
      amountCents: 2000,
    });
    expect(under.warnings).toEqual([]);
    // + 20,00 € = 90,00 € in the drawer, over a ceiling of 80,00 €.
    const cash = await t.call('payment.record', {
      householdId: t.householdId,
      mode: 'cash',
      amountCents: 2000,
    });
    expect(cash.warnings).toEqual([
      'Encaisse de 90,00\u00a0€ au-delà du plafond de 80,00\u00a0€ fixé par l’acte constitutif : versez l’excédent au comptable.',
    ]);
    const byCheque = await t.call('payment.record', {
      householdId: t.householdId,
      mode: 'cheque',
      cheque,
      amountCents: 1000,
    });
    expect(byCheque.warnings).toEqual([]);
  });
});

describe('what the agent is asked for, mode by mode', () => {
  it('names the detail a mode needs, refuses another mode’s, and vouchers that do not make the amount', async () => {
    const t = await payTown();
    await invoicedWithTill(t);
    await t.call('regie.saveSettings', {
      modes: ['cash', 'cheque', 'card', 'ancv', 'cesu', 'online'],
      cashLimitCents: 30_000,
      cashLimitOverridable: true,
      cashCeilingCents: 100_000,
    });
    const refusal = async (input: Record<string, unknown>) => {
      const r = await t.invoke('payment.record', {
        householdId: t.householdId,
        amountCents: 4500,
        ...(input as { mode: 'cash' }),
      });
      return r.ok ? null : [r.error.field, r.error.message];
    };
    expect(await refusal({ mode: 'cheque' })).toEqual([
      'cheque',
      'Indiquez le numéro, la banque et le tireur du chèque.',
    ]);
    expect(await refusal({ mode: 'card' })).toEqual([
      'card',
      'Indiquez la référence d’autorisation du terminal.',
    ]);
    expect(await refusal({ mode: 'cesu' })).toEqual([
      'vouchers',
      'Indiquez le nombre et la valeur des titres.',
    ]);
    expect(await refusal({ mode: 'online' })).toEqual([
      'online',
      'Indiquez la référence du paiement en ligne.',
    ]);
    expect(
      await refusal({ mode: 'cash', card: { authorisation: 'A12345', transaction: null, last4: null } }),
    ).toEqual(['card', 'Ce détail ne concerne pas le mode « Espèces ».']);
    expect(await refusal({ mode: 'ancv', vouchers: [{ faceValueCents: 2000, count: 2 }] })).toEqual([
      'vouchers',
      'Les titres remis font 2 × 20,00\u00a0€ = 40,00\u00a0€, pas 45,00\u00a0€ : un titre ne se fractionne pas ni ne rend la monnaie.',
    ]);
    expect(await refusal({ mode: 'cesu', vouchers: [{ faceValueCents: 1500, count: 3 }] })).toBeNull();
  });
});

describe('what the régisseur reads on a payment', () => {
  it('keeps the agent’s note as typed, and who took the payment', async () => {
    const t = await payTown();
    await invoicedWithTill(t);
    await t.as('agent');
    const r = await t.call('payment.record', {
      householdId: t.householdId,
      mode: 'cheque',
      cheque,
      amountCents: 4000,
      note: 'Chèque de la grand-mère, Mme Odette Lefèvre',
    });
    expect(await t.call('payment.get', { paymentId: r.paymentId })).toMatchObject({
      note: 'Chèque de la grand-mère, Mme Odette Lefèvre',
      agentName: 'Camille Agent',
    });
  });
  it('files the payment and its receipt under the town’s day, not the UTC one, just after midnight', async () => {
    const t = await payTown();
    await t.invoice([draftLine('canteen', 220, 20)]);
    // 00:30 on Tuesday 6 October in Paris is still Monday 5 in UTC; PayFiP takes payments at any hour.
    t.at('2026-10-06T00:30:00+02:00');
    const r = await t.call('payment.record', {
      householdId: t.householdId,
      mode: 'online',
      online: { reference: 'PAYFIP-2026-000502' },
      amountCents: 4400,
    });
    expect(
      t.core.raw
        .prepare(
          'SELECT p.date, r.issue_date, r.number FROM payments p JOIN receipts r ON r.payment_id = p.id WHERE p.id = ?',
        )
        .get(r.paymentId),
    ).toEqual({ date: '2026-10-06', issue_date: '2026-10-06', number: r.receiptNumber });
  });
});

describe('an invoice the agent names for a payment', () => {
  it('is refused by its number when another counter settled it meanwhile, not called another family’s', async () => {
    const t = await payTown();
    await invoicedWithTill(t);
    const [invoice] = (await t.call('billing.listInvoices', { householdId: t.householdId })).invoices;
    await t.call('payment.record', { householdId: t.householdId, mode: 'cheque', cheque, amountCents: 9650 });
    expect(
      await t.invoke('payment.record', {
        householdId: t.householdId,
        mode: 'cash',
        amountCents: 1000,
        allocations: [{ invoiceId: invoice!.id, amountCents: 1000 }],
      }),
    ).toEqual({
      ok: false,
      error: {
        code: 'VALIDATION',
        message: `Montant supérieur au reste à payer de la facture ${invoice!.number} (0,00\u00a0€).`,
        field: 'allocations.0.amountCents',
      },
    });
  });
});

describe('who lets a cash payment over the limit through', () => {
  it('keeps the régisseur’s account and name, and the reason, with the payment', async () => {
    const t = await payTown();
    await invoicedWithTill(t);
    await t.as('regisseur');
    const r = await t.call('payment.record', {
      householdId: t.householdId,
      mode: 'cash',
      amountCents: 30_000,
      override: { reason: 'Famille sans compte bancaire' },
    });
    const regisseur = t.core.raw.prepare("SELECT id FROM staff WHERE username = 'regisseur'").pluck().get();
    expect(
      t.core.raw
        .prepare('SELECT override_by, override_by_name, override_reason FROM payments WHERE id = ?')
        .get(r.paymentId),
    ).toEqual({
      override_by: regisseur,
      override_by_name: 'Rémi Régisseur',
      override_reason: 'Famille sans compte bancaire',
    });
    // Under the limit nobody overrides anything: nothing is recorded.
    const small = await t.call('payment.record', {
      householdId: t.householdId,
      mode: 'cash',
      amountCents: 500,
    });
    expect(
      t.core.raw
        .prepare('SELECT override_by, override_by_name FROM payments WHERE id = ?')
        .get(small.paymentId),
    ).toEqual({ override_by: null, override_by_name: null });
  });
  it('shows the régisseur, on the payment and in the family’s list, an override the central server could not prove', async () => {
    const t = await payTown();
    await invoicedWithTill(t);
    const regisseur = t.core.raw
      .prepare("SELECT id FROM staff WHERE username = 'regisseur'")
      .pluck()
      .get() as string;
    const actor = { agentId: 'agent', agentName: 'Camille Agent', deviceId: t.core.deviceId };
    // As the central server records a counter's payment: the override as logged, with its verdict on the signature.
    const asJudged = (amountCents: number, proof: { status: 'proven' | 'unproven'; note: string | null }) =>
      t.core.db.transaction().execute((db) =>
        recordPayment(
          db,
          {
            paymentId: uuidv7(),
            householdId: t.householdId,
            mode: 'cash',
            amountCents,
            note: '',
            override: {
              reason: 'Famille sans compte bancaire',
              byId: regisseur,
              byName: 'Rémi Régisseur',
              proof,
            },
          },
          { actor, now: t.now, newId: uuidv7, timeZone: 'Europe/Paris' },
        ),
      );
    const why = 'la signature ne correspond pas au mot de passe de « regisseur » pour ce paiement';
    const forged = await asJudged(30_000, { status: 'unproven', note: why });
    const signed = await asJudged(31_000, { status: 'proven', note: null });

    expect((await t.call('payment.get', { paymentId: forged.paymentId })).override).toEqual({
      reason: 'Famille sans compte bancaire',
      byName: 'Rémi Régisseur',
      proof: 'unproven',
      proofNote: why,
    });
    expect((await t.call('payment.get', { paymentId: signed.paymentId })).override).toEqual({
      reason: 'Famille sans compte bancaire',
      byName: 'Rémi Régisseur',
      proof: 'proven',
      proofNote: null,
    });
    const listed = (await t.call('payment.listForHousehold', { householdId: t.householdId })).payments;
    expect(Object.fromEntries(listed.map((p) => [p.amountCents, p.overrideUnproven]))).toEqual({
      30000: `Dérogation attribuée à Rémi Régisseur non prouvée : ${why}`,
      31000: null,
    });
  });
});

describe('reversing a payment and the till', () => {
  it('gives cash back only from today’s open till; a cheque is reversed without one', async () => {
    const t = await payTown();
    const day1 = await invoicedWithTill(t);
    const cash = await t.call('payment.record', {
      householdId: t.householdId,
      mode: 'cash',
      amountCents: 4000,
    });
    const byCheque = await t.call('payment.record', {
      householdId: t.householdId,
      mode: 'cheque',
      cheque,
      amountCents: 1000,
    });
    await t.call('regie.closeSession', {
      sessionId: day1.id,
      counted: [{ denominationCents: 1000, count: 9 }],
      reason: '',
    });

    t.at('2026-10-06T09:00:00+02:00');
    await t.as('regisseur');
    expect(
      await t.invoke('payment.reverse', { paymentId: cash.paymentId, reason: 'Erreur de foyer' }),
    ).toEqual({
      ok: false,
      error: {
        code: 'CONFLICT',
        message:
          'Aucune caisse n’est ouverte sur ce poste : ouvrez la caisse (fonds de caisse) avant d’encaisser.',
        field: 'sessionId',
      },
    });
    const chequeBack = await t.call('payment.reverse', {
      paymentId: byCheque.paymentId,
      reason: 'Chèque impayé',
    });
    expect(chequeBack).toMatchObject({ amountCents: 1000, sessionId: null });

    const day2 = await t.call('regie.openSession', { floatCents: 5000 });
    const cashBack = await t.call('payment.reverse', {
      paymentId: cash.paymentId,
      reason: 'Erreur de foyer',
    });
    expect(cashBack).toMatchObject({ amountCents: 4000, sessionId: day2.id, undoneCents: 4000 });
    // The 40,00 € leave today's drawer: 50,00 € float − 40,00 €.
    expect(await t.call('regie.currentSession', {})).toMatchObject({ session: { cashOnHandCents: 1000 } });
  });
  it('leaves an online payment and its reversal out of the till open at the counter: PayFiP pays the Trésor', async () => {
    const t = await payTown();
    await invoicedWithTill(t);
    const online = await t.call('payment.record', {
      householdId: t.householdId,
      mode: 'online',
      online: { reference: 'PAYFIP-2026-000481' },
      amountCents: 2000,
    });
    expect(online.sessionId).toBeNull();
    // The reference the régisseur matches against the PayFiP statement.
    expect((await t.call('payment.get', { paymentId: online.paymentId })).online).toEqual({
      reference: 'PAYFIP-2026-000481',
    });
    const tillOnline = async () => {
      const till = (await t.call('regie.currentSession', {})).session!;
      const m = till.totals.find((x) => x.mode === 'online')!;
      return { count: m.count, reversedCount: m.reversedCount, tillNetCents: till.totalNetCents };
    };
    const untouched = { count: 0, reversedCount: 0, tillNetCents: 0 };
    expect(await tillOnline()).toEqual(untouched);
    await t.as('regisseur');
    const back = await t.call('payment.reverse', { paymentId: online.paymentId, reason: 'Double paiement' });
    expect(back).toMatchObject({ amountCents: 2000, sessionId: null });
    expect(await tillOnline()).toEqual(untouched);
  });
});

describe('family credit', () => {
  it('is spent on the next invoice, and says so when there is none or nothing to pay', async () => {
    const t = await payTown();
    await invoicedWithTill(t);
    const h = { householdId: t.householdId };
    expect(await t.invoke('payment.useCredit', h)).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', message: 'Ce foyer n’a pas de crédit disponible.' },
    });
    // 100,00 € on 96,50 €: 3,50 € of credit, and nothing left to pay.
    await t.call('payment.record', { ...h, mode: 'cheque', cheque, amountCents: 10_000 });
    expect(await t.invoke('payment.useCredit', h)).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', message: 'Aucune facture de ce foyer ne reste à payer.' },
    });
    // October's invoice of 2,20 €: the credit pays it, 1,30 € stays.
    await t.invoice([draftLine('canteen', 220)]);
    expect(await t.call('payment.useCredit', h)).toMatchObject({
      usedCents: 220,
      familyCreditCents: 130,
      dueCents: 0,
      allocations: [expect.objectContaining({ amountCents: 220, remainingCents: 0 })],
    });
  });

  it('pays the invoice the agent picks, not the oldest, and lists the use under the town’s day', async () => {
    const t = await payTown();
    await invoicedWithTill(t);
    const h = { householdId: t.householdId };
    // 100,00 € on 96,50 €: 3,50 € of credit; then two invoices of 2,20 € and 1,50 €.
    await t.call('payment.record', { ...h, mode: 'cheque', cheque, amountCents: 10_000 });
    await t.invoice([draftLine('canteen', 220)]);
    const november = await t.invoice([draftLine('care', 150)]);
    t.at('2026-10-06T00:15:00+02:00');
    const used = await t.call('payment.useCredit', {
      ...h,
      allocations: [{ invoiceId: november.invoiceId, amountCents: 150 }],
    });
    expect(used).toMatchObject({ usedCents: 150, familyCreditCents: 200, dueCents: 220 });
    expect(used.allocations.map((a) => a.invoiceId)).toEqual([november.invoiceId]);
    const listed = await t.call('payment.listForHousehold', h);
    expect(listed.creditUses).toEqual([
      expect.objectContaining({ date: '2026-10-06', usedCents: 150, invoiceNumbers: [november.number] }),
    ]);
  });

  it('refuses a payment for a family or a reversal of a payment that does not exist', async () => {
    const t = await payTown();
    await invoicedWithTill(t);
    const unknown = '01900000-0000-7000-8000-0000000000ff';
    expect(
      await t.invoke('payment.record', { householdId: unknown, mode: 'cash', amountCents: 100 }),
    ).toEqual({
      ok: false,
      error: { code: 'NOT_FOUND', message: 'Ce foyer est introuvable.', field: 'householdId' },
    });
    expect(await t.invoke('payment.reverse', { paymentId: unknown, reason: 'Erreur' })).toEqual({
      ok: false,
      error: { code: 'NOT_FOUND', message: 'Paiement introuvable.', field: 'paymentId' },
    });
  });
});

describe('a payment replayed where the rules have changed since (a fact, core/api/facts.ts)', () => {
  /** Runs `recordPayment` as a replay does: in one transaction, today's objections collected as remarks. */
  async function replay(
    t: PayTown,
    input: Omit<PaymentInput, 'paymentId' | 'householdId' | 'note' | 'override'>,
  ) {
    const remarks: Remark[] = [];
    const actor = { agentId: 'agent', agentName: 'Camille Agent', deviceId: t.core.deviceId };
    const recorded = await t.core.db
      .transaction()
      .execute((db) =>
        recordPayment(
          db,
          { paymentId: uuidv7(), householdId: t.householdId, note: '', override: null, ...input },
          { actor, now: t.now, newId: uuidv7, timeZone: 'Europe/Paris', remarks },
        ),
      );
    return { recorded, remarks };
  }
  const noted = (rule: string) =>
    `Enregistré tel qu’il a été fait au guichet, mais les règles actuelles ne l’accepteraient plus : ${rule}`;

  it('records cash the régie no longer takes, or over the limit without override, and notes why', async () => {
    const t = await payTown();
    await invoicedWithTill(t);
    const settings = { cashLimitCents: 30_000, cashCeilingCents: 1_000_000 };
    await t.call('regie.saveSettings', { modes: ['cheque'], cashLimitOverridable: true, ...settings });
    const overridable = await replay(t, { mode: 'cash', amountCents: 35_000 });
    expect(overridable.recorded).toMatchObject({ amountCents: 35_000, mode: 'cash' });
    expect(overridable.remarks).toEqual([
      {
        code: 'MODE_REFUSED',
        message: noted('la régie n’accepte pas le mode « Espèces » (acte constitutif).'),
      },
      {
        code: 'CASH_LIMIT',
        message: noted(
          'paiement en espèces de 300,00\u00a0€ ou plus refusé (art. 1680 du CGI) : seul un régisseur peut y déroger, avec un motif.',
        ),
      },
    ]);
    await t.call('regie.saveSettings', { modes: ['cash'], cashLimitOverridable: false, ...settings });
    const forbidden = await replay(t, { mode: 'cash', amountCents: 30_000 });
    expect(forbidden.remarks).toEqual([
      {
        code: 'CASH_LIMIT',
        message: noted(
          'paiement en espèces refusé : 300,00\u00a0€ ou plus ne se paient pas en espèces (art. 1680 du CGI).',
        ),
      },
    ]);
    expect((await replay(t, { mode: 'cash', amountCents: 29_999 })).remarks).toEqual([]);
  });

  it('puts on credit a payment whose invoice was settled meanwhile at another counter, and says so', async () => {
    const t = await payTown();
    const till = await invoicedWithTill(t);
    const [invoice] = (await t.call('billing.listInvoices', { householdId: t.householdId })).invoices;
    await t.call('payment.record', { householdId: t.householdId, mode: 'cheque', cheque, amountCents: 9650 });
    const { recorded, remarks } = await replay(t, {
      mode: 'cash',
      amountCents: 2000,
      sessionId: till.id,
      allocations: [{ invoiceId: invoice!.id, amountCents: 2000 }],
    });
    expect(recorded).toMatchObject({ allocations: [], creditCents: 2000, familyCreditCents: 2000 });
    expect(remarks).toEqual([
      {
        code: 'AS_CREDIT',
        message:
          'Paiement enregistré au crédit de la famille : les factures qu’il devait régler ne le permettaient plus (réglées ou annulées entre-temps à un autre guichet).',
      },
    ]);
  });
});
