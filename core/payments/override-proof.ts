import { createHmac, timingSafeEqual } from 'node:crypto';
import type { OverrideKeys } from '../api/operation.ts';
import { canonicalJson } from '../journal/canonical.ts';

/**
 * Proof that a régisseur authorised a cash payment over the limit. Staff accounts belong to each counter and the
 * server knows a counter by its device credential only: taken at its word, any PC could name any régisseur. So the
 * régisseur's password, typed at the counter (or at sign-in), derives a key — scrypt, with a salt of their own —
 * that signs the payment's essentials (HMAC-SHA256). The central administrator registers that key on the server
 * (server/admin-cli.ts reads the password and sends only the key); the counters receive the salt only, as a town
 * setting. The server checks each signature; an override it cannot check is recorded all the same (the cash was
 * received) and marked unproven, for the régisseur to look at. The key itself is core/auth/override-key.ts.
 */

/** What the signature covers: which payment, whose, how much, how, why, by whom and when. */
export interface OverrideEssentials {
  paymentId: string;
  householdId: string;
  amountCents: number;
  mode: string;
  reason: string;
  username: string;
  /** The time the payment was taken at the counter, ISO. */
  at: string;
}

const signedText = (e: OverrideEssentials): string =>
  canonicalJson({
    v: 1,
    paymentId: e.paymentId,
    householdId: e.householdId,
    amountCents: e.amountCents,
    mode: e.mode,
    reason: e.reason,
    username: e.username,
    at: e.at,
  });

export const signOverride = (key: Buffer, e: OverrideEssentials): string =>
  createHmac('sha256', key).update(signedText(e)).digest('base64url');

export type OverrideProof = { status: 'proven'; byName: string } | { status: 'unproven'; why: string };

/** The server's verdict on an override as a counter logged it. */
export async function checkOverride(
  keys: OverrideKeys,
  e: Omit<OverrideEssentials, 'username' | 'at'> & { username?: string | undefined; at?: string | undefined },
  signature: string | undefined,
): Promise<OverrideProof> {
  if (!e.username) return { status: 'unproven', why: 'le poste n’a pas transmis l’identifiant du régisseur' };
  if (!signature || !e.at)
    return {
      status: 'unproven',
      why: 'le poste n’a pas transmis de signature (mot de passe du régisseur non saisi, ou régisseur pas encore enregistré au serveur central)',
    };
  const registered = await keys(e.username);
  if (!registered)
    return {
      status: 'unproven',
      why: `aucun régisseur « ${e.username} » n’est enregistré au serveur central`,
    };
  const expected = Buffer.from(signOverride(registered.key, { ...e, username: e.username, at: e.at }));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given))
    return {
      status: 'unproven',
      why: `la signature ne correspond pas au mot de passe de « ${e.username} » pour ce paiement`,
    };
  return { status: 'proven', byName: registered.displayName };
}
