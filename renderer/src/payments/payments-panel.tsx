import { useEffect, useRef, useState } from 'react';
import { formatShortDate } from '../../../shared/dates.ts';
import { formatEuros } from '../../../shared/money.ts';
import { useAuth } from '../auth/auth-context.ts';
import { useQuery } from '../use-query.ts';
import { PaymentForm } from './payment-form.tsx';
import { ReceiptPrintButton } from './receipt-print.tsx';
import './payments.css';

/** Alt+E on the family page: « Encaisser ». Listened to on the window, like the app's other shortcuts. */
export function usePaymentShortcut(onPay: () => void): void {
  const current = useRef(onPay);
  useEffect(() => {
    current.current = onPay;
  });
  useEffect(() => {
    function onKeyDown(e: KeyboardEvent) {
      if (e.altKey && !e.ctrlKey && !e.metaKey && (e.code === 'KeyE' || e.key.toLowerCase() === 'e')) {
        e.preventDefault();
        current.current();
      }
    }
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);
}

/**
 * The Règlements tab: the family's balance, its payments newest first (reprint → DUPLICATA) and « Encaisser »
 * (Alt+E). `payRequest` grows each time Alt+E is pressed on the family page: the form opens.
 */
export function PaymentsPanel({ householdId, payRequest = 0 }: { householdId: string; payRequest?: number }) {
  const auth = useAuth();
  const list = useQuery('payment.listForHousehold', { householdId });
  const settings = useQuery('payment.settings', {});
  const [paying, setPaying] = useState(payRequest > 0);
  const [seenRequest, setSeenRequest] = useState(payRequest);
  if (seenRequest !== payRequest) {
    setSeenRequest(payRequest);
    setPaying(true);
  }
  const mayPay = auth.can('payment.take');

  if (list.error && !list.data) return <p className="page-error">{list.error}</p>;
  if (!list.data) return <p className="muted">Chargement des règlements…</p>;
  const { payments, balance } = list.data;

  return (
    <div className="payments">
      <section className="card" aria-labelledby="payments-title">
        <div className="card-head">
          <h2 id="payments-title">Règlements du foyer</h2>
          <dl className="invoice-totals" data-testid="family-balance">
            <div>
              <dt>Reste dû</dt>
              <dd>
                <strong>{formatEuros(balance.dueCents)}</strong>
              </dd>
            </div>
            <div>
              <dt>Crédit de la famille</dt>
              <dd>{formatEuros(balance.creditCents)}</dd>
            </div>
          </dl>
          {mayPay && !paying && (
            <button type="button" className="primary" onClick={() => setPaying(true)}>
              Encaisser <kbd>Alt+E</kbd>
            </button>
          )}
        </div>
        {payments.length === 0 ? (
          <p className="muted">Aucun règlement enregistré pour ce foyer.</p>
        ) : (
          <table className="grid payment-list">
            <caption className="sr-only">Règlements du foyer, les plus récents d’abord</caption>
            <thead>
              <tr>
                <th scope="col">Reçu</th>
                <th scope="col">Date</th>
                <th scope="col">Mode</th>
                <th scope="col" className="num">
                  Montant
                </th>
                <th scope="col">Factures réglées</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {payments.map((p) => (
                <tr key={p.id} data-testid="payment-row" className={p.reversed ? 'reversed' : undefined}>
                  <th scope="row">{p.receiptNumber}</th>
                  <td>{formatShortDate(p.date)}</td>
                  <td>{p.modeLabel}</td>
                  <td className="num">{formatEuros(p.amountCents)}</td>
                  <td>
                    {p.invoiceNumbers.join(', ') || '—'}
                    {p.creditCents > 0 && ` (crédit ${formatEuros(p.creditCents)})`}
                    {p.reversed && ` — annulé : ${p.reversalReason ?? ''}`}
                    {p.overrideUnproven && (
                      <span className="tag tag-late" title={p.overrideUnproven}>
                        Dérogation non prouvée<span className="sr-only"> : {p.overrideUnproven}</span>
                      </span>
                    )}
                  </td>
                  <td className="row-actions">
                    <ReceiptPrintButton paymentId={p.id} duplicate className="small">
                      Réimprimer <span className="sr-only">le reçu {p.receiptNumber}</span> (duplicata)
                    </ReceiptPrintButton>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      {mayPay &&
        paying &&
        (settings.data ? (
          <PaymentForm
            // Each Alt+E starts a new payment, even over the receipt of the last one.
            key={payRequest}
            householdId={householdId}
            settings={settings.data}
            onRecorded={() => list.reload()}
            onClose={() => {
              setPaying(false);
              list.reload();
            }}
          />
        ) : (
          <p className="muted">{settings.error ?? 'Chargement des modes de paiement…'}</p>
        ))}
    </div>
  );
}
