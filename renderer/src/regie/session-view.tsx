import type { OutputOf } from '../../../core/contract.ts';
import { formatShortDate } from '../../../shared/dates.ts';
import { formatEuros } from '../../../shared/money.ts';

export type TillSession = NonNullable<OutputOf<'regie.currentSession'>['session']>;

/** A till's figures: float, cash on hand, totals by mode, the count and its difference, the card batch. */
export function SessionView({ session }: { session: TillSession }) {
  const card = session.totals.find((t) => t.mode === 'card');
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
          {session.paidInCents > 0 && (
            <div>
              <dt>Versé au comptable</dt>
              <dd>{formatEuros(session.paidInCents)}</dd>
            </div>
          )}
        </dl>
      </div>
      <p className="muted">
        Ouverte par {session.openedBy}
        {session.closedBy ? `, clôturée par ${session.closedBy}` : ''}.
        {session.differenceReason ? ` Motif de l’écart : ${session.differenceReason}.` : ''}
      </p>
      {session.cardBatchCents !== null && (
        <p data-testid="till-card-batch">
          Télécollecte du terminal : {formatEuros(session.cardBatchCents)} pour{' '}
          {formatEuros(card?.netCents ?? 0)} de paiements par carte enregistrés
          {session.cardBatchCents === (card?.netCents ?? 0) ? (
            ' — concordant.'
          ) : (
            <strong> — écart de {formatEuros(session.cardBatchCents - (card?.netCents ?? 0))}.</strong>
          )}
        </p>
      )}
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
