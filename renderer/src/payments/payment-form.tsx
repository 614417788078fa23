import {
  useCallback,
  useEffect,
  useId,
  useMemo,
  useRef,
  useState,
  type FormEvent,
  type KeyboardEvent,
  type Ref,
} from 'react';
import type { OutputOf } from '../../../core/contract.ts';
import { formatShortDate } from '../../../shared/dates.ts';
import { formatEuros } from '../../../shared/money.ts';
import { paymentMode } from '../../../shared/payment-modes.ts';
import { useAnnounce } from '../announcer.tsx';
import { useAuth } from '../auth/auth-context.ts';
import { useCounter } from '../counter-context.ts';
import { CheckboxField, SelectField, TextField } from '../forms/fields.tsx';
import { FormContext, type FieldErrors } from '../forms/form-context.ts';
import { fieldErrorsOf } from '../forms/save-result.ts';
import { centsToInput, parseEuros } from '../money-input.ts';
import { useQuery } from '../use-query.ts';
import {
  buildPayment,
  detailFieldOnForm,
  emptyDraft,
  type PaymentDraft,
  type PaymentMode,
} from './payment-input.ts';
import { ReceiptEmail } from './receipt-email.tsx';
import { ReceiptPrintButton } from './receipt-print.tsx';
import { TillNotice } from './till-notice.tsx';

export type PaymentSettings = OutputOf<'payment.settings'>;
export type RecordedPayment = OutputOf<'payment.record'>;

/** The core's path of a field this form shows under another name: the one voucher line, an invoice's amount. */
function formField(field: string, allocations: readonly { invoiceId: string }[] | undefined): string {
  const allocation = /^allocations\.(\d+)\.amountCents$/.exec(field);
  const invoiceId = allocation ? allocations?.[Number(allocation[1])]?.invoiceId : undefined;
  return invoiceId ? `allocation.${invoiceId}` : detailFieldOnForm(field);
}

interface Override {
  reason: string;
  username: string;
  password: string;
}

/**
 * « Encaisser »: amount, mode and its details, the allocation to the family's invoices (proposed oldest first,
 * editable), then « Valider ». Once recorded, the receipt number and the amount in words are shown with the print
 * button focused: Entrée prints the receipt. Everything is reachable with Tab; Entrée validates from any field.
 */
