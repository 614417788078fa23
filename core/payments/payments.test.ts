import { describe, expect, it } from 'vitest';
import { LEFEVRE, TEST_PASSWORD } from '../test/fixtures.ts';
import { draftLine, payTown, type PayTown } from './fixtures.ts';

/** Three invoices of the Lefèvre household issued on three days: 32,50 € (oldest), 18,00 €, 45,00 € (newest). */
async function threeInvoices(t: PayTown) {
  t.at('2026-10-01T09:00:00+02:00');
  const oldest = await t.invoice([draftLine('canteen', 220, 10), draftLine('care', 210, 5)]);
  t.at('2026-10-02T09:00:00+02:00');
  const middle = await t.invoice([draftLine('alsh', 900, 2)]);
  t.at('2026-10-03T09:00:00+02:00');
  const newest = await t.invoice([draftLine('canteen', 450, 10)]);
  t.at('2026-10-05T09:00:00+02:00');
  await t.call('regie.openSession', { floatCents: 5000 });
  return { oldest, middle, newest };
}

const cheque = {
  number: '1234567',
  bank: 'Banque Populaire',
  drawer: 'M. Éric Lefèvre',
  payeeChecked: true as const,
};

async function remaining(t: PayTown) {
  const list = await t.call('billing.listInvoices', { householdId: t.householdId });
  return Object.fromEntries(list.invoices.map((i) => [i.number, i.remainingCents]));
}

/** The two identities of RULES.md, from the tables themselves. */
async function expectConsistent(t: PayTown) {
  const b = await t.call('payment.familyBalance', { householdId: t.householdId });
  expect(b.dueCents).toBe(b.invoicedCents - b.creditNotesCents - b.allocatedCents);
  expect(b.creditCents).toBe(b.paymentsCents - b.reversedCents - b.allocatedCents);
  expect(b.creditCents).toBeGreaterThanOrEqual(0);
  expect(b.openInvoices.every((i) => i.remainingCents > 0)).toBe(true);
  expect((await t.call('regie.verifyJournal', {})).firstProblem).toBeNull();
  return b;
}

