import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The sync credential is kept in the settings table sealed (AES-256-GCM) with a key of this PC, kept in a file of the
 * data folder beside the database: never in the database, so never in a backup (core/backup/ copies the database
 * alone) nor in a database file copied alone. Restoring a backup on the same PC keeps syncing (the key is still
 * there); on another PC the credential cannot be opened and the PC must be connected to the server again.
 *
 * Why a key file, not Electron's safeStorage: the data folder is the machine's (electron/data-folder.ts), shared by
 * every Windows account of the PC, and safeStorage is DPAPI in the signed-in user's scope — only the account that
 * sealed could open, and the next agent's session could not sync. DPAPI's machine scope (CRYPTPROTECT_LOCAL_MACHINE)
 * is what a shared PC would need, and safeStorage does not offer it (nor is it available in the utility process the
 * core runs in). So the key file is protected as the database is: by the data folder's permissions (the PC's users
 * on Windows, as the installer sets them; the owner alone elsewhere, mode 0600).
 */
export const DEVICE_KEY_FILE = 'cle-du-poste.key';

const KEY_HEADER = 'guichet-famille-cle-du-poste-v1:';
const SEALED_PREFIX = 'gfc1:';
/** What a sealed credential looks like in the settings table: `gfc1:iv:tag:ciphertext`, base64url. */
export const SEALED_CREDENTIAL = /^gfc1:[A-Za-z0-9_-]{16}:[A-Za-z0-9_-]{22}:[A-Za-z0-9_-]{4,400}$/;
/** Binds the ciphertext to what it is: the same key sealing anything else could not be swapped in. */
const PURPOSE = Buffer.from('guichet-famille:sync.credential');

export interface CredentialVault {
  seal(credential: string): string;
  /** The credential, or null when this PC's key cannot open it (a backup of another PC, a lost key file). */
  open(sealed: string): string | null;
}

export function vaultWith(key: Buffer): CredentialVault {
  return {
    seal(credential) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv).setAAD(PURPOSE);
      const data = Buffer.concat([cipher.update(credential, 'utf8'), cipher.final()]);
      return [SEALED_PREFIX.slice(0, -1), iv, cipher.getAuthTag(), data]
        .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
        .join(':');
    },
    open(sealed) {
      if (!SEALED_CREDENTIAL.test(sealed)) return null;
      const [, iv, tag, data] = sealed.split(':').map((part) => Buffer.from(part, 'base64url'));
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, iv!).setAAD(PURPOSE).setAuthTag(tag!);
        return Buffer.concat([decipher.update(data!), decipher.final()]).toString('utf8');
      } catch {
        return null;
      }
    },
  };
}

function parseKey(text: string): Buffer | null {
  const line = text.trim();
  if (!line.startsWith(KEY_HEADER)) return null;
  const key = Buffer.from(line.slice(KEY_HEADER.length), 'base64');
  return key.length === 32 ? key : null;
}

/** This PC's key as the file holds it, never creating one (the diagnostic report reads it this way). */
export function readDeviceKey(dataDir: string): Buffer | null {
  const file = join(dataDir, DEVICE_KEY_FILE);
  return existsSync(file) ? parseKey(readFileSync(file, 'utf8')) : null;
}

/**
 * The key of the data folder, created at the first open. A file that is there but unreadable as a key is kept aside
 * (never overwritten: IT may put the right one back) and a new key made: the stored credential then asks for the
 * PC to be connected again, which the sync indicator says.
 */
export function loadDeviceKey(dataDir: string, log: (message: string) => void = console.error): Buffer {
  const file = join(dataDir, DEVICE_KEY_FILE);
  if (existsSync(file)) {
    const key = parseKey(readFileSync(file, 'utf8'));
    if (key) return key;
    const aside = `${file}.illisible-${Date.now()}`;
    renameSync(file, aside);
    log(`[cœur] clé du poste illisible, mise de côté dans ${aside} : une nouvelle clé est créée`);
  }
  const key = randomBytes(32);
  try {
    // `wx`: two processes opening the same folder at once keep the first key written, not two different ones.
    writeFileSync(file, `${KEY_HEADER}${key.toString('base64')}\n`, { flag: 'wx', mode: 0o600 });
    // The umask may have widened the mode asked for.
    if (process.platform !== 'win32') chmodSync(file, 0o600);
    return key;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const other = parseKey(readFileSync(file, 'utf8'));
    if (!other) throw error;
    return other;
  }
}

/** ':memory:' has no data folder: the key lives as long as the store does. */
export function openVault(dataDir: string | null): CredentialVault {
  return vaultWith(dataDir ? loadDeviceKey(dataDir) : randomBytes(32));
}
