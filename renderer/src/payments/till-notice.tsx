import { formatShortDate } from '../../../shared/dates.ts';
import { useAuth } from '../auth/auth-context.ts';
import { OpenTillForm } from '../regie/till-page.tsx';
import { useQuery } from '../use-query.ts';

/**
 * Said on the payment form as it opens, not after « Valider »: no payment is taken at the counter without this
 * PC's till open for today. The régisseur opens it here in one step; an agent is told who can.
 */
export function TillNotice() {
  const auth = useAuth();
  const current = useQuery('regie.currentSession', {});
  if (!current.data) return null;
  const { session, nextFloat } = current.data;
  if (session && !session.stale) return null;
  const mayOpen = auth.can('regie');
  return (
    <div className="notice warn till-notice" role="status" data-testid="till-notice">
      {session ? (
        <p>
          La caisse du {formatShortDate(session.openDate)} n’a pas été fermée : aucun paiement ne peut être
          encaissé avant sa fermeture et l’ouverture de celle du jour (écran Caisse, <kbd>Alt+C</kbd>).
        </p>
      ) : (
        <>
          <p>
            <strong>Aucune caisse n’est ouverte sur ce poste</strong> : ouvrez la caisse (fonds de caisse)
            avant d’encaisser.{' '}
            {mayOpen
              ? 'Vérifiez le fonds proposé puis ouvrez-la ici.'
              : 'Seul le régisseur peut l’ouvrir : demandez-lui de le faire sur ce poste (écran Caisse, Alt+C).'}
          </p>
          {mayOpen && <OpenTillForm nextFloat={nextFloat} onOpened={() => current.reload()} />}
        </>
      )}
    </div>
  );
}