describe('allocation', () => {
  it('settles the oldest invoices first, partly the next, and shows it on the invoices', async () => {
    const t = await payTown();
    await threeInvoices(t);
    // 40,00 €: 32,50 on the oldest, 7,50 on the middle one (18,00 → 10,50 left), nothing on the newest.
    const r = await t.call('payment.record', { householdId: t.householdId, mode: 'cash', amountCents: 4000 });
    expect(r.allocations.map((a) => [a.number, a.amountCents, a.remainingCents])).toEqual([
      ['FAC-2026-000001', 3250, 0],
      ['FAC-2026-000002', 750, 1050],
    ]);
    expect(r).toMatchObject({ creditCents: 0, dueCents: 1050 + 4500, amountInWords: 'quarante euros' });
    expect(await remaining(t)).toEqual({
      'FAC-2026-000001': 0,
      'FAC-2026-000002': 1050,
      'FAC-2026-000003': 4500,
    });
    await expectConsistent(t);
  });

  it('proposes the same allocation before validating, and takes the one the agent edited', async () => {
    const t = await payTown();
    const { oldest, newest } = await threeInvoices(t);
    const proposal = await t.call('payment.proposeAllocation', {
      householdId: t.householdId,
      amountCents: 4000,
    });
    expect(proposal.allocations.map((a) => a.amountCents)).toEqual([3250, 750]);
    expect(proposal.openInvoices.map((i) => i.number)).toEqual([
      'FAC-2026-000001',
      'FAC-2026-000002',
      'FAC-2026-000003',
    ]);
    // The family wants the newest invoice paid first: 40,00 € on it, 0,50 € on the oldest.
    const r = await t.call('payment.record', {
      householdId: t.householdId,
      mode: 'cheque',
      cheque,
      amountCents: 4050,
      allocations: [
        { invoiceId: newest.invoiceId, amountCents: 4000 },
        { invoiceId: oldest.invoiceId, amountCents: 50 },
      ],
    });
    expect(r.allocations.map((a) => [a.number, a.amountCents])).toEqual([
      ['FAC-2026-000003', 4000],
      ['FAC-2026-000001', 50],
    ]);
    expect(await remaining(t)).toEqual({
      'FAC-2026-000001': 3200,
      'FAC-2026-000002': 1800,
      'FAC-2026-000003': 500,
    });
    await expectConsistent(t);
  });

  it('never puts more on an invoice than what remains, nor on another family’s invoice, nor more than paid', async () => {
    const t = await payTown();
    const { middle } = await threeInvoices(t);
    const other = await t.call('family.createHousehold', { ...LEFEVRE, name: 'Martin' });
    const foreign = await t.invoice([draftLine('canteen', 220)], other.householdId);
    const base = { householdId: t.householdId, mode: 'cash' as const, amountCents: 5000 };
    expect(
      await t.invoke('payment.record', {
        ...base,
        allocations: [{ invoiceId: middle.invoiceId, amountCents: 1801 }],
      }),
    ).toEqual({
      ok: false,
      error: {
        code: 'VALIDATION',
        message: 'Montant supérieur au reste à payer de la facture FAC-2026-000002 (18,00\u00a0€).',
        field: 'allocations.0.amountCents',
      },
    });
    expect(
      await t.invoke('payment.record', {
        ...base,
        allocations: [{ invoiceId: foreign.invoiceId, amountCents: 100 }],
      }),
    ).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', field: 'allocations.0.invoiceId' },
    });
    expect(
      await t.invoke('payment.record', {
        ...base,
        amountCents: 1000,
        allocations: [{ invoiceId: middle.invoiceId, amountCents: 1800 }],
      }),
    ).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'allocations' } });
    // Nothing was written by the refusals: no receipt number was taken either.
    const r = await t.call('payment.record', { ...base, amountCents: 100 });
    expect(r.receiptNumber).toMatch(/-2026-000001$/);
  });

  it('turns an excess into family credit, used later on a new invoice', async () => {
    const t = await payTown();
    await threeInvoices(t);
    // 100,00 € for 95,50 € due: 4,50 € of credit.
    const r = await t.call('payment.record', {
      householdId: t.householdId,
      mode: 'cheque',
      cheque,
      amountCents: 10_000,
    });
    expect(r).toMatchObject({ creditCents: 450, familyCreditCents: 450, dueCents: 0 });
    expect(r.warnings).toContain(
      '4,50\u00a0€ porté(s) au crédit de la famille, utilisable(s) sur une prochaine facture.',
    );
    expect(await t.invoke('payment.useCredit', { householdId: t.householdId })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT' },
    });
    t.at('2026-11-02T09:00:00+02:00');
    const next = await t.invoice([draftLine('canteen', 220, 3)]);
    const used = await t.call('payment.useCredit', { householdId: t.householdId });
    expect(used).toMatchObject({ usedCents: 450, familyCreditCents: 0, dueCents: 660 - 450 });
    expect(used.allocations).toEqual([
      expect.objectContaining({ invoiceId: next.invoiceId, amountCents: 450, remainingCents: 210 }),
    ]);
    const b = await expectConsistent(t);
    expect(b).toMatchObject({
      invoicedCents: 9550 + 660,
      allocatedCents: 9550 + 450,
      paymentsCents: 10_000,
      creditCents: 0,
    });
    const tab = await t.call('payment.listForHousehold', { householdId: t.householdId });
    expect(tab.payments).toEqual([
      expect.objectContaining({
        receiptNumber: r.receiptNumber,
        modeLabel: 'Chèque',
        amountCents: 10_000,
        invoiceNumbers: ['FAC-2026-000001', 'FAC-2026-000002', 'FAC-2026-000003'],
        creditCents: 450,
        reversed: false,
      }),
    ]);
    expect(tab.creditUses).toEqual([
      expect.objectContaining({ usedCents: 450, invoiceNumbers: [next.number] }),
    ]);
    expect(tab.balance).toMatchObject({ dueCents: 210, creditCents: 0 });
  });
});

