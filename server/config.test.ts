import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, describePgUrl, hasPassword, parseEnvironmentFile, readServerConfig } from './config.ts';

const ADMIN = 'a'.repeat(64);
const PORTAL = 'b'.repeat(64);

let dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
  dirs = [];
});

async function envFile(text: string, mode = 0o600): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'gf-config-'));
  dirs.push(dir);
  const file = join(dir, 'serveur.env');
  await writeFile(file, text);
  await chmod(file, mode);
  return file;
}

describe('the environment file, read as systemd’s EnvironmentFile= reads it', () => {
  it('takes KEY=value lines, skips comments and blank lines, unquotes, keeps # inside a value', () => {
    expect(
      parseEnvironmentFile(
        [
          '# Guichet Famille',
          '; autre commentaire',
          '',
          'GF_ADMIN_TOKEN=abc#def',
          'GF_PG_URL="postgres://gf:p@ss\\"w@db.mairie.local/guichet"',
          "GF_TOWN='belleval'",
          '  GF_PORT = 8787  ',
        ].join('\n'),
      ),
    ).toEqual({
      GF_ADMIN_TOKEN: 'abc#def',
      GF_PG_URL: 'postgres://gf:p@ss"w@db.mairie.local/guichet',
      GF_TOWN: 'belleval',
      GF_PORT: '8787',
    });
  });

  it('names the line it cannot read rather than guessing', () => {
    expect(() => parseEnvironmentFile('GF_PORT=8787\nexport GF_TOWN=belleval\n', 'serveur.env')).toThrow(
      'serveur.env, ligne 2 : « CLÉ=valeur » attendu.',
    );
    expect(() => parseEnvironmentFile('GF_ADMIN_TOKEN="abc\n')).toThrow(
      'guillemet non fermé pour GF_ADMIN_TOKEN',
    );
  });
});

describe('PostgreSQL addresses', () => {
  it.each([
    ['postgres://gf:secret@db/guichet', true],
    ['postgresql://gf@db/guichet?password=secret', true],
    ['host=db user=gf password=secret dbname=guichet', true],
    ['postgres://gf@db/guichet', false],
    ['postgres://db/guichet?sslmode=require', false],
  ])('%s carries a password: %s', (url, expected) => expect(hasPassword(url)).toBe(expected));

  it('is described for the journal without its password', () => {
    expect(describePgUrl('postgres://gf:secret@db.mairie.local:5432/guichet?sslmode=require')).toBe(
      'postgres://gf@db.mairie.local:5432/guichet',
    );
  });
});

