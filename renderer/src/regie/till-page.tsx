import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { OutputOf } from '../../../core/contract.ts';
import { formatShortDate } from '../../../shared/dates.ts';
import { formatEuros } from '../../../shared/money.ts';
import { useAnnounce } from '../announcer.tsx';
import { useAuth } from '../auth/auth-context.ts';
import { useCounter } from '../counter-context.ts';
import { useQuery } from '../use-query.ts';
import { RegieTools } from './regie-tools.tsx';
import { SessionView, type TillSession } from './session-view.tsx';
import { centsToInput, parseEuros } from '../money-input.ts';
import { PayInForm, TillPayments, ZReportButton } from './till-detail.tsx';
import './till.css';

/** Notes and coins of the euro, largest first, in cents (the core's own list, `payment.settings`). */
export const DENOMINATIONS = [
  50000, 20000, 10000, 5000, 2000, 1000, 500, 200, 100, 50, 20, 10, 5, 2, 1,
] as const;

const denominationLabel = (cents: number) => `${cents >= 500 ? 'Billet' : 'Pièce'} de ${formatEuros(cents)}`;

/**
 * The Caisse screen: this counter's till. None open → « Ouvrir la caisse » with its float; open → running totals by
 * mode, cash on hand, warnings, and « Clôturer » (count by denomination, difference, reason when not zero). A
 * closed till shows locked. The régisseur's tools (deposit slip, report, journal) follow.
 */
export function TillPage() {
  const auth = useAuth();
  const current = useQuery('regie.currentSession', {});
  const [closed, setClosed] = useState<TillSession | null>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const mayHandle = auth.can('regie') || auth.can('payment.take');
  const isRegisseur = auth.can('regie');
  const session = current.data?.session ?? null;
  // The régisseur sees what went into the till (payments, receipts, pay-ins); refreshed with the till's figures.
  const detail = useQuery('regie.session', isRegisseur && session ? { sessionId: session.id } : null);

  useEffect(() => {
    headingRef.current?.focus();
  }, []);

  const reload = () => {
    current.reload();
    detail.reload();
  };
  return (
    <article className="till" aria-labelledby="till-title">
      <h1 id="till-title" ref={headingRef} tabIndex={-1}>
        Caisse
      </h1>
      {!current.data ? (
        <p className="muted">{current.error ?? 'Chargement de la caisse…'}</p>
      ) : closed && !session ? (
        <>
          <SessionView session={closed} />
          {isRegisseur && (
            <div className="form-actions">
              <ZReportButton sessionId={closed.id} />
            </div>
          )}
          {mayHandle && (
            <OpenTill
              nextFloat={current.data.nextFloat}
              onOpened={() => {
                setClosed(null);
                current.reload();
              }}
            />
          )}
        </>
      ) : session ? (
        <>
          <SessionView session={session} />
          {detail.data && detail.data.session.id === session.id && <TillPayments detail={detail.data} />}
          {isRegisseur && !session.closed && (
            <PayInForm cashOnHandCents={session.cashOnHandCents} onDone={reload} />
          )}
          {mayHandle && (
            <CloseTill
              session={session}
              onClosed={(view) => {
                setClosed(view);
                reload();
              }}
            />
          )}
        </>
      ) : mayHandle ? (
        <OpenTill nextFloat={current.data.nextFloat} onOpened={() => current.reload()} />
      ) : (
        <p className="muted">Aucune caisse ouverte sur ce poste.</p>
      )}
      {isRegisseur && <RegieTools />}
    </article>
  );
}

type NextFloat = OutputOf<'regie.currentSession'>['nextFloat'];

/** Where the proposed float comes from, said under its field. */
function floatOrigin(next: NonNullable<NextFloat>): string | null {
  if (next.source === 'closing' && next.fromDate)
    return `Proposé : les espèces comptées à la clôture du ${formatShortDate(next.fromDate)}.`;
  if (next.source === 'setting') return 'Proposé : le fonds de caisse fixé par la régie.';
  return null;
}

function OpenTill({ nextFloat, onOpened }: { nextFloat: NextFloat; onOpened: () => void }) {
  const id = useId();
  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} className="card-title">
        Aucune caisse ouverte sur ce poste
      </h2>
      <OpenTillForm nextFloat={nextFloat} onOpened={onOpened} />
    </section>
  );
}

