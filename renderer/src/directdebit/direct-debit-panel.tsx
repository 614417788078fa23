import { useState } from 'react';
import type { OutputOf } from '../../../core/contract.ts';
import { formatMonth, formatShortDate } from '../../../shared/dates.ts';
import { formatEuros } from '../../../shared/money.ts';
import { useAnnounce } from '../announcer.tsx';
import { download } from '../billing/unpaid-csv.ts';
import { useCounter } from '../counter-context.ts';
import { frDateToIso, frMonthToIso } from '../date-input.ts';
import { TableHead } from '../family/table-parts.tsx';
import { EditForm } from '../forms/edit-form.tsx';
import { DateField, MonthField, SelectField } from '../forms/fields.tsx';
import type { FieldErrors } from '../forms/form-context.ts';
import { invalid, refused, saved } from '../forms/save-result.ts';
import { useQuery } from '../use-query.ts';

type Preview = OutputOf<'directDebit.preview'>;
type FileDetail = OutputOf<'directDebit.file'>;

const SEQUENCE_WORDS = { FRST: 'Premier', RCUR: 'Récurrent' } as const;
const isoToFr = (iso: string) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;
const previousMonth = (today: string) => {
  const [y, m] = [Number(today.slice(0, 4)), Number(today.slice(5, 7))];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
};

/**
 * The régisseur's direct debits (Facturation › Prélèvements): after the monthly run, the file of the month's
 * invoices of families with a mandate, looked at before it is made; the files made, to save for the bank; and the
 * debits the bank returned, entered with their reason.
 */