describe('readServerConfig', () => {
  it('reads everything from the file named by --env-file', async () => {
    const file = await envFile(
      `GF_ADMIN_TOKEN=${ADMIN}\nGF_PORTAL_TOKEN=${PORTAL}\nGF_PG_URL=postgres://gf:secret@db/guichet\nGF_TOWN=belleval\nGF_PORT=9000\nGF_LOG_LEVEL=warn\n`,
    );
    expect(readServerConfig(['--env-file', file], {})).toEqual({
      store: { pgUrl: 'postgres://gf:secret@db/guichet', town: 'belleval' },
      host: '127.0.0.1',
      port: 9000,
      adminToken: ADMIN,
      portalToken: PORTAL,
      logLevel: 'warn',
      envFile: file,
      storeLabel: 'postgres://gf@db/guichet (schéma town_belleval)',
      warnings: [],
      mail: null,
    });
  });

  it('reads the town’s SMTP relay, and refuses a relay without a sender or a sender without a relay', async () => {
    const both = await envFile(
      `GF_ADMIN_TOKEN=${ADMIN}\nGF_PORTAL_TOKEN=${PORTAL}\nGF_SMTP_URL=smtp://regie:mot%20de%20passe@relais.belleval.fr:587\nGF_MAIL_FROM="Mairie de Belleval <regie@belleval.fr>"\n`,
    );
    expect(readServerConfig(['--env-file', both], {}).mail).toEqual({
      url: 'smtp://regie:mot%20de%20passe@relais.belleval.fr:587',
      from: 'Mairie de Belleval <regie@belleval.fr>',
    });
    const half = await envFile(
      `GF_ADMIN_TOKEN=${ADMIN}\nGF_PORTAL_TOKEN=${PORTAL}\nGF_SMTP_URL=smtp://relais:25\n`,
    );
    expect(() => readServerConfig(['--env-file', half], {})).toThrow(
      /GF_SMTP_URL et GF_MAIL_FROM vont ensemble/,
    );
    const web = await envFile(
      `GF_ADMIN_TOKEN=${ADMIN}\nGF_PORTAL_TOKEN=${PORTAL}\nGF_SMTP_URL=https://relais\nGF_MAIL_FROM=regie@belleval.fr\n`,
    );
    expect(() => readServerConfig(['--env-file', web], {})).toThrow(/smtp:\/\/… ou smtps:\/\/… attendue/);
  });

  it('finds the file through GF_ENV_FILE, and lets the environment win over it, saying which key (not its value)', async () => {
    const file = await envFile(`GF_ADMIN_TOKEN=${ADMIN}\nGF_PORTAL_TOKEN=${PORTAL}\nGF_PORT=9000\n`);
    const config = readServerConfig([], { GF_ENV_FILE: file, GF_PORT: '9100' });
    expect(config.port).toBe(9100);
    expect(config.warnings).toEqual([
      `GF_PORT vient de l’environnement et remplace la valeur du fichier ${file}.`,
    ]);
  });

  it('warns when the file holding the tokens is readable by every user', async () => {
    const file = await envFile(`GF_ADMIN_TOKEN=${ADMIN}\nGF_PORTAL_TOKEN=${PORTAL}\n`, 0o644);
    expect(readServerConfig(['--env-file', file], {}).warnings[0]).toMatch(/lisible par tous.*chmod 600/);
  });

  it('refuses a password on the command line, whatever else is set', () => {
    expect(() =>
      readServerConfig(['--pg', 'postgres://gf:secret@db/guichet'], {
        GF_ADMIN_TOKEN: ADMIN,
        GF_PORTAL_TOKEN: PORTAL,
      }),
    ).toThrow(/ne doit pas figurer sur la ligne de commande/);
    expect(
      readServerConfig(['--pg', 'postgres://gf@db/guichet'], {
        GF_ADMIN_TOKEN: ADMIN,
        GF_PORTAL_TOKEN: PORTAL,
      }).store,
    ).toEqual({ pgUrl: 'postgres://gf@db/guichet' });
  });

  it('has no option for a token: an unknown option is refused with the usage', () => {
    expect(() => readServerConfig(['--admin-token', ADMIN], {})).toThrow(ConfigError);
    expect(() => readServerConfig(['--admin-token', ADMIN], {})).toThrow(/Usage : node server\/main.ts/);
  });

  it('says what is missing or contradictory', async () => {
    expect(() => readServerConfig([], {})).toThrow(/GF_ADMIN_TOKEN et GF_PORTAL_TOKEN doivent être définis/);
    const tokens = { GF_ADMIN_TOKEN: ADMIN, GF_PORTAL_TOKEN: PORTAL };
    expect(() => readServerConfig([], { GF_ADMIN_TOKEN: ADMIN, GF_PORTAL_TOKEN: ADMIN })).toThrow(
      'doivent être différents',
    );
    expect(() => readServerConfig(['--port', '80a'], tokens)).toThrow('Port invalide : « 80a »');
    expect(() => readServerConfig(['--town', 'belleval'], tokens)).toThrow(/ne s’emploie qu’avec PostgreSQL/);
    expect(() => readServerConfig(['--db', 'x.sqlite'], { ...tokens, GF_PG_URL: 'postgres://db/x' })).toThrow(
      /pas les deux/,
    );
    expect(() => readServerConfig(['--log-level', 'bavard'], tokens)).toThrow(/Niveau de journal inconnu/);
    expect(() => readServerConfig(['--env-file', '/nulle/part.env'], tokens)).toThrow(
      'Fichier d’environnement illisible : /nulle/part.env (ENOENT).',
    );
  });

  it('keeps the defaults of a plain SQLite run, and warns of short tokens and of listening beyond loopback', () => {
    const config = readServerConfig(['--host', '0.0.0.0'], {
      GF_ADMIN_TOKEN: 'court',
      GF_PORTAL_TOKEN: PORTAL,
    });
    expect(config).toMatchObject({ store: { sqlite: 'server.sqlite' }, port: 8787, logLevel: 'info' });
    expect(config.warnings).toEqual([
      'GF_ADMIN_TOKEN est court (5 caractères) : générez-en un avec « openssl rand -hex 32 ».',
      expect.stringMatching(/^Le serveur écoute sur 0\.0\.0\.0 en HTTP simple/),
    ]);
  });
});