describe('the 300 € cash rule', () => {
  it('refuses 300 € in cash without an override, accepts 299,99 €', async () => {
    const t = await payTown();
    await threeInvoices(t);
    const r = await t.invoke('payment.record', {
      householdId: t.householdId,
      mode: 'cash',
      amountCents: 30_000,
    });
    expect(r).toEqual({
      ok: false,
      error: {
        code: 'FORBIDDEN',
        message:
          'Paiement en espèces de 300,00\u00a0€ ou plus refusé (art. 1680 du CGI) : seul un régisseur peut y déroger, avec un motif.',
        field: 'override',
      },
    });
    expect(
      (await t.invoke('payment.record', { householdId: t.householdId, mode: 'cash', amountCents: 29_999 }))
        .ok,
    ).toBe(true);
    // Other modes have no such limit.
    expect(
      (
        await t.invoke('payment.record', {
          householdId: t.householdId,
          mode: 'cheque',
          cheque,
          amountCents: 50_000,
        })
      ).ok,
    ).toBe(true);
  });

  it('lets a signed-in régisseur override with a reason, and records who', async () => {
    const t = await payTown();
    await threeInvoices(t);
    await t.as('regisseur');
    const r = await t.call('payment.record', {
      householdId: t.householdId,
      mode: 'cash',
      amountCents: 32_000,
      override: { reason: 'Famille sans compte bancaire' },
    });
    const p = await t.call('payment.get', { paymentId: r.paymentId });
    // Recorded as authorised here; only the central server judges the proof (server/sync.facts.test.ts).
    expect(p.override).toEqual({
      reason: 'Famille sans compte bancaire',
      byName: 'Rémi Régisseur',
      proof: null,
      proofNote: null,
    });
  });

  it('lets an agent take it only with a régisseur’s username and password, never logging the password', async () => {
    const t = await payTown();
    await threeInvoices(t);
    await t.as('agent');
    const base = { householdId: t.householdId, mode: 'cash' as const, amountCents: 30_000 };
    expect(await t.invoke('payment.record', { ...base, override: { reason: 'Urgence' } })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', field: 'override.username' },
    });
    expect(
      await t.invoke('payment.record', {
        ...base,
        override: { reason: 'Urgence', username: 'agent', password: TEST_PASSWORD },
      }),
    ).toMatchObject({
      ok: false,
      error: {
        code: 'FORBIDDEN',
        message: 'Camille Agent n’est pas régisseur : seul un régisseur peut autoriser cette dérogation.',
      },
    });
    expect(
      await t.invoke('payment.record', {
        ...base,
        override: { reason: 'Urgence', username: 'regisseur', password: 'faux-mot-de-passe' },
      }),
    ).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'override.password' } });
    const r = await t.call('payment.record', {
      ...base,
      override: { reason: 'Urgence', username: 'Regisseur', password: TEST_PASSWORD },
    });
    const p = await t.call('payment.get', { paymentId: r.paymentId });
    expect(p).toMatchObject({
      agentName: 'Camille Agent',
      override: { reason: 'Urgence', byName: 'Rémi Régisseur' },
    });
    const log = JSON.stringify(
      t.core.raw.prepare("SELECT input FROM command_log WHERE name = 'payment.record'").all(),
    );
    expect(log).toContain('Urgence');
    expect(log).not.toContain(TEST_PASSWORD);
  });

  it('refuses even a régisseur when the town does not allow the override', async () => {
    const t = await payTown();
    await threeInvoices(t);
    await t.call('regie.saveSettings', {
      modes: ['cash', 'cheque'],
      cashLimitCents: 30_000,
      cashLimitOverridable: false,
      cashCeilingCents: 100_000,
    });
    expect(
      await t.invoke('payment.record', {
        householdId: t.householdId,
        mode: 'cash',
        amountCents: 30_000,
        override: { reason: 'x' },
      }),
    ).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', field: 'amountCents' } });
    // And a mode the régie does not accept is refused.
    expect(
      await t.invoke('payment.record', {
        householdId: t.householdId,
        mode: 'card',
        amountCents: 100,
        card: { authorisation: 'A1B2C3' },
      }),
    ).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'mode' } });
  });
});

