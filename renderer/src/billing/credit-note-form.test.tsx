import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Envelope } from '../../../core/api/envelope.ts';
import { fakeCounter, renderWithCounter } from '../test-support.tsx';
import { checkCreditNote, emptyDraft, type CreditDraft, type CreditNoteResult } from './credit-note-form.tsx';
import { InvoicesPanel } from './invoices-panel.tsx';
import type { InvoiceDetail } from './invoice-text.ts';
import { LIST, SEPTEMBER_INVOICE, TODAY } from './test-fixtures.ts';
import { parseEuros } from '../money-input.ts';

/** The late meal (3,30 €) already credited 1,10 €: 2,20 € remain on it. */
const PARTLY_CREDITED: InvoiceDetail = {
  ...SEPTEMBER_INVOICE,
  creditedCents: 110,
  remainingCents: 4740,
  groups: SEPTEMBER_INVOICE.groups.map((g) => ({
    ...g,
    lines: g.lines.map((l) => (l.id === 'l2' ? { ...l, creditedCents: 110 } : l)),
  })),
};

function draft(over: Partial<CreditDraft>, lines: CreditDraft['lines'] = {}): CreditDraft {
  const base = emptyDraft(PARTLY_CREDITED);
  return { ...base, ...over, lines: { ...base.lines, ...lines } };
}

describe('credit note checks', () => {
  it('reads euros typed the French way into cents, never through a float', () => {
    expect(['2,20', '2.2', '2', '1 234,50 €', '0,07', '2,205', 'abc', ''].map(parseEuros)).toEqual([
      220,
      220,
      200,
      123450,
      7,
      null,
      null,
      null,
    ]);
  });

  it('requires a reason and a line', () => {
    const { errors, request } = checkCreditNote(draft({ reason: '   ' }), PARTLY_CREDITED);
    expect(request).toBeNull();
    expect(errors).toEqual({
      reason: 'Obligatoire : le motif figure sur l’avoir.',
      lines: 'Cochez au moins une ligne à créditer.',
    });
  });

  it('refuses an amount above what remains on the line, or above the price of the one service named', () => {
    const late = { checked: true, amount: '2,21', bookingId: '' };
    expect(checkCreditNote(draft({ reason: 'erreur' }, { l2: late }), PARTLY_CREDITED).errors).toEqual({
      'amount-l2': expect.stringMatching(/^Au plus 2,20\s€ : ce qui reste sur la ligne\.$/),
    });
    const oneMeal = { checked: true, amount: '2,30', bookingId: 'b3' };
    expect(checkCreditNote(draft({ reason: 'erreur' }, { l1: oneMeal }), PARTLY_CREDITED).errors).toEqual({
      'amount-l1': expect.stringMatching(/^Au plus 2,20\s€ : le prix du service du ven\. 04\/09\.$/),
    });
    const zero = { checked: true, amount: '0', bookingId: '' };
    expect(checkCreditNote(draft({ reason: 'erreur' }, { l3: zero }), PARTLY_CREDITED).errors).toEqual({
      'amount-l3': 'Montant positif attendu.',
    });
  });

  it('asks for chosen lines in cents, a named service with its booking, or the whole invoice', () => {
    const ok = checkCreditNote(
      draft(
        { reason: ' absence justifiée le 04/09 ' },
        {
          l1: { checked: true, amount: '2,20', bookingId: 'b3' },
          l2: { checked: true, amount: '2,2', bookingId: '' },
        },
      ),
      PARTLY_CREDITED,
    );
    expect(ok.request).toEqual({
      invoiceId: 'inv1',
      reason: 'absence justifiée le 04/09',
      lines: [
        { invoiceLineId: 'l1', amountCents: 220, bookingId: 'b3' },
        { invoiceLineId: 'l2', amountCents: 220, bookingId: null },
      ],
    });
    expect(checkCreditNote(draft({ mode: 'whole', reason: 'annulation' }), PARTLY_CREDITED).request).toEqual({
      invoiceId: 'inv1',
      reason: 'annulation',
      lines: 'whole',
    });
  });
});

