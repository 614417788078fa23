import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/** scrypt cost: 2^15 takes ~60 ms here, slow enough for guessing, quick enough for a counter unlock. */
export const DEFAULT_SCRYPT_LOG_N = 15;

/** scrypt of the password (NFC) with this salt and cost: 32 bytes. Also the régisseur's override key. */
export function deriveKey(password: string, salt: Buffer, logN: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(
      password.normalize('NFC'),
      salt,
      32,
      { N: 2 ** logN, r: 8, p: 1, maxmem: 256 * 2 ** logN * 8 + 1024 },
      (e, key) => (e ? reject(e) : resolve(key)),
    ),
  );
}

/** « scrypt$15$salt$hash »: the cost travels with the hash, so raising it later keeps old passwords valid. */
export async function hashPassword(password: string, logN = DEFAULT_SCRYPT_LOG_N): Promise<string> {
  const salt = randomBytes(16);
  const key = await deriveKey(password, salt, logN);
  return `scrypt$${logN}$${salt.toString('base64')}$${key.toString('base64')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, logN, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !logN || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const key = await deriveKey(password, Buffer.from(salt, 'base64'), Number(logN));
  return key.length === expected.length && timingSafeEqual(key, expected);
}
