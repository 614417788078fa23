import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { readSetting } from '../db/settings.ts';
import { deriveKey } from './password.ts';

/*
 * A régisseur's override key: derived from their password with a salt of their own (scrypt), at sign-in or when they
 * type it on an agent's screen, to sign the cash payments over the limit they authorise (core/payments/override-proof.ts).
 */

/** The town setting holding a régisseur's salt and scrypt cost, which the counters receive. */
export const overrideSaltKey = (username: string): string => `regie.overrideSalt.${username}`;

export interface OverrideSalt {
  /** base64 */
  salt: string;
  logN: number;
}

/** The key a régisseur's password gives with the salt the town registered for them; null when none is. */
export async function overrideKeyOf(
  db: Kysely<Database>,
  username: string,
  password: string,
): Promise<Buffer | null> {
  const salt = await readSetting<OverrideSalt>(db, overrideSaltKey(username));
  return salt ? deriveKey(password, Buffer.from(salt.salt, 'base64'), salt.logN) : null;
}
