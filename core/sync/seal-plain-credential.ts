import type Database from 'better-sqlite3';
import type { CredentialVault } from '../secrets/credential-vault.ts';
import { CREDENTIAL, SYNC_SETTINGS } from './credential-format.ts';

/**
 * First open of a store whose credential was written in clear (versions before this one): sealed in place. Until a
 * checkpoint the file keeps the old page, credential in clear, and the WAL the new one: the checkpoint is made now.
 * secure_delete zeroes the old cell rather than leaving its bytes in the page's free space. The file copied
 * afterwards holds the sealed value only. Returns whether it did.
 */
export function sealPlainCredential(raw: Database.Database, vault: CredentialVault): boolean {
  const row = raw.prepare('SELECT value FROM settings WHERE key = ?').get(SYNC_SETTINGS.credential) as
    { value: string } | undefined;
  if (!row) return false;
  const value = JSON.parse(row.value) as unknown;
  if (typeof value !== 'string' || !CREDENTIAL.test(value)) return false;
  const secureDelete = raw.pragma('secure_delete', { simple: true }) as number;
  raw.pragma('secure_delete = ON');
  try {
    raw
      .prepare('UPDATE settings SET value = ? WHERE key = ?')
      .run(JSON.stringify(vault.seal(value)), SYNC_SETTINGS.credential);
    if (raw.pragma('journal_mode', { simple: true }) === 'wal') raw.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    raw.pragma(`secure_delete = ${secureDelete ? 'ON' : 'OFF'}`);
  }
  return true;
}
