import { useId, useState, type FormEvent } from 'react';
import type { OutputOf } from '../../../core/contract.ts';
import { formatShortDate } from '../../../shared/dates.ts';
import { formatDateTime } from '../../../shared/wall-clock.ts';
import { formatEuros } from '../../../shared/money.ts';
import { useAnnounce } from '../announcer.tsx';
import { PrintButton } from '../billing/print-button.tsx';
import { download } from '../billing/unpaid-csv.ts';
import { useCounter } from '../counter-context.ts';
import { useTownClock } from '../town-clock.ts';
import { DepositSlips } from './deposit-slips-section.tsx';
import { TillHistory } from './till-history.tsx';
import { useQuery } from '../use-query.ts';
import { frDateToIso } from '../date-input.ts';

/**
 * The régisseur's tools under the till: the cheques' deposit slips, the tills' history, the collection report, the
 * journal check.
 */
export function RegieTools() {
  return (
    <>
      <DepositSlips />
      <TillHistory />
      <CollectionReport />
      <VerifyJournal />
    </>
  );
}

function CollectionReport() {
  const api = useCounter();
  const announce = useAnnounce();
  const id = useId();
  const { today } = useTownClock();
  const [fromText, setFromText] = useState(formatShortDate(`${today.slice(0, 8)}01`));
  const [toText, setToText] = useState(formatShortDate(today));
  const [byPayer, setByPayer] = useState(false);
  const [asked, setAsked] = useState<{ from: string; to: string; byPayer: boolean } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const report = useQuery('regie.collectionReport', asked);

  function show(e: FormEvent) {
    e.preventDefault();
    const from = frDateToIso(fromText);
    const to = frDateToIso(toText);
    if (!from || !to || from > to) {
      setError('Période invalide : saisissez deux dates jj/mm/aaaa, la première avant la seconde.');
      return;
    }
    setError(null);
    setAsked({ from, to, byPayer });
  }

  async function csv() {
    if (!asked) return;
    const r = await api.invoke('regie.collectionReportCsv', asked);
    if (!r.ok) return announce(r.error.message);
    download(r.data.text, r.data.fileName);
    announce(`État exporté : ${r.data.fileName}.`);
  }

  const data = report.current ? report.data : null;
  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} className="card-title">
        État récapitulatif des encaissements
      </h2>
      <form aria-label="État récapitulatif" noValidate onSubmit={show} className="field-grid">
        <div className="field field-s">
          <label htmlFor={`${id}-from`}>Du</label>
          <input id={`${id}-from`} value={fromText} onChange={(e) => setFromText(e.target.value)} />
        </div>
        <div className="field field-s">
          <label htmlFor={`${id}-to`}>Au</label>
          <input id={`${id}-to`} value={toText} onChange={(e) => setToText(e.target.value)} />
        </div>
        <div className="field field-check">
          <input
            id={`${id}-payer`}
            type="checkbox"
            checked={byPayer}
            onChange={(e) => setByPayer(e.target.checked)}
          />
          <label htmlFor={`${id}-payer`}>Détail par payeur</label>
        </div>
        <div className="form-actions">
          <button type="submit">Afficher</button>
        </div>
      </form>
      {error && <p className="form-error">{error}</p>}
      {data && asked && (
        <div data-testid="collection-report">
          <p className="result-head">
            {data.title} : {data.totals.count} paiement{data.totals.count > 1 ? 's' : ''}, net{' '}
            {formatEuros(data.totals.netCents)}.
          </p>
          <ul>
            {data.byMode.map((m) => (
              <li key={m.mode}>
                {m.label} : {m.count} — {formatEuros(m.netCents)}
              </li>
            ))}
          </ul>
          {data.byActivity.length > 0 && (
            <table className="grid" data-testid="report-activities">
              <caption className="sub-title">Par activité</caption>
              <thead>
                <tr>
                  <th scope="col">Activité</th>
                  <th scope="col">Imputation</th>
                  <th scope="col">Code produit</th>
                  <th scope="col" className="num">
                    Montant
                  </th>
                </tr>
              </thead>
              <tbody>
                {data.byActivity.map((a) => (
                  <tr key={a.activityId}>
                    <th scope="row">{a.activityName}</th>
                    <td>{a.imputation || '—'}</td>
                    <td>{a.productCode || '—'}</td>
                    <td className="num">{formatEuros(a.amountCents)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <div className="form-actions">
            <PrintButton load={() => api.invoke('regie.collectionReportPdf', asked)}>
              Imprimer (PDF)
            </PrintButton>
            <button type="button" onClick={() => void csv()}>
              Exporter en CSV
            </button>
          </div>
        </div>
      )}
    </section>
  );
}

/** What an intact journal's check says it read: all of it, or what was written since the last check. */
function journalIntact(r: OutputOf<'regie.verifyJournal'>, timeZone: string): string {
  const plural = r.entries > 1 ? 's' : '';
  const read = `${r.entries} écriture${plural} vérifiée${plural}`;
  return r.since === 0 || r.sinceAt === null
    ? `Journal intègre : ${read}, chaînées sans trou ni altération.`
    : `Journal intègre : ${read} depuis la vérification du ${formatDateTime(r.sinceAt, timeZone)}, qui couvrait les écritures 1 à ${r.since}. La vérification complète relit tout le journal.`;
}

function VerifyJournal() {
  const api = useCounter();
  const { timeZone } = useTownClock();
  const announce = useAnnounce();
  const [result, setResult] = useState<OutputOf<'regie.verifyJournal'> | null>(null);
  const [busy, setBusy] = useState(false);

  async function verify(full: boolean) {
    setBusy(true);
    const r = await api.invoke('regie.verifyJournal', { full });
    setBusy(false);
    if (!r.ok) return announce(r.error.message);
    setResult(r.data);
    announce(r.data.ok ? 'Journal intègre.' : `Journal altéré : ${r.data.firstProblem?.message ?? ''}`);
  }

  return (
    <section className="card" aria-labelledby="journal-title">
      <div className="card-head">
        <h2 id="journal-title">Journal des encaissements</h2>
        <div className="actions">
          <button type="button" aria-disabled={busy} onClick={() => void verify(false)}>
            Vérifier le journal
          </button>
          <button type="button" aria-disabled={busy} onClick={() => void verify(true)}>
            Vérification complète
          </button>
        </div>
      </div>
      {result && (
        <p className={result.ok ? 'result-head' : 'warn'} role="status" data-testid="journal-result">
          {result.ok
            ? journalIntact(result, timeZone)
            : `Journal altéré : ${result.firstProblem?.message ?? ''} (${result.problems.length} problème${result.problems.length > 1 ? 's' : ''}).`}
        </p>
      )}
    </section>
  );
}