/**
 * Opening the till, here and on the payment form: the float prefilled with what the core proposes (the cash
 * counted at the last closing, else the régie's float), so the régisseur checks the drawer against it.
 */
export function OpenTillForm({ nextFloat, onOpened }: { nextFloat: NextFloat; onOpened: () => void }) {
  const api = useCounter();
  const announce = useAnnounce();
  const id = useId();
  const [floatText, setFloatText] = useState(() => centsToInput(nextFloat?.cents ?? 0));
  const origin = nextFloat ? floatOrigin(nextFloat) : null;
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function open(e: FormEvent) {
    e.preventDefault();
    if (busy) return;
    const floatCents = parseEuros(floatText);
    if (floatCents === null) {
      setError('Montant en euros attendu, par exemple 150,00.');
      return;
    }
    setBusy(true);
    const r = await api.invoke('regie.openSession', { floatCents });
    setBusy(false);
    if (!r.ok) {
      setError(r.error.message);
      announce(r.error.message);
      return;
    }
    announce(`Caisse ouverte avec un fonds de ${formatEuros(floatCents)}.`);
    onOpened();
  }

  return (
    <form aria-label="Ouvrir la caisse" noValidate onSubmit={(e) => void open(e)} className="field-grid">
      <div className="field field-s">
        <span className="field-label">
          <label htmlFor={`${id}-float`}>Fonds de caisse (€)</label>
        </span>
        <input
          id={`${id}-float`}
          inputMode="decimal"
          value={floatText}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : origin ? `${id}-origin` : undefined}
          onChange={(e) => {
            setFloatText(e.target.value);
            setError(null);
          }}
        />
        {origin && !error && (
          <span id={`${id}-origin`} className="field-hint" data-testid="float-origin">
            {origin}
          </span>
        )}
        {error && (
          <span id={`${id}-error`} className="field-error">
            {error}
          </span>
        )}
      </div>
      <div className="form-actions">
        <button type="submit" className="primary" aria-disabled={busy}>
          Ouvrir la caisse
        </button>
      </div>
    </form>
  );
}

