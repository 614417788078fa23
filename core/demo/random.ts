/**
 * A tiny seeded PRNG (mulberry32): the demo town and the benchmarks must come out the same on every machine and
 * every run, which Math.random cannot promise. Not for anything secret.
 */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer in [min, max], both included. */
  int(min: number, max: number): number;
  chance(probability: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** Picks by relative weights: `[['rue', 50], ['allée', 10]]`. */
  weighted<T>(entries: readonly (readonly [T, number])[]): T;
  /**
   * Picks with a bias towards the head of the list, as real name frequencies are: lists are written most common
   * first, so there are many more Martin than Lemaître, and searching « mar » behaves as it would in a real town.
   */
  skewed<T>(items: readonly T[], skew?: number): T;
  /** Standard normal (Box–Muller), for quantities that cluster around a typical value. */
  normal(): number;
}

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function createRng(seed: number): Rng {
  const next = mulberry32(seed);
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const at = <T>(items: readonly T[], index: number): T => {
    if (items.length === 0) throw new Error('choix dans une liste vide');
    return items[Math.min(index, items.length - 1)] as T;
  };
  return {
    next,
    int,
    chance: (probability) => next() < probability,
    pick: (items) => at(items, Math.floor(next() * items.length)),
    weighted(entries) {
      const total = entries.reduce((sum, [, w]) => sum + w, 0);
      let r = next() * total;
      for (const [value, w] of entries) {
        r -= w;
        if (r < 0) return value;
      }
      return at(entries, entries.length - 1)[0];
    },
    skewed: (items, skew = 1.8) => at(items, Math.floor(items.length * next() ** skew)),
    normal() {
      // 1 - next() keeps log away from 0.
      return Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
    },
  };
}