export function PaymentForm({
  householdId,
  settings,
  dueCents = 0,
  onRecorded,
  onClose,
}: {
  householdId: string;
  settings: PaymentSettings;
  /** What the family owes on its invoices: the amount proposed, which the agent types over. */
  dueCents?: number;
  onRecorded: (payment: RecordedPayment) => void;
  onClose: () => void;
}) {
  const api = useCounter();
  const auth = useAuth();
  const announce = useAnnounce();
  const idPrefix = useId();
  const [draft, setDraft] = useState<PaymentDraft>(() => ({
    ...emptyDraft(settings.modes[0]?.mode ?? 'cash'),
    amount: dueCents > 0 ? centsToInput(dueCents) : '',
  }));
  /** Cash handed over beyond what is due goes to the family's credit only when the agent says so. */
  const [creditExcess, setCreditExcess] = useState(false);
  const [changeGiven, setChangeGiven] = useState(0);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [general, setGeneral] = useState<string | null>(null);
  const [override, setOverride] = useState<Override | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<RecordedPayment | null>(null);
  /** Amounts the agent typed per invoice, for the amount they were typed against; none: the proposal stands. */
  const [edits, setEdits] = useState<{ amountCents: number; byInvoice: Record<string, string> } | null>(null);
  const reasonRef = useRef<HTMLTextAreaElement>(null);

  const clearError = useCallback(
    (name: string) =>
      setErrors((e) => {
        if (!(name in e)) return e;
        const next = { ...e };
        delete next[name];
        return next;
      }),
    [],
  );
  const context = useMemo(() => ({ idPrefix, errors, clearError }), [idPrefix, errors, clearError]);

  const amountCents = parseEuros(draft.amount);
  const proposal = useQuery(
    'payment.proposeAllocation',
    amountCents && amountCents > 0 ? { householdId, amountCents } : null,
  );
  const shown = proposal.data && amountCents && proposal.current ? proposal.data : null;
  const editsNow = edits && edits.amountCents === amountCents ? edits.byInvoice : null;

  const allocationText = (invoiceId: string) =>
    editsNow?.[invoiceId] ??
    centsToInput(shown?.allocations.find((a) => a.invoiceId === invoiceId)?.amountCents ?? 0);
  const allocated = shown
    ? shown.openInvoices.reduce((s, i) => s + (parseEuros(allocationText(i.invoiceId)) ?? 0), 0)
    : 0;
  const excess = amountCents !== null && shown ? amountCents - allocated : null;
  // Cash over what is due is change to hand back, unless the family's credit is chosen; with nothing to pay, a cash
  // payment is an advance and all of it goes to credit.
  const changeCents =
    draft.mode === 'cash' &&
    shown &&
    shown.openInvoices.length > 0 &&
    excess !== null &&
    excess > 0 &&
    !creditExcess
      ? excess
      : 0;

  const set = <K extends keyof PaymentDraft>(key: K, value: PaymentDraft[K]) => {
    setGeneral(null);
    setDraft((d) => ({ ...d, [key]: value }));
  };

  async function submit(e?: FormEvent) {
    e?.preventDefault();
    if (busy) return;
    const built = buildPayment(householdId, draft);
    const next: FieldErrors = built.ok ? {} : { ...built.errors };
    let allocations: { invoiceId: string; amountCents: number }[] | undefined;
    if (editsNow && shown) {
      allocations = [];
      for (const i of shown.openInvoices) {
        const cents = parseEuros(allocationText(i.invoiceId));
        if (cents === null)
          next[`allocation.${i.invoiceId}`] = 'Montant invalide : saisissez par exemple 12,50.';
        else if (cents > i.remainingCents)
          next[`allocation.${i.invoiceId}`] =
            `Au plus ${formatEuros(i.remainingCents)}, le reste de la facture.`;
        else if (cents > 0) allocations.push({ invoiceId: i.invoiceId, amountCents: cents });
      }
      if (excess !== null && excess < 0)
        next.allocations = `Les montants affectés dépassent le paiement de ${formatEuros(-excess)}.`;
    }
    if (override && !override.reason.trim()) next['override.reason'] = 'Saisissez le motif de la dérogation.';
    if (override && !auth.can('regie')) {
      if (!override.username.trim()) next['override.username'] = 'Identifiant du régisseur attendu.';
      if (!override.password) next['override.password'] = 'Mot de passe du régisseur attendu.';
    }
    if (!built.ok || Object.keys(next).length) {
      setErrors(next);
      const count = Object.keys(next).length;
      announce(`${count} champ${count > 1 ? 's' : ''} à corriger.`);
      focusFirstError();
      return;
    }
    const input = {
      ...built.input,
      amountCents: built.input.amountCents - changeCents,
      ...(allocations ? { allocations } : {}),
    };
    if (override)
      input.override = auth.can('regie')
        ? { reason: override.reason.trim() }
        : { reason: override.reason.trim(), username: override.username.trim(), password: override.password };
    setBusy(true);
    const r = await api.invoke('payment.record', input);
    setBusy(false);
    if (!r.ok) {
      const field = r.error.field;
      if (field === 'override' && !override) {
        setOverride({ reason: '', username: '', password: '' });
        setGeneral(r.error.message);
        announce(`${r.error.message} Saisissez le motif de la dérogation.`);
        window.setTimeout(() => reasonRef.current?.focus(), 0);
        return;
      }
      // Every field the core faults goes beside its field; what this form does not show is said below it.
      const fields: FieldErrors = {};
      for (const [name, message] of Object.entries(fieldErrorsOf(r.error)))
        if (name !== 'override') fields[formField(name, input.allocations)] ??= message;
      setErrors(fields);
      const form = document.querySelector('.payment-form');
      const unseen = Object.keys(fields).some((name) => !form?.querySelector(`[name="${name}"]`));
      setGeneral(Object.keys(fields).length === 0 || unseen ? r.error.message : null);
      announce(r.error.message);
      focusFirstError();
      return;
    }
    setChangeGiven(changeCents);
    setDone(r.data);
    onRecorded(r.data);
    announce(
      `Paiement enregistré : reçu n° ${r.data.receiptNumber}, ${formatEuros(r.data.amountCents)}.${changeCents > 0 ? ` Monnaie à rendre : ${formatEuros(changeCents)}.` : ''} Entrée : imprimer le reçu.`,
    );
  }

  function focusFirstError() {
    window.setTimeout(() => {
      const el = document.querySelector<HTMLElement>(`.payment-form [aria-invalid="true"]`);
      el?.focus();
    }, 0);
  }

  function onKeyDown(e: KeyboardEvent<HTMLFormElement>) {
    // Entrée validates from a checkbox too (a text field already submits the form by itself).
    if (e.key === 'Enter' && e.target instanceof HTMLInputElement && e.target.type === 'checkbox') {
      e.preventDefault();
      void submit();
    } else if (e.key === 'Escape' && !busy) {
      e.preventDefault();
      onClose();
    }
  }

  if (done) return <PaymentDone payment={done} changeCents={changeGiven} onClose={onClose} />;

  return (
    <section className="card payment-form" aria-labelledby={`${idPrefix}-title`}>
      <h2 id={`${idPrefix}-title`} className="card-title">
        Encaisser un paiement
      </h2>
      <TillNotice />
      <form
        aria-label="Encaisser un paiement"
        noValidate
        onSubmit={(e) => void submit(e)}
        onKeyDown={onKeyDown}
        aria-busy={busy}
      >
        <FormContext value={context}>
          <div className="field-grid">
            <AmountField value={draft.amount} onChange={(v) => set('amount', v)} />
            <SelectField
              name="mode"
              label="Mode de paiement"
              required
              value={draft.mode}
              options={settings.modes.map((m) => ({ value: m.mode, label: m.label }))}
              onChange={(v: PaymentMode) => {
                set('mode', v);
                if (v !== 'cash') setOverride(null);
              }}
            />
          </div>
          <ModeDetails
            mode={draft.mode}
            values={draft.details}
            onChange={(name, value) => {
              setGeneral(null);
              setDraft((d) => ({ ...d, details: { ...d.details, [name]: value } }));
            }}
          />
          <div className="field-grid">
            <TextField
              name="note"
              label="Note"
              size="l"
              value={draft.note}
              onChange={(v) => set('note', v)}
            />
          </div>

          <Allocation
            shown={shown}
            amountCents={amountCents}
            allocationText={allocationText}
            excess={excess}
            cash={draft.mode === 'cash'}
            changeCents={changeCents}
            creditExcess={creditExcess}
            onCreditExcess={setCreditExcess}
            errors={errors}
            idPrefix={idPrefix}
            onEdit={(invoiceId, text) => {
              if (amountCents === null) return;
              clearError(`allocation.${invoiceId}`);
              clearError('allocations');
              setEdits({
                amountCents,
                byInvoice: { ...(editsNow ?? {}), [invoiceId]: text },
              });
            }}
          />

          {override && (
            <fieldset className="override" data-testid="override-box">
              <legend>
                Dérogation du régisseur (espèces de {formatEuros(settings.cashLimitCents)} ou plus)
              </legend>
              <OverrideReason
                ref={reasonRef}
                idPrefix={idPrefix}
                value={override.reason}
                error={errors['override.reason']}
                onChange={(reason) => {
                  clearError('override.reason');
                  setOverride({ ...override, reason });
                }}
              />
              {!auth.can('regie') && (
                <div className="field-grid">
                  <TextField
                    name="override.username"
                    label="Identifiant du régisseur"
                    required
                    value={override.username}
                    onChange={(username) => setOverride({ ...override, username })}
                  />
                  <TextField
                    name="override.password"
                    label="Mot de passe du régisseur"
                    type="password"
                    required
                    value={override.password}
                    onChange={(password) => setOverride({ ...override, password })}
                  />
                </div>
              )}
            </fieldset>
          )}
        </FormContext>
        {general && (
          <p className="form-error" role="alert">
            {general}
          </p>
        )}
        <div className="form-actions">
          <button type="submit" className="primary" aria-disabled={busy}>
            {busy ? 'Enregistrement…' : 'Valider'}
          </button>
          <button type="button" onClick={onClose}>
            Annuler
          </button>
        </div>
        <p className="key-hint">Entrée : valider · Échap : annuler</p>
      </form>
    </section>
  );
}

