import { useState, type ReactNode } from 'react';
import type { Envelope } from '../../../core/api/envelope.ts';
import { useAnnounce } from '../announcer.tsx';
import { useCounter } from '../counter-context.ts';
import { printPdf, type PdfFile, type PrintOutcome } from '../print.ts';

/**
 * « Imprimer » for a document of the core: fetches the PDF, then prints it (desktop) or opens it (browser). What
 * happened is said beside the button; a blocked pop-up leaves a download link there.
 */
export function PrintButton({
  load,
  children,
  className,
}: {
  load: () => Promise<Envelope<PdfFile>>;
  children: ReactNode;
  className?: string;
}) {
  const api = useCounter();
  const announce = useAnnounce();
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<PrintOutcome | null>(null);

  async function print() {
    if (busy) return;
    setBusy(true);
    setOutcome(null);
    const r = await load();
    const next: PrintOutcome = r.ok
      ? await printPdf(api, r.data)
      : { kind: 'failed', message: r.error.message };
    setBusy(false);
    setOutcome(next);
    announce(next.message);
  }

  return (
    <span className="print">
      <button type="button" className={className} aria-disabled={busy} onClick={() => void print()}>
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
