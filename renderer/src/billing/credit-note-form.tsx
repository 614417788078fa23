import { useState } from 'react';
import type { InputOf, OutputOf } from '../../../core/contract.ts';
import { formatWeekdayShort } from '../../../shared/dates.ts';
import { formatEuros } from '../../../shared/money.ts';
import { useAnnounce } from '../announcer.tsx';
import { useCounter } from '../counter-context.ts';
import { EditForm } from '../forms/edit-form.tsx';
import type { FieldErrors } from '../forms/form-context.ts';
import { useField } from '../forms/form-context.ts';
import { refused, saved, type SaveResult } from '../forms/save-result.ts';
import { lineWhen, type InvoiceDetail, type InvoiceLine } from './invoice-text.ts';
import { centsToInput, parseEuros } from '../money-input.ts';

export type CreditNoteResult = OutputOf<'billing.creditNote'>;
type CreditRequest = InputOf<'billing.creditNote'>;

export interface LineChoice {
  checked: boolean;
  /** Euros as typed (« 2,20 »). */
  amount: string;
  /** One service of the line credited by name (its booking), or '' for an amount on the line as a whole. */
  bookingId: string;
}

export interface CreditDraft {
  mode: 'whole' | 'lines';
  reason: string;
  lines: Record<string, LineChoice>;
}

export const REASON_MAX = 200;

/** What a line can still be credited: its amount less the credit notes already on it. */
export const creditable = (line: Pick<InvoiceLine, 'amountCents' | 'creditedCents'>): number =>
  Math.max(0, line.amountCents - line.creditedCents);

/** The services of the line no credit note has named yet. */
export function openServices(line: InvoiceLine, invoice: InvoiceDetail): InvoiceLine['services'] {
  const credited = new Set(
    invoice.creditNotes.flatMap((n) => n.lines.flatMap((l) => (l.bookingId ? [l.bookingId] : []))),
  );
  return line.services.filter((s) => !credited.has(s.bookingId));
}

const linesOf = (invoice: InvoiceDetail) => invoice.groups.flatMap((g) => g.lines);

export const emptyDraft = (invoice: InvoiceDetail): CreditDraft => ({
  mode: 'lines',
  reason: '',
  lines: Object.fromEntries(
    linesOf(invoice).map((l) => [
      l.id,
      { checked: false, amount: centsToInput(creditable(l)), bookingId: '' },
    ]),
  ),
});

/**
 * The checks an agent can fix before the credit note is asked for: a reason, at least one line, and amounts that
 * read as euros, above zero and never above what remains on the line (nor above one service's price when one
 * service is named). Field names: `reason`, `lines`, `amount-<line id>`. The core checks all of it again.
 */
export function checkCreditNote(
  draft: CreditDraft,
  invoice: InvoiceDetail,
): { errors: FieldErrors; request: CreditRequest | null; lineIds: string[] } {
  const errors: FieldErrors = {};
  const reason = draft.reason.trim();
  if (reason === '') errors.reason = 'Obligatoire : le motif figure sur l’avoir.';
  else if (reason.length > REASON_MAX) errors.reason = `${REASON_MAX} caractères au plus.`;

  const chosen: { invoiceLineId: string; amountCents: number; bookingId: string | null }[] = [];
  if (draft.mode === 'whole') {
    if (linesOf(invoice).every((l) => creditable(l) === 0))
      errors.lines = 'Cette facture est déjà entièrement annulée par avoir.';
  } else {
    for (const line of linesOf(invoice)) {
      const choice = draft.lines[line.id];
      if (!choice?.checked) continue;
      const name = `amount-${line.id}`;
      const left = creditable(line);
      const service = choice.bookingId ? line.services.find((s) => s.bookingId === choice.bookingId) : null;
      const cap = service ? Math.min(left, line.unitPriceCents) : left;
      const cents = parseEuros(choice.amount);
      if (choice.amount.trim() === '') errors[name] = 'Obligatoire.';
      else if (cents === null) errors[name] = 'Montant invalide : saisissez par exemple 2,20.';
      else if (cents <= 0) errors[name] = 'Montant positif attendu.';
      else if (cents > cap)
        errors[name] = service
          ? `Au plus ${formatEuros(cap)} : le prix du service du ${formatWeekdayShort(service.date)}.`
          : `Au plus ${formatEuros(cap)} : ce qui reste sur la ligne.`;
      if (cents !== null)
        chosen.push({ invoiceLineId: line.id, amountCents: cents, bookingId: service?.bookingId ?? null });
    }
    if (chosen.length === 0 && !Object.keys(errors).some((k) => k.startsWith('amount-')))
      errors.lines = 'Cochez au moins une ligne à créditer.';
  }
  if (Object.keys(errors).length > 0) return { errors, request: null, lineIds: [] };
  return {
    errors,
    request: { invoiceId: invoice.id, reason, lines: draft.mode === 'whole' ? 'whole' : chosen },
    lineIds: chosen.map((c) => c.invoiceLineId),
  };
}

