import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { OutputOf } from '../../../core/contract.ts';
import { useCounter } from '../counter-context.ts';

export type SyncStatus = OutputOf<'sync.status'>;

/** How often the header asks the core where sync stands (a local read: the shell does the talking). */
export const POLL_MS = 4000;

interface SyncState {
  status: SyncStatus | null;
  /** Asks again now (after a round, an acknowledgement, a connection). */
  refresh: () => void;
}

const StatusContext = createContext<SyncState>({ status: null, refresh: () => {} });
/** The server version the local store stands at: queries ask again when a round has brought changes. */
const VersionContext = createContext(0);

export const useSyncStatus = (): SyncState => useContext(StatusContext);
export const useSyncVersion = (): number => useContext(VersionContext);

/** Polls `sync.status` for the whole signed-in app, so the indicator and the screens share one answer. */
export function SyncProvider({ children, pollMs = POLL_MS }: { children: ReactNode; pollMs?: number }) {
  const api = useCounter();
  // The version first seen counts as 0: the screens just loaded what the store holds.
  const [seen, setSeen] = useState<{ status: SyncStatus; first: number } | null>(null);
  const [asked, setAsked] = useState(0);
  const refresh = useCallback(() => setAsked((n) => n + 1), []);

  useEffect(() => {
    let live = true;
    let timer: number | undefined;
    const poll = async () => {
      const r = await api.invoke('sync.status', {});
      if (!live) return;
      if (r.ok) setSeen((s) => ({ status: r.data, first: s?.first ?? r.data.serverVersion }));
      timer = window.setTimeout(() => void poll(), pollMs);
    };
    void poll();
    return () => {
      live = false;
      window.clearTimeout(timer);
    };
  }, [api, pollMs, asked]);

  const status = seen?.status ?? null;
  const state = useMemo(() => ({ status, refresh }), [status, refresh]);
  return (
    <StatusContext value={state}>
      <VersionContext value={seen ? seen.status.serverVersion - seen.first : 0}>{children}</VersionContext>
    </StatusContext>
  );
}