describe('mode details', () => {
  it('never stores a card number: a PAN in any card field or the note is refused, the database refuses it too', async () => {
    const t = await payTown();
    await threeInvoices(t);
    const base = { householdId: t.householdId, mode: 'card' as const, amountCents: 1000 };
    for (const [card, note, field] of [
      [{ authorisation: '4970 1012 3456 7890' }, '', 'card.authorisation'],
      [{ authorisation: '4970-1012-3456-789' }, '', 'card.authorisation'],
      [{ authorisation: 'A1B2C3', transaction: '4970101234567890123' }, '', 'card.transaction'],
      [{ authorisation: 'A1B2C3' }, 'carte 4970101234567890', 'note'],
    ] as const) {
      const r = await t.invoke('payment.record', { ...base, card, note });
      expect(r).toMatchObject({ ok: false, error: { code: 'VALIDATION', field } });
      if (!r.ok) expect(r.error.message).toMatch(/numéro de carte/);
    }
    expect(
      await t.invoke('payment.record', { ...base, card: { authorisation: 'A1B2C3', last4: '4970 1012' } }),
    ).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', field: 'card.last4' },
    });
    const ok = await t.call('payment.record', {
      ...base,
      card: { authorisation: '123456', transaction: 'T-000123', last4: '7890' },
    });
    expect((await t.call('payment.get', { paymentId: ok.paymentId })).card).toEqual({
      authorisation: '123456',
      transaction: 'T-000123',
      last4: '7890',
    });
    expect(() =>
      t.core.raw
        .prepare(
          'INSERT INTO payments (id, household_id, mode, amount_cents, received_at, date, session_id, household_name, payer_name, card_authorisation, agent_id, agent_name, device_id) VALUES (?, ?, ?, 100, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
        )
        .run(
          'x1',
          t.householdId,
          'card',
          'x',
          '2026-10-05',
          ok.sessionId,
          'L',
          'L',
          '4970101234567890',
          'a',
          'a',
          'd',
        ),
    ).toThrow(/CHECK constraint failed: payments_no_pan/);
  });

  it('asks each mode for its details and refuses another mode’s', async () => {
    const t = await payTown();
    await threeInvoices(t);
    const base = { householdId: t.householdId, amountCents: 4500 };
    expect(await t.invoke('payment.record', { ...base, mode: 'cheque' })).toMatchObject({
      ok: false,
      error: { field: 'cheque' },
    });
    expect(await t.invoke('payment.record', { ...base, mode: 'cash', cheque })).toMatchObject({
      ok: false,
      error: { field: 'cheque' },
    });
    expect(
      await t.invoke('payment.record', {
        ...base,
        mode: 'cheque',
        // @ts-expect-error -- the payee left unchecked, which the schema refuses
        cheque: { ...cheque, payeeChecked: false },
      }),
    ).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'cheque.payeeChecked' } });
    // ANCV: 2 × 20 € + 1 × 5 €... the titles must make the amount exactly, no change is given.
    expect(
      await t.invoke('payment.record', {
        ...base,
        mode: 'ancv',
        vouchers: [{ faceValueCents: 2000, count: 2 }],
      }),
    ).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'vouchers' } });
    const v = await t.call('payment.record', {
      ...base,
      mode: 'ancv',
      vouchers: [
        { faceValueCents: 2000, count: 2 },
        { faceValueCents: 500, count: 1 },
      ],
    });
    expect((await t.call('payment.get', { paymentId: v.paymentId })).vouchers).toEqual([
      { faceValueCents: 2000, count: 2 },
      { faceValueCents: 500, count: 1 },
    ]);
    const online = await t.call('payment.record', {
      ...base,
      mode: 'online',
      online: { reference: 'PAYFIP-2026-000123' },
    });
    expect(online.sessionId).toBeNull();
  });
});

