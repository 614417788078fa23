import { useState } from 'react';
import { useAnnounce } from '../announcer.tsx';
import { useCounter } from '../counter-context.ts';
import { Section } from '../family/section.tsx';
import { useTownClock } from '../town-clock.ts';
import { useQuery } from '../use-query.ts';
import { formatDateTimeCompact } from '../../../shared/wall-clock.ts';

const REASONS: Record<string, string> = {
  quotidienne: 'Quotidienne',
  manuelle: 'Manuelle',
  'avant-migration': 'Avant mise à jour',
};
const reasonLabel = (r: string) => (Object.hasOwn(REASONS, r) ? (REASONS[r] ?? r) : r);

/** « 1,2 Mo », « 640 ko ». */
export function sizeLabel(bytes: number): string {
  if (bytes >= 1024 * 1024)
    return `${(bytes / (1024 * 1024)).toLocaleString('fr-FR', { maximumFractionDigits: 1 })} Mo`;
  return `${Math.max(1, Math.round(bytes / 1024)).toLocaleString('fr-FR')} ko`;
}

/** « Sauvegardes »: the copies of the database, a copy now, and how to restore one (app closed). */
export function BackupsSection() {
  const api = useCounter();
  const announce = useAnnounce();
  const list = useQuery('system.backups', {});
  const { timeZone } = useTownClock();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function backupNow() {
    setBusy(true);
    const r = await api.invoke('system.backupNow', {});
    setBusy(false);
    if (!r.ok) {
      setError(r.error.message);
      announce(r.error.message);
      return;
    }
    setError(null);
    announce(`Sauvegarde faite : ${r.data.name}.`);
    list.reload();
  }

  return (
    <Section
      title="Sauvegardes"
      actions={
        <button type="button" onClick={() => void backupNow()} aria-disabled={busy}>
          {busy ? 'Sauvegarde…' : 'Sauvegarder maintenant'}
        </button>
      }
    >
      <p className="muted">
        La base est copiée chaque jour et avant chaque mise à jour, pendant que l’application tourne.
        {list.data?.folder && (
          <>
            {' '}
            Dossier : <code>{list.data.folder}</code>.
          </>
        )}
      </p>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {list.data && list.data.folder === null && (
        <p className="notice">Ce poste n’a pas de dossier de sauvegarde configuré.</p>
      )}
      {list.error && !list.data && <p className="page-error">{list.error}</p>}
      {!list.data ? (
        <p className="muted">Chargement des sauvegardes…</p>
      ) : list.data.backups.length === 0 ? (
        <p className="muted">Aucune sauvegarde pour l’instant.</p>
      ) : (
        <table className="grid backups">
          <thead>
            <tr>
              <th scope="col">Date et heure</th>
              <th scope="col">Motif</th>
              <th scope="col" className="num">
                Taille
              </th>
              <th scope="col">Fichier</th>
            </tr>
          </thead>
          <tbody>
            {list.data.backups.map((b) => (
              <tr key={b.name}>
                <td className="nowrap">{formatDateTimeCompact(b.at, timeZone)}</td>
                <td>{reasonLabel(b.reason)}</td>
                <td className="num">{sizeLabel(b.bytes)}</td>
                <td>
                  <code>{b.name}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h3 className="sub-title">Restaurer une sauvegarde</h3>
      <p>
        La restauration se fait <strong>application fermée</strong>, sur ce poste : fermez Guichet Famille,
        puis dans le dossier de l’application lancez <code>node scripts/restore.ts &lt;fichier&gt;</code> avec
        le fichier choisi ci-dessus. La sauvegarde est vérifiée avant et après ; la base actuelle est gardée
        de côté.
      </p>
    </Section>
  );
}
