import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { OutputOf } from '../../../core/contract.ts';
import { formatShortDate } from '../../../shared/dates.ts';
import { formatEuros } from '../../../shared/money.ts';
import { useAnnounce } from '../announcer.tsx';
import { useAuth } from '../auth/auth-context.ts';
import { useCounter } from '../counter-context.ts';
import { useQuery } from '../use-query.ts';
import { RegieTools } from './regie-tools.tsx';
import { parseEuros } from '../money-input.ts';
import './till.css';

export type TillSession = NonNullable<OutputOf<'regie.currentSession'>['session']>;

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

  useEffect(() => {
    headingRef.current?.focus();
  }, []);

  const session = current.data?.session ?? null;
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
          {mayHandle && (
            <OpenTill
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
          {mayHandle && (
            <CloseTill
              session={session}
              onClosed={(view) => {
                setClosed(view);
                current.reload();
              }}
            />
          )}
        </>
      ) : mayHandle ? (
        <OpenTill onOpened={() => current.reload()} />
      ) : (
        <p className="muted">Aucune caisse ouverte sur ce poste.</p>
      )}
      {auth.can('regie') && <RegieTools />}
    </article>
  );
}

function SessionView({ session }: { session: TillSession }) {
  return (
    <section className="card" aria-labelledby="till-session-title" data-testid="till-session">
      <div className="card-head">
        <h2 id="till-session-title">
          {session.closed ? 'Caisse clôturée' : 'Caisse ouverte'} du {formatShortDate(session.openDate)}
          {session.closed && (
            <>
              {' — '}
              <span className="status locked" data-testid="till-locked">
                verrouillée
              </span>
            </>
          )}
        </h2>
        <dl className="invoice-totals" data-testid="till-totals">
          <div>
            <dt>Fonds de caisse</dt>
            <dd>{formatEuros(session.floatCents)}</dd>
          </div>
          <div>
            <dt>Espèces en caisse</dt>
            <dd>
              <strong>{formatEuros(session.cashOnHandCents)}</strong>
            </dd>
          </div>
          <div>
            <dt>Total encaissé</dt>
            <dd>{formatEuros(session.totalNetCents)}</dd>
          </div>
          {session.countedCents !== null && (
            <div>
              <dt>Compté</dt>
              <dd>{formatEuros(session.countedCents)}</dd>
            </div>
          )}
          {session.differenceCents !== null && (
            <div>
              <dt>Écart</dt>
              <dd>{formatEuros(session.differenceCents)}</dd>
            </div>
          )}
        </dl>
      </div>
      <p className="muted">
        Ouverte par {session.openedBy}
        {session.closedBy ? `, clôturée par ${session.closedBy}` : ''}.
        {session.differenceReason ? ` Motif de l’écart : ${session.differenceReason}.` : ''}
      </p>
      {session.warnings.map((w) => (
        <p key={w} className="warn" role="alert" data-testid="till-warning">
          {w}
        </p>
      ))}
      <table className="grid till-totals">
        <caption className="sr-only">Encaissements par mode de paiement</caption>
        <thead>
          <tr>
            <th scope="col">Mode</th>
            <th scope="col" className="num">
              Paiements
            </th>
            <th scope="col" className="num">
              Encaissé
            </th>
            <th scope="col" className="num">
              Annulé
            </th>
            <th scope="col" className="num">
              Net
            </th>
          </tr>
        </thead>
        <tbody>
          {session.totals.map((t) => (
            <tr key={t.mode} data-testid="till-mode">
              <th scope="row">{t.label}</th>
              <td className="num">{t.count}</td>
              <td className="num">{formatEuros(t.amountCents)}</td>
              <td className="num">{t.reversedCents ? `− ${formatEuros(t.reversedCents)}` : '—'}</td>
              <td className="num">{formatEuros(t.netCents)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function OpenTill({ onOpened }: { onOpened: () => void }) {
  const api = useCounter();
  const announce = useAnnounce();
  const id = useId();
  const [floatText, setFloatText] = useState('0,00');
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
    <section className="card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} className="card-title">
        Aucune caisse ouverte sur ce poste
      </h2>
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
            aria-describedby={error ? `${id}-error` : undefined}
            onChange={(e) => {
              setFloatText(e.target.value);
              setError(null);
            }}
          />
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
    </section>
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

  async function close(e: FormEvent) {
    e.preventDefault();
    if (busy) return;
    const next: Record<string, string> = {};
    for (const p of parsed) if (p.n === null) next[String(p.d)] = 'Nombre entier attendu.';
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
