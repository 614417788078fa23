import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Core } from '../core/app.ts';
import { openTestCore } from '../core/test/fixtures.ts';
import { normalizePhone } from '../core/api/fields.ts';
import { createHouseholdGenerator, personsIn, type DemoHousehold } from '../core/demo/generate.ts';
import { createRng, type Rng } from '../core/demo/random.ts';
import { fold, ftsWords, toFtsQuery } from '../core/search/normalize.ts';
import {
  formatSummary,
  msSince,
  now,
  percentile,
  result,
  summarize,
  timePaired,
  type BenchResult,
} from './stats.ts';

/** A town the size of a large client: 50,000 searchable people. */
const CITY_PERSONS = 50_000;
/** Not the demo's seed, so the bench never tunes itself to the demo town. */
const CITY_SEED = 45_100;
const QUERY_SEED = 7;
const QUERIES = 2_500;
const WARMUP = 300;
const LIMIT = 20;
const REPEAT = 3;

/** The statements `searchFamilies` sends, word for word, so the baseline is the same work without the app around it. */
const SELECT = `SELECT d.household_id, d.household_name, d.summary, d.kind, d.ref_id, d.label
     FROM search_fts JOIN search_docs d ON d.rowid = search_fts.rowid
     WHERE search_fts MATCH ?`;
const RANKED_SQL = `${SELECT} ORDER BY search_fts.rank LIMIT ?`;
const UNRANKED_SQL = `${SELECT} LIMIT ?`;

export async function run(): Promise<BenchResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'gf-bench-search-'));
  const core = await openTestCore({ path: join(dir, 'city.sqlite') });
  try {
    const households = await buildCity(core);
    const queries = queryMix(households, createRng(QUERY_SEED), QUERIES + WARMUP);
    const rankedStmt = core.raw.prepare(RANKED_SQL);
    const unrankedStmt = core.raw.prepare(UNRANKED_SQL);
    const matches = new Map(queries.map((q) => [q, { match: toFtsQuery(q), words: ftsWords(q) }]));
    const wanted = LIMIT * 3;
    // The same statements the app runs: a lone word of one or two letters is ranked exact, then prefix-filled.
    const rawSearch = (text: string) => {
      const { match, words } = matches.get(text) ?? { match: null, words: [] };
      if (match === null) return;
      const lone = words.length === 1 ? (words[0] as string) : null;
      if (lone !== null && lone.length <= 2) {
        const exact = rankedStmt.all(`"${lone}"`, wanted) as { ref_id: string }[];
        if (exact.length < wanted) {
          const seen = new Set(exact.map((r) => r.ref_id));
          (unrankedStmt.all(`"${lone}"*`, wanted) as { ref_id: string }[]).filter((r) => !seen.has(r.ref_id));
        }
      } else {
        rankedStmt.all(match, wanted);
      }
    };

    let empty = 0;
    const times = await timePaired(
      queries,
      async (text) => {
        const r = await core.invoke('family.search', { text });
        if (!r.ok) throw new Error(`family.search « ${text} » : ${r.error.message}`);
        if ((r.data as unknown[]).length === 0) empty++;
      },
      rawSearch,
      { warmup: WARMUP, repeat: REPEAT },
    );

    console.log(
      `  ${queries.length - WARMUP} queries after ${WARMUP} warm-up, each run ${REPEAT}× per side, median kept`,
    );
    console.log(`  family.search (invoke)   ${formatSummary(summarize(times.a))}`);
    console.log(`  raw FTS5 statement       ${formatSummary(summarize(times.b))}`);
    console.log(
      `  single runs: invoke p95=${percentile(times.aRuns, 95).toFixed(3)} raw p95=${percentile(times.bRuns, 95).toFixed(3)} ms;` +
        ` load average ${loadavg()[0]?.toFixed(1)} on ${availableParallelism()} CPUs`,
    );
    console.log(`  queries without a hit: ${empty / REPEAT} of ${queries.length}`);
    return [result('search.city.p95_ms', percentile(times.a, 95), 'ms', percentile(times.b, 95))];
  } finally {
    await core.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Households from the demo generator until the town holds CITY_PERSONS people, each through the real
 * `family.createHousehold` command: the index then has the shape that thousands of separate commands leave.
 */
async function buildCity(core: Core): Promise<DemoHousehold[]> {
  const next = createHouseholdGenerator(CITY_SEED);
  const households: DemoHousehold[] = [];
  let persons = 0;
  const start = now();
  while (persons < CITY_PERSONS) {
    const h = next();
    const r = await core.invoke('family.createHousehold', h);
    if (!r.ok) throw new Error(`Foyer refusé : ${r.error.message}`);
    households.push(h);
    persons += personsIn(h);
  }
  const docs = (core.raw.prepare('SELECT count(*) AS n FROM search_docs').get() as { n: number }).n;
  console.log(
    `  city: ${households.length} households, ${persons} persons, ${docs} search entries, built through commands in ${(msSince(start) / 1000).toFixed(1)} s`,
  );
  return households;
}

/** What agents type: a few letters of a name, a name and the start of a first name, part of a phone number. */
function queryMix(households: readonly DemoHousehold[], rng: Rng, count: number): string[] {
  const people = households.flatMap((h) => [
    ...h.guardians,
    ...(h.children ?? []),
    ...(h.pickupPersons ?? []),
  ]);
  const phones = households.flatMap((h) =>
    h.guardians.map((g) => normalizePhone(g.phoneMobile ?? '')).filter(Boolean),
  );
  const prefix = (name: string) => {
    const word = fold(name).trim();
    return word.slice(0, rng.int(2, 6)).trim();
  };
  const queries: string[] = [];
  while (queries.length < count) {
    const p = rng.pick(people);
    const kind = rng.weighted([
      ['surname', 35],
      ['first', 25],
      ['both', 25],
      ['phone', 15],
    ] as const);
    if (kind === 'surname') queries.push(prefix(p.lastName));
    else if (kind === 'first') queries.push(prefix(p.firstName));
    else if (kind === 'both') queries.push(`${fold(p.lastName)} ${prefix(p.firstName)}`);
    else {
      const groups = rng.pick(phones).split(' ');
      const typed = groups.slice(0, rng.int(2, 4));
      queries.push(rng.chance(0.7) ? typed.join(' ') : typed.join(''));
    }
  }
  return queries;
}