/** The core names `lines.<i>.amountCents`: the form shows it beside the amount of that line. */
function fieldOfCore(field: string | undefined, lineIds: readonly string[]): string | undefined {
  const m = /^lines\.(\d+)\.(amountCents|bookingId|invoiceLineId)$/.exec(field ?? '');
  if (!m) return field;
  const id = lineIds[Number(m[1])];
  if (!id) return 'lines';
  return m[2] === 'bookingId' ? `service-${id}` : `amount-${id}`;
}

/**
 * A credit note on an issued invoice (the invoice itself never changes): the whole of what remains, or chosen
 * lines with an amount each (or one named service of a line), and a reason, required, printed on the credit note.
 */
export function CreditNoteForm({
  invoice,
  onDone,
  onCancel,
}: {
  invoice: InvoiceDetail;
  onDone: (result: CreditNoteResult) => void;
  onCancel: () => void;
}) {
  const api = useCounter();
  const announce = useAnnounce();
  const [draft, setDraft] = useState<CreditDraft>(() => emptyDraft(invoice));
  const lines = linesOf(invoice);
  const wholeCents = lines.reduce((s, l) => s + creditable(l), 0);
  const setLine = (id: string, patch: Partial<LineChoice>) =>
    setDraft((d) => ({ ...d, lines: { ...d.lines, [id]: { ...d.lines[id]!, ...patch } } }));

  const totalCents =
    draft.mode === 'whole'
      ? wholeCents
      : lines.reduce((s, l) => {
          const c = draft.lines[l.id];
          return s + (c?.checked ? (parseEuros(c.amount) ?? 0) : 0);
        }, 0);

  async function save(): Promise<SaveResult> {
    const { errors, request, lineIds } = checkCreditNote(draft, invoice);
    if (!request) {
      const count = Object.keys(errors).length;
      return {
        ok: false,
        fields: errors,
        message: errors.lines && count === 1 ? errors.lines : undefined,
      };
    }
    const r = await api.invoke('billing.creditNote', request);
    if (!r.ok)
      return refused({
        ...r.error,
        field: fieldOfCore(r.error.field, lineIds),
        fields: r.error.fields?.map((f) => ({ ...f, field: fieldOfCore(f.field, lineIds) ?? f.field })),
      });
    announce(
      `Avoir ${r.data.number} émis : ${formatEuros(r.data.totalCents)}. Reste à payer sur la facture ${r.data.invoiceNumber} : ${formatEuros(r.data.invoiceRemainingCents)}.`,
    );
    onDone(r.data);
    return saved;
  }

  return (
    <EditForm
      label={`Avoir sur la facture ${invoice.number}`}
      className="credit-form"
      saveLabel="Émettre l’avoir"
      enterSaves={false}
      escapeCancels
      onSave={save}
      onCancel={onCancel}
    >
      <h3 className="sub-title">Avoir sur la facture {invoice.number}</h3>
      <fieldset className="inline-checks">
        <legend>Objet de l’avoir</legend>
        <label className="radio">
          <input
            type="radio"
            name="mode"
            value="lines"
            checked={draft.mode === 'lines'}
            onChange={() => setDraft((d) => ({ ...d, mode: 'lines' }))}
          />
          Certaines lignes
        </label>
        <label className="radio">
          <input
            type="radio"
            name="mode"
            value="whole"
            checked={draft.mode === 'whole'}
            onChange={() => setDraft((d) => ({ ...d, mode: 'whole' }))}
          />
          Toute la facture ({formatEuros(wholeCents)})
        </label>
      </fieldset>
      {draft.mode === 'lines' ? (
        <LineChoices invoice={invoice} draft={draft} setLine={setLine} />
      ) : (
        <LinesError />
      )}
      <ReasonField value={draft.reason} onChange={(reason) => setDraft((d) => ({ ...d, reason }))} />
      <p className="credit-total" data-testid="credit-total">
        Total de l’avoir : <strong>{formatEuros(totalCents)}</strong>
      </p>
    </EditForm>
  );
}

function LinesError() {
  const { error, errorId } = useField('lines');
  return error ? (
    <p id={errorId} className="field-error" role="alert">
      {error}
    </p>
  ) : null;
}

