import { useEffect, useRef, useState } from 'react';
import { useAnnounce } from '../announcer.tsx';
import { useCounter } from '../counter-context.ts';
import { useTownClock } from '../town-clock.ts';
import { syncNow } from './shell.ts';
import { useSyncStatus, type SyncStatus } from './sync-status.tsx';
import { plural, sinceWords } from './words.ts';
import './sync.css';

type Kind = 'online' | 'offline' | 'starting' | 'none';

function stateOf(s: SyncStatus, now: Date, timeZone: string): { kind: Kind; label: string } {
  if (!s.connected) return { kind: 'none', label: 'Non relié au serveur' };
  if (s.online) return { kind: 'online', label: 'En ligne' };
  if (s.offlineSince)
    return { kind: 'offline', label: `Hors ligne depuis ${sinceWords(s.offlineSince, now, timeZone)}` };
  return { kind: 'starting', label: 'Connexion au serveur…' };
}

const pendingWords = (n: number) =>
  n === 0 ? 'Rien en attente d’envoi' : `${plural(n, 'opération', 'opérations')} en attente d’envoi`;

/**
 * The header's word on sync, on every screen: online or since when offline, what waits to be sent, what the
 * server refused (a link to « À régulariser »), the clock and blocking warnings, and a round on demand.
 */
export function SyncIndicator({
  onSettle,
  onConnect,
}: {
  onSettle: () => void;
  /** For the administrator: where this PC gets connected. */
  onConnect?: () => void;
}) {
  const api = useCounter();
  // The core's clock and the town's zone: « depuis 14 h 32 » is the town hall's 14 h 32.
  const { now, timeZone } = useTownClock();
  const announce = useAnnounce();
  const { status, refresh } = useSyncStatus();
  const [busy, setBusy] = useState(false);
  const [roundError, setRoundError] = useState<string | null>(null);
  const previous = useRef<Kind | null>(null);

  const kind = status ? stateOf(status, now(), timeZone).kind : null;
  useEffect(() => {
    // Losing and finding the server again is said once each, not at every poll (nor on the first round).
    if (kind === 'offline' && (previous.current === 'online' || previous.current === 'starting'))
      announce(
        'Serveur central injoignable : le guichet continue hors ligne, les opérations partiront au retour du réseau.',
      );
    if (kind === 'online' && previous.current === 'offline')
      announce('De nouveau en ligne avec le serveur central.');
    previous.current = kind;
  }, [kind, announce]);

  async function runNow() {
    if (busy) return;
    setBusy(true);
    const r = await syncNow(api);
    setBusy(false);
    refresh();
    if (!r.ok) {
      setRoundError(r.error.message);
      announce(r.error.message);
      return;
    }
    // A round's own failure (offline, refused) shows through the status the refresh brings.
    setRoundError(null);
    announce(
      r.data.error ??
        `Synchronisé : ${plural(r.data.pushed, 'opération envoyée', 'opérations envoyées')}, ${plural(r.data.pulled, 'changement reçu', 'changements reçus')}.`,
    );
  }

  if (!status) return null;
  const state = stateOf(status, now(), timeZone);
  const warnings = [
    status.blocked && { text: status.blocked, alert: true },
    status.clockWarning && { text: status.clockWarning, alert: false },
    // The offline state already says why; a refusal while online (a malformed send) is worth its own line.
    status.connected &&
      status.online &&
      !status.blocked &&
      status.lastError && { text: status.lastError, alert: false },
    roundError && { text: roundError, alert: false },
  ].filter((w): w is { text: string; alert: boolean } => !!w);

  return (
    <div className="sync-indicator" role="group" aria-label="Synchronisation avec le serveur central">
      <span className={`sync-state sync-${state.kind}`} data-testid="sync-state">
        <span className="sync-dot" aria-hidden="true" />
        <span>
          {state.label}
          {state.kind === 'online' && status.lastSyncAt && (
            <span className="sync-when"> · à jour à {sinceWords(status.lastSyncAt, now(), timeZone)}</span>
          )}
        </span>
      </span>
      {status.connected && (
        <span className="sync-pending" data-testid="sync-pending">
          {pendingWords(status.pending)}
        </span>
      )}
      {status.toSettle > 0 && (
        <button type="button" className="sync-link" onClick={onSettle} data-testid="sync-to-settle">
          {plural(status.toSettle, 'opération', 'opérations')} à régulariser
        </button>
      )}
      {status.connected ? (
        <button type="button" className="on-dark sync-now" aria-disabled={busy} onClick={() => void runNow()}>
          {busy ? 'Synchronisation…' : 'Synchroniser maintenant'}
        </button>
      ) : (
        onConnect && (
          <button type="button" className="sync-link" onClick={onConnect}>
            Relier ce poste
          </button>
        )
      )}
      {warnings.map((w) => (
        <p
          key={w.text}
          className={w.alert ? 'sync-warning sync-blocked' : 'sync-warning'}
          role={w.alert ? 'alert' : undefined}
        >
          {w.text}
        </p>
      ))}
    </div>
  );
}