/**
 * The boxes the mode asks for (shared/payment-modes.ts), in the table's order: under a legend when the mode has
 * one (a cheque, titles), else in the form's grid.
 */
function ModeDetails({
  mode,
  values,
  onChange,
}: {
  mode: PaymentMode;
  values: PaymentDraft['details'];
  onChange: (name: string, value: string | boolean) => void;
}) {
  const details = paymentMode(mode).details;
  if (!details) return null;
  const boxes = details.fields.map((f) =>
    f.kind === 'check' ? (
      <CheckboxField
        key={f.name}
        name={f.name}
        label={f.label}
        checked={values[f.name] === true}
        onChange={(v) => onChange(f.name, v)}
      />
    ) : (
      <TextField
        key={f.name}
        name={f.name}
        label={f.label}
        {...(f.hint ? { hint: f.hint } : {})}
        required
        {...(f.size ? { size: f.size } : {})}
        {...(f.kind === 'count' ? { inputMode: 'numeric' as const } : {})}
        {...(f.kind === 'euros' ? { inputMode: 'decimal' as const } : {})}
        value={typeof values[f.name] === 'string' ? (values[f.name] as string) : ''}
        onChange={(v) => onChange(f.name, v)}
      />
    ),
  );
  return details.legend ? (
    <fieldset className="field-grid">
      <legend>{details.legend}</legend>
      {boxes}
    </fieldset>
  ) : (
    <div className="field-grid">{boxes}</div>
  );
}

