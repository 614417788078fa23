import { fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { fakeCounter, renderWithCounter } from '../test-support.tsx';
import { ReceiptEmail } from './receipt-email.tsx';

describe('the receipt by e-mail', () => {
  it('asks for the family’s address when left empty, then shows the request waiting for the server', async () => {
    const emails: { requestId: string; to: string; status: 'pending' | 'sent' }[] = [
      { requestId: 'r0', to: 'ancienne@exemple.fr', status: 'sent' },
    ];
    const { api, calls } = fakeCounter({
      'payment.receiptEmails': () => ({
        ok: true,
        data: emails.map((e) => ({ ...e, requestedAt: '', requestedBy: '', detail: null, sentAt: null })),
      }),
      'payment.emailReceipt': () => {
        emails.unshift({ requestId: 'r1', to: 'sophie.lefevre@exemple.fr', status: 'pending' });
        return { ok: true, data: { requestId: 'r1', to: 'sophie.lefevre@exemple.fr' } };
      },
    });
    renderWithCounter(<ReceiptEmail paymentId="p1" />, api);
    const box = within(screen.getByTestId('receipt-email'));
    expect((await box.findByTestId('receipt-emails')).textContent).toContain('ancienne@exemple.fr — envoyé');

    fireEvent.click(box.getByRole('button', { name: 'Envoyer par e-mail' }));
    expect(
      await box.findByText(/sophie\.lefevre@exemple\.fr — en attente : part du serveur central/),
    ).toBeTruthy();
    expect(calls.find((c) => c.name === 'payment.emailReceipt')?.input).toEqual({ paymentId: 'p1', to: '' });
    expect(screen.getByTestId('live-region').textContent).toBe(
      'Reçu demandé par e-mail pour sophie.lefevre@exemple.fr.',
    );
  });

  it('shows the core’s refusal beside the address and keeps what was typed', async () => {
    const message = 'Champ « adresse e-mail » : aucune adresse au dossier de la famille, saisissez-en une.';
    const { api } = fakeCounter({
      'payment.receiptEmails': () => ({ ok: true, data: [] }),
      'payment.emailReceipt': () => ({ ok: false, error: { code: 'VALIDATION', message, field: 'to' } }),
    });
    renderWithCounter(<ReceiptEmail paymentId="p1" />, api);
    const input = screen.getByRole('textbox', { name: 'Envoyer le reçu par e-mail à' }) as HTMLInputElement;
    fireEvent.change(input, { target: { value: 'x' } });
    fireEvent.keyDown(input, { key: 'Enter' });
    expect(await within(screen.getByTestId('receipt-email')).findByText(message)).toBeTruthy();
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(input.value).toBe('x');
  });
});
