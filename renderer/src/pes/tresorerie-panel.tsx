import { useState } from 'react';
import type { OutputOf } from '../../../core/contract.ts';
import { formatShortDate } from '../../../shared/dates.ts';
import { formatEuros } from '../../../shared/money.ts';
import { useAnnounce } from '../announcer.tsx';
import { download } from '../billing/unpaid-csv.ts';
import { useCounter } from '../counter-context.ts';
import { frDateToIso } from '../date-input.ts';
import { TableHead } from '../family/table-parts.tsx';
import { EditForm } from '../forms/edit-form.tsx';
import { DateField } from '../forms/fields.tsx';
import { invalid, refused, saved } from '../forms/save-result.ts';
import { useQuery } from '../use-query.ts';

type Preview = OutputOf<'pes.preview'>;
const isoToFr = (iso: string) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;

/**
 * Facturation › Trésorerie: the unpaid invoices past due handed to the public accountant as titres de recettes
 * (PES V2), looked at debtor by debtor before they leave; the exports made, to save and send.
 */
export function TresoreriePanel({ today }: { today: string }) {
  const api = useCounter();
  const announce = useAnnounce();
  const exports = useQuery('pes.exports', {});
  const [asOf, setAsOf] = useState(isoToFr(today));
  const [preview, setPreview] = useState<Preview | null>(null);
  const [busy, setBusy] = useState(false);

  async function look() {
    const iso = frDateToIso(asOf);
    if (!iso) return invalid({ asOf: 'Saisissez la date au format jj/mm/aaaa.' });
    const r = await api.invoke('pes.preview', { asOf: iso });
    if (!r.ok) return refused(r.error);
    setPreview(r.data);
    return saved;
  }

  async function save(exportId: string) {
    const r = await api.invoke('pes.exportXml', { exportId });
    if (r.ok) download(r.data.text, r.data.fileName, 'application/xml');
  }

  async function send() {
    if (!preview) return;
    setBusy(true);
    const r = await api.invoke('pes.export', {
      asOf: preview.asOf,
      ...(preview.collectionDate ? { collectionDate: preview.collectionDate } : {}),
    });
    setBusy(false);
    if (!r.ok) return announce(r.error.message);
    announce(
      `Export ${r.data.number} : ${r.data.invoiceCount} facture(s), ${formatEuros(r.data.totalCents)}.`,
    );
    setPreview(null);
    exports.reload();
    await save(r.data.id);
  }

  return (
    <div className="regie-files">
      <section aria-labelledby="pes-new">
        <h2 id="pes-new">Titres à transmettre</h2>
        <EditForm
          label="Titres à transmettre"
          onSave={look}
          saveLabel="Voir les titres"
          escapeCancels={false}
        >
          <div className="field-grid">
            <DateField
              name="asOf"
              label="Échues au"
              required
              value={asOf}
              onChange={(v) => (setAsOf(v), setPreview(null))}
            />
          </div>
        </EditForm>
        {preview && (
          <div data-testid="pes-preview">
            {preview.gaps.length > 0 && (
              <p className="notice">
                À renseigner d’abord dans Paramètres › Trésorerie : {preview.gaps.join(', ')}.
              </p>
            )}
            <p>
              <strong>
                {preview.totals.debtors} débiteur(s), {preview.totals.invoices} facture(s) —{' '}
                {formatEuros(preview.totals.totalCents)}
              </strong>
            </p>
            {preview.collectionDate && (
              <p data-testid="pes-debits">
                Prélèvements par la Trésorerie (ORMC) : {preview.totals.debits} facture(s) de familles avec un
                mandat, prélevées le {formatShortDate(preview.collectionDate)}.
              </p>
            )}
            {preview.debtors.length > 0 && (
              <table className="grid">
                <caption className="sr-only">Débiteurs transmis, leurs factures regroupées</caption>
                <TableHead columns={['Débiteur', 'Adresse', 'Factures', 'Montant']} />
                <tbody>
                  {preview.debtors.map((d) => (
                    <tr key={d.householdId}>
                      <td>{d.payerName || d.householdName}</td>
                      <td>{d.payerAddress}</td>
                      <td>
                        {d.invoices
                          .map((i) =>
                            i.debit
                              ? `${i.invoiceNumber} (prélèvement ${i.debit.sequence === 'FRST' ? 'premier' : 'récurrent'}, ${i.debit.rum})`
                              : i.invoiceNumber,
                          )
                          .join(', ')}
                      </td>
                      <td className="num">{formatEuros(d.totalCents)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            {preview.belowMinimum.length > 0 && (
              <p className="muted" data-testid="pes-below-minimum">
                Sous le seuil de recouvrement ({formatEuros(preview.minimumCents)}), gardés pour une
                transmission suivante :{' '}
                {preview.belowMinimum
                  .map((d) => `${d.householdName} (${formatEuros(d.totalCents)})`)
                  .join(', ')}
                .
              </p>
            )}
            {preview.debtors.length > 0 && (
              <button
                type="button"
                className="primary"
                disabled={busy || preview.gaps.length > 0}
                onClick={() => void send()}
              >
                Transmettre à la Trésorerie
              </button>
            )}
          </div>
        )}
      </section>
      <section aria-labelledby="pes-done">
        <h2 id="pes-done">Transmissions</h2>
        {exports.data && exports.data.length === 0 && <p className="muted">Aucune transmission.</p>}
        {exports.data && exports.data.length > 0 && (
          <table className="grid" data-testid="pes-exports">
            <caption className="sr-only">Transmissions à la Trésorerie, la plus récente en premier</caption>
            <TableHead columns={['Export', 'Le', 'Échues au', 'Débiteurs', 'Factures', 'Montant', '']} />
            <tbody>
              {exports.data.map((e) => (
                <tr key={e.id}>
                  <td>{e.number}</td>
                  <td>{formatShortDate(e.date)}</td>
                  <td>{formatShortDate(e.asOf)}</td>
                  <td className="num">{e.pieceCount}</td>
                  <td className="num">{e.invoiceCount}</td>
                  <td className="num">{formatEuros(e.totalCents)}</td>
                  <td>
                    <button type="button" onClick={() => void save(e.id)}>
                      Enregistrer le fichier PES
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