export function DirectDebitPanel({ today }: { today: string }) {
  const api = useCounter();
  const announce = useAnnounce();
  const settings = useQuery('directDebit.settings', {});
  const files = useQuery('directDebit.files', {});
  const [month, setMonth] = useState(
    () => `${previousMonth(today).slice(5, 7)}/${previousMonth(today).slice(0, 4)}`,
  );
  const [date, setDate] = useState<string | null>(null);
  const collection = date ?? (settings.data ? isoToFr(settings.data.defaultCollectionDate) : '');
  const [preview, setPreview] = useState<Preview | null>(null);
  const [openFile, setOpenFile] = useState<string | null>(null);

  const parsed = (): { input?: { month: string; collectionDate: string }; errors: FieldErrors } => {
    const m = frMonthToIso(month);
    const d = frDateToIso(collection);
    if (!m) return { errors: { month: 'Saisissez le mois au format mm/aaaa.' } };
    if (!d) return { errors: { collectionDate: 'Saisissez la date de prélèvement au format jj/mm/aaaa.' } };
    return { input: { month: m, collectionDate: d }, errors: {} };
  };

  async function look() {
    const p = parsed();
    if (!p.input) return invalid(p.errors);
    const r = await api.invoke('directDebit.preview', p.input);
    if (!r.ok) return refused(r.error);
    setPreview(r.data);
    announce(
      r.data.totals.count === 0
        ? 'Aucune facture à prélever.'
        : `${r.data.totals.count} prélèvement(s) pour ${formatEuros(r.data.totals.totalCents)}.`,
    );
    return saved;
  }

  async function make() {
    const p = parsed();
    if (!p.input) return invalid(p.errors);
    const r = await api.invoke('directDebit.createFile', p.input);
    if (!r.ok) return refused(r.error);
    announce(
      `Fichier ${r.data.number} produit : ${r.data.debitCount} prélèvement(s), ${formatEuros(r.data.totalCents)}.`,
    );
    setPreview(null);
    files.reload();
    setOpenFile(r.data.id);
    await save(r.data.id);
    return saved;
  }

  async function save(fileId: string) {
    const r = await api.invoke('directDebit.fileXml', { fileId });
    if (r.ok) download(r.data.text, r.data.fileName, 'application/xml');
  }

  return (
    <div className="regie-files">
      <section aria-labelledby="dd-new">
        <h2 id="dd-new">Nouveau fichier de prélèvement</h2>
        {settings.data && !settings.data.ics && (
          <p className="notice">
            L’identifiant créancier SEPA (ICS) de la commune n’est pas renseigné : l’administrateur le saisit
            dans Paramètres › Prélèvement.
          </p>
        )}
        <EditForm
          label="Fichier de prélèvement"
          onSave={look}
          saveLabel="Voir les prélèvements"
          escapeCancels={false}
        >
          <div className="field-grid">
            <MonthField
              name="month"
              label="Mois facturé"
              required
              value={month}
              onChange={(v) => (setMonth(v), setPreview(null))}
            />
            <DateField
              name="collectionDate"
              label="Date de prélèvement"
              required
              value={collection}
              onChange={(v) => (setDate(v), setPreview(null))}
            />
          </div>
        </EditForm>
        {preview && <PreviewTable preview={preview} onMake={make} />}
      </section>
      <section aria-labelledby="dd-files">
        <h2 id="dd-files">Fichiers produits</h2>
        {files.data && files.data.length === 0 && <p className="muted">Aucun fichier de prélèvement.</p>}
        {files.data && files.data.length > 0 && (
          <table className="grid" data-testid="debit-files">
            <caption className="sr-only">Fichiers de prélèvement, le plus récent en premier</caption>
            <TableHead
              columns={['Fichier', 'Produit le', 'Prélevé le', 'Prélèvements', 'Montant', 'Rejets', '']}
            />
            <tbody>
              {files.data.map((f) => (
                <tr key={f.id}>
                  <td>{f.number}</td>
                  <td>{formatShortDate(f.date)}</td>
                  <td>{formatShortDate(f.collectionDate)}</td>
                  <td className="num">{f.debitCount}</td>
                  <td className="num">{formatEuros(f.totalCents)}</td>
                  <td className="num">
                    {f.rejectedCount > 0 ? `${f.rejectedCount} (${formatEuros(f.rejectedCents)})` : '—'}
                  </td>
                  <td>
                    <button type="button" onClick={() => void save(f.id)}>
                      Enregistrer le fichier XML
                    </button>{' '}
                    <button
                      type="button"
                      aria-expanded={openFile === f.id}
                      onClick={() => setOpenFile(openFile === f.id ? null : f.id)}
                    >
                      {openFile === f.id ? 'Masquer le détail' : 'Détail et rejets'}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {openFile && <FileDetailView fileId={openFile} onChanged={files.reload} />}
      </section>
    </div>
  );
}

function PreviewTable({ preview, onMake }: { preview: Preview; onMake: () => Promise<unknown> }) {
  const [busy, setBusy] = useState(false);
  const t = preview.totals;
  return (
    <div data-testid="debit-preview">
      <p>
        <strong>
          {t.count} prélèvement{t.count > 1 ? 's' : ''} — {formatEuros(t.totalCents)}
        </strong>{' '}
        le {formatShortDate(preview.collectionDate)}, factures de {formatMonth(preview.month)} ({t.frst}{' '}
        premier
        {t.frst > 1 ? 's' : ''}, {t.rcur} récurrent{t.rcur > 1 ? 's' : ''}).
      </p>
      {preview.debits.length > 0 && (
        <table className="grid">
          <caption className="sr-only">Prélèvements du fichier</caption>
          <TableHead columns={['Famille', 'Facture', 'Titulaire', 'Compte', 'Mandat', 'Type', 'Montant']} />
          <tbody>
            {preview.debits.map((d) => (
              <tr key={d.invoiceId}>
                <td>{d.householdName}</td>
                <td>{d.invoiceNumber}</td>
                <td>{d.debtorName}</td>
                <td>{d.ibanMasked}</td>
                <td>{d.rum}</td>
                <td>{SEQUENCE_WORDS[d.sequence]}</td>
                <td className="num">{formatEuros(d.amountCents)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {preview.excluded.length > 0 && (
        <>
          <h3>Non prélevées</h3>
          <ul>
            {preview.excluded.map((e) => (
              <li key={e.invoiceId}>
                {e.householdName}, facture {e.invoiceNumber} : {e.reason}
              </li>
            ))}
          </ul>
        </>
      )}
      {preview.channel === 'ormc' && (
        <p className="notice" data-testid="debit-ormc">
          La commune fait prélever par la Trésorerie (ORMC) : ces factures partent avec leur prélèvement dans
          la transmission PES (Facturation › Trésorerie). La régie n’envoie pas de fichier à sa banque.
        </p>
      )}
      {preview.debits.length > 0 && preview.channel !== 'ormc' && (
        <button
          type="button"
          className="primary"
          disabled={busy || !preview.creditorReady}
          onClick={() => {
            setBusy(true);
            void onMake().finally(() => setBusy(false));
          }}
        >
          Produire le fichier de prélèvement
        </button>
      )}
    </div>
  );
}

function FileDetailView({ fileId, onChanged }: { fileId: string; onChanged: () => void }) {
  const api = useCounter();
  const announce = useAnnounce();
  const detail = useQuery('directDebit.file', { fileId });
  const reasons = useQuery('directDebit.reasons', {});
  const [rejecting, setRejecting] = useState<string | null>(null);
  const [reasonCode, setReasonCode] = useState('AM04');
  const [returnedOn, setReturnedOn] = useState('');

  async function reject(d: FileDetail['debits'][number]) {
    const iso = frDateToIso(returnedOn);
    if (!iso) return invalid({ returnedOn: 'Saisissez la date du rejet au format jj/mm/aaaa.' });
    const r = await api.invoke('directDebit.reject', {
      debitId: d.id,
      reasonCode: reasonCode as 'AM04',
      returnedOn: iso,
    });
    if (!r.ok) return refused(r.error);
    announce(r.data.warnings.join(' '));
    setRejecting(null);
    detail.reload();
    onChanged();
    return saved;
  }

  const file = detail.data;
  if (!file) return detail.error ? <p className="page-error">{detail.error}</p> : null;
  return (
    <div data-testid="debit-file-detail">
      <h3>
        Fichier {file.number} — prélevé le {formatShortDate(file.collectionDate)}
      </h3>
      <table className="grid">
        <caption className="sr-only">Prélèvements du fichier {file.number}</caption>
        <TableHead columns={['Famille', 'Facture', 'Compte', 'Type', 'Montant', 'Rejet', '']} />
        <tbody>
          {file.debits.map((d) => (
            <tr key={d.id}>
              <td>{d.householdName}</td>
              <td>{d.invoiceNumber}</td>
              <td>{d.ibanMasked}</td>
              <td>{SEQUENCE_WORDS[d.sequence]}</td>
              <td className="num">{formatEuros(d.amountCents)}</td>
              <td>
                {d.rejected
                  ? `${d.rejectionCode} — ${d.rejectionReason ?? ''} (${d.returnedOn ? formatShortDate(d.returnedOn) : ''})`
                  : '—'}
              </td>
              <td>
                {!d.rejected && rejecting !== d.id && (
                  <button
                    type="button"
                    onClick={() => {
                      setRejecting(d.id);
                      setReturnedOn('');
                    }}
                  >
                    Enregistrer un rejet
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {rejecting &&
        (() => {
          const d = file.debits.find((x) => x.id === rejecting);
          if (!d) return null;
          return (
            <EditForm
              label={`Rejet du prélèvement de ${d.householdName} (${d.invoiceNumber})`}
              onSave={() => reject(d)}
              onCancel={() => setRejecting(null)}
              saveLabel="Enregistrer le rejet"
            >
              <p>
                Le paiement par prélèvement de {formatEuros(d.amountCents)} sera contre-passé et la facture{' '}
                {d.invoiceNumber} de nouveau à payer.
              </p>
              <div className="field-grid">
                <SelectField
                  name="reasonCode"
                  label="Motif du rejet"
                  size="l"
                  required
                  value={reasonCode}
                  onChange={setReasonCode}
                  options={(reasons.data ?? []).map((r) => ({
                    value: r.code,
                    label: `${r.code} — ${r.label}`,
                  }))}
                />
                <DateField
                  name="returnedOn"
                  label="Date du rejet"
                  required
                  value={returnedOn}
                  onChange={setReturnedOn}
                />
              </div>
            </EditForm>
          );
        })()}
    </div>
  );
}
