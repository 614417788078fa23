/**
 * A throwaway PostgreSQL 15 cluster on a loopback port (Debian's binaries), for the server suite on PostgreSQL
 * (server/ci-postgres.sh) and the benches that need one (bench/rush.bench.ts). Durability is off: nothing in it
 * outlives the run.
 *
 * As a command: `node scripts/pg-cluster.ts <command…>` starts a cluster, runs the command with GF_TEST_PG_URL set
 * to a scratch URL (server/store.ts), stops the cluster and exits with the command's status. GF_PG_PORT picks the
 * first port tried.
 */
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = '/usr/lib/postgresql/15/bin';

export interface PgCluster {
  /** `postgres://gf@127.0.0.1:<port>/postgres`. */
  url: string;
  /**
   * The same database through the cluster's Unix socket: what a server beside its PostgreSQL uses, without the
   * loopback TCP the kernel otherwise runs on both sides of every query.
   */
  socketUrl: string;
  port: number;
  stop(): void;
}

export function startPgCluster(
  options: { firstPort?: number; settings?: Record<string, string> } = {},
): PgCluster {
  if (!existsSync(`${BIN}/initdb`))
    throw new Error(`pg-cluster: ${BIN}/initdb missing (apt-get install postgresql-15)`);
  const dir = mkdtempSync(join(tmpdir(), 'gf-pg.'));
  // initdb refuses to run as root: the cluster then belongs to Debian's postgres user.
  const asRoot = process.getuid?.() === 0;
  const run = (cmd: string, args: string[]) =>
    asRoot
      ? execFileSync('runuser', ['-u', 'postgres', '--', cmd, ...args], { stdio: 'pipe' })
      : execFileSync(cmd, args, { stdio: 'pipe' });
  if (asRoot) execFileSync('chown', ['postgres', dir]);
  chmodSync(dir, 0o700);
  const data = join(dir, 'data');
  const log = join(dir, 'log');
  try {
    run(`${BIN}/initdb`, ['-D', data, '-U', 'gf', '--auth=trust', '--no-sync', '--encoding=UTF8']);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`pg-cluster: initdb: ${String((error as { stderr?: unknown }).stderr ?? error)}`, {
      cause: error,
    });
  }
  const settings = {
    listen_addresses: '127.0.0.1',
    fsync: 'off',
    synchronous_commit: 'off',
    full_page_writes: 'off',
    ...options.settings,
  };
  const flags = Object.entries(settings)
    .map(([k, v]) => `-c ${k}=${v}`)
    .join(' ');
  const stop = () => {
    try {
      run(`${BIN}/pg_ctl`, ['-D', data, '-m', 'immediate', 'stop']);
    } catch {
      // Already down.
    }
    rmSync(dir, { recursive: true, force: true });
  };
  // The next port is tried when one is taken (another run on the same machine).
  const first = options.firstPort ?? Number(process.env.GF_PG_PORT ?? 55432);
  for (let port = first; port <= first + 20; port++) {
    try {
      run(`${BIN}/pg_ctl`, [
        '-D',
        data,
        '-l',
        log,
        '-w',
        '-t',
        '30',
        'start',
        '-o',
        `-p ${port} -k ${dir} ${flags}`,
      ]);
      return {
        url: `postgres://gf@127.0.0.1:${port}/postgres`,
        socketUrl: `postgres://gf@localhost:${port}/postgres?host=${encodeURIComponent(dir)}`,
        port,
        stop,
      };
    } catch {
      // Taken: next port.
    }
  }
  const why = existsSync(log) ? readFileSync(log, 'utf8') : '';
  stop();
  throw new Error(`pg-cluster: no free port from ${first}\n${why}`);
}

const version = () =>
  execFileSync(`${BIN}/postgres`, ['--version'], { encoding: 'utf8' }).split(' ')[2]?.trim();

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [cmd, ...args] = process.argv.slice(2);
  if (!cmd) {
    console.error('usage: node scripts/pg-cluster.ts <command…>');
    process.exit(2);
  }
  const cluster = startPgCluster();
  console.log(`pg-cluster: PostgreSQL ${version()} on 127.0.0.1:${cluster.port}`);
  const child = spawn(cmd, args, {
    stdio: 'inherit',
    env: { ...process.env, GF_TEST_PG_URL: `${cluster.url}?scratch=1` },
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => {
    cluster.stop();
    process.exit(code ?? (signal ? 130 : 1));
  });
}
