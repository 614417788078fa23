import { useId, useState } from 'react';
import type { OutputOf } from '../../../core/contract.ts';
import { formatShortDate } from '../../../shared/dates.ts';
import { formatEuros } from '../../../shared/money.ts';
import { useAnnounce } from '../announcer.tsx';
import { PrintButton } from '../billing/print-button.tsx';
import { useCounter } from '../counter-context.ts';
import { useQuery } from '../use-query.ts';

type Slip = OutputOf<'regie.depositSlip.create'>;

const cheques = (n: number) => `${n} chèque${n > 1 ? 's' : ''}`;

/**
 * The cheques' deposit slip: the régisseur ticks the cheques handed to the bank (a cheque kept back for a day stays
 * pending), sees the count and total as they tick, and makes the slip; past slips are listed and reprinted as
 * DUPLICATA.
 */
export function DepositSlips() {
  const api = useCounter();
  const announce = useAnnounce();
  const id = useId();
  const pending = useQuery('regie.pendingCheques', {});
  const past = useQuery('regie.depositSlips', {});
  const [chosen, setChosen] = useState<ReadonlySet<string>>(new Set());
  const [slip, setSlip] = useState<Slip | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const data = pending.data;
  // A cheque deposited elsewhere meanwhile drops out of the choice.
  const picked = (data?.cheques ?? []).filter((c) => chosen.has(c.paymentId));
  const pickedCents = picked.reduce((s, c) => s + c.amountCents, 0);
  const allPicked = !!data && data.count > 0 && picked.length === data.count;

  async function create() {
    if (busy) return;
    if (picked.length === 0) {
      setError('Cochez les chèques remis à la banque.');
      announce('Aucun chèque choisi.');
      return;
    }
    setBusy(true);
    const r = await api.invoke('regie.depositSlip.create', { paymentIds: picked.map((c) => c.paymentId) });
    setBusy(false);
    if (!r.ok) {
      setError(r.error.message);
      announce(r.error.message);
      return;
    }
    setSlip(r.data);
    setError(null);
    setChosen(new Set());
    pending.reload();
    past.reload();
    announce(
      `Bordereau n° ${r.data.number} créé : ${cheques(r.data.chequeCount)}, ${formatEuros(r.data.totalCents)}.`,
    );
  }

  const toggle = (paymentId: string, on: boolean) =>
    setChosen((s) => {
      const next = new Set(s);
      if (on) next.add(paymentId);
      else next.delete(paymentId);
      return next;
    });

  return (
    <section className="card" aria-labelledby={`${id}-title`} data-testid="deposit-slip">
      <div className="card-head">
        <h2 id={`${id}-title`}>Bordereau de remise de chèques</h2>
        {data && (
          <p data-testid="pending-cheques">
            {data.count === 0
              ? 'Aucun chèque en attente de remise.'
              : `${cheques(data.count)} en attente : ${formatEuros(data.totalCents)}`}
          </p>
        )}
      </div>
      {data && data.count > 0 && (
        <>
          <table className="grid">
            <caption className="sr-only">Chèques en attente de remise : cochez ceux du bordereau</caption>
            <thead>
              <tr>
                <th scope="col">
                  <input
                    type="checkbox"
                    aria-label="Tout sélectionner"
                    checked={allPicked}
                    onChange={(e) =>
                      setChosen(new Set(e.target.checked ? data.cheques.map((c) => c.paymentId) : []))
                    }
                  />
                </th>
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
                <tr key={c.paymentId} data-testid="pending-cheque">
                  <td>
                    <input
                      type="checkbox"
                      aria-label={`Chèque n° ${c.chequeNumber} de ${c.drawer}, ${formatEuros(c.amountCents)}`}
                      checked={chosen.has(c.paymentId)}
                      onChange={(e) => {
                        toggle(c.paymentId, e.target.checked);
                        setError(null);
                      }}
                    />
                  </td>
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
            <p role="status" data-testid="slip-selection">
              {picked.length === 0
                ? 'Aucun chèque choisi.'
                : `Choisis : ${cheques(picked.length)}, ${formatEuros(pickedCents)}.`}
            </p>
            <button type="button" className="primary" aria-disabled={busy} onClick={() => void create()}>
              Créer le bordereau
            </button>
          </div>
        </>
      )}
      {error && <p className="form-error">{error}</p>}
      {slip && (
        <p className="result-head" data-testid="slip-result">
          Bordereau n° {slip.number} : {cheques(slip.chequeCount)}, {formatEuros(slip.totalCents)}.{' '}
          <PrintButton
            className="primary"
            load={() => api.invoke('regie.depositSlipPdf', { depositSlipId: slip.id })}
          >
            Imprimer le bordereau
          </PrintButton>
        </p>
      )}
      {past.data && past.data.length > 0 && (
        <>
          <h3 className="sub-title">Bordereaux établis</h3>
          <table className="grid" data-testid="past-slips">
            <caption className="sr-only">Bordereaux de remise établis, du plus récent au plus ancien</caption>
            <thead>
              <tr>
                <th scope="col">Numéro</th>
                <th scope="col">Date</th>
                <th scope="col" className="num">
                  Chèques
                </th>
                <th scope="col" className="num">
                  Total
                </th>
                <th scope="col">Établi par</th>
                <th scope="col">
                  <span className="sr-only">Réimpression</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {past.data.map((s) => (
                <tr key={s.id} data-testid="past-slip">
                  <th scope="row">{s.number}</th>
                  <td>{formatShortDate(s.date)}</td>
                  <td className="num">{s.chequeCount}</td>
                  <td className="num">{formatEuros(s.totalCents)}</td>
                  <td>{s.agentName}</td>
                  <td>
                    <PrintButton
                      load={() => api.invoke('regie.depositSlipPdf', { depositSlipId: s.id, reprint: true })}
                    >
                      Réimprimer <span className="sr-only">le bordereau {s.number}</span>
                    </PrintButton>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
