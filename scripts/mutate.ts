/**
 * `npm run mutate`: Stryker on the core's rule modules (stryker.config.mjs), then the score of each file.
 *
 *   npm run mutate                                  every rule module in one run (reports/mutation/all.json)
 *   npm run mutate -- core/billing/lines.ts …       one run per file, each with its own report and incremental file
 *   npm run mutate -- --one-run a.ts b.ts           those files in one run (one initial test run for all)
 *   npm run mutate -- --scores                      only print the scores of the reports already there
 *
 * Other flags (`--force`, `--concurrency 2`…) go to Stryker. Runs are incremental: a re-run tests again only the
 * mutants whose code or covering tests changed. Score = (killed + timeout) / (killed + timeout + survived + no
 * coverage), Stryker's own; mutants of module-level constants are ignored (`ignoreStatic`).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const reports = join(root, 'reports', 'mutation');

interface Report {
  files: Record<string, { mutants: { status: string; location: { start: { line: number } } }[] }>;
}

/** A file's report name: core/billing/lines.ts → core-billing-lines. */
const nameOf = (file: string) => file.replace(/\.ts(:.*)?$/, '').replace(/[/\\:]/g, '-');

function runStryker(args: string[], name: string): number {
  const started = Date.now();
  const r = spawnSync(join(root, 'node_modules', '.bin', 'stryker'), ['run', 'stryker.config.mjs', ...args], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, TZ: process.env.TZ ?? 'Europe/Paris', GF_MUTATE_NAME: name },
  });
  console.log(`stryker (${name}): ${Math.round((Date.now() - started) / 1000)} s`);
  return r.status ?? 1;
}

function printScores(names: string[] | null): void {
  const wanted =
    names ?? readdirSync(reports).filter((f) => f.endsWith('.json') && !f.includes('.incremental'));
  const rows: { file: string; counts: Record<string, number>; score: number }[] = [];
  for (const report of wanted.map((n) => (n.endsWith('.json') ? n : `${n}.json`))) {
    const path = join(reports, report);
    if (!existsSync(path)) continue;
    const data = JSON.parse(readFileSync(path, 'utf8')) as Report;
    for (const [file, { mutants }] of Object.entries(data.files)) {
      const counts: Record<string, number> = {};
      for (const m of mutants) counts[m.status] = (counts[m.status] ?? 0) + 1;
      const detected = (counts.Killed ?? 0) + (counts.Timeout ?? 0);
      const undetected = (counts.Survived ?? 0) + (counts.NoCoverage ?? 0);
      const total = detected + undetected;
      const key = relative(root, join(root, file));
      // A file run alone and in the full run: the newest report read last wins.
      const at = rows.findIndex((r) => r.file === key);
      const row = { file: key, counts, score: total === 0 ? 100 : (100 * detected) / total };
      if (at >= 0) rows[at] = row;
      else rows.push(row);
    }
  }
  rows.sort((a, b) => a.file.localeCompare(b.file));
  const pad = Math.max(...rows.map((r) => r.file.length), 4);
  console.log(`\n${'file'.padEnd(pad)}  score   killed timeout survived no-cov ignored errors`);
  for (const { file, counts, score } of rows) {
    const n = (k: string) => String(counts[k] ?? 0).padStart(6);
    console.log(
      `${file.padEnd(pad)}  ${score.toFixed(1).padStart(5)} %  ${n('Killed')} ${n('Timeout')}  ${n('Survived')} ${n('NoCoverage')}  ${n('Ignored')} ${String((counts.CompileError ?? 0) + (counts.RuntimeError ?? 0)).padStart(6)}`,
    );
  }
}

const args = process.argv.slice(2);
if (args.includes('--scores')) {
  printScores(null);
} else {
  const files = args.filter((a) => /^core\/.*\.ts(:\d+-\d+)?$/.test(a));
  const oneRun = args.includes('--one-run');
  const rest = args.filter((a) => !files.includes(a) && a !== '--one-run');
  let status = 0;
  if (files.length === 0) {
    status = runStryker(rest, 'all');
    printScores(['all']);
  } else if (oneRun) {
    // The initial run of the core's suite takes minutes on a loaded machine: paid once for several files.
    const name = [...new Set(files.map(nameOf))].join('+');
    status = runStryker(['--mutate', files.join(','), ...rest], name);
    printScores([name]);
  } else {
    for (const file of files) {
      const s = runStryker(['--mutate', file, ...rest], nameOf(file));
      status = status || s;
    }
    printScores(files.map(nameOf));
  }
  process.exit(status);
}
