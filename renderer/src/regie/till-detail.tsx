import { useId, useState, type FormEvent } from 'react';
import type { OutputOf } from '../../../core/contract.ts';
import { formatEuros } from '../../../shared/money.ts';
import { formatDateTimeCompact, timeOfDay } from '../../../shared/wall-clock.ts';
import { useAnnounce } from '../announcer.tsx';
import { PrintButton } from '../billing/print-button.tsx';
import { useCounter } from '../counter-context.ts';
import { parseEuros } from '../money-input.ts';
import { useTownClock } from '../town-clock.ts';

export type TillDetail = OutputOf<'regie.session'>;

/**
 * What went into one till, as the régisseur reviews it: every payment with its receipt (reprinted as a DUPLICATA),
 * the reversals and the cash paid in to the Trésor. Read-only: a payment is corrected by a reversal, from the family.
 */
export function TillPayments({ detail }: { detail: TillDetail }) {
  const api = useCounter();
  const { timeZone } = useTownClock();
  const id = useId();
  return (
    <section className="card" aria-labelledby={`${id}-title`} data-testid="till-payments">
      <h2 id={`${id}-title`} className="card-title">
        Paiements de la caisse ({detail.payments.length})
      </h2>
      {detail.payments.length === 0 ? (
        <p className="muted">Aucun paiement dans cette caisse.</p>
      ) : (
        <table className="grid">
          <caption className="sr-only">Paiements enregistrés dans cette caisse, avec leur reçu</caption>
          <thead>
            <tr>
              <th scope="col">Reçu</th>
              <th scope="col">Heure</th>
              <th scope="col">Payeur</th>
              <th scope="col">Mode</th>
              <th scope="col">Détail</th>
              <th scope="col" className="num">
                Montant
              </th>
              <th scope="col">
                <span className="sr-only">Réimpression</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {detail.payments.map((p) => (
              <tr key={p.paymentId} data-testid="till-payment">
                <th scope="row">{p.receiptNumber}</th>
                <td>{timeOfDay(p.receivedAt, timeZone)}</td>
                <td>{p.payerName}</td>
                <td>{p.modeLabel}</td>
                <td>
                  {p.detail}
                  {p.reversed && <span className="status"> annulé</span>}
                  {p.depositSlip && <span className="muted"> (bordereau {p.depositSlip})</span>}
                </td>
                <td className="num">{formatEuros(p.amountCents)}</td>
                <td>
                  <PrintButton
                    load={() => api.invoke('payment.receiptPdf', { paymentId: p.paymentId, duplicate: true })}
                  >
                    Duplicata <span className="sr-only">du reçu {p.receiptNumber}</span>
                  </PrintButton>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {detail.reversals.length > 0 && (
        <>
          <h3 className="sub-title">Annulations</h3>
          <ul className="plain" data-testid="till-reversals">
            {detail.reversals.map((x) => (
              <li key={x.reversalId}>
                Reçu {x.receiptNumber}, {x.payerName} : − {formatEuros(x.amountCents)} ({x.modeLabel}) —{' '}
                {x.reason}, par {x.agentName} le {formatDateTimeCompact(x.reversedAt, timeZone)}
              </li>
            ))}
          </ul>
        </>
      )}
      {detail.payIns.length > 0 && (
        <>
          <h3 className="sub-title">Versements au comptable</h3>
          <ul className="plain" data-testid="till-payins">
            {detail.payIns.map((v) => (
              <li key={v.id}>
                {formatEuros(v.amountCents)} versés le {formatDateTimeCompact(v.paidAt, timeZone)}, référence{' '}
                {v.reference}
                {v.note ? ` (${v.note})` : ''}, par {v.agentName}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

/** The closing report of a closed till, printed at closing and reprinted from the history. */
export function ZReportButton({ sessionId, reprint }: { sessionId: string; reprint?: boolean }) {
  const api = useCounter();
  return (
    <PrintButton className="primary" load={() => api.invoke('regie.sessionReportPdf', { sessionId })}>
      {reprint ? 'Réimprimer le rapport de clôture (Z)' : 'Imprimer le rapport de clôture (Z)'}
    </PrintButton>
  );
}

/**
 * Cash taken out of the open till and paid in to the Trésor: the amount and the reference of the comptable's
 * receipt. Recorded for good (a fact), the closing then expects that much less cash in the drawer.
 */
export function PayInForm({ cashOnHandCents, onDone }: { cashOnHandCents: number; onDone: () => void }) {
  const api = useCounter();
  const announce = useAnnounce();
  const id = useId();
  const [open, setOpen] = useState(false);
  const [amount, setAmount] = useState('');
  const [reference, setReference] = useState('');
  const [note, setNote] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);

  if (!open)
    return (
      <div className="form-actions">
        <button type="button" onClick={() => setOpen(true)}>
          Verser au comptable…
        </button>
      </div>
    );

  async function save(e: FormEvent) {
    e.preventDefault();
    if (busy) return;
    const next: Record<string, string> = {};
    const cents = parseEuros(amount);
    if (cents === null || cents <= 0) next.amount = 'Montant en euros attendu, par exemple 500,00.';
    else if (cents > cashOnHandCents)
      next.amount = `Plus que les espèces en caisse (${formatEuros(cashOnHandCents)}).`;
    if (!reference.trim()) next.reference = 'Saisissez la référence du reçu du comptable.';
    setErrors(next);
    if (Object.keys(next).length || cents === null) return announce('Versement à corriger.');
    setBusy(true);
    const r = await api.invoke('regie.payIn', {
      amountCents: cents,
      reference: reference.trim(),
      ...(note.trim() ? { note: note.trim() } : {}),
    });
    setBusy(false);
    if (!r.ok) {
      setErrors({ [r.error.field === 'reference' ? 'reference' : 'amount']: r.error.message });
      return announce(r.error.message);
    }
    announce(`Versement de ${formatEuros(cents)} au comptable enregistré.`);
    setOpen(false);
    setAmount('');
    setReference('');
    setNote('');
    onDone();
  }

  const field = (name: string, label: string, value: string, set: (v: string) => void, size: string) => (
    <div className={`field field-${size}`}>
      <span className="field-label">
        <label htmlFor={`${id}-${name}`}>{label}</label>
      </span>
      <input
        id={`${id}-${name}`}
        value={value}
        inputMode={name === 'amount' ? 'decimal' : undefined}
        aria-invalid={errors[name] ? true : undefined}
        aria-describedby={errors[name] ? `${id}-${name}-error` : undefined}
        onChange={(e) => {
          set(e.target.value);
          setErrors(({ [name]: _cleared, ...rest }) => rest);
        }}
      />
      {errors[name] && (
        <span id={`${id}-${name}-error`} className="field-error">
          {errors[name]}
        </span>
      )}
    </div>
  );

  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} className="card-title">
        Versement au comptable (Trésor public)
      </h2>
      <p className="muted">
        Les espèces sorties de la caisse et versées au comptable : le versement est enregistré définitivement
        et la clôture attend d’autant moins d’espèces.
      </p>
      <form
        aria-label="Versement au comptable"
        noValidate
        onSubmit={(e) => void save(e)}
        className="field-grid"
      >
        {field('amount', 'Montant versé (€)', amount, setAmount, 's')}
        {field('reference', 'Référence du reçu du comptable', reference, setReference, 'm')}
        {field('note', 'Observation', note, setNote, 'l')}
        <div className="form-actions">
          <button type="submit" className="primary" aria-disabled={busy}>
            Enregistrer le versement
          </button>
          <button type="button" onClick={() => setOpen(false)}>
            Annuler
          </button>
        </div>
      </form>
    </section>
  );
}
