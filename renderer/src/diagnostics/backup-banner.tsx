import { formatDateTimeCompact } from '../../../shared/wall-clock.ts';
import { useTownClock } from '../town-clock.ts';
import { useQuery } from '../use-query.ts';

/** The last backup failed: said on the home page and in Sauvegardes until one succeeds, not only in a log. */
export function BackupFailureBanner() {
  const health = useQuery('backup.health', {});
  const { timeZone } = useTownClock();
  const failing = health.data?.failing;
  if (!failing) return null;
  return (
    <p className="banner" role="alert" data-testid="backup-failure">
      La dernière sauvegarde ({formatDateTimeCompact(failing.at, timeZone)}) a échoué : {failing.failure}{' '}
      Prévenez l’administrateur (Paramètres › Sauvegardes).
    </p>
  );
}
