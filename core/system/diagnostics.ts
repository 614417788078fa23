import { existsSync } from 'node:fs';
import { arch, platform, release } from 'node:os';
import { join } from 'node:path';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { readDeviceKey, SEALED_CREDENTIAL, vaultWith } from '../secrets/credential-vault.ts';
import { CORE_LOG_FILE, LOG_FOLDER, MAIN_LOG_FILE, RENDERER_LOG_FILE, tailLog } from './file-log.ts';

/**
 * Aide › « Copier le rapport de diagnostic »: what the support needs to understand a counter's trouble, pasted in an
 * e-mail by an agent. Never a password, a token, the sync credential, nor a child's health: the logs' tails are
 * scrubbed of every secret this store knows (the credential, its secret half) and of the health notes of its
 * children, then of anything that looks like a secret by its name.
 */
const LOG_LINES = 60;
const MASK = '«masqué»';
/** `password=…`, `"token": "…"`, `authorization: Bearer …`, `mot de passe : …`. */
const NAMED_SECRET =
  /("?\b(?:password|passwd|pwd|mot[ _-]?de[ _-]?passe|token|jeton|credential|identifiant du poste|secret|authorization|api[_-]?key|cookie)\b"?\s*[:=]\s*)("[^"]*"|'[^']*'|(?:Bearer\s+)?[^\s,;}]+)/giu;
const BEARER = /\bBearer\s+[^\s,;"']+/giu;
/** Words of a child's health: a line that has them is dropped whole, whatever else it says. */
const HEALTH_WORDS =
  /\b(santé|sante|health|allerg\w*|PAI|traitement|médic\w*|medic\w*|asthm\w*|diab[eè]t\w*|épilep\w*)\b/iu;

export function redactLine(line: string, secrets: readonly string[]): string {
  let out = line;
  for (const secret of secrets) if (secret.length >= 4) out = out.split(secret).join(MASK);
  out = out.replace(NAMED_SECRET, (_m, name: string) => `${name}${MASK}`).replace(BEARER, `Bearer ${MASK}`);
  if (HEALTH_WORDS.test(out))
    return `${out.slice(0, out.indexOf(']', out.indexOf(']') + 1) + 1)} ${MASK} (ligne retirée : santé)`;
  return out;
}

/**
 * What this store holds that must never leave in a report, as literal strings. The sync credential is sealed in the
 * database: it is opened with the data folder's key (read, never created, never shown) so that a log line carrying
 * it in clear is masked too.
 */
async function knownSecrets(db: Kysely<Database>, dataDir: string | null): Promise<string[]> {
  const key = dataDir ? readDeviceKey(dataDir) : null;
  const vault = key ? vaultWith(key) : null;
  const secrets = new Set<string>(key ? [key.toString('base64')] : []);
  const rows = await db
    .selectFrom('settings')
    .select(['key', 'value'])
    .where((eb) =>
      eb.or([
        eb('key', 'like', '%credential%'),
        eb('key', 'like', '%token%'),
        eb('key', 'like', '%secret%'),
        eb('key', 'like', '%password%'),
        eb('key', 'like', '%key%'),
      ]),
    )
    .execute();
  for (const row of rows) {
    let value: unknown;
    try {
      value = JSON.parse(row.value);
    } catch {
      value = row.value;
    }
    if (typeof value !== 'string') continue;
    const plain = SEALED_CREDENTIAL.test(value) ? vault?.open(value) : null;
    for (const secret of plain ? [value, plain] : [value]) {
      secrets.add(secret);
      // `deviceId.secret`: the secret half alone is as bad.
      const dot = secret.indexOf('.');
      if (dot > 0) secrets.add(secret.slice(dot + 1));
    }
  }
  const health = await db
    .selectFrom('children')
    .select('health_notes')
    .where('health_notes', '!=', '')
    .execute();
  for (const { health_notes } of health) {
    secrets.add(health_notes);
    for (const part of health_notes.split(/[\n.;,]+/)) if (part.trim().length >= 6) secrets.add(part.trim());
  }
  // Longest first: a secret containing another is masked whole.
  return [...secrets].sort((a, b) => b.length - a.length);
}

export interface DiagnosticInput {
  appVersion: string;
  deviceId: string;
  dataDir: string | null;
  now: Date;
  /** Electron's and Chromium's versions when the core runs in Electron's utility process. */
  versions?: NodeJS.ProcessVersions;
}

export async function diagnosticReport(db: Kysely<Database>, input: DiagnosticInput): Promise<string> {
  const schema = await sql<{ v: number | null }>`SELECT max(version) AS v FROM schema_migrations`.execute(db);
  const sync = await db.selectFrom('sync_state').selectAll().executeTakeFirst();
  const server = await db
    .selectFrom('settings')
    .select('value')
    .where('key', '=', 'sync.serverUrl')
    .executeTakeFirst();
  const pending = await db
    .selectFrom('command_log')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirst();
  const versions = input.versions ?? process.versions;
  const secrets = await knownSecrets(db, input.dataDir);
  const lines = [
    'Rapport de diagnostic — Guichet Famille',
    `Date : ${input.now.toISOString()}`,
    `Version : ${input.appVersion}`,
    `Schéma de la base : ${schema.rows[0]?.v ?? 0}`,
    `Poste : ${input.deviceId}`,
    `Dossier de données : ${input.dataDir ?? 'inconnu'}`,
    `Système : ${platform()} ${release()} (${arch()})`,
    `Moteurs : Node ${versions.node}${versions.electron ? `, Electron ${versions.electron}, Chromium ${versions.chrome}` : ''}`,
    `Serveur central : ${server ? (JSON.parse(server.value) as string) : 'non relié'}`,
    `Synchronisation : ${sync ? (sync.online === 1 ? 'en ligne' : `hors ligne depuis ${sync.offline_since ?? '?'}`) : 'jamais'}` +
      `, dernière ${sync?.last_sync_at ?? 'jamais'}, opérations enregistrées ${Number(pending?.n ?? 0)}` +
      (sync?.last_error ? `, dernière erreur : ${sync.last_error}` : '') +
      (sync?.blocked ? `, bloquée : ${sync.blocked}` : ''),
  ].map((line) => redactLine(line, secrets));
  for (const name of [MAIN_LOG_FILE, CORE_LOG_FILE, RENDERER_LOG_FILE]) {
    const file = input.dataDir ? join(input.dataDir, LOG_FOLDER, name) : null;
    lines.push('', `--- ${name} (fin) ---`);
    if (!file || !existsSync(file)) {
      lines.push('(absent)');
      continue;
    }
    for (const line of tailLog(file, LOG_LINES)) lines.push(redactLine(line, secrets));
  }
  return `${lines.join('\n')}\n`;
}
