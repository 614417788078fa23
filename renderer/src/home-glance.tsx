import { formatShortDate } from '../../shared/dates.ts';
import { formatEuros } from '../../shared/money.ts';
import { DESTINATIONS, type Destination, type Place } from './navigation.ts';
import { useQuery } from './use-query.ts';

const plural = (n: number, one: string, many: string) => `${n} ${n > 1 ? many : one}`;

/**
 * What the role needs now, each line a way there: the till of this PC (open or not, its cash), the families'
 * requests waiting, what is left to settle, the invoices falling due and past due, the families the agent last
 * worked on. One query (overview.home) answers it all; a part the role may not read comes back null and is not
 * shown.
 */
export function HomeGlance({
  onGo,
  onOpenFamily,
}: {
  onGo: (destination: Destination) => void;
  onOpenFamily: (householdId: string) => void;
}) {
  const home = useQuery('overview.home', {});
  if (!home.data) return <p className="muted">{home.error ?? 'Chargement de la journée…'}</p>;
  const { till, invoices, pendingRequests, toSettle, recentFamilies, mayOpenTill } = home.data;
  const to = (place: Place) => () => onGo(DESTINATIONS.find((d) => d.place === place)!);
  return (
    <section className="card home-glance" aria-labelledby="home-glance-title" data-testid="home-glance">
      <h2 id="home-glance-title">Aujourd’hui</h2>
      <ul className="glance-list">
        {till && (
          <li data-testid="glance-till" className={till.state === 'open' ? undefined : 'warn'}>
            <button type="button" className="link" onClick={to('till')}>
              {till.state === 'open'
                ? `Caisse ouverte — ${formatEuros(till.cashOnHandCents ?? 0)} en espèces`
                : till.state === 'stale'
                  ? `Caisse du ${formatShortDate(till.openDate ?? '')} non fermée : à clôturer`
                  : mayOpenTill
                    ? `Aucune caisse ouverte sur ce poste : l’ouvrir (fonds proposé ${formatEuros(till.suggestedFloatCents ?? 0)})`
                    : 'Aucune caisse ouverte sur ce poste : le régisseur doit l’ouvrir avant tout encaissement'}
            </button>
          </li>
        )}
        <li data-testid="glance-requests">
          <button type="button" className="link" onClick={to('requests')}>
            {pendingRequests === 0
              ? 'Aucune demande des familles en attente'
              : `${plural(pendingRequests, 'demande', 'demandes')} des familles en attente`}
          </button>
        </li>
        <li data-testid="glance-settle">
          <button type="button" className="link" onClick={to('settle')}>
            {toSettle === 0
              ? 'Rien à régulariser'
              : `${plural(toSettle, 'opération', 'opérations')} à régulariser`}
          </button>
        </li>
        {invoices && (
          <>
            <li data-testid="glance-past-due" className={invoices.pastDue.count > 0 ? 'warn' : undefined}>
              <button type="button" className="link" onClick={to('billing')}>
                {invoices.pastDue.count === 0
                  ? 'Aucune facture impayée après échéance'
                  : `${plural(invoices.pastDue.count, 'facture impayée', 'factures impayées')} après échéance : ${formatEuros(invoices.pastDue.cents)}`}
              </button>
            </li>
            <li data-testid="glance-falling-due">
              <button type="button" className="link" onClick={to('billing')}>
                {invoices.fallingDue.count === 0
                  ? `Aucune facture n’arrive à échéance d’ici le ${formatShortDate(invoices.fallingDue.until)}`
                  : `${plural(invoices.fallingDue.count, 'facture arrive', 'factures arrivent')} à échéance d’ici le ${formatShortDate(invoices.fallingDue.until)} : ${formatEuros(invoices.fallingDue.cents)} restant dus`}
              </button>
            </li>
          </>
        )}
      </ul>
      <h3>Familles récentes</h3>
      {recentFamilies.length === 0 ? (
        <p className="muted">Aucune famille traitée récemment : recherchez-en une (Ctrl+K).</p>
      ) : (
        <ul className="glance-families" data-testid="recent-families">
          {recentFamilies.map((f) => (
            <li key={f.householdId}>
              <button type="button" className="link" onClick={() => onOpenFamily(f.householdId)}>
                Foyer {f.name}
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
