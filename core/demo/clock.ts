/**
 * The clock the demo town's past is written with: it stands still where the seeding puts it, so a payment taken on
 * « 12 October, 9:40 » is recorded at that instant by the very commands an agent would run, and the same seed and
 * today give the same records. It only moves forward: a history written out of order would number receipts and
 * invoices out of order, which the series refuse anyway.
 */
export interface DemoClock {
  now(): Date;
  /** Moves to `instant`; refuses to go back. */
  set(instant: Date): void;
}

export function createDemoClock(start: Date): DemoClock {
  let at = start.getTime();
  return {
    now: () => new Date(at),
    set(instant) {
      const to = instant.getTime();
      if (to < at)
        throw new Error(
          `Démonstration : l’horloge ne recule pas (${new Date(at).toISOString()} → ${instant.toISOString()}).`,
        );
      at = to;
    },
  };
}
