import type { RefObject } from 'react';
import { formatMonth, formatWeekdayShort } from '../../../shared/dates.ts';
import { formatEuros } from '../../../shared/money.ts';
import { IssuedInvoice, issuedSentence, type IssuedInvoiceData } from '../billing/issued-invoice.tsx';
import {
  describeEntry,
  entryCovers,
  entryKey,
  type Activity,
  type BasketEntry,
  type BasketRequest,
  type Plan,
} from './basket.ts';
import type { Outcome } from './use-preview.ts';

type Accepted = Plan['accepted'][number];
type Refused = Plan['refused'][number];

export type Line =
  | { kind: 'accepted'; day: Accepted }
  | { kind: 'refused'; day: Refused }
  | { kind: 'cancel'; entry: BasketEntry }
  | { kind: 'pending' }
  | { kind: 'error'; message: string };

/** What the basket says under one entry: each day it would book (price, surcharge) or refuse (reason). */
export function linesOf(
  entry: BasketEntry,
  requests: readonly BasketRequest[],
  outcomes: ReadonlyMap<string, Outcome>,
): Line[] {
  if (entry.action === 'cancel') return [{ kind: 'cancel', entry }];
  const key = entryKey(entry);
  const request = requests.find((r) => r.entryKeys.includes(key));
  const outcome = request && outcomes.get(request.key);
  if (!outcome) return [{ kind: 'pending' }];
  if (!outcome.ok) return [{ kind: 'error', message: outcome.message }];
  const lines: Line[] = [
    ...outcome.plan.accepted
      .filter((d) => entryCovers(entry, d.date, d.unitCode))
      .map((day) => ({ kind: 'accepted' as const, day })),
    ...outcome.plan.refused
      .filter((d) => entryCovers(entry, d.date, d.unitCode))
      .map((day) => ({ kind: 'refused' as const, day })),
  ];
  const date = (l: Line) => (l.kind === 'accepted' || l.kind === 'refused' ? l.day.date : '');
  return lines.sort((a, b) => date(a).localeCompare(date(b)));
}

export interface BasketSummary {
  toBook: Accepted[];
  refused: Refused[];
  toCancel: BasketEntry[];
  /** Days past the families' deadline: the agent must give a reason. */
  late: number;
  pending: boolean;
}

export function summarise(lines: readonly Line[]): BasketSummary {
  const toBook = lines.flatMap((l) => (l.kind === 'accepted' ? [l.day] : []));
  const toCancel = lines.flatMap((l) => (l.kind === 'cancel' ? [l.entry] : []));
  return {
    toBook,
    refused: lines.flatMap((l) => (l.kind === 'refused' ? [l.day] : [])),
    toCancel,
    late: toBook.filter((d) => d.late).length + toCancel.filter((e) => e.kind !== 'period' && e.late).length,
    pending: lines.some((l) => l.kind === 'pending'),
  };
}

