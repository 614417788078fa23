import { useState, type FormEvent } from 'react';
import type { OutputOf } from '../../../core/contract.ts';
import { formatDateTimeCompact } from '../../../shared/wall-clock.ts';
import { useAnnounce } from '../announcer.tsx';
import { useCounter } from '../counter-context.ts';
import { useTownClock } from '../town-clock.ts';
import { useQuery } from '../use-query.ts';

/** What happened at the last start: a restore done or refused, the profile's database brought here. */
export function BackupNotices() {
  const settings = useQuery('backup.settings', {});
  const { timeZone } = useTownClock();
  const restored = settings.data?.restored;
  const migrated = settings.data?.migratedFromProfile;
  return (
    <>
      {restored &&
        (restored.failure ? (
          <p className="notice" role="status">
            La restauration demandée par {restored.by} n’a pas été faite (
            {formatDateTimeCompact(restored.at, timeZone)}) : {restored.failure} La base est restée telle
            qu’elle était.
          </p>
        ) : (
          <p className="notice" role="status">
            Base restaurée le {formatDateTimeCompact(restored.at, timeZone)} depuis{' '}
            <code>{restored.file}</code> (demandé par {restored.by}).
            {restored.previous && (
              <>
                {' '}
                L’ancienne base est gardée de côté : <code>{restored.previous}</code>.
              </>
            )}
          </p>
        ))}
      {migrated && (
        <p className="notice" role="status">
          La base de ce poste a été déplacée dans le dossier commun le{' '}
          {formatDateTimeCompact(migrated.at, timeZone)} : copiée depuis <code>{migrated.from}</code>, qui
          reste en place.
        </p>
      )}
    </>
  );
}

/** The second folder each backup is copied to (a network share, a USB disk): this PC's own setting. */
export function BackupCopyFolder() {
  const api = useCounter();
  const announce = useAnnounce();
  const settings = useQuery('backup.settings', {});
  const [typed, setTyped] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const value = typed ?? settings.data?.copyDir ?? '';

  async function save(event: FormEvent) {
    event.preventDefault();
    const r = await api.invoke('backup.setCopyDir', { copyDir: value });
    if (!r.ok) {
      setError(r.error.message);
      announce(r.error.message);
      return;
    }
    setError(null);
    setTyped(null);
    announce(
      r.data.copyDir
        ? `Les sauvegardes seront aussi copiées dans ${r.data.copyDir}.`
        : 'Plus de copie ailleurs.',
    );
    settings.reload();
  }

  return (
    <form className="backup-copy" onSubmit={(e) => void save(e)}>
      <h3 className="sub-title">Copier aussi les sauvegardes ailleurs</h3>
      <p className="muted">
        Un disque qui lâche emporte la base et ses copies locales : indiquez un dossier réseau ou un disque
        USB (chemin complet, par exemple <code>\\serveur\sauvegardes\guichet-1</code>). Laissez vide pour n’en
        plus faire.
      </p>
      <label>
        Dossier de copie des sauvegardes
        <input
          type="text"
          value={value}
          onChange={(e) => setTyped(e.target.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? 'copy-dir-error' : undefined}
          size={50}
        />
      </label>{' '}
      <button type="submit">Enregistrer</button>
      {error && (
        <p id="copy-dir-error" className="form-error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}

type Check = OutputOf<'backup.check'>;

/**
 * Restoring from the app: the backup is checked (integrity, schema, régie journal), the administrator confirms, and
 * the app restarts to restore it before opening the database. The current base is kept aside.
 */
export function RestorePanel({
  chosen,
  onChoose,
}: {
  chosen: string | null;
  onChoose: (file: string | null) => void;
}) {
  const api = useCounter();
  const announce = useAnnounce();
  const [path, setPath] = useState('');
  const [check, setCheck] = useState<{ file: string; result: Check } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [phase, setPhase] = useState<'idle' | 'checking' | 'restarting'>('idle');
  const file = chosen ?? null;

  async function verify(target: string) {
    setPhase('checking');
    setCheck(null);
    const r = await api.invoke('backup.check', { file: target });
    setPhase('idle');
    if (!r.ok) {
      setError(r.error.message);
      announce(r.error.message);
      return;
    }
    setError(null);
    setCheck({ file: target, result: r.data });
  }

  async function restore() {
    if (!check) return;
    setPhase('restarting');
    const requested = await api.invoke('backup.requestRestore', { file: check.file });
    if (!requested.ok) {
      setPhase('idle');
      setError(requested.error.message);
      announce(requested.error.message);
      return;
    }
    announce('Restauration demandée : Guichet Famille redémarre.');
    const restarted = await api.invoke('shell.restart', {});
    if (!restarted.ok) {
      setPhase('idle');
      setError(`${restarted.error.message} La restauration se fera au prochain démarrage de l’application.`);
      return;
    }
    // The desktop app relaunches itself; the browser host restarts its core: this page then starts afresh.
    setTimeout(() => window.location.reload(), 4000);
  }

  if (phase === 'restarting')
    return (
      <p className="notice" role="status" data-testid="restarting">
        Redémarrage de Guichet Famille pour restaurer la sauvegarde… Reconnectez-vous ensuite.
      </p>
    );

  return (
    <section className="restore" aria-labelledby="restore-title">
      <h3 className="sub-title" id="restore-title">
        Restaurer une sauvegarde
      </h3>
      <p className="muted">
        Choisissez « Restaurer… » dans la liste, ou indiquez le chemin complet d’une copie (sur le partage,
        une clé USB). La sauvegarde est vérifiée, puis l’application redémarre et la remet en place avant
        d’ouvrir la base ; la base actuelle est gardée de côté. Ce que ce poste n’avait pas encore envoyé au
        serveur central depuis la copie sera perdu.
      </p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (path.trim()) void verify(path.trim());
        }}
      >
        <label>
          Autre sauvegarde (chemin complet)
          <input type="text" value={path} onChange={(e) => setPath(e.target.value)} size={50} />
        </label>{' '}
        <button type="submit" aria-disabled={phase === 'checking'}>
          Vérifier
        </button>
      </form>
      {file && !check && phase === 'idle' && !error && (
        <p>
          <code>{file}</code>{' '}
          <button type="button" className="primary" onClick={() => void verify(file)}>
            Vérifier cette sauvegarde
          </button>{' '}
          <button type="button" onClick={() => onChoose(null)}>
            Annuler
          </button>
        </p>
      )}
      {phase === 'checking' && <p role="status">Vérification de la sauvegarde…</p>}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {check && (
        <div className="card restore-confirm" role="group" aria-label="Confirmer la restauration">
          <p>
            <strong>Sauvegarde vérifiée</strong> : <code>{check.result.file}</code> — intégrité{' '}
            {check.result.integrity}, schéma {check.result.schemaVersion}, journal de la régie vérifié (
            {check.result.journalEntries} entrées).
          </p>
          <p>
            <button type="button" className="primary" onClick={() => void restore()}>
              Restaurer et redémarrer
            </button>{' '}
            <button
              type="button"
              onClick={() => {
                setCheck(null);
                onChoose(null);
              }}
            >
              Annuler
            </button>
          </p>
        </div>
      )}
    </section>
  );
}
