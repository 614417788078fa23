/** One line of bench/results.json. `ratio` = value / baseline: how far the app path is from the bare engine. */
export interface BenchResult {
  id: string;
  value: number;
  unit: string;
  baseline: number;
  ratio: number;
}

/** A bench module: `bench/run.ts` imports it statically and calls `run`. */
export interface BenchModule {
  run(): Promise<BenchResult[]>;
}

const round = (n: number, digits = 3) => Number(n.toFixed(digits));

export function result(id: string, value: number, unit: string, baseline: number): BenchResult {
  return {
    id,
    value: round(value),
    unit,
    baseline: round(baseline),
    ratio: round(baseline > 0 ? value / baseline : NaN, 2),
  };
}

/** Monotonic nanoseconds: immune to clock adjustments, finer than performance.now() on every platform. */
export const now = (): bigint => process.hrtime.bigint();
export const msSince = (start: bigint): number => Number(process.hrtime.bigint() - start) / 1e6;

/** Linear interpolation between closest ranks, on an ascending copy. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  return a + (b - a) * (rank - lo);
}

export interface Summary {
  n: number;
  mean: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export function summarize(samples: readonly number[]): Summary {
  return {
    n: samples.length,
    mean: samples.reduce((s, x) => s + x, 0) / (samples.length || 1),
    p50: percentile(samples, 50),
    p95: percentile(samples, 95),
    p99: percentile(samples, 99),
    max: Math.max(...samples),
  };
}

export const formatSummary = (s: Summary, unit = 'ms') =>
  `n=${s.n} mean=${s.mean.toFixed(3)} p50=${s.p50.toFixed(3)} p95=${s.p95.toFixed(3)} p99=${s.p99.toFixed(3)} max=${s.max.toFixed(3)} ${unit}`;

/**
 * Runs `fn` on the first `warmup` items untimed (JIT, page cache, statement caches), then times every item.
 * Items run one after the other: latency is what an agent feels, not throughput.
 */
export async function timeEach<T>(
  items: readonly T[],
  fn: (item: T) => unknown,
  warmup = Math.min(200, Math.floor(items.length / 10)),
): Promise<number[]> {
  for (const item of items.slice(0, warmup)) await fn(item);
  const samples: number[] = [];
  for (const item of items.slice(warmup)) {
    const start = now();
    await fn(item);
    samples.push(msSince(start));
  }
  return samples;
}

export interface PairedTimes {
  /** Per item, the median of its `repeat` runs: one preempted run on a busy machine does not become its latency. */
  a: number[];
  b: number[];
  /** Every run, for the single-shot view. */
  aRuns: number[];
  bRuns: number[];
}

const median = (xs: number[]) => percentile(xs, 50);

/**
 * Times two ways of doing the same thing on the same items, alternating which goes first, so that machine noise
 * and cache warmth fall on both sides alike and their ratio stays meaningful on a busy machine.
 */
export async function timePaired<T>(
  items: readonly T[],
  a: (item: T) => unknown,
  b: (item: T) => unknown,
  options: {
    warmup?: number;
    repeat?: number;
    /**
     * Untimed, before each run: what happens between two of the agent's calls. Awaiting a macrotask here lets the
     * app's timers run there, as they do between the window's messages, instead of never (a tight loop of
     * microtasks) or inside a timed run.
     */
    between?: () => Promise<void>;
  } = {},
): Promise<PairedTimes> {
  const { warmup = Math.min(200, Math.floor(items.length / 10)), repeat = 3, between } = options;
  const out: PairedTimes = { a: [], b: [], aRuns: [], bRuns: [] };
  for (const [i, item] of items.entries()) {
    const runs = { a: [] as number[], b: [] as number[] };
    for (let r = 0; r < repeat; r++) {
      for (const side of (i + r) % 2 === 0 ? (['a', 'b'] as const) : (['b', 'a'] as const)) {
        await between?.();
        const start = now();
        await (side === 'a' ? a : b)(item);
        runs[side].push(msSince(start));
      }
    }
    if (i < warmup) continue;
    out.a.push(median(runs.a));
    out.b.push(median(runs.b));
    out.aRuns.push(...runs.a);
    out.bRuns.push(...runs.b);
  }
  return out;
}
