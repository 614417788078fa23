import { useEffect, useRef } from 'react';
import { formatEuros } from '../../../shared/money.ts';
import { useQuery } from '../use-query.ts';

/**
 * The file's header at a glance (overview.family): what the family owes and its credit, what is past due, a file
 * incomplete for the school year, the children with a PAI. Each part only for the roles that may read it; asked
 * again when the agent changes tab, so a payment or a document checked shows here on the way back.
 */
export function FamilyAlerts({ householdId, refresh }: { householdId: string; refresh: unknown }) {
  const alerts = useQuery('overview.family', { householdId });
  const { reload } = alerts;
  const seen = useRef(refresh);
  useEffect(() => {
    if (seen.current === refresh) return;
    seen.current = refresh;
    reload();
  }, [refresh, reload]);
  if (!alerts.data) return null;
  const { money, incomplete, pai } = alerts.data;
  return (
    <p className="family-alerts" data-testid="family-alerts">
      {money && (
        <span data-testid="family-money">
          Solde dû : <strong>{formatEuros(money.dueCents)}</strong>
          {money.creditCents > 0 && (
            <>
              {' · '}crédit : <strong>{formatEuros(money.creditCents)}</strong>
            </>
          )}
        </span>
      )}
      {money && money.pastDueInvoices > 0 && (
        <span className="tag tag-alert">
          Impayé après échéance : {formatEuros(money.pastDueCents)} ({money.pastDueInvoices} facture
          {money.pastDueInvoices > 1 ? 's' : ''})
        </span>
      )}
      {incomplete.map((y) => (
        <span key={y.schoolYear} className="tag tag-alert" title={y.missing.join(', ')}>
          Dossier {y.schoolYear} incomplet : {y.missing.join(', ')}
        </span>
      ))}
      {pai && pai.length > 0 && <span className="tag tag-pai">PAI : {pai.join(', ')}</span>}
    </p>
  );
}
