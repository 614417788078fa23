import { readFileSync, statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { MailSettings } from './mail/mailer.ts';
import type { StoreOptions } from './store.ts';

/**
 * The server's configuration: an environment file (`--env-file` or GF_ENV_FILE, the same file systemd's
 * `EnvironmentFile=` reads), the environment, and a few command-line options that are never secrets. Secrets stay off
 * the command line, where `ps` shows them to every user of the machine.
 */
export interface ServerConfig {
  store: StoreOptions;
  host: string;
  port: number;
  adminToken: string;
  portalToken: string;
  logLevel: string;
  envFile: string | null;
  /** What the log may say about the store: the SQLite path, or the PostgreSQL address without its password. */
  storeLabel: string;
  /** Said once at start: settings that are allowed but unwise. */
  warnings: string[];
  /** The town's SMTP relay for the invoices e-mailed (GF_SMTP_URL, GF_MAIL_FROM); null: e-mail not configured. */
  mail: MailSettings | null;
}

export class ConfigError extends Error {}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/**
 * Reads a file in the format systemd's `EnvironmentFile=` reads, so that the server run by systemd and the server
 * run by hand with `--env-file` see the same values: `CLÉ=valeur`, blank lines and lines starting with `#` or `;`
 * ignored, a value optionally in double or single quotes. No inline comments: `#` inside a value is part of it, as
 * systemd reads it. A line that is none of these is an error, not a guess.
 */
export function parseEnvironmentFile(text: string, file = 'fichier d’environnement'): Record<string, string> {
  const out: Record<string, string> = {};
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) return;
    const m = /^([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!m) throw new ConfigError(`${file}, ligne ${i + 1} : « CLÉ=valeur » attendu.`);
    const [, key = '', rawValue = ''] = m;
    let value = rawValue;
    if (value.startsWith('"')) {
      if (!/^"(?:[^"\\]|\\.)*"$/.test(value))
        throw new ConfigError(`${file}, ligne ${i + 1} : guillemet non fermé pour ${key}.`);
      value = value.slice(1, -1).replace(/\\(.)/g, '$1');
    } else if (value.startsWith("'")) {
      if (!/^'[^']*'$/.test(value))
        throw new ConfigError(`${file}, ligne ${i + 1} : apostrophe non fermée pour ${key}.`);
      value = value.slice(1, -1);
    }
    out[key] = value;
  });
  return out;
}

/** Whether a PostgreSQL connection string carries a password (URL form or libpq's `key=value` form). */
export function hasPassword(connection: string): boolean {
  if (/(^|\s)password\s*=/i.test(connection)) return true;
  try {
    const url = new URL(connection);
    return url.password !== '' || url.searchParams.has('password');
  } catch {
    return false;
  }
}

/** A PostgreSQL address fit for a log line: user, host, port and database, never the password. */
export function describePgUrl(connection: string): string {
  try {
    const url = new URL(connection);
    const user = url.username ? `${decodeURIComponent(url.username)}@` : '';
    return `postgres://${user}${url.host}${url.pathname}`;
  } catch {
    return 'postgres://(adresse illisible)';
  }
}

const SETTINGS = [
  'GF_DB',
  'GF_PG_URL',
  'GF_TOWN',
  'GF_HOST',
  'GF_PORT',
  'GF_ADMIN_TOKEN',
  'GF_PORTAL_TOKEN',
  'GF_LOG_LEVEL',
  'GF_SMTP_URL',
  'GF_MAIL_FROM',
] as const;
type Setting = (typeof SETTINGS)[number];

/**
 * The settings from the environment file and the environment. As with `node --env-file`, a variable already in the
 * environment wins over the file; the warning names it (never its value) so that a forgotten `export` in a shell
 * does not go unnoticed.
 */
export function readSettings(
  envFile: string | null,
  env: NodeJS.ProcessEnv,
): { settings: Partial<Record<Setting, string>>; warnings: string[] } {
  const warnings: string[] = [];
  let fromFile: Record<string, string> = {};
  if (envFile) {
    let text: string;
    try {
      text = readFileSync(envFile, 'utf8');
    } catch (error) {
      throw new ConfigError(
        `Fichier d’environnement illisible : ${envFile} (${(error as NodeJS.ErrnoException).code ?? String(error)}).`,
      );
    }
    fromFile = parseEnvironmentFile(text, envFile);
    // Anyone who can read the file can act as the administrator.
    if (process.platform !== 'win32' && (statSync(envFile).mode & 0o004) !== 0) {
      warnings.push(
        `Le fichier ${envFile} est lisible par tous les utilisateurs de la machine alors qu’il contient les jetons : chmod 600 (ou 640 avec le groupe du service).`,
      );
    }
    for (const key of Object.keys(fromFile)) {
      if (!key.startsWith('GF_')) continue;
      if (!(SETTINGS as readonly string[]).includes(key))
        warnings.push(`${envFile} : variable inconnue ${key}, ignorée.`);
    }
  }
  const settings: Partial<Record<Setting, string>> = {};
  for (const key of SETTINGS) {
    const fromEnv = env[key];
    const inFile = fromFile[key];
    if (fromEnv !== undefined && fromEnv !== '') {
      settings[key] = fromEnv;
      if (inFile !== undefined && inFile !== fromEnv)
        warnings.push(`${key} vient de l’environnement et remplace la valeur du fichier ${envFile}.`);
    } else if (inFile !== undefined && inFile !== '') {
      settings[key] = inFile;
    }
  }
  return { settings, warnings };
}

