import { useState } from 'react';
import { useCounter } from '../counter-context.ts';

/**
 * Aide › « Copier le rapport de diagnostic »: the same report as the desktop app's menu (core/system/diagnostics.ts),
 * for the browser host too. Where the clipboard refuses, the report is shown to be copied by hand.
 */
export function CopyReportButton() {
  const api = useCounter();
  const [state, setState] = useState<{ said: string; report?: string } | null>(null);

  async function copy() {
    const r = await api.invoke('system.diagnostics', {});
    if (!r.ok) return setState({ said: r.error.message });
    try {
      await navigator.clipboard.writeText(r.data.report);
      setState({ said: 'Rapport copié : collez-le (Ctrl+V) dans votre message au support.' });
    } catch {
      setState({
        said: 'Copie automatique impossible : sélectionnez le rapport ci-dessous et copiez-le.',
        report: r.data.report,
      });
    }
  }

  return (
    <div className="diagnostics">
      <button type="button" onClick={() => void copy()}>
        Copier le rapport de diagnostic
      </button>
      {state && (
        <p role="status" className="muted">
          {state.said}
        </p>
      )}
      {state?.report && (
        <textarea readOnly rows={8} value={state.report} aria-label="Rapport de diagnostic" />
      )}
    </div>
  );
}
