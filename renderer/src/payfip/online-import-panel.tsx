import { useState } from 'react';
import type { OutputOf } from '../../../core/contract.ts';
import { formatShortDate } from '../../../shared/dates.ts';
import { formatEuros } from '../../../shared/money.ts';
import { useAnnounce } from '../announcer.tsx';
import { useCounter } from '../counter-context.ts';
import { TableHead } from '../family/table-parts.tsx';

type Preview = OutputOf<'payfip.previewImport'>;

/**
 * Facturation › Paiements en ligne: the PayFiP back office's list of payments (CSV) read, each row matched to its
 * invoice and said what recording it would do; then the ready rows recorded as payments « en ligne » with their
 * transaction number. A row already recorded is recognised by that number, so a file imported twice adds nothing.
 */
export function OnlineImportPanel() {
  const api = useCounter();
  const announce = useAnnounce();
  const [csv, setCsv] = useState<string | null>(null);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);

  async function look(text: string) {
    setCsv(text);
    const r = await api.invoke('payfip.previewImport', { csv: text });
    if (!r.ok) return announce(r.error.message);
    setPreview(r.data);
  }

  async function record() {
    if (!preview || !csv) return;
    setBusy(true);
    let count = 0;
    let cents = 0;
    const failures: string[] = [];
    for (const row of preview.rows) {
      if (row.status !== 'ready' || !row.householdId || !row.invoiceId || row.amountCents === null) continue;
      const r = await api.invoke('payment.record', {
        householdId: row.householdId,
        mode: 'online',
        amountCents: row.amountCents,
        online: { reference: row.transaction },
        note: `PayFiP ${row.reference}${row.date ? ` du ${formatShortDate(row.date)}` : ''}`,
        allocations: [{ invoiceId: row.invoiceId, amountCents: row.amountCents }],
      });
      if (r.ok) {
        count += 1;
        cents += row.amountCents;
      } else failures.push(`ligne ${row.line} : ${r.error.message}`);
    }
    setBusy(false);
    const message = `${count} paiement(s) en ligne enregistré(s), ${formatEuros(cents)}.${failures.length ? ` Non enregistrés : ${failures.join(' ; ')}` : ''}`;
    setDone(message);
    announce(message);
    await look(csv);
  }

  return (
    <div className="regie-files">
      <section aria-labelledby="online-import">
        <h2 id="online-import">Import des paiements en ligne (PayFiP)</h2>
        <p className="muted">
          Le fichier des paiements exporté de l’espace PayFiP : colonnes Date, Référence, Montant et
          Transaction, séparées par des points-virgules.
        </p>
        <label className="field">
          <span className="field-label">Fichier des paiements en ligne</span>
          <input
            type="file"
            accept=".csv,text/csv"
            onChange={(e) => {
              setDone(null);
              void e.target.files?.[0]?.text().then(look);
            }}
          />
        </label>
        {done && (
          <p className="notice" data-testid="online-import-done">
            {done}
          </p>
        )}
        {preview?.problem && <p className="page-error">{preview.problem}</p>}
        {preview && !preview.problem && (
          <div data-testid="online-import-preview">
            <p>
              <strong>
                {preview.totals.ready} paiement(s) à enregistrer sur {preview.totals.rows} ligne(s) —{' '}
                {formatEuros(preview.totals.readyCents)}
              </strong>
            </p>
            <table className="grid">
              <caption className="sr-only">Paiements en ligne du fichier et la facture de chacun</caption>
              <TableHead
                columns={['Ligne', 'Date', 'Référence', 'Transaction', 'Montant', 'Facture', 'Famille', '']}
              />
              <tbody>
                {preview.rows.map((r) => (
                  <tr key={r.line} className={r.status === 'ready' ? undefined : 'muted'}>
                    <td className="num">{r.line}</td>
                    <td>{r.date ? formatShortDate(r.date) : ''}</td>
                    <td>{r.reference}</td>
                    <td>{r.transaction}</td>
                    <td className="num">{r.amountCents === null ? '' : formatEuros(r.amountCents)}</td>
                    <td>{r.invoiceNumber ?? ''}</td>
                    <td>{r.householdName ?? ''}</td>
                    <td>{r.statusLabel}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {preview.totals.ready > 0 && (
              <button type="button" className="primary" disabled={busy} onClick={() => void record()}>
                Enregistrer les {preview.totals.ready} paiement(s)
              </button>
            )}
          </div>
        )}
      </section>
    </div>
  );
}
