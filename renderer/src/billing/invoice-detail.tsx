import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { formatShortDate, formatWeekdayDate } from '../../../shared/dates.ts';
import { formatEuros } from '../../../shared/money.ts';
import { useCounter } from '../counter-context.ts';
import { CreditNoteForm, creditable, type CreditNoteResult } from './credit-note-form.tsx';
import {
  basisText,
  invoiceStatus,
  lineWhen,
  periodLabel,
  STATUS_LABELS,
  type InvoiceDetail,
  type InvoiceLine,
} from './invoice-text.ts';
import { PrintButton } from './print-button.tsx';

const COLUMNS = [
  'Désignation',
  'Dates ou période',
  'Quantité × prix',
  'Montant',
  'QF et tranche',
  'Majoration',
];

/**
 * One invoice as the family reads it: lines grouped by child then activity, each with its dates, quantity, unit
 * price, QF bracket and surcharge. A line opens (click, Entrée) on the sentence that explains its amount and the
 * services behind it. Imprimer gives the PDF; Avoir… corrects the invoice by a credit note (billing.run).
 */
export function InvoiceDetailView({
  invoice,
  today,
  canCredit,
  onCredited,
}: {
  invoice: InvoiceDetail;
  today: string;
  canCredit: boolean;
  onCredited: (result: CreditNoteResult) => void;
}) {
  const api = useCounter();
  const ids = useId();
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const [crediting, setCrediting] = useState(false);
  const [credited, setCredited] = useState<CreditNoteResult | null>(null);
  const tableRef = useRef<HTMLTableElement>(null);
  const creditButtonRef = useRef<HTMLButtonElement>(null);
  const resultRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    // The form is gone: the keyboard goes to what it produced (the credit note's number, its print button).
    if (credited) resultRef.current?.focus();
  }, [credited]);
  const status = invoiceStatus(invoice, today);
  const lines = invoice.groups.flatMap((g) => g.lines);
  const creditableCents = lines.reduce((s, l) => s + creditable(l), 0);
  const headingId = `${ids}-title`;

  const toggle = (id: string) =>
    setOpen((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  function onLineKey(e: KeyboardEvent<HTMLButtonElement>, index: number) {
    const next =
      e.key === 'ArrowDown'
        ? index + 1
        : e.key === 'ArrowUp'
          ? index - 1
          : e.key === 'Home'
            ? 0
            : e.key === 'End'
              ? lines.length - 1
              : null;
    if (next === null || next < 0 || next >= lines.length) return;
    e.preventDefault();
    tableRef.current?.querySelector<HTMLButtonElement>(`[data-line="${next}"]`)?.focus();
  }

  // Which credit note named which service, to say it beside the service.
  const creditOfService = new Map<string, string>();
  for (const n of invoice.creditNotes)
    for (const l of n.lines) if (l.bookingId) creditOfService.set(l.bookingId, n.number);

  const indexOf = new Map(lines.map((l, i) => [l.id, i]));
  return (
    <section className="card invoice" aria-labelledby={headingId} data-testid="invoice-detail">
      <div className="card-head">
        <h2 id={headingId} tabIndex={-1}>
          Facture {invoice.number}
        </h2>
        <div className="card-actions">
          <PrintButton load={() => api.invoke('billing.invoicePdf', { invoiceId: invoice.id })}>
            Imprimer
          </PrintButton>
          {canCredit && !crediting && creditableCents > 0 && (
            <button
              type="button"
              ref={creditButtonRef}
              onClick={() => {
                setCredited(null);
                setCrediting(true);
              }}
            >
              Avoir…
            </button>
          )}
        </div>
      </div>
      <dl className="invoice-facts">
        <div>
          <dt>Émise le</dt>
          <dd>{formatShortDate(invoice.issueDate)}</dd>
        </div>
        <div>
          <dt>Période</dt>
          <dd>{periodLabel(invoice)}</dd>
        </div>
        <div>
          <dt>Échéance</dt>
          <dd>{formatShortDate(invoice.dueDate)}</dd>
        </div>
        <div>
          <dt>Payeur</dt>
          <dd>{invoice.payerName}</dd>
        </div>
        <div>
          <dt>Total</dt>
          <dd className="num">{formatEuros(invoice.totalCents)}</dd>
        </div>
        <div>
          <dt>Avoirs</dt>
          <dd className="num">{invoice.creditedCents ? `− ${formatEuros(invoice.creditedCents)}` : '—'}</dd>
        </div>
        {invoice.paidCents > 0 && (
          <div>
            <dt>Payé</dt>
            <dd className="num">− {formatEuros(invoice.paidCents)}</dd>
          </div>
        )}
        <div>
          <dt>Reste à payer</dt>
          <dd className="num" data-testid="invoice-remaining">
            <strong>{formatEuros(invoice.remainingCents)}</strong>
          </dd>
        </div>
        <div>
          <dt>Statut</dt>
          <dd>
            <span className={`status invoice-${status}`}>{STATUS_LABELS[status]}</span>
          </dd>
        </div>
      </dl>
      {crediting && (
        <div className="new-item">
          <CreditNoteForm
            invoice={invoice}
            onCancel={() => {
              setCrediting(false);
              requestAnimationFrame(() => creditButtonRef.current?.focus());
            }}
            onDone={(result) => {
              setCrediting(false);
              setCredited(result);
              onCredited(result);
            }}
          />
        </div>
      )}
      {credited && (
        <div className="basket-result" ref={resultRef} tabIndex={-1} data-testid="credit-result">
          <p className="result-head">
            Avoir n° {credited.number} émis : {formatEuros(credited.totalCents)}.
          </p>
          <p>
            Reste à payer sur la facture {credited.invoiceNumber} :{' '}
            <strong>{formatEuros(credited.invoiceRemainingCents)}</strong>.
          </p>
          <PrintButton
            load={() => api.invoke('billing.creditNotePdf', { creditNoteId: credited.creditNoteId })}
          >
            Imprimer l’avoir
          </PrintButton>
        </div>
      )}
      <p className="key-hint">
        Cliquez une ligne, ou Entrée dessus, pour l’explication de son montant · ↑ ↓ : ligne précédente,
        suivante
      </p>
      <table className="grid invoice-lines" ref={tableRef}>
        <caption className="sr-only">
          Lignes de la facture {invoice.number}, par enfant et par activité
        </caption>
        <thead>
          <tr>
            {COLUMNS.map((c) => (
              <th scope="col" key={c} className={c === 'Montant' ? 'num' : undefined}>
                {c}
              </th>
            ))}
          </tr>
        </thead>
        {invoice.groups.map((group) => (
          <tbody key={`${group.childId}|${group.activityId}`}>
            <tr className="group-head">
              <th scope="rowgroup" colSpan={3}>
                {group.childName} — {group.activityName}
              </th>
              <td className="num">{formatEuros(group.totalCents)}</td>
              <td colSpan={2} />
            </tr>
            {group.lines.map((line) => (
              <LineRows
                key={line.id}
                line={line}
                index={indexOf.get(line.id) ?? 0}
                open={open.has(line.id)}
                explainId={`${ids}-explain-${line.id}`}
                creditOfService={creditOfService}
                onToggle={() => toggle(line.id)}
                onKeyDown={onLineKey}
              />
            ))}
          </tbody>
        ))}
        <tfoot>
          <tr>
            <th scope="row" colSpan={3}>
              Total de la facture
            </th>
            <td className="num">
              <strong>{formatEuros(invoice.totalCents)}</strong>
            </td>
            <td colSpan={2} />
          </tr>
        </tfoot>
      </table>
      {invoice.creditNotes.length > 0 && (
        <>
          <h3 className="sub-title credit-notes-title">Avoirs sur cette facture</h3>
          <ul className="plain credit-notes">
            {invoice.creditNotes.map((n) => (
              <li key={n.id}>
                <span>
                  Avoir <strong>{n.number}</strong> du {formatShortDate(n.issueDate)} : −{' '}
                  {formatEuros(n.totalCents)} — {n.reason}
                </span>
                <PrintButton
                  className="small"
                  load={() => api.invoke('billing.creditNotePdf', { creditNoteId: n.id })}
                >
                  Imprimer <span className="sr-only">l’avoir {n.number}</span>
                </PrintButton>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

function LineRows({
  line,
  index,
  open,
  explainId,
  creditOfService,
  onToggle,
  onKeyDown,
}: {
  line: InvoiceLine;
  index: number;
  open: boolean;
  explainId: string;
  creditOfService: ReadonlyMap<string, string>;
  onToggle: () => void;
  onKeyDown: (e: KeyboardEvent<HTMLButtonElement>, index: number) => void;
}) {
  const reason = line.surchargeReason ? `${line.kindLabel} — ${line.surchargeReason}` : line.kindLabel;
  return (
    <>
      <tr
        className={open ? 'invoice-line open' : 'invoice-line'}
        data-testid="invoice-line"
        onClick={(e) => {
          // The button handles its own click; anywhere else on the row does the same.
          if (!(e.target as HTMLElement).closest('button')) onToggle();
        }}
      >
        <td>
          <button
            type="button"
            className="line-toggle"
            data-line={index}
            aria-expanded={open}
            aria-controls={open ? explainId : undefined}
            onClick={onToggle}
            onKeyDown={(e) => onKeyDown(e, index)}
          >
            <span aria-hidden="true" className="chevron">
              {open ? '▾' : '▸'}
            </span>{' '}
            {line.label}
          </button>
        </td>
        <td>{lineWhen(line)}</td>
        <td className="nowrap num">
          {line.quantity} × {formatEuros(line.unitPriceCents)}
        </td>
        <td className="num nowrap">
          {formatEuros(line.amountCents)}
          {line.creditedCents > 0 && (
            <span className="line-credited">dont {formatEuros(line.creditedCents)} en avoir</span>
          )}
        </td>
        <td>{basisText(line)}</td>
        <td>{line.surchargeReason ?? <span className="muted">—</span>}</td>
      </tr>
      {open && (
        <tr className="explain-row">
          <td colSpan={COLUMNS.length} id={explainId} data-testid="line-explanation">
            <p className="explanation">{line.explanation}</p>
            {line.services.length > 0 && (
              <>
                <p className="services-title">
                  {line.services.length === 1
                    ? 'Le service facturé :'
                    : `Les ${line.services.length} services facturés :`}
                </p>
                <ul className="services">
                  {line.services.map((s) => (
                    <li key={s.bookingId}>
                      <span className="service-date">{formatWeekdayDate(s.date)}</span> — {reason}
                      {creditOfService.has(s.bookingId) && (
                        <span className="tag tag-credited">avoir {creditOfService.get(s.bookingId)}</span>
                      )}
                    </li>
                  ))}
                </ul>
              </>
            )}
          </td>
        </tr>
      )}
    </>
  );
}
