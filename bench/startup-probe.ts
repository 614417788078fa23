/**
 * One launch of the counter minus Electron. As Electron's main process forks its utility process, this forks the
 * core host (the one electron-vite builds for it, out/main/core-host.js, or the TypeScript entry the browser host
 * runs) as a process of its own with the options of electron/main/index.ts, then times from the fork to the answer
 * of the sign-in screen's first call (`auth.status`): loading the code, opening and checking the file, whatever
 * the host does before it answers. Then a typical session's first calls. RSS: of that process, which holds the core
 * and nothing else, once ready and after the session.
 *
 * `node bench/startup-probe.ts app <dataDir> <username> <password> <core host entry>`, or
 * `node bench/startup-probe.ts bare <file>`: the baseline, a forked process that opens the same file with
 * better-sqlite3 and answers one query. Prints one JSON line.
 */
import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { connectCoreHost } from '../electron/core-host/client.ts';

const [mode = '', target = '', username = '', password = '', entry = ''] = process.argv.slice(2);

const t0 = performance.now();
const child = fork(mode === 'bare' ? new URL('./startup-bare.mjs', import.meta.url) : entry, [target], {
  serialization: 'advanced',
  // The `process.parentPort` of an Electron utility process, which the core host's entry expects.
  execArgv: [
    '--import',
    new URL('./utility-process-shim.mjs', import.meta.url).href,
    // GF_PROBE_PROFILE=dir: a CPU profile of the launch, to see where its time goes.
    ...(process.env.GF_PROBE_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.GF_PROBE_PROFILE}`] : []),
  ],
  stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  env: process.env.GF_PROBE_CC
    ? { ...process.env, NODE_COMPILE_CACHE: process.env.GF_PROBE_CC }
    : process.env,
});
const rssMb = () => {
  const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1];
  return Math.round(Number(kb) / 100) / 10;
};
const print = (line: object) => process.stdout.write(`${JSON.stringify(line)}\n`);

if (mode === 'bare') {
  child.once('message', () => {
    print({ readyMs: performance.now() - t0, readyRssMb: rssMb() });
    child.kill();
  });
} else {
  const host = connectCoreHost(
    {
      post: (message) => child.send(message),
      onMessage: (listener) => child.on('message', listener as never),
      onExit: (listener) => child.on('exit', (code) => listener(`cœur arrêté (code ${code})`)),
      stop: () => child.kill(),
    },
    {
      path: join(target, 'guichet-famille.sqlite'),
      backupDir: join(target, 'sauvegardes'),
      logDir: join(target, 'journaux'),
      network: 'node',
      seedDemo: false,
      sync: { appVersion: 'bench' },
    },
  );
  const call = async (name: string, input: unknown) => {
    const r = await host.invoke(name, input);
    if (!r.ok) throw new Error(`${name} : ${r.error.message}`);
    return r.data;
  };
  const status = (await call('auth.status', {})) as { setupNeeded: boolean };
  const readyMs = performance.now() - t0;
  const readyRssMb = rssMb();
  if (status.setupNeeded) throw new Error('aucun compte dans ce fichier');
  // What an agent does first: signs in, the home page, a family found and opened, a payment prepared.
  const sessionStart = performance.now();
  await call('auth.login', { username, password });
  await call('system.info', {});
  await call('overview.home', {});
  const found = (await call('family.search', { text: 'mar' })) as { householdId: string }[];
  const householdId = found[0]?.householdId;
  if (householdId) {
    await call('family.get', { householdId });
    await call('overview.family', { householdId });
    await call('payment.proposeAllocation', { householdId, amountCents: 1000 });
  }
  const sessionMs = performance.now() - sessionStart;
  print({ readyMs, readyRssMb, sessionMs, sessionRssMb: rssMb(), familyOpened: householdId !== undefined });
  await host.close();
}
