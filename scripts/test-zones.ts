/**
 * `npm run test:zones`: the unit suites again on a PC set to an overseas zone (Guyane, UTC−3) and to the
 * furthest one east of UTC (Kiritimati, UTC+14), so that no result depends on the zone of the machine running
 * the core or the screens. `npm test` runs them after the suites in the CI's own zone (Europe/Paris, .ci/run),
 * without the central server's suite.
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const vitest = join(root, 'node_modules', '.bin', 'vitest');
const ZONES = ['America/Cayenne', 'Pacific/Kiritimati'];

for (const zone of ZONES) {
  console.log(`\n— Tests unitaires avec TZ=${zone}`);
  const r = spawnSync(
    vitest,
    [
      'run',
      '--project',
      'core',
      '--project',
      'electron',
      '--project',
      'renderer',
      // The central server runs on the town's machine room, not on a counter PC: its suite runs once in the
      // counters' zone (`test:unit`) and again on PostgreSQL (server/ci-postgres.sh), which keeps CI under 20 min.
      '--exclude',
      'server/**',
      ...process.argv.slice(2),
    ],
    { cwd: root, stdio: 'inherit', env: { ...process.env, TZ: zone } },
  );
  if (r.status !== 0) {
    console.error(`Tests unitaires en échec avec TZ=${zone}.`);
    process.exit(r.status ?? 1);
  }
}