describe('the credit note form', () => {
  function setup(answer?: (input: unknown) => Envelope<CreditNoteResult>) {
    let invoice = PARTLY_CREDITED;
    const fake = fakeCounter({
      'billing.listInvoices': () => ({ ok: true, data: LIST }),
      'billing.getInvoice': () => ({ ok: true, data: invoice }),
      'billing.creditNote': (input) => {
        const r = answer?.(input) ?? {
          ok: true as const,
          data: {
            creditNoteId: 'cn2',
            number: 'AV-2026-000002',
            totalCents: 220,
            invoiceNumber: 'FAC-2026-000001',
            invoiceRemainingCents: 4520,
          },
        };
        if (r.ok) invoice = { ...invoice, creditedCents: 330, remainingCents: 4520 };
        return r;
      },
    });
    renderWithCounter(<InvoicesPanel householdId="h1" />, fake.api, { clock: { today: TODAY } });
    return fake;
  }

  async function openForm() {
    fireEvent.click(await screen.findByRole('button', { name: 'FAC-2026-000001' }));
    const detail = await screen.findByTestId('invoice-detail');
    fireEvent.click(within(detail).getByRole('button', { name: 'Avoir…' }));
    return within(screen.getByRole('form', { name: 'Avoir sur la facture FAC-2026-000001' }));
  }

  const creditCalls = (calls: { name: string }[]) => calls.filter((c) => c.name === 'billing.creditNote');

  it('sends nothing without a reason, nor with an amount above what remains on the line', async () => {
    const { calls } = setup();
    const form = await openForm();
    // The whole of what remains is offered: 35,20 + 2,20 + 10,00.
    expect(form.getByRole('radio', { name: /^Toute la facture \(47,40\s€\)$/ })).toBeTruthy();
    expect(form.getByRole('radio', { name: 'Certaines lignes' })).toHaveProperty('checked', true);

    const late = form.getByRole('checkbox', { name: /^Repas — réservé hors délai, Zoé Lefèvre/ });
    fireEvent.click(late);
    const amount = form.getByRole('textbox', {
      name: /^Montant de l’avoir en euros : Repas — réservé hors délai/,
    });
    expect((amount as HTMLInputElement).value).toBe('2,20');
    fireEvent.change(amount, { target: { value: '3,30' } });
    fireEvent.click(form.getByRole('button', { name: 'Émettre l’avoir' }));

    const reason = form.getByRole('textbox', { name: 'Motif de l’avoir' });
    await waitFor(() => expect(reason.getAttribute('aria-invalid')).toBe('true'));
    expect(amount.getAttribute('aria-invalid')).toBe('true');
    expect(form.getByText('Obligatoire : le motif figure sur l’avoir.')).toBeTruthy();
    expect(form.getByText(/^Au plus 2,20\s€ : ce qui reste sur la ligne\.$/)).toBeTruthy();
    expect(creditCalls(calls)).toEqual([]);

    fireEvent.change(reason, { target: { value: 'repas non servi (sortie scolaire)' } });
    fireEvent.click(form.getByRole('button', { name: 'Émettre l’avoir' }));
    await waitFor(() =>
      expect(form.getByText(/^Au plus 2,20\s€ : ce qui reste sur la ligne\.$/)).toBeTruthy(),
    );
    expect(reason.getAttribute('aria-invalid')).toBeNull();
    expect(creditCalls(calls)).toEqual([]);
  });

  it('issues the credit note, shows its number and the new remaining amount, and offers to print it', async () => {
    const { calls } = setup();
    const form = await openForm();
    fireEvent.click(form.getByRole('checkbox', { name: /^Repas — réservé hors délai, Zoé Lefèvre/ }));
    fireEvent.change(form.getByRole('textbox', { name: 'Motif de l’avoir' }), {
      target: { value: 'repas non servi (sortie scolaire)' },
    });
    expect(form.getByTestId('credit-total').textContent).toMatch(/Total de l’avoir : 2,20\s€/);
    fireEvent.keyDown(form.getByRole('textbox', { name: 'Motif de l’avoir' }), {
      key: 'Enter',
      ctrlKey: true,
    });

    const result = await screen.findByTestId('credit-result');
    expect(creditCalls(calls)).toEqual([
      {
        name: 'billing.creditNote',
        input: {
          invoiceId: 'inv1',
          reason: 'repas non servi (sortie scolaire)',
          lines: [{ invoiceLineId: 'l2', amountCents: 220, bookingId: null }],
        },
      },
    ]);
    expect(result.textContent).toMatch(/Avoir n° AV-2026-000002 émis : 2,20\s€\./);
    expect(result.textContent).toMatch(/Reste à payer sur la facture FAC-2026-000001 : 45,20\s€/);
    expect(within(result).getByRole('button', { name: 'Imprimer l’avoir' })).toBeTruthy();
    expect(screen.queryByRole('form', { name: /^Avoir sur la facture/ })).toBeNull();
    // The invoice is read again: its remaining amount follows.
    await waitFor(() => expect(screen.getByTestId('invoice-remaining').textContent).toMatch(/45,20\s€/));
  });

  it('shows the core’s refusal beside the amount of the line it names', async () => {
    setup(() => ({
      ok: false,
      error: {
        code: 'VALIDATION',
        message:
          'Montant supérieur à ce qui reste sur la ligne (2,20 €) : un avoir ne dépasse jamais la facture.',
        field: 'lines.0.amountCents',
      },
    }));
    const form = await openForm();
    fireEvent.click(form.getByRole('checkbox', { name: /^Repas — réservé hors délai, Zoé Lefèvre/ }));
    fireEvent.change(form.getByRole('textbox', { name: 'Motif de l’avoir' }), {
      target: { value: 'erreur' },
    });
    fireEvent.click(form.getByRole('button', { name: 'Émettre l’avoir' }));
    const amount = form.getByRole('textbox', {
      name: /^Montant de l’avoir en euros : Repas — réservé hors délai/,
    });
    await waitFor(() => expect(amount.getAttribute('aria-invalid')).toBe('true'));
    expect(document.activeElement).toBe(amount);
  });
});