function AmountField({ value, onChange }: { value: string; onChange: (v: string) => void }) {
  // The first field: focused when the form opens, so the agent types the amount at once.
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    // Selected, so that typing replaces the amount proposed.
    const input = box.current?.querySelector('input');
    input?.focus();
    input?.select();
  }, []);
  return (
    <div className="autofocus" ref={box}>
      <TextField
        name="amountCents"
        label="Montant reçu (€)"
        hint="Par exemple 45,50"
        required
        size="s"
        inputMode="decimal"
        value={value}
        onChange={onChange}
      />
    </div>
  );
}

function OverrideReason({
  ref,
  idPrefix,
  value,
  error,
  onChange,
}: {
  ref: Ref<HTMLTextAreaElement>;
  idPrefix: string;
  value: string;
  error: string | undefined;
  onChange: (v: string) => void;
}) {
  const id = `${idPrefix}-override-reason`;
  return (
    <div className="field field-l">
      <span className="field-label">
        <label htmlFor={id}>Motif de la dérogation</label>
        <span className="required" aria-hidden="true">
          *
        </span>
      </span>
      <textarea
        id={id}
        ref={ref}
        rows={2}
        value={value}
        aria-required
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        onChange={(e) => onChange(e.target.value)}
        onKeyDown={(e) => {
          // Entrée validates, as in the other fields; Maj+Entrée starts a new line.
          if (e.key === 'Enter' && !e.shiftKey) {
            e.preventDefault();
            e.currentTarget.form?.requestSubmit();
          }
        }}
      />
      {error && (
        <span id={`${id}-error`} className="field-error">
          {error}
        </span>
      )}
    </div>
  );
}

