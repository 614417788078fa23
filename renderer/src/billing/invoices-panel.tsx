import { TitreTag } from '../pes/titre-tag.tsx';
import { useRef, useState, type KeyboardEvent } from 'react';
import { formatShortDate } from '../../../shared/dates.ts';
import { formatEuros } from '../../../shared/money.ts';
import { useAnnounce } from '../announcer.tsx';
import { useAuth } from '../auth/auth-context.ts';
import { useCounter } from '../counter-context.ts';
import { useTownClock } from '../town-clock.ts';
import { useQuery } from '../use-query.ts';
import { InvoiceDetailView } from './invoice-detail.tsx';
import { invoiceStatus, periodLabel, STATUS_LABELS, type InvoiceSummary } from './invoice-text.ts';
import { PrintButton } from './print-button.tsx';
import { FamilyTaxCertificates } from './tax-certificates.tsx';
import './billing.css';

const COLUMNS = ['Facture', 'Émise le', 'Période', 'Échéance', 'Total', 'Avoirs', 'Reste', 'Statut'] as const;
const NUMERIC = new Set<string>(['Total', 'Avoirs', 'Reste']);

/**
 * The Factures tab: the household's invoices, newest first, with their credit notes under them and what is left
 * on each; ↑/↓ move from one to the next, Entrée opens one below the list.
 */
export function InvoicesPanel({ householdId }: { householdId: string }) {
  const { today } = useTownClock();
  const api = useCounter();
  const auth = useAuth();
  const announce = useAnnounce();
  const list = useQuery('billing.listInvoices', { householdId });
  const [selected, setSelected] = useState<string | null>(null);
  const [focusable, setFocusable] = useState(0);
  const detail = useQuery('billing.getInvoice', selected ? { invoiceId: selected } : null);
  const tableRef = useRef<HTMLTableElement>(null);

  if (list.error && !list.data) return <p className="page-error">{list.error}</p>;
  if (!list.data) return <p className="muted">Chargement des factures…</p>;
  const { invoices, totals } = list.data;

  function open(invoice: InvoiceSummary, index: number) {
    setSelected(invoice.id);
    setFocusable(index);
    announce(
      `Facture ${invoice.number} : ${formatEuros(invoice.totalCents)}, reste ${formatEuros(invoice.remainingCents)}. Détail affiché sous la liste.`,
    );
  }

  function onKeyDown(e: KeyboardEvent<HTMLButtonElement>, index: number) {
    const last = invoices.length - 1;
    const next =
      e.key === 'ArrowDown'
        ? Math.min(index + 1, last)
        : e.key === 'ArrowUp'
          ? Math.max(index - 1, 0)
          : e.key === 'Home'
            ? 0
            : e.key === 'End'
              ? last
              : null;
    if (next === null) return;
    e.preventDefault();
    setFocusable(next);
    tableRef.current?.querySelector<HTMLButtonElement>(`[data-invoice="${next}"]`)?.focus();
  }

  const shown = detail.data && detail.data.id === selected ? detail.data : null;
  return (
    <div className="invoices">
      <section className="card" aria-labelledby="invoices-title">
        <div className="card-head">
          <h2 id="invoices-title">Factures du foyer</h2>
          <dl className="invoice-totals" data-testid="invoice-totals">
            <div>
              <dt>Facturé</dt>
              <dd>{formatEuros(totals.billedCents)}</dd>
            </div>
            <div>
              <dt>Avoirs</dt>
              <dd>{formatEuros(totals.creditedCents)}</dd>
            </div>
            <div>
              <dt>Reste à payer</dt>
              <dd>
                <strong>{formatEuros(totals.remainingCents)}</strong>
              </dd>
            </div>
          </dl>
        </div>
        {invoices.length === 0 ? (
          <p className="muted">
            Aucune facture pour ce foyer : les services du mois sont facturés par la facturation mensuelle,
            les activités payées à la réservation dès leur validation.
          </p>
        ) : (
          <>
            <table className="grid invoice-list" ref={tableRef}>
              <caption className="sr-only">Factures du foyer, les plus récentes d’abord</caption>
              <thead>
                <tr>
                  {COLUMNS.map((c) => (
                    <th scope="col" key={c} className={NUMERIC.has(c) ? 'num' : undefined}>
                      {c}
                    </th>
                  ))}
                </tr>
              </thead>
              {invoices.map((invoice, i) => {
                const status = invoiceStatus(invoice, today);
                const isSelected = invoice.id === selected;
                return (
                  <tbody key={invoice.id} className={isSelected ? 'selected' : undefined}>
                    <tr data-testid="invoice-row">
                      <th scope="row">
                        <button
                          type="button"
                          className="invoice-open"
                          data-invoice={i}
                          tabIndex={i === focusable ? 0 : -1}
                          aria-current={isSelected ? 'true' : undefined}
                          onClick={() => open(invoice, i)}
                          onKeyDown={(e) => onKeyDown(e, i)}
                        >
                          {invoice.number}
                        </button>
                      </th>
                      <td>{formatShortDate(invoice.issueDate)}</td>
                      <td>{periodLabel(invoice)}</td>
                      <td>{formatShortDate(invoice.dueDate)}</td>
                      <td className="num">{formatEuros(invoice.totalCents)}</td>
                      <td className="num">
                        {invoice.creditedCents ? `− ${formatEuros(invoice.creditedCents)}` : '—'}
                      </td>
                      <td className="num">
                        <strong>{formatEuros(invoice.remainingCents)}</strong>
                      </td>
                      <td>
                        <span className={`status invoice-${status}`}>{STATUS_LABELS[status]}</span>
                        <TitreTag exportNumber={invoice.titreExport} />
                      </td>
                    </tr>
                    {invoice.creditNotes.map((n) => (
                      <tr key={n.id} className="credit-row" data-testid="credit-note-row">
                        <td colSpan={4}>
                          <span aria-hidden="true">↳ </span>Avoir <strong>{n.number}</strong> du{' '}
                          {formatShortDate(n.issueDate)} — {n.reason}
                        </td>
                        <td />
                        <td className="num">− {formatEuros(n.totalCents)}</td>
                        <td colSpan={2} className="row-actions">
                          <PrintButton
                            className="small"
                            load={() => api.invoke('billing.creditNotePdf', { creditNoteId: n.id })}
                          >
                            Imprimer <span className="sr-only">l’avoir {n.number}</span>
                          </PrintButton>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                );
              })}
            </table>
            <p className="key-hint">↑ ↓ : facture précédente, suivante · Entrée : afficher son détail</p>
          </>
        )}
      </section>
      {selected && !shown && <p className="muted">{detail.error ?? 'Chargement de la facture…'}</p>}
      {shown && (
        <InvoiceDetailView
          key={shown.id}
          invoice={shown}
          today={today}
          canCredit={auth.can('billing.run')}
          onCredited={() => {
            list.reload();
            detail.reload();
          }}
        />
      )}
      <FamilyTaxCertificates householdId={householdId} />
    </div>
  );
}
