import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { OutputOf } from '../../core/contract.ts';
import { useCounter } from './counter-context.ts';
import { useSyncVersion } from './sync/sync-status.tsx';
import { TownClockContext, type TownClock } from './town-clock.ts';

/** Asked again every minute: « today » turns at the town's midnight, not at the PC's. */
export const CLOCK_REFRESH_MS = 60_000;

type Reading = { clock: OutputOf<'system.clock'>; at: number };

/**
 * Reads the core's clock and the town's zone for the signed-in app, again every minute and after a sync round
 * (the administrator may have changed the town's zone centrally). Screens render once the first answer is in,
 * so none of them starts on the PC's own date.
 */
export function TownClockProvider({ children }: { children: ReactNode }) {
  const api = useCounter();
  const synced = useSyncVersion();
  const [reading, setReading] = useState<Reading | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [tick, setTick] = useState(0);
  const refresh = useCallback(() => setTick((n) => n + 1), []);

  useEffect(() => {
    const timer = window.setInterval(refresh, CLOCK_REFRESH_MS);
    return () => window.clearInterval(timer);
  }, [refresh]);

  useEffect(() => {
    let live = true;
    void api.invoke('system.clock', {}).then((r) => {
      if (!live) return;
      if (r.ok) {
        setReading({ clock: r.data, at: performance.now() });
        setError(null);
      } else setError(r.error.message);
    });
    return () => {
      live = false;
    };
  }, [api, synced, tick]);

  const clock = useMemo<TownClock | null>(() => {
    if (!reading) return null;
    const { clock: c, at } = reading;
    const coreNow = Date.parse(c.now);
    return {
      today: c.today,
      timeZone: c.timeZone,
      now: () => new Date(coreNow + (performance.now() - at)),
      refresh,
    };
  }, [reading, refresh]);

  if (!clock)
    return error ? (
      <p className="banner" role="alert">
        {error}
      </p>
    ) : (
      <p className="muted">Chargement…</p>
    );
  return <TownClockContext value={clock}>{children}</TownClockContext>;
}