function LineChoices({
  invoice,
  draft,
  setLine,
}: {
  invoice: InvoiceDetail;
  draft: CreditDraft;
  setLine: (id: string, patch: Partial<LineChoice>) => void;
}) {
  const { error, errorId } = useField('lines');
  return (
    <fieldset
      name="lines"
      tabIndex={-1}
      className="credit-lines"
      aria-describedby={error ? errorId : undefined}
    >
      <legend className="sr-only">Lignes à créditer</legend>
      <table className="grid">
        <thead>
          <tr>
            <th scope="col">Ligne</th>
            <th scope="col" className="num">
              Reste créditable
            </th>
            <th scope="col">Service</th>
            <th scope="col">Montant de l’avoir</th>
          </tr>
        </thead>
        <tbody>
          {invoice.groups.flatMap((g) =>
            g.lines.map((line) => (
              <LineChoiceRow
                key={line.id}
                line={line}
                group={`${g.childName} — ${g.activityName}`}
                services={openServices(line, invoice)}
                choice={draft.lines[line.id]!}
                setLine={setLine}
              />
            )),
          )}
        </tbody>
      </table>
      {error && (
        <p id={errorId} className="field-error">
          {error}
        </p>
      )}
    </fieldset>
  );
}

function LineChoiceRow({
  line,
  group,
  services,
  choice,
  setLine,
}: {
  line: InvoiceLine;
  group: string;
  services: InvoiceLine['services'];
  choice: LineChoice;
  setLine: (id: string, patch: Partial<LineChoice>) => void;
}) {
  const check = useField(`line-${line.id}`);
  const amount = useField(`amount-${line.id}`);
  const service = useField(`service-${line.id}`);
  const left = creditable(line);
  const what = `${line.label}, ${group}${lineWhen(line) ? `, ${lineWhen(line)}` : ''}`;
  return (
    <tr className={choice.checked ? 'chosen' : undefined}>
      <td>
        <span className="check-line">
          <input
            id={check.id}
            type="checkbox"
            name={`line-${line.id}`}
            checked={choice.checked}
            disabled={left === 0}
            onChange={(e) => {
              check.clearError();
              setLine(line.id, { checked: e.target.checked });
            }}
          />
          <label htmlFor={check.id}>{what}</label>
        </span>
      </td>
      <td className="num">{left === 0 ? 'déjà crédité' : formatEuros(left)}</td>
      <td>
        {services.length > 1 && (
          <select
            id={service.id}
            name={`service-${line.id}`}
            aria-label={`Service crédité : ${what}`}
            value={choice.bookingId}
            disabled={!choice.checked}
            aria-invalid={service.error ? true : undefined}
            aria-describedby={service.error ? service.errorId : undefined}
            onChange={(e) => {
              service.clearError();
              amount.clearError();
              const bookingId = e.target.value;
              setLine(line.id, {
                bookingId,
                amount: centsToInput(bookingId ? Math.min(left, line.unitPriceCents) : left),
              });
            }}
          >
            <option value="">Toute la ligne</option>
            {services.map((s) => (
              <option key={s.bookingId} value={s.bookingId}>
                {formatWeekdayShort(s.date)} seulement
              </option>
            ))}
          </select>
        )}
        {service.error && (
          <span id={service.errorId} className="field-error">
            {service.error}
          </span>
        )}
      </td>
      <td>
        <span className="amount-input">
          <input
            id={amount.id}
            name={`amount-${line.id}`}
            inputMode="decimal"
            aria-label={`Montant de l’avoir en euros : ${what}`}
            value={choice.amount}
            disabled={!choice.checked}
            maxLength={12}
            aria-invalid={amount.error ? true : undefined}
            aria-describedby={amount.error ? amount.errorId : undefined}
            onChange={(e) => {
              amount.clearError();
              setLine(line.id, { amount: e.target.value });
            }}
          />
          <span aria-hidden="true">€</span>
        </span>
        {amount.error && (
          <span id={amount.errorId} className="field-error">
            {amount.error}
          </span>
        )}
      </td>
    </tr>
  );
}

function ReasonField({ value, onChange }: { value: string; onChange: (text: string) => void }) {
  const { id, error, errorId, clearError } = useField('reason');
  return (
    <div className="field reason">
      <span className="field-label">
        <label htmlFor={id}>Motif de l’avoir</label>
        <span className="required" aria-hidden="true">
          *
        </span>
      </span>
      <textarea
        id={id}
        name="reason"
        rows={2}
        maxLength={REASON_MAX}
        value={value}
        aria-required="true"
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-hint ${errorId}` : `${id}-hint`}
        onChange={(e) => {
          clearError();
          onChange(e.target.value);
        }}
      />
      <span id={`${id}-hint`} className="field-hint">
        Imprimé sur l’avoir : par exemple « absence justifiée le 14/09 (certificat médical) ».
      </span>
      {error && (
        <span id={errorId} className="field-error">
          {error}
        </span>
      )}
    </div>
  );
}