/** The closing count: one field per note and coin, the counted total, its difference from what is expected. */
export function CloseTill({
  session,
  onClosed,
}: {
  session: TillSession;
  onClosed: (v: TillSession) => void;
}) {
  const api = useCounter();
  const announce = useAnnounce();
  const id = useId();
  const [counting, setCounting] = useState(false);
  const [counts, setCounts] = useState<Record<number, string>>({});
  const [reason, setReason] = useState('');
  const [batchText, setBatchText] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [general, setGeneral] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const firstRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (counting) firstRef.current?.focus();
  }, [counting]);

  if (!counting)
    return (
      <div className="form-actions">
        <button type="button" className="primary" onClick={() => setCounting(true)}>
          Clôturer la caisse…
        </button>
      </div>
    );

  const parsed = DENOMINATIONS.map((d) => {
    const t = (counts[d] ?? '').trim();
    return { d, n: t === '' ? 0 : /^\d{1,5}$/.test(t) ? Number(t) : null };
  });
  const countedCents = parsed.reduce((s, p) => s + p.d * (p.n ?? 0), 0);
  const expected = session.cashOnHandCents;
  const difference = countedCents - expected;
  const card = session.totals.find((t) => t.mode === 'card');
  const batchCents = batchText.trim() === '' ? null : parseEuros(batchText);

  async function close(e: FormEvent) {
    e.preventDefault();
    if (busy) return;
    const next: Record<string, string> = {};
    for (const p of parsed) if (p.n === null) next[String(p.d)] = 'Nombre entier attendu.';
    if (batchText.trim() !== '' && batchCents === null)
      next.cardBatch = 'Montant en euros attendu, par exemple 120,00 (vide : non relevé).';
    if (difference !== 0 && !reason.trim())
      next.reason = 'Un écart de caisse doit être expliqué : saisissez le motif.';
    setErrors(next);
    if (Object.keys(next).length) {
      announce('Comptage à corriger.');
      return;
    }
    setBusy(true);
    const r = await api.invoke('regie.closeSession', {
      sessionId: session.id,
      counted: parsed.filter((p) => p.n).map((p) => ({ denominationCents: p.d, count: p.n ?? 0 })),
      ...(reason.trim() ? { reason: reason.trim() } : {}),
      cardBatchCents: batchCents,
    });
    setBusy(false);
    if (!r.ok) {
      setGeneral(r.error.message);
      announce(r.error.message);
      return;
    }
    announce(`Caisse clôturée : ${formatEuros(countedCents)} comptés.`);
    onClosed(r.data);
  }

  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} className="card-title">
        Clôture : comptage des espèces
      </h2>
      <form aria-label="Clôturer la caisse" noValidate onSubmit={(e) => void close(e)}>
        <table className="grid counting">
          <caption className="sr-only">Nombre de billets et de pièces comptés</caption>
          <thead>
            <tr>
              <th scope="col">Coupure</th>
              <th scope="col" className="num">
                Nombre
              </th>
              <th scope="col" className="num">
                Montant
              </th>
            </tr>
          </thead>
          <tbody>
            {parsed.map((p, i) => (
              <tr key={p.d}>
                <th scope="row">
                  <label htmlFor={`${id}-d${p.d}`}>{denominationLabel(p.d)}</label>
                </th>
                <td className="num">
                  <input
                    id={`${id}-d${p.d}`}
                    ref={i === 0 ? firstRef : undefined}
                    className="count-input"
                    inputMode="numeric"
                    value={counts[p.d] ?? ''}
                    aria-invalid={errors[String(p.d)] ? true : undefined}
                    onChange={(e) => setCounts({ ...counts, [p.d]: e.target.value })}
                  />
                  {errors[String(p.d)] && <span className="field-error">{errors[String(p.d)]}</span>}
                </td>
                <td className="num">{p.n ? formatEuros(p.d * p.n) : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <dl className="invoice-totals" data-testid="till-count">
          <div>
            <dt>Attendu</dt>
            <dd>{formatEuros(expected)}</dd>
          </div>
          <div>
            <dt>Compté</dt>
            <dd>{formatEuros(countedCents)}</dd>
          </div>
          <div>
            <dt>Écart</dt>
            <dd>
              <strong>{formatEuros(difference)}</strong>
            </dd>
          </div>
        </dl>
        <div className="field-grid">
          <div className="field field-l" data-testid="card-batch">
            <span className="field-label">
              <label htmlFor={`${id}-batch`}>Total de la télécollecte du terminal (€)</label>
            </span>
            <input
              id={`${id}-batch`}
              inputMode="decimal"
              value={batchText}
              aria-invalid={errors.cardBatch ? true : undefined}
              aria-describedby={`${id}-batch-hint`}
              onChange={(e) => {
                setBatchText(e.target.value);
                setErrors(({ cardBatch: _cleared, ...rest }) => rest);
              }}
            />
            <span id={`${id}-batch-hint`} className={errors.cardBatch ? 'field-error' : 'field-hint'}>
              {errors.cardBatch ??
                `Cartes enregistrées : ${card?.count ?? 0} paiement${(card?.count ?? 0) > 1 ? 's' : ''}, ${formatEuros(card?.netCents ?? 0)}${
                  batchCents !== null
                    ? ` — écart avec le terminal : ${formatEuros(batchCents - (card?.netCents ?? 0))}`
                    : ''
                }.`}
            </span>
          </div>
          <div className="field field-l">
            <span className="field-label">
              <label htmlFor={`${id}-reason`}>Motif de l’écart</label>
              {difference !== 0 && (
                <span className="required" aria-hidden="true">
                  *
                </span>
              )}
            </span>
            <input
              id={`${id}-reason`}
              value={reason}
              aria-required={difference !== 0 || undefined}
              aria-invalid={errors.reason ? true : undefined}
              aria-describedby={errors.reason ? `${id}-reason-error` : undefined}
              onChange={(e) => {
                setReason(e.target.value);
                setErrors(({ reason: _cleared, ...rest }) => rest);
              }}
            />
            {errors.reason && (
              <span id={`${id}-reason-error`} className="field-error">
                {errors.reason}
              </span>
            )}
          </div>
        </div>
        {general && (
          <p className="form-error" role="alert">
            {general}
          </p>
        )}
        <div className="form-actions">
          <button type="submit" className="primary" aria-disabled={busy}>
            Clôturer
          </button>
          <button type="button" onClick={() => setCounting(false)}>
            Annuler
          </button>
        </div>
      </form>
    </section>
  );
}
