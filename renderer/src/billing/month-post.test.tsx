import { fireEvent, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeCounter, renderWithCounter } from '../test-support.tsx';
import { MonthPost } from './month-post.tsx';

const DELIVERY = {
  month: '2026-11',
  invoices: 5,
  paper: 3,
  email: 2,
  emailWithoutAddress: [{ householdId: 'h9', householdName: 'Moreau', number: 'F2026-000412' }],
};

describe('MonthPost', () => {
  afterEach(() => vi.restoreAllMocks());

  it('counts the post and the e-mails, names the e-mail family without address, prints the paper ones sorted by name', async () => {
    const { api, calls } = fakeCounter({
      'billing.monthDelivery': () => ({ ok: true, data: DELIVERY }),
      'billing.monthPdf': () => ({
        ok: true,
        data: {
          fileName: 'factures-2026-11-courrier-par-nom.pdf',
          mimeType: 'application/pdf',
          base64: 'JVBERi0=',
          invoices: 3,
        },
      }),
    });
    // The browser host opens the PDF in a tab; a blocked pop-up leaves a download link the agent can use.
    URL.createObjectURL = vi.fn(() => 'blob:factures');
    vi.spyOn(window, 'open').mockReturnValue(null);
    renderWithCounter(<MonthPost month="2026-11" version={0} />, api);

    const post = within(await screen.findByTestId('month-post'));
    expect(post.getByRole('heading', { level: 2 }).textContent).toBe('Courrier du mois — novembre 2026');
    expect(
      within(screen.getByTestId('post-counts'))
        .getAllByRole('definition')
        .map((d) => d.textContent),
    ).toEqual(['5', '3', '2']);
    expect(screen.getByTestId('post-no-address').textContent).toContain('Moreau — facture F2026-000412');

    expect((post.getByRole('radio', { name: /Par adresse/ }) as HTMLInputElement).checked).toBe(true);
    fireEvent.click(post.getByRole('radio', { name: 'Par nom de famille' }));
    fireEvent.click(post.getByRole('button', { name: 'Imprimer 3 factures papier (un seul PDF)' }));

    expect(
      await post.findByRole('link', { name: 'Télécharger factures-2026-11-courrier-par-nom.pdf' }),
    ).toBeTruthy();
    expect(calls.find((c) => c.name === 'billing.monthPdf')?.input).toEqual({
      month: '2026-11',
      order: 'name',
      selection: 'papier',
    });
  });

  it('offers no print when every invoice of the month leaves by e-mail', async () => {
    const { api } = fakeCounter({
      'billing.monthDelivery': () => ({
        ok: true,
        data: { ...DELIVERY, paper: 0, email: 5, emailWithoutAddress: [] },
      }),
    });
    renderWithCounter(<MonthPost month="2026-11" version={0} />, api);
    const post = within(await screen.findByTestId('month-post'));
    await post.findByTestId('post-counts');
    expect(post.queryByRole('button')).toBeNull();
  });
});
