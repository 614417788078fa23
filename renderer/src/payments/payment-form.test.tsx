import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { OutputOf } from '../../../core/contract.ts';
import { fakeCounter, renderWithCounter } from '../test-support.tsx';
import { PaymentForm, type PaymentSettings } from './payment-form.tsx';
import { buildPayment, emptyDraft } from './payment-input.ts';

const SETTINGS: PaymentSettings = {
  modes: [
    { mode: 'cash', label: 'Espèces' },
    { mode: 'cheque', label: 'Chèque' },
    { mode: 'card', label: 'Carte bancaire' },
    { mode: 'ancv', label: 'Chèques-vacances ANCV' },
  ],
  allModes: [],
  cashLimitCents: 30_000,
  cashLimitOverridable: true,
  cashCeilingCents: 100_000,
  counterCode: 'G1',
  receiptSeries: 'REC-G1',
  denominations: [],
  floatCents: null,
};

const PROPOSAL = (
  amountCents: number,
  titreExport: string | null = null,
): OutputOf<'payment.proposeAllocation'> => ({
  openInvoices: [
    {
      invoiceId: 'inv1',
      number: 'FAC-2026-000001',
      issueDate: '2026-10-05',
      dueDate: '2026-10-25',
      totalCents: 3080,
      remainingCents: 3080,
      titreExport,
    },
  ],
  allocations: [
    {
      invoiceId: 'inv1',
      number: 'FAC-2026-000001',
      amountCents: Math.min(3080, amountCents),
      remainingCents: 0,
    },
  ],
  excessCents: Math.max(0, amountCents - 3080),
  familyCreditCents: 0,
  amountInWords: 'quarante-cinq euros et cinquante centimes',
});

const RECORDED: OutputOf<'payment.record'> = {
  paymentId: 'p1',
  receiptNumber: 'REC-G1-2026-000001',
  householdId: 'h1',
  mode: 'cash',
  modeLabel: 'Espèces',
  amountCents: 4550,
  amountInWords: 'quarante-cinq euros et cinquante centimes',
  allocations: [{ invoiceId: 'inv1', number: 'FAC-2026-000001', amountCents: 3080, remainingCents: 0 }],
  creditCents: 1470,
  familyCreditCents: 1470,
  dueCents: 0,
  sessionId: 's1',
  warnings: [],
};

function setup(record: Parameters<typeof fakeCounter>[0]['payment.record'], permissions?: string[]) {
  const fake = fakeCounter({
    'payment.proposeAllocation': (input) => ({ ok: true, data: PROPOSAL(input.amountCents) }),
    'payment.record': record,
  });
  renderWithCounter(
    <PaymentForm householdId="h1" settings={SETTINGS} onRecorded={() => {}} onClose={() => {}} />,
    fake.api,
    permissions ? { permissions: permissions as never } : {},
  );
  return fake;
}

const amount = () => screen.getByRole<HTMLInputElement>('textbox', { name: 'Montant reçu (€)' });
const recordCalls = (calls: { name: string; input: unknown }[]) =>
  calls.filter((c) => c.name === 'payment.record');

