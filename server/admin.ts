import { v7 as uuidv7 } from 'uuid';
import { z } from 'zod';
import { executeQuery } from '../core/api/execute.ts';
import { lookUp, type AnyOperation, type SessionHandle } from '../core/api/operation.ts';
import { overrideSaltKey } from '../core/auth/override-key.ts';
import { writeSetting } from '../core/db/settings.ts';
import type { Applier } from './apply.ts';
import { SERVER_DEVICE } from './devices.ts';
import { beginWrite, writeTransaction, type ServerDb } from './store.ts';

/** A régisseur's override key as server/admin-cli.ts sends it: the username, the salt and the derived key only. */
export const overrideKeySchema = z.object({
  username: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[a-z0-9._-]{2,40}$/),
  displayName: z.string().trim().min(1).max(120),
  salt: z.base64().min(16).max(100),
  logN: z.int().min(10).max(20),
  key: z
    .base64()
    .refine((k) => Buffer.from(k, 'base64').length === 32, { message: 'clé de 32 octets attendue' }),
});

const CENTRAL = { agentId: 'admin-central', agentName: 'Administration centrale', deviceId: SERVER_DEVICE };

/**
 * The town's administration, done centrally: its set-up as commands under the server's own pseudo-device (also
 * what tests seed through), the régisseurs' override keys, and reads of the server's store.
 */
export function administration(deps: {
  db: ServerDb;
  clock: () => Date;
  operations: Readonly<Record<string, AnyOperation>>;
  session: SessionHandle;
  applier: Applier;
}) {
  const { db, clock, session } = deps;

  async function adminCommand(name: string, input: unknown): Promise<unknown> {
    const sink: { data?: unknown } = {};
    const r = await deps.applier.applyOne(
      SERVER_DEVICE,
      {
        seq: null,
        id: uuidv7(),
        name,
        input,
        agentId: CENTRAL.agentId,
        agentName: CENTRAL.agentName,
        at: clock().toISOString(),
      },
      sink,
    );
    if (r.status === 'rejected' || r.status === 'held') throw new Error(`${name}: ${r.code} ${r.message}`);
    if (r.status !== 'applied') throw new Error(`${name}: ${r.status}`);
    return sink.data;
  }

  /**
   * The administrator registers a régisseur's override key: the key derived from their password (never the
   * password: server/admin-cli.ts derives it) and its salt. The salt goes to every counter as a town setting, the
   * key stays here. Only the admin token may do this: a counter PC's credential cannot make itself a régisseur.
   */
  async function registerOverrideKey(r: z.output<typeof overrideKeySchema>): Promise<void> {
    await writeTransaction(db, async (trx) => {
      await beginWrite(trx);
      const at = clock().toISOString();
      await trx
        .insertInto('override_keys')
        .values({ username: r.username, display_name: r.displayName, key: r.key, registered_at: at })
        .onConflict((oc) =>
          oc.column('username').doUpdateSet({ display_name: r.displayName, key: r.key, registered_at: at }),
        )
        .execute();
      await writeSetting(trx, overrideSaltKey(r.username), { salt: r.salt, logN: r.logN });
    });
  }

  /** A read on the server's store (tests and the bench), through the same function as a counter's queries. */
  async function query(name: string, input: unknown): Promise<unknown> {
    const op = lookUp(deps.operations, name);
    if (op?.kind !== 'query') throw new Error(`${name}: pas une requête`);
    const r = await executeQuery({
      db,
      name,
      op,
      input,
      actor: CENTRAL,
      now: clock(),
      session,
      backups: null,
    });
    if (!r.ok) throw r.error;
    return r.data;
  }

  return { adminCommand, registerOverrideKey, query };
}
