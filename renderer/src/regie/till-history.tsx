import { useId, useRef, useState, useEffect } from 'react';
import { formatShortDate } from '../../../shared/dates.ts';
import { formatEuros } from '../../../shared/money.ts';
import { formatDateTimeCompact } from '../../../shared/wall-clock.ts';
import { useTownClock } from '../town-clock.ts';
import { useQuery } from '../use-query.ts';
import { SessionView } from './session-view.tsx';
import { TillPayments, ZReportButton } from './till-detail.tsx';

/**
 * The tills of every counter, newest first: opened and closed by whom and when, what they took, their difference.
 * One is opened read-only — its figures as its closing certified them, its payments — and its Z reprinted.
 */
export function TillHistory() {
  const id = useId();
  const { timeZone } = useTownClock();
  const sessions = useQuery('regie.sessions', {});
  const [shown, setShown] = useState<string | null>(null);
  const detail = useQuery('regie.session', shown ? { sessionId: shown } : null);
  const detailRef = useRef<HTMLHeadingElement>(null);
  const data = detail.current ? detail.data : null;

  useEffect(() => {
    if (data) detailRef.current?.focus();
  }, [data]);

  return (
    <section className="card" aria-labelledby={`${id}-title`} data-testid="till-history">
      <h2 id={`${id}-title`} className="card-title">
        Historique des caisses
      </h2>
      {!sessions.data ? (
        <p className="muted">{sessions.error ?? 'Chargement…'}</p>
      ) : sessions.data.length === 0 ? (
        <p className="muted">Aucune caisse ouverte jusqu’ici.</p>
      ) : (
        <table className="grid">
          <caption className="sr-only">
            Caisses de tous les guichets, de la plus récente à la plus ancienne
          </caption>
          <thead>
            <tr>
              <th scope="col">Jour</th>
              <th scope="col">Guichet</th>
              <th scope="col">Ouverture</th>
              <th scope="col">Clôture</th>
              <th scope="col" className="num">
                Encaissé
              </th>
              <th scope="col" className="num">
                Écart
              </th>
              <th scope="col">
                <span className="sr-only">Consulter</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {sessions.data.map((s) => (
              <tr key={s.id} data-testid="history-row" aria-current={shown === s.id ? 'true' : undefined}>
                <th scope="row">{formatShortDate(s.openDate)}</th>
                <td>{s.counterCode}</td>
                <td>
                  {formatDateTimeCompact(s.openedAt, timeZone)}, {s.openedBy}
                </td>
                <td>
                  {s.closedAt
                    ? `${formatDateTimeCompact(s.closedAt, timeZone)}, ${s.closedBy ?? ''}`
                    : 'ouverte'}
                </td>
                <td className="num">{formatEuros(s.totalNetCents)}</td>
                <td className="num">{s.differenceCents === null ? '—' : formatEuros(s.differenceCents)}</td>
                <td>
                  <button type="button" onClick={() => setShown(s.id)}>
                    Consulter <span className="sr-only">la caisse du {formatShortDate(s.openDate)}</span>
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {data && (
        <div className="till-past" data-testid="till-past">
          <h3 className="sub-title" ref={detailRef} tabIndex={-1}>
            Caisse du {formatShortDate(data.session.openDate)}, guichet {data.counterCode} (consultation)
          </h3>
          <SessionView session={data.session} />
          <TillPayments detail={data} />
          <div className="form-actions">
            {data.session.closed && <ZReportButton sessionId={data.session.id} reprint />}
            <button type="button" onClick={() => setShown(null)}>
              Fermer la consultation
            </button>
          </div>
        </div>
      )}
    </section>
  );
}
