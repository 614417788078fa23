import { useEffect, useRef, useState, type ReactNode } from 'react';
import { useAnnounce } from '../announcer.tsx';
import { useCounter } from '../counter-context.ts';
import { printPdf, type PrintOutcome } from '../print.ts';

/**
 * Prints a payment's receipt (`payment.receiptPdf`): the first print is the original, a reprint says DUPLICATA.
 * What happened is said beside the button; a blocked pop-up leaves a download link there.
 */
export function ReceiptPrintButton({
  paymentId,
  duplicate = false,
  autoFocus = false,
  className,
  children,
}: {
  paymentId: string;
  duplicate?: boolean;
  autoFocus?: boolean;
  className?: string;
  children: ReactNode;
}) {
  const api = useCounter();
  const announce = useAnnounce();
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<PrintOutcome | null>(null);
  const ref = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (autoFocus) ref.current?.focus();
  }, [autoFocus]);

  async function print() {
    if (busy) return;
    setBusy(true);
    setOutcome(null);
    const r = await api.invoke('payment.receiptPdf', { paymentId, duplicate });
    const next: PrintOutcome = r.ok
      ? await printPdf(api, r.data)
      : { kind: 'failed', message: r.error.message };
    setBusy(false);
    setOutcome(next);
    announce(next.message);
  }

  return (
    <span className="print">
      <button ref={ref} type="button" className={className} aria-disabled={busy} onClick={() => void print()}>
        {busy ? 'Préparation…' : children}
      </button>
      {outcome?.kind === 'blocked' && (
        <a className="print-link" href={outcome.url} download={outcome.fileName}>
          Télécharger {outcome.fileName}
        </a>
      )}
      {outcome?.kind === 'failed' && <span className="field-error">{outcome.message}</span>}
    </span>
  );
}
