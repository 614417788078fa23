import { useEffect, useId, useState } from 'react';
import type { OutputOf } from '../../../core/contract.ts';
import { formatMonth } from '../../../shared/dates.ts';
import { useCounter } from '../counter-context.ts';
import { PrintButton } from './print-button.tsx';

type Delivery = OutputOf<'billing.monthDelivery'>;
type Order = 'address' | 'name';

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n > 1 ? many : one}`;

/**
 * The month's invoices for the post, under the monthly run: how many go by post and by e-mail, and the paper ones in
 * one PDF sorted for the envelopes (by address: postal code, commune, street — or by family name). An « E-mail »
 * family without any address is printed too, and named here so that someone asks for its address.
 * `version` changes after a run, so the counts are read again.
 */
export function MonthPost({ month, version }: { month: string; version: number }) {
  const api = useCounter();
  const idPrefix = useId();
  /** The answer for a month and run; one for another month is not shown while the new one is read. */
  const [answer, setAnswer] = useState<{ key: string; delivery?: Delivery; error?: string } | null>(null);
  const [order, setOrder] = useState<Order>('address');
  const key = `${month}:${version}`;

  useEffect(() => {
    let live = true;
    void api.invoke('billing.monthDelivery', { month }).then((r) => {
      if (live) setAnswer(r.ok ? { key, delivery: r.data } : { key, error: r.error.message });
    });
    return () => {
      live = false;
    };
  }, [api, month, version, key]);
  const current = answer?.key === key ? answer : null;
  const delivery = current?.delivery ?? null;
  const error = current?.error ?? null;

  return (
    <section className="card" aria-labelledby={`${idPrefix}-post`} data-testid="month-post">
      <h2 id={`${idPrefix}-post`} className="card-title">
        Courrier du mois — {formatMonth(month)}
      </h2>
      {error && <p className="form-error">{error}</p>}
      {delivery && delivery.invoices === 0 && (
        <p className="muted">Aucune facture émise pour {formatMonth(month)}.</p>
      )}
      {delivery && delivery.invoices > 0 && (
        <>
          <dl className="counts" data-testid="post-counts">
            <div>
              <dt>Factures émises</dt>
              <dd>{delivery.invoices}</dd>
            </div>
            <div>
              <dt>Par courrier</dt>
              <dd>{delivery.paper}</dd>
            </div>
            <div>
              <dt>Par e-mail</dt>
              <dd>{delivery.email}</dd>
            </div>
          </dl>
          {delivery.emailWithoutAddress.length > 0 && (
            <div className="anomalies notice" data-testid="post-no-address">
              <h3 className="sub-title">
                E-mail choisi mais aucune adresse ({delivery.emailWithoutAddress.length}) : imprimées avec le
                courrier
              </h3>
              <ul>
                {delivery.emailWithoutAddress.map((h) => (
                  <li key={h.number}>
                    {h.householdName} — facture {h.number}
                  </li>
                ))}
              </ul>
            </div>
          )}
          {delivery.paper > 0 && (
            <div>
              <fieldset className="inline-checks">
                <legend>Ordre des factures</legend>
                <label>
                  <input
                    type="radio"
                    name={`${idPrefix}-order`}
                    checked={order === 'address'}
                    onChange={() => setOrder('address')}
                  />{' '}
                  Par adresse (code postal, commune, rue)
                </label>
                <label>
                  <input
                    type="radio"
                    name={`${idPrefix}-order`}
                    checked={order === 'name'}
                    onChange={() => setOrder('name')}
                  />{' '}
                  Par nom de famille
                </label>
              </fieldset>
              <div className="form-actions">
                <PrintButton
                  className="primary"
                  load={() => api.invoke('billing.monthPdf', { month, order, selection: 'papier' })}
                >
                  Imprimer {plural(delivery.paper, 'facture papier', 'factures papier')} (un seul PDF)
                </PrintButton>
              </div>
            </div>
          )}
        </>
      )}
    </section>
  );
}