export interface ValidationResult {
  booked: Accepted[];
  cancelled: number;
  refused: Refused[];
  errors: string[];
  /** Pay-at-booking invoices issued with the bookings (holiday centre): to be paid at once. */
  invoices: IssuedInvoiceData[];
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n > 1 ? many : one}`;

/** A month booking stands on its first day: it reads as the month. */
const dayLabel = (d: { date: string; unitCode: string }) =>
  d.unitCode === 'month' ? formatMonth(d.date.slice(0, 7)) : formatWeekdayShort(d.date);

export function resultSentence(r: ValidationResult): string {
  const parts = [
    plural(r.booked.length, 'réservation enregistrée', 'réservations enregistrées') +
      (r.booked.some((d) => d.late) ? ` (dont ${r.booked.filter((d) => d.late).length} hors délai)` : ''),
  ];
  if (r.cancelled > 0) parts.push(plural(r.cancelled, 'annulation'));
  if (r.refused.length > 0) parts.push(plural(r.refused.length, 'jour refusé', 'jours refusés'));
  return [`Panier validé : ${parts.join(', ')}.`, ...r.invoices.map(issuedSentence)].join(' ');
}

interface Props {
  activity: Activity;
  entries: readonly BasketEntry[];
  requests: readonly BasketRequest[];
  outcomes: ReadonlyMap<string, Outcome>;
  reason: string;
  onReason: (text: string) => void;
  reasonError: string | null;
  reasonRef: RefObject<HTMLTextAreaElement | null>;
  busy: boolean;
  result: ValidationResult | null;
  onRemove: (entry: BasketEntry) => void;
  onClear: () => void;
  onValidate: () => void;
}

/**
 * The basket: every pending change with, day by day, what it would do (price and surcharge reason) or why it
 * would be refused, the reason required past the deadline, and « Valider » (Alt+V).
 */
export function BasketPanel({
  activity,
  entries,
  requests,
  outcomes,
  reason,
  onReason,
  reasonError,
  reasonRef,
  busy,
  result,
  onRemove,
  onClear,
  onValidate,
}: Props) {
  const perEntry = entries.map((e) => ({ entry: e, lines: linesOf(e, requests, outcomes) }));
  const summary = summarise(perEntry.flatMap((p) => p.lines));
  const total = summary.toBook.reduce((sum, d) => sum + (d.price?.cents ?? 0), 0);
  const months = summary.toBook.every((d) => d.unitCode === 'month');
  const lateBooked = summary.toBook.filter((d) => d.late);
  const units = activity.units;

  return (
    <section className="card basket" aria-labelledby="basket-title" aria-busy={summary.pending || busy}>
      <div className="card-head">
        <h2 id="basket-title">Panier{entries.length > 0 ? ` (${entries.length})` : ''}</h2>
        {entries.length > 0 && (
          <div className="card-actions">
            <button type="button" className="quiet" onClick={onClear}>
              Vider
            </button>
          </div>
        )}
      </div>
      {entries.length === 0 ? (
        <p className="muted">
          Le panier est vide : choisissez des jours dans la grille (Espace) ou une période, puis validez.
        </p>
      ) : (
        <ul className="basket-entries" aria-label="Changements demandés">
          {perEntry.map(({ entry, lines }) => {
            const description = describeEntry(entry, units);
            return (
              <li key={entryKey(entry)} className="basket-entry">
                <div className="entry-head">
                  <span className={entry.action === 'cancel' ? 'entry-cancel' : 'entry-book'}>
                    {description}
                  </span>
                  <button type="button" className="small" onClick={() => onRemove(entry)}>
                    Retirer <span className="sr-only">{description}</span>
                  </button>
                </div>
                <ul className="basket-lines">
                  {lines.map((line, i) => (
                    <BasketLine key={i} line={line} activity={activity} />
                  ))}
                </ul>
              </li>
            );
          })}
        </ul>
      )}
      {entries.length > 0 && (
        <div className="basket-summary" data-testid="basket-summary">
          {summary.pending ? (
            <p className="muted">Calcul de l’aperçu…</p>
          ) : (
            <p>
              {summary.toBook.length > 0 && (
                <>
                  À réserver :{' '}
                  <strong>
                    {months
                      ? plural(summary.toBook.length, 'mois', 'mois')
                      : plural(summary.toBook.length, 'jour')}
                  </strong>
                  , {formatEuros(total)}
                  {lateBooked.length > 0 && (
                    <>
                      {' '}
                      (dont {lateBooked.length} hors délai
                      {lateBooked.some((d) => d.price?.surcharge) ? ', majorés' : ''})
                    </>
                  )}
                  .{' '}
                </>
              )}
              {summary.toCancel.length > 0 && <>À annuler : {plural(summary.toCancel.length, 'demande')}. </>}
              {summary.refused.length > 0 && (
                <span className="refused-text">Refusés : {plural(summary.refused.length, 'jour')}.</span>
              )}
            </p>
          )}
          {activity.settings.payment === 'atBooking' && summary.toBook.length > 0 && (
            <p className="muted">
              Payé à la réservation : la facture est émise à la validation, à régler au guichet.
            </p>
          )}
          {summary.late > 0 && (
            <div className="field reason">
              <span className="field-label">
                <label htmlFor="override-reason">Motif du hors délai</label>
                <span className="required" aria-hidden="true">
                  *
                </span>
              </span>
              <textarea
                id="override-reason"
                ref={reasonRef}
                rows={2}
                maxLength={200}
                value={reason}
                aria-required="true"
                aria-invalid={reasonError ? true : undefined}
                aria-describedby={
                  reasonError ? 'override-reason-hint override-reason-error' : 'override-reason-hint'
                }
                onChange={(e) => onReason(e.target.value)}
              />
              <span id="override-reason-hint" className="field-hint">
                {plural(summary.late, 'jour')} après la date limite des familles : le motif est enregistré
                avec la réservation et la majoration s’applique.
              </span>
              {reasonError && (
                <span id="override-reason-error" className="field-error">
                  {reasonError}
                </span>
              )}
            </div>
          )}
          <div className="form-actions">
            <button type="button" className="primary" aria-disabled={busy} onClick={onValidate}>
              {busy ? 'Validation…' : 'Valider le panier'} <kbd>Alt+V</kbd>
            </button>
          </div>
        </div>
      )}
      {result && <ResultView result={result} />}
    </section>
  );
}

function BasketLine({ line, activity }: { line: Line; activity: Activity }) {
  switch (line.kind) {
    case 'pending':
      return <li className="line muted">calcul…</li>;
    case 'error':
      return <li className="line refused">{line.message}</li>;
    case 'cancel': {
      const e = line.entry;
      const late = e.kind !== 'period' && e.late;
      return (
        <li className={late ? 'line cancel late' : 'line cancel'}>
          <span className="line-what">annulation</span>
          {late && <span className="tag tag-late">hors délai</span>}
          {late && (
            <span className="line-note">
              {activity.settings.lateCancellationBilled
                ? 'annulation tardive : le jour reste facturé'
                : 'annulation tardive'}
            </span>
          )}
        </li>
      );
    }
    case 'accepted': {
      const d = line.day;
      return (
        <li className={d.late ? 'line ok late' : 'line ok'} data-testid="basket-line">
          <span className="line-date">{dayLabel(d)}</span>
          <span className="line-unit">{d.unitLabel}</span>
          <span className="line-price">{d.price ? formatEuros(d.price.cents) : 'prix non défini'}</span>
          {d.late && <span className="tag tag-late">hors délai</span>}
          {d.price?.surcharge && (
            <span className="line-note">
              {d.price.surcharge.reason} (prix de base {formatEuros(d.price.baseCents)})
            </span>
          )}
          {d.placesLeft !== null && d.placesLeft <= 5 && (
            <span className="line-note">
              {d.placesLeft === 0
                ? 'dernière place'
                : `${plural(d.placesLeft, 'place restante', 'places restantes')} ensuite`}
            </span>
          )}
        </li>
      );
    }
    case 'refused': {
      const d = line.day;
      return (
        <li className="line refused" data-testid="basket-line">
          <span className="line-date">{dayLabel(d)}</span>
          <span className="line-unit">{d.unitLabel}</span>
          <span className="tag tag-refused">refusé</span>
          <span className="line-note">{d.reason}</span>
        </li>
      );
    }
  }
}

function ResultView({ result }: { result: ValidationResult }) {
  return (
    <div className="basket-result" data-testid="basket-result">
      <p className="result-head">{resultSentence({ ...result, invoices: [] })}</p>
      {result.invoices.map((invoice) => (
        <IssuedInvoice key={invoice.invoiceId} invoice={invoice} />
      ))}
      {result.errors.map((text) => (
        <p key={text} className="form-error">
          {text}
        </p>
      ))}
      {result.refused.length > 0 && (
        <ul className="basket-lines">
          {result.refused.map((d) => (
            <li key={`${d.date}|${d.unitCode}`} className="line refused">
              <span className="line-date">{dayLabel(d)}</span>
              <span className="line-unit">{d.unitLabel}</span>
              <span className="tag tag-refused">refusé</span>
              <span className="line-note">{d.reason}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
