import { useId, useState, type FormEvent } from 'react';
import { formatEuros } from '../../../shared/money.ts';
import { useAnnounce } from '../announcer.tsx';
import { useCounter } from '../counter-context.ts';

/**
 * « Utiliser le crédit »: the family's credit settles its invoices, oldest first (payment.useCredit), in one step;
 * what it paid is said beside the button.
 */
export function UseCreditButton({
  householdId,
  creditCents,
  dueCents,
  onDone,
}: {
  householdId: string;
  creditCents: number;
  dueCents: number;
  onDone: () => void;
}) {
  const api = useCounter();
  const announce = useAnnounce();
  const [busy, setBusy] = useState(false);
  const [said, setSaid] = useState<string | null>(null);
  const usable = Math.min(creditCents, dueCents);

  async function use() {
    if (busy) return;
    setBusy(true);
    const r = await api.invoke('payment.useCredit', { householdId });
    setBusy(false);
    const message = r.ok
      ? `Crédit de ${formatEuros(r.data.usedCents)} affecté : ${r.data.allocations
          .map((a) => `facture ${a.number} ${formatEuros(a.amountCents)}`)
          .join(', ')}. Crédit restant : ${formatEuros(r.data.familyCreditCents)}.`
      : r.error.message;
    setSaid(message);
    announce(message);
    if (r.ok) onDone();
  }

  if (usable <= 0 && !said) return null;
  return (
    <div className="use-credit">
      {usable > 0 && (
        <button type="button" aria-disabled={busy} onClick={() => void use()}>
          Utiliser le crédit sur les factures ({formatEuros(usable)})
        </button>
      )}
      {said && (
        <p role="status" data-testid="credit-used">
          {said}
        </p>
      )}
    </div>
  );
}

/**
 * The only correction of a payment: its reversal with a reason (payment.reverse, the régisseur's). The receipt
 * stays; the payment shows as cancelled with the reason, and its amount leaves the family's account.
 */
export function ReversePaymentForm({
  paymentId,
  receiptNumber,
  amountCents,
  onDone,
  onCancel,
}: {
  paymentId: string;
  receiptNumber: string;
  amountCents: number;
  onDone: () => void;
  onCancel: () => void;
}) {
  const api = useCounter();
  const announce = useAnnounce();
  const id = useId();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (busy) return;
    if (!reason.trim()) {
      setError('Saisissez le motif de l’annulation.');
      announce('Motif de l’annulation : à saisir.');
      return;
    }
    setBusy(true);
    const r = await api.invoke('payment.reverse', { paymentId, reason: reason.trim() });
    setBusy(false);
    if (!r.ok) {
      setError(r.error.message);
      announce(r.error.message);
      return;
    }
    announce(`Paiement ${receiptNumber} annulé : ${formatEuros(amountCents)}.`);
    onDone();
  }

  return (
    <form
      aria-label={`Annuler le paiement ${receiptNumber}`}
      className="reverse-payment field-grid"
      noValidate
      onSubmit={(e) => void submit(e)}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          onCancel();
        }
      }}
    >
      <div className="field field-l">
        <span className="field-label">
          <label htmlFor={`${id}-reason`}>Motif de l’annulation du reçu {receiptNumber}</label>
          <span className="required" aria-hidden="true">
            *
          </span>
        </span>
        <input
          id={`${id}-reason`}
          // The agent asked to cancel: the reason is what they type next.
          autoFocus
          value={reason}
          maxLength={200}
          aria-required
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
          onChange={(e) => {
            setReason(e.target.value);
            setError(null);
          }}
        />
        {error && (
          <span id={`${id}-error`} className="field-error">
            {error}
          </span>
        )}
      </div>
      <div className="form-actions">
        <button type="submit" className="danger" aria-disabled={busy}>
          Annuler le paiement de {formatEuros(amountCents)}
        </button>
        <button type="button" onClick={onCancel}>
          Retour
        </button>
      </div>
    </form>
  );
}