describe('the payment form', () => {
  it('warns, without refusing, when the payment goes to an invoice already sent to the Trésorerie', async () => {
    const fake = fakeCounter({
      'payment.proposeAllocation': (input) => ({
        ok: true,
        data: PROPOSAL(input.amountCents, 'PES-2026-000001'),
      }),
      'payment.record': () => ({ ok: true, data: RECORDED }),
    });
    renderWithCounter(
      <PaymentForm householdId="h1" settings={SETTINGS} onRecorded={() => {}} onClose={() => {}} />,
      fake.api,
    );
    fireEvent.change(amount(), { target: { value: '30,80' } });
    const warning = await screen.findByTestId('titre-warning');
    expect(warning.textContent).toMatch(
      /FAC-2026-000001 \(PES-2026-000001\) a été transmise au comptable public/,
    );
    expect(warning.textContent).toMatch(/signaler à la Trésorerie/);
    // Nothing allocated to it: no warning.
    fireEvent.change(
      within(screen.getByTestId('allocation')).getByRole('textbox', { name: /FAC-2026-000001/ }),
      {
        target: { value: '0' },
      },
    );
    expect(screen.queryByTestId('titre-warning')).toBeNull();
    fireEvent.change(
      within(screen.getByTestId('allocation')).getByRole('textbox', { name: /FAC-2026-000001/ }),
      {
        target: { value: '30,80' },
      },
    );
    fireEvent.submit(amount().form!);
    await screen.findByTestId('payment-done');
    expect(recordCalls(fake.calls)).toHaveLength(1);
  });

  it('reads euros typed the French way, and refuses anything else', () => {
    const read = (text: string) => buildPayment('h1', { ...emptyDraft('cash'), amount: text });
    expect(read('45,50')).toEqual({
      ok: true,
      input: { householdId: 'h1', mode: 'cash', amountCents: 4550 },
    });
    expect(read('45.5')).toMatchObject({ ok: true, input: { amountCents: 4550 } });
    expect(read('1 234,05 €')).toMatchObject({ ok: true, input: { amountCents: 123405 } });
    expect(read('')).toEqual({ ok: false, errors: { amountCents: 'Saisissez le montant reçu.' } });
    for (const bad of ['45,505', 'abc', '0', '-3'])
      expect(read(bad)).toMatchObject({ ok: false, errors: { amountCents: expect.any(String) } });
    // Vouchers: count × face value must be the amount.
    expect(
      buildPayment('h1', {
        ...emptyDraft('ancv'),
        amount: '45',
        details: { 'vouchers.count': '2', 'vouchers.faceValueCents': '20' },
      }),
    ).toMatchObject({ ok: false, errors: { amountCents: expect.stringContaining('2 × 20,00') } });
  });

  it('takes cash with Entrée: the note handed over, the change to give back, and only what is due recorded', async () => {
    const { calls } = setup(() => ({ ok: true, data: RECORDED }));
    expect(document.activeElement).toBe(amount());
    fireEvent.change(amount(), { target: { value: '45,50' } });
    const allocation = await screen.findByTestId('allocation');
    expect(within(allocation).getByRole('textbox', { name: /FAC-2026-000001/ })).toHaveProperty(
      'value',
      '30,80',
    );
    expect(screen.getByTestId('allocation-summary').textContent).toMatch(
      /Encaissé : 30,80\s€ — monnaie à rendre : 14,70\s€\./,
    );
    fireEvent.submit(amount().form!);
    const done = await screen.findByTestId('payment-done');
    expect(done.textContent).toContain('reçu n° REC-G1-2026-000001');
    expect(screen.getByTestId('change-given').textContent).toMatch(/Monnaie à rendre : 14,70\s€/);
    // The change is handed back, not kept: only what is due is recorded, and the core allocates it oldest first.
    expect(recordCalls(calls)[0]!.input).toEqual({ householdId: 'h1', mode: 'cash', amountCents: 3080 });
    await waitFor(() =>
      expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Imprimer le reçu' })),
    );
  });

  it('credits the family with the cash excess only when the agent ticks it', async () => {
    const { calls } = setup(() => ({ ok: true, data: RECORDED }));
    fireEvent.change(amount(), { target: { value: '45,50' } });
    const toCredit = await screen.findByRole('checkbox', {
      name: /^Verser l’excédent de 14,70\s€ au crédit de la famille/,
    });
    expect(toCredit).toHaveProperty('checked', false);
    fireEvent.click(toCredit);
    expect(screen.getByTestId('allocation-summary').textContent).toMatch(
      /Excédent de 14,70\s€ versé au crédit de la famille\./,
    );
    fireEvent.submit(amount().form!);
    await screen.findByTestId('payment-done');
    expect(recordCalls(calls)[0]!.input).toEqual({ householdId: 'h1', mode: 'cash', amountCents: 4550 });
    expect(screen.queryByTestId('change-given')).toBeNull();
  });

  it('requires the cheque’s number, bank, drawer and the checked payee before asking the core', async () => {
    const { calls } = setup(() => ({ ok: true, data: { ...RECORDED, mode: 'cheque', modeLabel: 'Chèque' } }));
    fireEvent.change(amount(), { target: { value: '30,80' } });
    fireEvent.change(screen.getByRole('combobox', { name: 'Mode de paiement' }), {
      target: { value: 'cheque' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Valider' }));
    for (const name of ['Numéro du chèque', 'Banque', 'Tireur'])
      expect(screen.getByRole('textbox', { name }).getAttribute('aria-invalid')).toBe('true');
    expect(
      screen.getByRole('checkbox', { name: 'Ordre vérifié (Trésor public)' }).getAttribute('aria-invalid'),
    ).toBe('true');
    expect(recordCalls(calls)).toHaveLength(0);

    fireEvent.change(screen.getByRole('textbox', { name: 'Numéro du chèque' }), {
      target: { value: '0001234' },
    });
    fireEvent.change(screen.getByRole('textbox', { name: 'Banque' }), {
      target: { value: 'Crédit Agricole' },
    });
    fireEvent.change(screen.getByRole('textbox', { name: 'Tireur' }), {
      target: { value: 'Sophie Lefèvre' },
    });
    fireEvent.click(screen.getByRole('checkbox', { name: 'Ordre vérifié (Trésor public)' }));
    fireEvent.click(screen.getByRole('button', { name: 'Valider' }));
    await screen.findByTestId('payment-done');
    expect(recordCalls(calls)[0]!.input).toEqual({
      householdId: 'h1',
      mode: 'cheque',
      amountCents: 3080,
      cheque: { number: '0001234', bank: 'Crédit Agricole', drawer: 'Sophie Lefèvre', payeeChecked: true },
    });
  });

  it('asks for a régisseur’s override when the core refuses cash of 300 € or more', async () => {
    const refusal = {
      code: 'FORBIDDEN' as const,
      message:
        'Paiement en espèces de 300,00 € ou plus refusé (art. 1680 du CGI) : seul un régisseur peut y déroger, avec un motif.',
      field: 'override',
    };
    const { calls } = setup(
      (input) =>
        input.override
          ? { ok: true, data: { ...RECORDED, amountCents: 35000 } }
          : { ok: false, error: refusal },
      ['family.read', 'billing.read', 'payment.take'],
    );
    fireEvent.change(amount(), { target: { value: '350' } });
    // 30,80 € due: the family keeps the rest as credit rather than 319,20 € handed back.
    fireEvent.click(await screen.findByRole('checkbox', { name: /^Verser l’excédent/ }));
    fireEvent.submit(amount().form!);
    const box = await screen.findByTestId('override-box');
    expect(screen.getByRole('alert').textContent).toContain('seul un régisseur peut y déroger');
    const reason = within(box).getByRole('textbox', { name: 'Motif de la dérogation' });
    await waitFor(() => expect(document.activeElement).toBe(reason));
    // Not a régisseur: the régisseur types their own username and password.
    fireEvent.click(screen.getByRole('button', { name: 'Valider' }));
    expect(reason.getAttribute('aria-invalid')).toBe('true');
    expect(
      within(box).getByRole('textbox', { name: 'Identifiant du régisseur' }).getAttribute('aria-invalid'),
    ).toBe('true');
    expect(recordCalls(calls)).toHaveLength(1);

    fireEvent.change(reason, { target: { value: 'famille sans compte bancaire' } });
    fireEvent.change(within(box).getByRole('textbox', { name: 'Identifiant du régisseur' }), {
      target: { value: 'regisseur' },
    });
    fireEvent.change(within(box).getByLabelText('Mot de passe du régisseur'), {
      target: { value: 'secret' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Valider' }));
    await screen.findByTestId('payment-done');
    expect(recordCalls(calls)[1]!.input).toMatchObject({
      amountCents: 35000,
      override: { reason: 'famille sans compte bancaire', username: 'regisseur', password: 'secret' },
    });
  });

  it('lets a régisseur override with a reason only', async () => {
    const { calls } = setup((input) =>
      input.override
        ? { ok: true, data: RECORDED }
        : { ok: false, error: { code: 'VALIDATION', message: 'Espèces refusées.', field: 'override' } },
    );
    fireEvent.change(amount(), { target: { value: '300' } });
    fireEvent.submit(amount().form!);
    const box = await screen.findByTestId('override-box');
    expect(within(box).queryByRole('textbox', { name: 'Identifiant du régisseur' })).toBeNull();
    fireEvent.change(within(box).getByRole('textbox', { name: 'Motif de la dérogation' }), {
      target: { value: 'accord du comptable' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Valider' }));
    await screen.findByTestId('payment-done');
    expect(recordCalls(calls)[1]!.input).toMatchObject({ override: { reason: 'accord du comptable' } });
  });
});
