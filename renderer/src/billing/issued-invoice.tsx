import type { OutputOf } from '../../../core/contract.ts';
import { formatEuros } from '../../../shared/money.ts';
import { useAuth } from '../auth/auth-context.ts';
import { useCounter } from '../counter-context.ts';
import { PrintButton } from './print-button.tsx';
import './billing.css';

/** What `booking.book` and `enrolment.enrol` return for an activity paid at booking. */
export type IssuedInvoiceData = NonNullable<OutputOf<'booking.book'>['invoice']>;

export const issuedSentence = (invoice: IssuedInvoiceData): string =>
  `Facture n° ${invoice.number} — ${formatEuros(invoice.totalCents)} — à régler maintenant.`;

/** A pay-at-booking invoice just issued: its number and amount, to be paid at once, and its print button. */
export function IssuedInvoice({ invoice }: { invoice: IssuedInvoiceData }) {
  const api = useCounter();
  const auth = useAuth();
  return (
    <div className="issued-invoice" data-testid="issued-invoice">
      <p>
        <strong>Facture n° {invoice.number}</strong> — {formatEuros(invoice.totalCents)} —{' '}
        <strong>à régler maintenant</strong>
      </p>
      {auth.can('billing.read') && (
        <PrintButton load={() => api.invoke('billing.invoicePdf', { invoiceId: invoice.invoiceId })}>
          Imprimer la facture <span className="sr-only">{invoice.number}</span>
        </PrintButton>
      )}
    </div>
  );
}
