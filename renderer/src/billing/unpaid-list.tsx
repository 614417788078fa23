import { TitreTag } from '../pes/titre-tag.tsx';
import { useId, useState, type FormEvent } from 'react';
import { formatShortDate } from '../../../shared/dates.ts';
import { formatEuros } from '../../../shared/money.ts';
import { useAnnounce } from '../announcer.tsx';
import { useQuery } from '../use-query.ts';
import { download, unpaidCsv } from './unpaid-csv.ts';
import { frDateToIso } from '../date-input.ts';

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n > 1 ? many : one}`;

/**
 * Invoices past their due date with something left, debtor by debtor, for the public accountant's titre de
 * recettes: debts under the recovery minimum (15 €) flagged, a total, and the list as a CSV file.
 */
export function UnpaidList({
  today,
  onOpenFamily,
}: {
  today: string;
  onOpenFamily: (householdId: string) => void;
}) {
  const ids = useId();
  const announce = useAnnounce();
  const [asOf, setAsOf] = useState(today);
  const [text, setText] = useState(formatShortDate(today));
  const [error, setError] = useState<string | null>(null);
  const unpaid = useQuery('billing.unpaid', { asOf });

  function apply(e: FormEvent) {
    e.preventDefault();
    const iso = frDateToIso(text);
    if (!iso) {
      setError('Date invalide : saisissez jj/mm/aaaa.');
      return;
    }
    setError(null);
    setAsOf(iso);
  }

  const data = unpaid.current ? unpaid.data : null;
  const minimum = data ? formatEuros(data.minimumCents) : '15 €';
  return (
    <section className="card" aria-labelledby={`${ids}-title`} aria-busy={!unpaid.current}>
      <div className="card-head">
        <h2 id={`${ids}-title`}>Impayés au {formatShortDate(asOf)}</h2>
        <div className="card-actions">
          <button
            type="button"
            disabled={!data || data.invoices.length === 0}
            onClick={() => {
              if (!data) return;
              download(unpaidCsv(data), `impayes-${data.asOf}.csv`);
              announce(`Liste des impayés exportée : impayes-${data.asOf}.csv.`);
            }}
          >
            Exporter en CSV
          </button>
        </div>
      </div>
      <form className="go-to unpaid-date" aria-label="Date des impayés" onSubmit={apply}>
        <label htmlFor={`${ids}-asof`}>Échues avant le</label>
        <input
          id={`${ids}-asof`}
          value={text}
          inputMode="numeric"
          placeholder="jj/mm/aaaa"
          maxLength={10}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${ids}-asof-error` : undefined}
          onChange={(e) => {
            setText(e.target.value);
            setError(null);
          }}
        />
        <button type="submit">Afficher</button>
        {error && (
          <span id={`${ids}-asof-error`} className="field-error">
            {error}
          </span>
        )}
      </form>
      {unpaid.error && <p className="form-error">{unpaid.error}</p>}
      {!data ? (
        <p className="muted">Chargement des impayés…</p>
      ) : data.invoices.length === 0 ? (
        <p className="muted">Aucune facture échue avant le {formatShortDate(data.asOf)} ne reste à payer.</p>
      ) : (
        <>
          <dl className="counts" data-testid="unpaid-totals">
            <div>
              <dt>Débiteurs</dt>
              <dd>{data.debtors.length}</dd>
            </div>
            <div>
              <dt>Factures échues</dt>
              <dd>{data.totals.invoices}</dd>
            </div>
            <div>
              <dt>Reste dû</dt>
              <dd>{formatEuros(data.totals.remainingCents)}</dd>
            </div>
            <div>
              <dt>Débiteurs sous {minimum}</dt>
              <dd>{data.totals.debtorsBelowMinimum}</dd>
            </div>
          </dl>
          <table className="grid unpaid-table">
            <caption className="sr-only">Factures échues non soldées, par débiteur</caption>
            <thead>
              <tr>
                <th scope="col">Débiteur / facture</th>
                <th scope="col">Échéance</th>
                <th scope="col" className="num">
                  Retard
                </th>
                <th scope="col" className="num">
                  Facturé
                </th>
                <th scope="col" className="num">
                  Avoirs et paiements
                </th>
                <th scope="col" className="num">
                  Reste dû
                </th>
                <th scope="col">Seuil</th>
              </tr>
            </thead>
            {data.debtors.map((d) => (
              <tbody key={d.householdId} data-testid="unpaid-debtor">
                <tr className="group-head">
                  <th scope="rowgroup" colSpan={5}>
                    <button type="button" className="link" onClick={() => onOpenFamily(d.householdId)}>
                      Foyer {d.householdName}
                    </button>{' '}
                    <span className="debtor-payer">
                      {d.payerName}
                      {d.payerAddress ? ` — ${d.payerAddress.replace(/\s*\n\s*/g, ', ')}` : ''} ·{' '}
                      {plural(d.invoices, 'facture')}
                    </span>
                  </th>
                  <td className="num">
                    <strong>{formatEuros(d.remainingCents)}</strong>
                  </td>
                  <td>{d.belowMinimum && <span className="tag tag-late">moins de {minimum}</span>}</td>
                </tr>
                {data.invoices
                  .filter((i) => i.householdId === d.householdId)
                  .map((i) => (
                    <tr key={i.id} data-testid="unpaid-invoice">
                      <td className="indent">Facture {i.number}</td>
                      <td>{formatShortDate(i.dueDate)}</td>
                      <td className="num">{plural(i.daysLate, 'jour')}</td>
                      <td className="num">{formatEuros(i.totalCents)}</td>
                      <td className="num">
                        {i.creditedCents + i.paidCents > 0
                          ? `− ${formatEuros(i.creditedCents + i.paidCents)}`
                          : '—'}
                      </td>
                      <td className="num">{formatEuros(i.remainingCents)}</td>
                      <td>
                        {i.belowMinimum && <span className="tag tag-unbooked">moins de {minimum}</span>}
                        <TitreTag exportNumber={i.titreExport} />
                      </td>
                    </tr>
                  ))}
              </tbody>
            ))}
            <tfoot>
              <tr>
                <th scope="row" colSpan={5}>
                  Total ({plural(data.totals.invoices, 'facture')})
                </th>
                <td className="num">
                  <strong>{formatEuros(data.totals.remainingCents)}</strong>
                </td>
                <td />
              </tr>
            </tfoot>
          </table>
          <p className="field-hint">
            Le comptable public ne poursuit une dette qu’à partir de {minimum} par débiteur, toutes ses
            factures réunies : « moins de {minimum} » sur un débiteur le signale.
          </p>
        </>
      )}
    </section>
  );
}
