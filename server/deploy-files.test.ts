import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { MAX_PUSH_BYTES } from '../core/sync/protocol.ts';
import { parseEnvironmentFile, readServerConfig, readSettings } from './config.ts';
import { createSyncServer } from './server.ts';
import { openServerStore } from './store.ts';

/*
 * The files docs/serveur.md tells IT to copy (systemd unit, environment file, nginx site) hold together with the
 * server as it is: the settings it reads, the size of a push, its keep-alive.
 */

const run = promisify(execFile);
const doc = (name: string) => fileURLToPath(new URL(`../docs/serveur/${name}`, import.meta.url));
const read = (name: string) => readFileSync(doc(name), 'utf8');
const systemdAnalyze = ['/usr/bin/systemd-analyze', '/bin/systemd-analyze'].find((p) => existsSync(p));

describe('docs/serveur/serveur.env.exemple', () => {
  const text = read('serveur.env.exemple');

  it('is read as systemd reads it, and holds only settings the server knows', () => {
    const settings = parseEnvironmentFile(text);
    expect(Object.keys(settings).sort()).toEqual(
      [
        'GF_ADMIN_TOKEN',
        'GF_HOST',
        'GF_LOG_LEVEL',
        'GF_PG_URL',
        'GF_PORT',
        'GF_PORTAL_TOKEN',
        'GF_TOWN',
      ].sort(),
    );
  });

  it('once its placeholders are filled in, configures a PostgreSQL server on loopback', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gf-env-'));
    try {
      const file = join(dir, 'serveur.env');
      await writeFile(
        file,
        text
          .replace('remplacer-par-openssl-rand-hex-32', 'a'.repeat(64))
          .replace('remplacer-par-un-autre-openssl-rand-hex-32', 'b'.repeat(64)),
      );
      await chmod(file, 0o600);
      expect(readSettings(file, {}).warnings).toEqual([]);
      expect(readServerConfig(['--env-file', file], {})).toMatchObject({
        store: {
          pgUrl: 'postgres://guichet_famille:MOT_DE_PASSE@127.0.0.1:5432/guichet_famille',
          town: 'belleval',
        },
        host: '127.0.0.1',
        port: 8787,
        storeLabel: 'postgres://guichet_famille@127.0.0.1:5432/guichet_famille (schéma town_belleval)',
        warnings: [],
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('docs/serveur/guichet-famille-serveur.service', () => {
  const unit = read('guichet-famille-serveur.service');
  const values = (key: string) =>
    [...unit.matchAll(new RegExp(`^${key}=(.*)$`, 'gm'))].map((m) => (m[1] as string).trim());

  it('runs the server as its own user with the environment file, and no secret on its command line', () => {
    expect(values('User')).toEqual(['guichet-famille']);
    expect(values('EnvironmentFile')).toEqual(['/etc/guichet-famille/serveur.env']);
    expect(values('ExecStart')).toEqual(['/usr/bin/node /opt/guichet-famille/server/main.ts']);
    expect(values('Environment')).toEqual([]);
    expect(unit).not.toMatch(/GF_(ADMIN|PORTAL)_TOKEN=|postgres:\/\//);
  });

  it('is hardened, but lets V8 compile (no MemoryDenyWriteExecute)', () => {
    for (const key of ['NoNewPrivileges', 'ProtectHome', 'PrivateTmp', 'PrivateDevices', 'RestrictSUIDSGID'])
      expect(values(key), key).toEqual(['yes']);
    expect(values('ProtectSystem')).toEqual(['strict']);
    expect(values('CapabilityBoundingSet')).toEqual(['']);
    expect(values('MemoryDenyWriteExecute')).toEqual([]);
  });

  it.skipIf(!systemdAnalyze)(
    `passes systemd-analyze verify${systemdAnalyze ? '' : ' — ignoré : systemd-analyze absent'}`,
    async () => {
      const { stderr } = await run(systemdAnalyze as string, [
        'verify',
        doc('guichet-famille-serveur.service'),
      ]);
      expect(stderr).toBe('');
    },
  );
});

describe('docs/serveur/nginx-guichet-famille.conf', () => {
  const conf = read('nginx-guichet-famille.conf');
  const directive = (name: string) => new RegExp(`^\\s*${name}\\s+([^;]+);`, 'm').exec(conf)?.[1];

  it('proxies to the port of the example environment file, on loopback', () => {
    const port = parseEnvironmentFile(read('serveur.env.exemple')).GF_PORT;
    expect(directive('server')).toBe(`127.0.0.1:${port}`);
  });

  it('lets a full push through, so that the server answers a too-large one itself', () => {
    const size = /^(\d+)m$/.exec(directive('client_max_body_size') ?? '');
    expect(Number(size?.[1]) * 1024 * 1024).toBeGreaterThan(MAX_PUSH_BYTES);
  });

  it('closes idle upstream connections before the server does', async () => {
    const store = await openServerStore({ sqlite: ':memory:' });
    const server = createSyncServer({ store, adminToken: 'a', portalToken: 'b' });
    const http = await server.listen();
    try {
      const nginx = Number(/^(\d+)s$/.exec(directive('keepalive_timeout') ?? '')?.[1]) * 1000;
      expect(nginx).toBeLessThan(http.server.keepAliveTimeout);
    } finally {
      await http.close();
      await store.close();
    }
  });

  it('keeps administration and the health probe to the town’s networks', () => {
    expect(conf).toMatch(
      /location ~ \^\/\(admin\/\|devices\) \{\s*if \(\$reseau_mairie = 0\) \{\s*return 403;/,
    );
    expect(conf).toMatch(/location = \/healthz \{\s*if \(\$reseau_mairie = 0\) \{\s*return 403;/);
  });
});
