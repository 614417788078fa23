/**
 * `npm run bench`: runs every bench module, prints a table and writes bench/results.json.
 * Modules are listed here by hand rather than discovered, so a bench cannot silently drop out.
 * `node bench/run.ts search` runs only the modules whose name contains « search ».
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as billing from './billing.bench.ts';
import * as bookings from './bookings.bench.ts';
import * as packaging from './package.bench.ts';
import * as payments from './payments.bench.ts';
import * as rush from './rush.bench.ts';
import * as search from './search.bench.ts';
import * as startup from './startup.bench.ts';
import * as sync from './sync.bench.ts';
import * as ui from './ui.bench.ts';
import { msSince, now, type BenchModule, type BenchResult } from './stats.ts';

const BENCHES: readonly (readonly [string, BenchModule])[] = [
  ['search', search],
  ['bookings', bookings],
  ['billing', billing],
  ['payments', payments],
  ['sync', sync],
  ['rush', rush],
  ['ui', ui],
  ['package', packaging],
  ['startup', startup],
];

const filters = process.argv.slice(2);
const results: BenchResult[] = [];
for (const [name, bench] of BENCHES) {
  if (filters.length > 0 && !filters.some((f) => name.includes(f))) continue;
  console.log(`▶ ${name}`);
  const start = now();
  results.push(...(await bench.run()));
  console.log(`  (${(msSince(start) / 1000).toFixed(1)} s)`);
}

console.table(results.map((r) => ({ ...r, ratio: `${r.ratio}×` })));
const out = join(dirname(fileURLToPath(import.meta.url)), 'results.json');
// A partial run updates its own entries and keeps the others' last figures.
const kept =
  filters.length > 0 && existsSync(out)
    ? (JSON.parse(readFileSync(out, 'utf8')) as BenchResult[]).filter(
        (old) => !results.some((r) => r.id === old.id),
      )
    : [];
writeFileSync(out, `${JSON.stringify([...kept, ...results], null, 2)}\n`);
console.log(`→ ${out}`);
