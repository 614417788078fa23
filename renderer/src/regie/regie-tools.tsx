import { useId, useState, type FormEvent } from 'react';
import type { OutputOf } from '../../../core/contract.ts';
import { formatShortDate } from '../../../shared/dates.ts';
import { formatEuros } from '../../../shared/money.ts';
import { useAnnounce } from '../announcer.tsx';
import { PrintButton } from '../billing/print-button.tsx';
import { download } from '../billing/unpaid-csv.ts';
import { useCounter } from '../counter-context.ts';
import { useTownClock } from '../town-clock.ts';
import { useQuery } from '../use-query.ts';
import { frDateToIso } from '../date-input.ts';

/** The régisseur's tools under the till: the cheques' deposit slip, the collection report, the journal check. */
export function RegieTools() {
  return (
    <>
      <DepositSlip />
      <CollectionReport />
      <VerifyJournal />
    </>
  );
}

type Slip = OutputOf<'regie.depositSlip.create'>;

function DepositSlip() {
  const api = useCounter();
  const announce = useAnnounce();
  const pending = useQuery('regie.pendingCheques', {});
  const [slip, setSlip] = useState<Slip | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function create() {
    if (busy) return;
    setBusy(true);
    const r = await api.invoke('regie.depositSlip.create', {});
    setBusy(false);
    if (!r.ok) {
      setError(r.error.message);
      announce(r.error.message);
      return;
    }
    setSlip(r.data);
    setError(null);
    pending.reload();
    announce(
      `Bordereau n° ${r.data.number} créé : ${r.data.chequeCount} chèque${r.data.chequeCount > 1 ? 's' : ''}, ${formatEuros(r.data.totalCents)}.`,
    );
  }

  const data = pending.data;
  return (
    <section className="card" aria-labelledby="slip-title" data-testid="deposit-slip">
      <div className="card-head">
        <h2 id="slip-title">Bordereau de remise de chèques</h2>
        {data && (
          <p data-testid="pending-cheques">
            {data.count === 0
              ? 'Aucun chèque en attente de remise.'
              : `${data.count} chèque${data.count > 1 ? 's' : ''} en attente : ${formatEuros(data.totalCents)}`}
          </p>
        )}
      </div>
      {data && data.count > 0 && (
        <>
          <table className="grid">
            <caption className="sr-only">Chèques en attente de remise</caption>
            <thead>
              <tr>
                <th scope="col">Reçu</th>
                <th scope="col">Date</th>
                <th scope="col">N° chèque</th>
                <th scope="col">Banque</th>
                <th scope="col">Tireur</th>
                <th scope="col" className="num">
                  Montant
                </th>
              </tr>
            </thead>
            <tbody>
              {data.cheques.map((c) => (
                <tr key={c.paymentId}>
                  <th scope="row">{c.receiptNumber}</th>
                  <td>{formatShortDate(c.date)}</td>
                  <td>{c.chequeNumber}</td>
                  <td>{c.bank}</td>
                  <td>{c.drawer}</td>
                  <td className="num">{formatEuros(c.amountCents)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="form-actions">
            <button type="button" className="primary" aria-disabled={busy} onClick={() => void create()}>
              Créer le bordereau
            </button>
          </div>
        </>
      )}
      {error && <p className="form-error">{error}</p>}
      {slip && (
        <p className="result-head" data-testid="slip-result">
          Bordereau n° {slip.number} : {slip.chequeCount} chèque{slip.chequeCount > 1 ? 's' : ''},{' '}
          {formatEuros(slip.totalCents)}.{' '}
          <PrintButton
            className="primary"
            load={() => api.invoke('regie.depositSlipPdf', { depositSlipId: slip.id })}
          >
            Imprimer le bordereau
          </PrintButton>
        </p>
      )}
    </section>
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

function VerifyJournal() {
  const api = useCounter();
  const announce = useAnnounce();
  const [result, setResult] = useState<OutputOf<'regie.verifyJournal'> | null>(null);
  const [busy, setBusy] = useState(false);

  async function verify() {
    setBusy(true);
    const r = await api.invoke('regie.verifyJournal', {});
    setBusy(false);
    if (!r.ok) return announce(r.error.message);
    setResult(r.data);
    announce(r.data.ok ? 'Journal intègre.' : `Journal altéré : ${r.data.firstProblem?.message ?? ''}`);
  }

  return (
    <section className="card" aria-labelledby="journal-title">
      <div className="card-head">
        <h2 id="journal-title">Journal des encaissements</h2>
        <button type="button" aria-disabled={busy} onClick={() => void verify()}>
          Vérifier le journal
        </button>
      </div>
      {result && (
        <p className={result.ok ? 'result-head' : 'warn'} role="status" data-testid="journal-result">
          {result.ok
            ? `Journal intègre : ${result.entries} écritures vérifiées, chaînées sans trou ni altération.`
            : `Journal altéré : ${result.firstProblem?.message ?? ''} (${result.problems.length} problème${result.problems.length > 1 ? 's' : ''}).`}
        </p>
      )}
    </section>
  );
}