describe('corrections', () => {
  it('reverses a payment by a reversing entry with a reason, once, leaving the payment as it was', async () => {
    const t = await payTown();
    await threeInvoices(t);
    const r = await t.call('payment.record', { householdId: t.householdId, mode: 'cash', amountCents: 4000 });
    const before = t.core.raw.prepare('SELECT * FROM payments WHERE id = ?').get(r.paymentId);
    await t.as('agent');
    expect(
      await t.invoke('payment.reverse', { paymentId: r.paymentId, reason: 'Erreur de foyer' }),
    ).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    await t.as('regisseur');
    const rev = await t.call('payment.reverse', { paymentId: r.paymentId, reason: 'Erreur de foyer' });
    expect(rev).toMatchObject({ amountCents: 4000, undoneCents: 4000, familyCreditCents: 0, dueCents: 9550 });
    expect(await remaining(t)).toEqual({
      'FAC-2026-000001': 3250,
      'FAC-2026-000002': 1800,
      'FAC-2026-000003': 4500,
    });
    expect(t.core.raw.prepare('SELECT * FROM payments WHERE id = ?').get(r.paymentId)).toEqual(before);
    expect(await t.invoke('payment.reverse', { paymentId: r.paymentId, reason: 'encore' })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', message: 'Ce paiement est déjà annulé.' },
    });
    expect((await t.call('payment.get', { paymentId: r.paymentId })).reversal).toMatchObject({
      reason: 'Erreur de foyer',
    });
    for (const statement of [
      'UPDATE payments SET amount_cents = 1',
      'DELETE FROM payments',
      'DELETE FROM allocations',
      'UPDATE receipts SET number = 1',
      'DELETE FROM journal',
      'UPDATE allocations SET amount_cents = 1',
      'UPDATE payment_reversals SET reason = 1',
    ])
      expect(() => t.core.raw.prepare(statement).run(), statement).toThrow(/ne se modifie ni ne se supprime/);
    await expectConsistent(t);
  });

  it('undoes spent credit when the payment that gave it is reversed, so the credit never goes negative', async () => {
    const t = await payTown();
    await threeInvoices(t);
    // 100 € pays everything (95,50) and leaves 4,50 of credit, spent on a new invoice.
    const r = await t.call('payment.record', {
      householdId: t.householdId,
      mode: 'cheque',
      cheque,
      amountCents: 10_000,
    });
    const next = await t.invoice([draftLine('canteen', 220, 3)]);
    await t.call('payment.useCredit', { householdId: t.householdId });
    const rev = await t.call('payment.reverse', { paymentId: r.paymentId, reason: 'Chèque sans provision' });
    expect(rev).toMatchObject({ undoneCents: 9550 + 450, familyCreditCents: 0, dueCents: 9550 + 660 });
    expect((await remaining(t))[next.number]).toBe(660);
    await expectConsistent(t);
  });

  it('gives back to the family as credit what a credit note leaves overpaid', async () => {
    const t = await payTown();
    const { oldest } = await threeInvoices(t);
    await t.call('payment.record', { householdId: t.householdId, mode: 'cash', amountCents: 3250 });
    const lines = await t.call('billing.getInvoice', { invoiceId: oldest.invoiceId });
    const care = lines.groups.flatMap((g) => g.lines).find((l) => l.activityName === 'Accueil périscolaire');
    const note = await t.call('billing.creditNote', {
      invoiceId: oldest.invoiceId,
      reason: 'Accueil fermé (grève)',
      lines: [{ invoiceLineId: care!.id, amountCents: 1050 }],
    });
    expect(note.invoiceRemainingCents).toBe(0);
    const b = await expectConsistent(t);
    expect(b).toMatchObject({ creditCents: 1050, dueCents: 1800 + 4500 });
  });
});

describe('receipts', () => {
  it('numbers receipts without gap in the counter’s own series, whatever is refused in between', async () => {
    const t = await payTown();
    await threeInvoices(t);
    await t.call('regie.saveSettings', {
      modes: ['cash', 'cheque', 'card', 'ancv', 'cesu', 'online'],
      cashLimitCents: 30_000,
      cashLimitOverridable: true,
      cashCeilingCents: 100_000,
      counterCode: 'g1',
    });
    const numbers: string[] = [];
    for (const amountCents of [100, 30_000, 200, 999_999, 300]) {
      const r = await t.invoke('payment.record', { householdId: t.householdId, mode: 'cash', amountCents });
      if (r.ok) numbers.push(r.data.receiptNumber);
    }
    expect(numbers).toEqual(['REC-G1-2026-000001', 'REC-G1-2026-000002', 'REC-G1-2026-000003']);
  });
});
