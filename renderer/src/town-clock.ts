import { createContext, useContext } from 'react';

/**
 * The town's clock as the core tells it (`system.clock`): what a screen shows or proposes as « today », and the
 * zone every hour is written in. Never the PC's own date or zone, which may be set to anything.
 */
export interface TownClock {
  /** The town's today, 'YYYY-MM-DD'. */
  today: string;
  /** The town's IANA zone ('Europe/Paris', 'Indian/Reunion'…), to write instants on the town hall's clock. */
  timeZone: string;
  /** The core's now, moved on by the time elapsed since it was read. */
  now: () => Date;
  /** Asks the core again at once (the administrator just changed the town's zone). */
  refresh: () => void;
}

export const TownClockContext = createContext<TownClock | null>(null);

export function useTownClock(): TownClock {
  const clock = useContext(TownClockContext);
  if (!clock) throw new Error('TownClockContext manquant');
  return clock;
}

/** A clock stopped at `now` (tests, and the first paint before the core answers again). */
export function fixedClock(now: Date, today: string, timeZone: string): TownClock {
  return { today, timeZone, now: () => now, refresh: () => {} };
}
