import { useCallback, useId, useMemo, useRef, useState, type FormEvent } from 'react';
import type { OutputOf } from '../../../core/contract.ts';
import { formatMonth, formatShortDate, formatShortMonth, formatWeekdayShort } from '../../../shared/dates.ts';
import { formatEuros } from '../../../shared/money.ts';
import { useAnnounce } from '../announcer.tsx';
import { useCounter } from '../counter-context.ts';
import { checker, hasErrors } from '../forms/checks.ts';
import { DateField, MonthField } from '../forms/fields.tsx';
import { FormContext, type FieldErrors } from '../forms/form-context.ts';
import { fieldErrorsOf } from '../forms/save-result.ts';
import { openDialog } from '../help-dialog.tsx';

type Preview = OutputOf<'billing.previewMonth'>;
type RunResult = OutputOf<'billing.runMonth'>;

/** The month before the one of `today` ('YYYY-MM'): what is billed early in a month. */
export function previousMonth(today: string): string {
  const year = Number(today.slice(0, 4));
  const month = Number(today.slice(5, 7));
  return month === 1 ? `${year - 1}-12` : `${year}-${String(month - 1).padStart(2, '0')}`;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n > 1 ? many : one}`;

/**
 * The monthly run: a month and an issue date, « Aperçu » (nothing written: totals, households, anomalies, and
 * services already invoiced that would no longer be billed), then « Émettre les factures » after a confirmation
 * giving the count and the total. The run is one request: an indeterminate bar says it is under way.
 */
export function MonthRun({
  today,
  onOpenFamily,
}: {
  today: string;
  onOpenFamily: (householdId: string) => void;
}) {
  const api = useCounter();
  const announce = useAnnounce();
  const idPrefix = useId();
  const [monthText, setMonthText] = useState(() => formatShortMonth(previousMonth(today)));
  const [dateText, setDateText] = useState(() => formatShortDate(today));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [general, setGeneral] = useState<string | null>(null);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [previewing, setPreviewing] = useState(false);
  const [running, setRunning] = useState(false);
  const [result, setResult] = useState<RunResult | null>(null);
  /** What the confirmation dialog asks to issue, read from the fields when it opened. */
  const [pending, setPending] = useState<{ month: string; issueDate: string } | null>(null);
  const confirmRef = useRef<HTMLDialogElement>(null);

  const clearError = useCallback(
    (name: string) =>
      setErrors((current) => {
        if (!(name in current)) return current;
        const { [name]: _gone, ...rest } = current;
        return rest;
      }),
    [],
  );
  const context = useMemo(() => ({ idPrefix, errors, clearError }), [idPrefix, errors, clearError]);

  function read() {
    const c = checker();
    const month = c.month('month', monthText, true);
    const issueDate = c.date('issueDate', dateText);
    setErrors(c.errors);
    if (hasErrors(c.errors) || !month) {
      announce('Saisie à compléter : mois ou date à corriger.');
      const first = Object.keys(c.errors)[0];
      if (first) document.getElementById(`${idPrefix}-${first}`)?.focus();
      return null;
    }
    return { month, issueDate };
  }

  async function loadPreview(month: string): Promise<Preview | null> {
    setPreviewing(true);
    setGeneral(null);
    const r = await api.invoke('billing.previewMonth', { month });
    setPreviewing(false);
    if (!r.ok) {
      setGeneral(r.error.message);
      announce(r.error.message);
      return null;
    }
    setPreview(r.data);
    return r.data;
  }

  async function onPreview(e?: FormEvent) {
    e?.preventDefault();
    const input = read();
    if (!input || previewing || running) return;
    setResult(null);
    const p = await loadPreview(input.month);
    if (p)
      announce(
        `Aperçu de ${formatMonth(p.month)} : ${plural(p.totals.households, 'facture')}, ${formatEuros(p.totals.totalCents)}.`,
      );
  }

  async function askToIssue() {
    const input = read();
    if (!input || previewing || running) return;
    setResult(null);
    const p = preview?.month === input.month ? preview : await loadPreview(input.month);
    if (!p) return;
    if (p.totals.households === 0) {
      const message = `Rien à facturer pour ${formatMonth(p.month)} : aucun service qui ne soit déjà facturé.`;
      setGeneral(message);
      announce(message);
      return;
    }
    setPending(input);
    openDialog(confirmRef.current);
  }

  async function issue() {
    confirmRef.current?.close();
    const input = pending;
    if (!input || running) return;
    setRunning(true);
    setGeneral(null);
    announce('Facturation en cours…');
    const r = await api.invoke('billing.runMonth', input);
    setRunning(false);
    if (!r.ok) {
      const fields = fieldErrorsOf(r.error);
      const shown = (['month', 'issueDate'] as const).filter((name) => name in fields);
      setErrors(Object.fromEntries(shown.map((name) => [name, fields[name]!])));
      if (shown[0]) document.getElementById(`${idPrefix}-${shown[0]}`)?.focus();
      // What neither field shows is said below them.
      if (Object.keys(fields).length !== shown.length || shown.length === 0) setGeneral(r.error.message);
      announce(r.error.message);
      return;
    }
    setResult(r.data);
    setPreview(null);
    announce(runSentence(r.data));
  }

  const busy = previewing || running;
  const shown = preview && preview.month === frMonth(monthText) ? preview : null;
  return (
    <div className="month-run">
      <section className="card" aria-labelledby={`${idPrefix}-run`} aria-busy={busy}>
        <h2 id={`${idPrefix}-run`} className="card-title">
          Facture unique du mois
        </h2>
        <p className="muted">
          Une facture par famille pour les activités facturées après service (restauration, périscolaire,
          mercredis, études…). Une facturation relancée ne facture jamais deux fois le même service.
        </p>
        <form
          className="run-form"
          aria-label="Facturation du mois"
          noValidate
          onSubmit={(e) => void onPreview(e)}
        >
          <FormContext value={context}>
            <MonthField
              name="month"
              label="Mois facturé"
              required
              value={monthText}
              onChange={(v) => {
                setMonthText(v);
                setGeneral(null);
              }}
            />
            <DateField
              name="issueDate"
              label="Date d’émission"
              required
              value={dateText}
              onChange={(v) => {
                setDateText(v);
                setGeneral(null);
              }}
            />
          </FormContext>
          <div className="form-actions">
            <button type="submit" aria-disabled={busy}>
              {previewing ? 'Calcul de l’aperçu…' : 'Aperçu'}
            </button>
            <button type="button" className="primary" aria-disabled={busy} onClick={() => void askToIssue()}>
              Émettre les factures
            </button>
          </div>
        </form>
        {running && (
          <div className="progress" role="status" data-testid="run-progress">
            <progress aria-label="Facturation en cours" />
            <span>Facturation en cours… Les factures sont numérotées et enregistrées ensemble.</span>
          </div>
        )}
        {general && <p className="form-error">{general}</p>}
        {result && <RunResultView result={result} />}
      </section>
      {shown && <PreviewView preview={shown} onOpenFamily={onOpenFamily} />}
      <dialog ref={confirmRef} className="help confirm-dialog" aria-labelledby={`${idPrefix}-confirm`}>
        <h2 id={`${idPrefix}-confirm`}>Émettre les factures ?</h2>
        {preview && (
          <p data-testid="run-confirmation">
            {plural(preview.totals.households, 'facture')} de {formatMonth(preview.month)}, pour un total de{' '}
            <strong>{formatEuros(preview.totals.totalCents)}</strong>, datée
            {preview.totals.households > 1 ? 's' : ''} du {pending ? formatShortDate(pending.issueDate) : ''}.
            Une facture émise ne se modifie plus : seul un avoir la corrige.
          </p>
        )}
        <div className="form-actions">
          <button type="button" className="primary" autoFocus onClick={() => void issue()}>
            Émettre {preview ? plural(preview.totals.households, 'facture') : ''}
          </button>
          <button type="button" onClick={() => confirmRef.current?.close()}>
            Annuler
          </button>
        </div>
      </dialog>
    </div>
  );
}

const frMonth = (text: string) => {
  const c = checker();
  return c.month('m', text, true);
};

export function runSentence(r: RunResult): string {
  if (r.invoices === 0) return `Aucune facture émise pour ${formatMonth(r.month)} : tout était déjà facturé.`;
  const numbers =
    r.firstNumber === r.lastNumber ? `n° ${r.firstNumber}` : `n° ${r.firstNumber} à ${r.lastNumber}`;
  return `${plural(r.invoices, 'facture émise', 'factures émises')} pour ${formatMonth(r.month)} (${numbers}), total ${formatEuros(r.totalCents)}, échéance le ${formatShortDate(r.dueDate)}.`;
}

function RunResultView({ result }: { result: RunResult }) {
  return (
    <div className="basket-result" data-testid="run-result">
      <p className="result-head">{runSentence(result)}</p>
      {result.invoices > 0 && (
        <dl className="counts">
          <div>
            <dt>Factures</dt>
            <dd>{result.invoices}</dd>
          </div>
          <div>
            <dt>Première</dt>
            <dd>{result.firstNumber}</dd>
          </div>
          <div>
            <dt>Dernière</dt>
            <dd>{result.lastNumber}</dd>
          </div>
          <div>
            <dt>Total</dt>
            <dd>{formatEuros(result.totalCents)}</dd>
          </div>
          <div>
            <dt>Échéance</dt>
            <dd>{formatShortDate(result.dueDate)}</dd>
          </div>
        </dl>
      )}
      {result.anomalies.length > 0 && <Anomalies anomalies={result.anomalies} />}
    </div>
  );
}

function PreviewView({
  preview,
  onOpenFamily,
}: {
  preview: Preview;
  onOpenFamily: (householdId: string) => void;
}) {
  const { totals } = preview;
  return (
    <section className="card" aria-labelledby="preview-title" data-testid="run-preview">
      <div className="card-head">
        <h2 id="preview-title">Aperçu — {formatMonth(preview.month)}</h2>
      </div>
      <dl className="counts" data-testid="preview-totals">
        <div>
          <dt>Factures</dt>
          <dd>{totals.households}</dd>
        </div>
        <div>
          <dt>Lignes</dt>
          <dd>{totals.lines}</dd>
        </div>
        <div>
          <dt>Services</dt>
          <dd>{totals.services}</dd>
        </div>
        <div>
          <dt>Total</dt>
          <dd>{formatEuros(totals.totalCents)}</dd>
        </div>
      </dl>
      {preview.households.length === 0 ? (
        <p className="muted">Rien à facturer : aucun service du mois qui ne soit déjà facturé.</p>
      ) : (
        <table className="grid preview-table">
          <caption className="sr-only">Factures qui seraient émises, par foyer</caption>
          <thead>
            <tr>
              <th scope="col">Foyer</th>
              <th scope="col">Payeur</th>
              <th scope="col" className="num">
                Lignes
              </th>
              <th scope="col" className="num">
                Services
              </th>
              <th scope="col" className="num">
                Total
              </th>
            </tr>
          </thead>
          <tbody>
            {preview.households.map((h) => (
              <tr key={h.householdId} data-testid="preview-row">
                <th scope="row">
                  <button type="button" className="link" onClick={() => onOpenFamily(h.householdId)}>
                    {h.householdName}
                  </button>
                </th>
                <td>{h.payerName}</td>
                <td className="num">{h.lines}</td>
                <td className="num">{h.services}</td>
                <td className="num">{formatEuros(h.totalCents)}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row" colSpan={2}>
                Total
              </th>
              <td className="num">{totals.lines}</td>
              <td className="num">{totals.services}</td>
              <td className="num">
                <strong>{formatEuros(totals.totalCents)}</strong>
              </td>
            </tr>
          </tfoot>
        </table>
      )}
      {preview.anomalies.length > 0 && <Anomalies anomalies={preview.anomalies} />}
      {preview.corrections.length > 0 && (
        <div className="anomalies" data-testid="preview-corrections">
          <h3 className="sub-title">
            Déjà facturé, plus dû aujourd’hui ({preview.corrections.length}) : un avoir par service
          </h3>
          <p className="field-hint">
            La facture émise ne change pas : ouvrez-la dans l’onglet Factures du foyer, « Avoir… », et
            choisissez le service.
          </p>
          <ul>
            {preview.corrections.map((c) => (
              <li key={c.bookingId}>
                Facture {c.invoiceNumber} — {c.childName}, {c.activityName}, {formatWeekdayShort(c.date)} :{' '}
                {formatEuros(c.billedCents)} ({c.reason})
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}

function Anomalies({ anomalies }: { anomalies: Preview['anomalies'] }) {
  return (
    <div className="anomalies notice" data-testid="anomalies">
      <h3 className="sub-title">Services laissés hors facture ({anomalies.length})</h3>
      <p className="field-hint">
        Ils ne sont pas facturés cette fois : une fois la cause corrigée (un tarif en vigueur, par exemple),
        une nouvelle facturation du mois les facture, sans refacturer le reste.
      </p>
      <ul>
        {anomalies.map((a) => (
          <li key={a.bookingId}>
            {a.childName}, {a.activityName}, {formatWeekdayShort(a.date)} : {a.reason}
          </li>
        ))}
      </ul>
    </div>
  );
}
