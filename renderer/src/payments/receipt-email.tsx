import { useEffect, useId, useState } from 'react';
import type { OutputOf } from '../../../core/contract.ts';
import { useAnnounce } from '../announcer.tsx';
import { useCounter } from '../counter-context.ts';
import './payments.css';

type Emails = OutputOf<'payment.receiptEmails'>;

const STATUS: Record<Emails[number]['status'], string> = {
  pending: 'en attente : part du serveur central à la prochaine synchronisation',
  sent: 'envoyé',
  refused: 'refusé par le serveur de messagerie (adresse à vérifier)',
  failed: 'échec de l’envoi, nouvel essai à la prochaine synchronisation',
};

/**
 * « Envoyer le reçu par e-mail »: to the address typed, or the family's when left empty. The counter records the
 * request; the central server sends it (see `payment.emailReceipt`), and what became of each request shows below.
 */
export function ReceiptEmail({ paymentId }: { paymentId: string }) {
  const api = useCounter();
  const announce = useAnnounce();
  const id = useId();
  const [to, setTo] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [emails, setEmails] = useState<Emails>([]);

  /** Bumped after a request, so the list is read again. */
  const [version, setVersion] = useState(0);

  useEffect(() => {
    let live = true;
    void api.invoke('payment.receiptEmails', { paymentId }).then((r) => {
      if (live && r.ok) setEmails(r.data);
    });
    return () => {
      live = false;
    };
  }, [api, paymentId, version]);

  async function send() {
    if (busy) return;
    setBusy(true);
    setError(null);
    const r = await api.invoke('payment.emailReceipt', { paymentId, to: to.trim() });
    setBusy(false);
    if (!r.ok) {
      setError(r.error.message);
      announce(r.error.message);
      document.getElementById(`${id}-to`)?.focus();
      return;
    }
    setTo('');
    announce(`Reçu demandé par e-mail pour ${r.data.to}.`);
    setVersion((v) => v + 1);
  }

  return (
    <div className="receipt-email" data-testid="receipt-email">
      <div className="field">
        <label htmlFor={`${id}-to`}>Envoyer le reçu par e-mail à</label>
        <input
          id={`${id}-to`}
          type="email"
          value={to}
          placeholder="vide : l’adresse du dossier"
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
          onChange={(e) => {
            setTo(e.target.value);
            setError(null);
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              void send();
            }
          }}
        />
        {error && (
          <span id={`${id}-error`} className="field-error">
            {error}
          </span>
        )}
      </div>
      <button type="button" aria-disabled={busy} onClick={() => void send()}>
        Envoyer par e-mail
      </button>
      {emails.length > 0 && (
        <ul className="muted" data-testid="receipt-emails">
          {emails.map((e) => (
            <li key={e.requestId}>
              {e.to} — {STATUS[e.status]}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