function Allocation({
  shown,
  amountCents,
  allocationText,
  excess,
  cash,
  changeCents,
  creditExcess,
  onCreditExcess,
  errors,
  idPrefix,
  onEdit,
}: {
  shown: OutputOf<'payment.proposeAllocation'> | null;
  amountCents: number | null;
  allocationText: (invoiceId: string) => string;
  excess: number | null;
  cash: boolean;
  changeCents: number;
  creditExcess: boolean;
  onCreditExcess: (v: boolean) => void;
  errors: FieldErrors;
  idPrefix: string;
  onEdit: (invoiceId: string, text: string) => void;
}) {
  if (!amountCents) return null;
  if (!shown) return <p className="muted">Calcul de l’affectation…</p>;
  return (
    <div className="allocation" data-testid="allocation">
      <h3>Affectation aux factures</h3>
      {shown.openInvoices.length === 0 ? (
        <p className="muted">Aucune facture à régler : tout le paiement ira au crédit de la famille.</p>
      ) : (
        <table className="grid">
          <caption className="sr-only">Factures à régler, les plus anciennes d’abord</caption>
          <thead>
            <tr>
              <th scope="col">Facture</th>
              <th scope="col">Émise le</th>
              <th scope="col" className="num">
                Reste dû
              </th>
              <th scope="col" className="num">
                Affecté (€)
              </th>
            </tr>
          </thead>
          <tbody>
            {shown.openInvoices.map((i) => {
              const name = `allocation.${i.invoiceId}`;
              const id = `${idPrefix}-alloc-${i.invoiceId}`;
              const error = errors[name];
              return (
                <tr key={i.invoiceId} data-testid="allocation-row">
                  <th scope="row">{i.number}</th>
                  <td>{formatShortDate(i.issueDate)}</td>
                  <td className="num">{formatEuros(i.remainingCents)}</td>
                  <td className="num">
                    <label htmlFor={id} className="sr-only">
                      Montant affecté à la facture {i.number}
                    </label>
                    <input
                      id={id}
                      className="money-input"
                      inputMode="decimal"
                      value={allocationText(i.invoiceId)}
                      aria-invalid={error ? true : undefined}
                      aria-describedby={error ? `${id}-error` : undefined}
                      onChange={(e) => onEdit(i.invoiceId, e.target.value)}
                    />
                    {error && (
                      <span id={`${id}-error`} className="field-error">
                        {error}
                      </span>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <p data-testid="allocation-summary" aria-live="polite">
        {changeCents > 0 && amountCents !== null ? (
          <>
            Encaissé : <strong>{formatEuros(amountCents - changeCents)}</strong> — monnaie à rendre :{' '}
            <strong data-testid="change-to-give">{formatEuros(changeCents)}</strong>.
          </>
        ) : excess !== null && excess > 0 ? (
          <>
            Excédent de <strong>{formatEuros(excess)}</strong> versé au crédit de la famille.
          </>
        ) : excess !== null && excess < 0 ? (
          <span className="field-error">
            Les montants affectés dépassent le paiement de {formatEuros(-excess)}.
          </span>
        ) : (
          'Tout le paiement est affecté aux factures.'
        )}{' '}
        {changeCents === 0 && <>En toutes lettres : {shown.amountInWords}.</>}
      </p>
      {cash && shown.openInvoices.length > 0 && excess !== null && excess > 0 && (
        <CheckboxField
          name="creditExcess"
          label={`Verser l’excédent de ${formatEuros(excess)} au crédit de la famille, sans rendre la monnaie`}
          checked={creditExcess}
          onChange={onCreditExcess}
        />
      )}
      {errors.allocations && <p className="field-error">{errors.allocations}</p>}
      <SentToTresorerie
        invoices={shown.openInvoices.filter(
          (i) => i.titreExport && (parseEuros(allocationText(i.invoiceId)) ?? 0) > 0,
        )}
      />
    </div>
  );
}

/**
 * A payment on an invoice the Trésorerie now recovers (PES export): not refused — the family may insist, and the
 * régisseur may take it — but the agent is told, since the Trésorerie must hear of it or it will pursue the debt.
 */
function SentToTresorerie({
  invoices,
}: {
  invoices: { invoiceId: string; number: string; titreExport: string | null }[];
}) {
  if (invoices.length === 0) return null;
  return (
    <p className="notice" role="status" data-testid="titre-warning">
      {invoices.length === 1 ? 'La facture ' : 'Les factures '}
      {invoices.map((i) => `${i.number} (${i.titreExport})`).join(', ')}{' '}
      {invoices.length === 1 ? 'a été transmise' : 'ont été transmises'} au comptable public : c’est la
      Trésorerie qui la recouvre désormais. Orientez de préférence la famille vers la Trésorerie ; si le
      paiement est encaissé ici, la régie doit le signaler à la Trésorerie.
    </p>
  );
}

/** The recorded payment: its receipt number and amount in words, the print button focused (Entrée prints). */
function PaymentDone({
  payment,
  changeCents,
  onClose,
}: {
  payment: RecordedPayment;
  changeCents: number;
  onClose: () => void;
}) {
  return (
    <section className="card payment-done" aria-labelledby="payment-done-title" data-testid="payment-done">
      <h2 id="payment-done-title" className="card-title">
        Paiement enregistré — reçu n° {payment.receiptNumber}
      </h2>
      <p className="result-head">
        {payment.modeLabel} : <strong>{formatEuros(payment.amountCents)}</strong> ({payment.amountInWords}).
      </p>
      {payment.allocations.length > 0 && (
        <ul data-testid="payment-allocations">
          {payment.allocations.map((a) => (
            <li key={a.invoiceId}>
              Facture {a.number} : {formatEuros(a.amountCents)}
              {a.remainingCents === 0 ? ' — soldée' : ` — reste ${formatEuros(a.remainingCents)}`}
            </li>
          ))}
        </ul>
      )}
      {changeCents > 0 && (
        <p className="change-to-give" data-testid="change-given">
          Monnaie à rendre : <strong>{formatEuros(changeCents)}</strong>
        </p>
      )}
      {payment.creditCents > 0 && (
        <p>
          Excédent de <strong>{formatEuros(payment.creditCents)}</strong> versé au crédit de la famille.
        </p>
      )}
      {payment.warnings.map((w) => (
        <p key={w} className="warn" role="alert">
          {w}
        </p>
      ))}
      <div className="form-actions">
        <ReceiptPrintButton paymentId={payment.paymentId} autoFocus className="primary">
          Imprimer le reçu
        </ReceiptPrintButton>
        <button type="button" onClick={onClose}>
          Terminer
        </button>
      </div>
      <p className="key-hint">Entrée : imprimer le reçu</p>
      <ReceiptEmail paymentId={payment.paymentId} />
    </section>
  );
}
