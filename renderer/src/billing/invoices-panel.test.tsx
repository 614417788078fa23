import { fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { fakeCounter, renderWithCounter } from '../test-support.tsx';
import { InvoicesPanel } from './invoices-panel.tsx';
import { LIST, SEPTEMBER_INVOICE, TODAY } from './test-fixtures.ts';

function setup(permissions?: Parameters<typeof renderWithCounter>[2]) {
  const fake = fakeCounter({
    'billing.listInvoices': () => ({ ok: true, data: LIST }),
    'billing.getInvoice': () => ({ ok: true, data: SEPTEMBER_INVOICE }),
  });
  renderWithCounter(<InvoicesPanel householdId="h1" />, fake.api, {
    clock: { today: TODAY },
    ...permissions,
  });
  return fake;
}

const rowTexts = () => screen.getAllByTestId('invoice-row').map((r) => r.textContent);

describe('the Factures tab', () => {
  it('lists the invoices with their status and credit notes, and moves between them with the arrows', async () => {
    setup();
    await screen.findByRole('button', { name: 'FAC-2026-000001' });
    expect(rowTexts()).toEqual([
      expect.stringMatching(
        /^FAC-2026-00000102\/10\/2026septembre 202625\/10\/202648,50\s€—48,50\s€à payer$/,
      ),
      // Due on the day of booking, 20 September: overdue on 5 October.
      expect.stringMatching(/^GUI-2026-000001.*à la réservation20\/09\/202645,00\s€—45,00\s€échue$/),
      expect.stringMatching(/^FAC-2026-000000.*4,40\s€− 4,40\s€0,00\s€soldée$/),
    ]);
    expect(screen.getByTestId('credit-note-row').textContent).toContain(
      'Avoir AV-2026-000001 du 10/09/2026 — centre fermé',
    );
    expect(screen.getByTestId('invoice-totals').textContent).toMatch(/Reste à payer93,50\s€/);

    const first = screen.getByRole('button', { name: 'FAC-2026-000001' });
    const second = screen.getByRole('button', { name: 'GUI-2026-000001' });
    expect([first.tabIndex, second.tabIndex]).toEqual([0, -1]);
    first.focus();
    fireEvent.keyDown(first, { key: 'ArrowDown' });
    expect(document.activeElement).toBe(second);
    expect(second.tabIndex).toBe(0);
    fireEvent.keyDown(second, { key: 'ArrowUp' });
    expect(document.activeElement).toBe(first);
  });

  it('opens an invoice by child then activity, and explains a line in one click or with Entrée', async () => {
    const { calls } = setup();
    fireEvent.click(await screen.findByRole('button', { name: 'FAC-2026-000001' }));
    const detail = await screen.findByTestId('invoice-detail');
    expect(calls.at(-1)).toEqual({ name: 'billing.getInvoice', input: { invoiceId: 'inv1' } });
    expect(within(detail).getByRole('heading', { name: 'Facture FAC-2026-000001' })).toBeTruthy();
    expect(within(detail).getByTestId('invoice-remaining').textContent).toMatch(/48,50\s€/);

    // Grouped by child then activity, each group with its total.
    const groups = within(detail)
      .getAllByRole('rowheader')
      .filter((h) => h.getAttribute('scope') === 'rowgroup')
      .map((h) => h.closest('tr')!.textContent);
    expect(groups).toEqual([
      expect.stringMatching(/^Zoé Lefèvre — Restauration scolaire38,50\s€$/),
      expect.stringMatching(/^Noé Lefèvre — Accueil périscolaire10,00\s€$/),
    ]);
    const lines = within(detail).getAllByTestId('invoice-line');
    expect(lines.map((l) => l.textContent)).toEqual([
      expect.stringMatching(
        /Repas.*les 1, 3, 4, 7.* et 28 sept\. 2026.*16 × 2,20\s€35,20\s€QF 640 · tranche 400–699—$/,
      ),
      expect.stringMatching(
        /Repas — réservé hors délaile 29 sept\. 20261 × 3,30\s€3,30\s€QF 640 · tranche 400–699ajout hors délai : \+50 %$/,
      ),
      expect.stringMatching(
        /Soir — réservé hors délai.*1 × 10,00\s€10,00\s€.*ajout hors délai : forfait 10,00 €$/,
      ),
    ]);

    // One click anywhere on the line: its sentence and the services behind it, each with its reason.
    expect(within(detail).queryByTestId('line-explanation')).toBeNull();
    fireEvent.click(within(lines[1]!).getByText('le 29 sept. 2026'));
    const explanation = within(detail).getByTestId('line-explanation');
    expect(explanation.textContent).toContain(
      'QF 640, tranche 400–699 : 2,20 € ; ajout hors délai : +50 % (+1,10 €) = 3,30 € l’unité. Montant : 3,30 €.',
    );
    expect(explanation.textContent).toContain('Le service facturé :');
    expect(
      within(explanation)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual(['mardi 29 septembre 2026 — réservé hors délai — ajout hors délai : +50 %']);
    const toggle = within(lines[1]!).getByRole('button', { name: /Repas — réservé hors délai/ });
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    expect(toggle.getAttribute('aria-controls')).toBe(explanation.id);

    // The keyboard: ↑ to the line above, Entrée (a button's click) opens it; a second press closes it.
    toggle.focus();
    fireEvent.keyDown(toggle, { key: 'ArrowUp' });
    const meals = within(lines[0]!).getByRole('button', { name: /Repas/ });
    expect(document.activeElement).toBe(meals);
    fireEvent.click(meals);
    const both = within(detail).getAllByTestId('line-explanation');
    expect(both).toHaveLength(2);
    expect(both[0]!.textContent).toContain('Les 16 services facturés :');
    expect(within(both[0]!).getAllByRole('listitem')[0]!.textContent).toBe(
      'mardi 1 septembre 2026 — réservé',
    );
    fireEvent.click(meals);
    expect(within(detail).getAllByTestId('line-explanation')).toHaveLength(1);
  });

  it('offers a credit note only to a role that may issue one', async () => {
    setup({ permissions: ['family.read', 'billing.read'] });
    fireEvent.click(await screen.findByRole('button', { name: 'FAC-2026-000001' }));
    const detail = await screen.findByTestId('invoice-detail');
    expect(within(detail).getByRole('button', { name: 'Imprimer' })).toBeTruthy();
    expect(within(detail).queryByRole('button', { name: 'Avoir…' })).toBeNull();
  });
});