const USAGE =
  'Usage : node server/main.ts [--env-file /etc/guichet-famille/serveur.env] [--db serveur.sqlite | --pg postgres://utilisateur@hôte/base] [--town code] [--host 127.0.0.1] [--port 8787] [--log-level info]';

/** The whole configuration, or a ConfigError saying in French what to fix. */
export function readServerConfig(argv: string[], env: NodeJS.ProcessEnv): ServerConfig {
  let values: Record<string, string | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        'env-file': { type: 'string' },
        db: { type: 'string' },
        pg: { type: 'string' },
        town: { type: 'string' },
        port: { type: 'string' },
        host: { type: 'string' },
        'log-level': { type: 'string' },
      },
      strict: true,
    }) as { values: Record<string, string | undefined> });
  } catch (error) {
    throw new ConfigError(`${(error as Error).message}\n${USAGE}`);
  }
  if (values.pg !== undefined && hasPassword(values.pg)) {
    throw new ConfigError(
      'Le mot de passe PostgreSQL ne doit pas figurer sur la ligne de commande : tout utilisateur de la machine le lit avec « ps ». Mettez l’adresse complète dans GF_PG_URL du fichier d’environnement (droits 600), ou le mot de passe dans ~/.pgpass du compte du service.',
    );
  }
  const envFile = values['env-file'] ?? (env.GF_ENV_FILE || null);
  const { settings, warnings } = readSettings(envFile, env);

  const pgUrl = values.pg ?? settings.GF_PG_URL;
  const town = values.town ?? settings.GF_TOWN;
  const sqlite = values.db ?? settings.GF_DB;
  if (pgUrl && sqlite !== undefined)
    throw new ConfigError('Choisissez SQLite (--db, GF_DB) ou PostgreSQL (--pg, GF_PG_URL), pas les deux.');
  if (town && !pgUrl) throw new ConfigError('GF_TOWN (--town) ne s’emploie qu’avec PostgreSQL (GF_PG_URL).');
  const store: StoreOptions = pgUrl
    ? { pgUrl, ...(town ? { town } : {}) }
    : { sqlite: sqlite ?? 'server.sqlite' };
  const storeLabel = pgUrl
    ? `${describePgUrl(pgUrl)}${town ? ` (schéma town_${town})` : ''}`
    : (sqlite ?? 'server.sqlite');

  const portText = values.port ?? settings.GF_PORT ?? '8787';
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port < 1 || port > 65535)
    throw new ConfigError(`Port invalide : « ${portText} » (1 à 65535).`);
  const host = values.host ?? settings.GF_HOST ?? '127.0.0.1';
  const logLevel = values['log-level'] ?? settings.GF_LOG_LEVEL ?? 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel))
    throw new ConfigError(`Niveau de journal inconnu : « ${logLevel} » (${LOG_LEVELS.join(', ')}).`);

  const adminToken = settings.GF_ADMIN_TOKEN ?? '';
  const portalToken = settings.GF_PORTAL_TOKEN ?? '';
  if (!adminToken || !portalToken)
    throw new ConfigError(
      `GF_ADMIN_TOKEN et GF_PORTAL_TOKEN doivent être définis, dans le fichier d’environnement (--env-file ou GF_ENV_FILE) ou dans l’environnement${envFile ? ` (fichier lu : ${envFile})` : ''}.`,
    );
  if (adminToken === portalToken)
    throw new ConfigError('GF_ADMIN_TOKEN et GF_PORTAL_TOKEN doivent être différents.');
  for (const [key, token] of [
    ['GF_ADMIN_TOKEN', adminToken],
    ['GF_PORTAL_TOKEN', portalToken],
  ] as const) {
    if (token.length < 32)
      warnings.push(
        `${key} est court (${token.length} caractères) : générez-en un avec « openssl rand -hex 32 ».`,
      );
  }
  if (host !== '127.0.0.1' && host !== 'localhost' && host !== '::1')
    warnings.push(
      `Le serveur écoute sur ${host} en HTTP simple : les identifiants des postes circulent en clair. Placez-le derrière un proxy TLS (nginx) et laissez GF_HOST=127.0.0.1.`,
    );
  const smtpUrl = settings.GF_SMTP_URL ?? '';
  const mailFrom = settings.GF_MAIL_FROM ?? '';
  if ((smtpUrl === '') !== (mailFrom === ''))
    throw new ConfigError(
      'GF_SMTP_URL et GF_MAIL_FROM vont ensemble : renseignez les deux, ou aucun (pas d’e-mail).',
    );
  if (smtpUrl && !/^smtps?:\/\//.test(smtpUrl))
    throw new ConfigError('GF_SMTP_URL : adresse smtp://… ou smtps://… attendue.');
  return {
    store,
    host,
    port,
    adminToken,
    portalToken,
    logLevel,
    envFile,
    storeLabel,
    warnings,
    mail: smtpUrl ? { url: smtpUrl, from: mailFrom } : null,
  };
}
