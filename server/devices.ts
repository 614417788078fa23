import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import { readSetting, writeSetting } from '../core/db/settings.ts';
import { seriesPrefixKey } from '../core/system/device-keys.ts';
import { fr, type Reply } from './http.ts';
import { beginWrite, writeTransaction, type ServerDb } from './store.ts';

/** Pseudo-devices under which the server's own administration and the families' portal write. */
export const SERVER_DEVICE = 'serveur';
export const PORTAL_DEVICE = 'portail';

export interface DeviceRow {
  id: string;
  name: string;
  series_prefix: string;
  revoked_at: string | null;
  last_seq: number;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** Whether a bearer header carries `token` (the administrator's, the portal's): null when it does. */
export function checkToken(header: string | undefined, token: string): Reply | null {
  const given = Buffer.from(/^Bearer (.+)$/.exec(header ?? '')?.[1] ?? '');
  const expected = Buffer.from(token);
  if (!token || given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return fr(401, 'UNAUTHORIZED', 'Accès refusé : jeton invalide.');
  }
  return null;
}

/**
 * The counter PCs the server knows: enrolled by the administrator with a secret of their own and a numbering series
 * never reused, authenticated on every request, revoked (read-only) at will.
 */
export function devices(db: ServerDb, clock: () => Date) {
  async function ensurePseudoDevices() {
    const at = clock().toISOString();
    for (const [id, name] of [
      [SERVER_DEVICE, 'Administration centrale'],
      [PORTAL_DEVICE, 'Portail familles'],
    ] as const) {
      await db
        .insertInto('devices')
        .values({ id, name, series_prefix: id.toUpperCase(), secret_hash: '', created_at: at, last_seq: 0 })
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
    }
  }

  async function authenticate(header: string | undefined): Promise<DeviceRow | Reply> {
    const token = /^Bearer (.+)$/.exec(header ?? '')?.[1];
    const [id, secret] = token?.split('.') ?? [];
    if (!id || !secret)
      return fr(401, 'UNAUTHORIZED', 'Poste non authentifié : identifiant de poste manquant.');
    const d = await db
      .selectFrom('devices')
      .select(['id', 'name', 'series_prefix', 'revoked_at', 'last_seq', 'secret_hash'])
      .where('id', '=', id)
      .executeTakeFirst();
    const expected = Buffer.from(d?.secret_hash ?? '', 'hex');
    const given = Buffer.from(sha256(secret), 'hex');
    if (!d || expected.length !== given.length || !timingSafeEqual(expected, given)) {
      return fr(401, 'UNAUTHORIZED', 'Poste non reconnu par le serveur : identifiant ou secret invalide.');
    }
    return {
      id: d.id,
      name: d.name,
      series_prefix: d.series_prefix,
      revoked_at: d.revoked_at,
      last_seq: Number(d.last_seq),
    };
  }

  async function enrol(name: string) {
    const id = uuidv7();
    const secret = randomBytes(32).toString('base64url');
    // Two PCs enrolled at once (two administrators, two server processes) must not both take the next prefix.
    const seriesPrefix = await writeTransaction(db, async (trx) => {
      await beginWrite(trx);
      const count = await trx
        .selectFrom('devices')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      // One numbering series per counter PC, never reused: G01, G02…
      const prefix = `G${String(Number(count.n) - 1).padStart(2, '0')}`;
      await trx
        .insertInto('devices')
        .values({
          id,
          name,
          series_prefix: prefix,
          secret_hash: sha256(secret),
          created_at: clock().toISOString(),
          last_seq: 0,
        })
        .execute();
      return prefix;
    });
    return { deviceId: id, credential: `${id}.${secret}`, seriesPrefix, name };
  }

  async function revoke(id: string): Promise<boolean> {
    const r = await db
      .updateTable('devices')
      .set({ revoked_at: clock().toISOString() })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  /**
   * A counter's records are kept under its own device id on both sides (its cash sessions, its series). The first
   * id a device pushes under is bound to it, with the series prefix the server gave it; another device may not
   * push under that id.
   */
  async function bindLocalDevice(device: DeviceRow, commands: { deviceId?: string | undefined }[]) {
    const ids = [...new Set(commands.map((c) => c.deviceId).filter((x): x is string => !!x))];
    for (const local of ids) {
      const owner = await readSetting<string>(db, `sync.deviceOf.${local}`);
      if (owner && owner !== device.id)
        return fr(
          403,
          'FORBIDDEN',
          'Envoi refusé : ces opérations viennent d’un autre poste que celui authentifié.',
        );
      if (owner) continue;
      await writeTransaction(db, async (trx) => {
        await writeSetting(trx, `sync.deviceOf.${local}`, device.id);
        await writeSetting(trx, seriesPrefixKey(local), device.series_prefix);
      });
    }
    return null;
  }

  return { ensurePseudoDevices, authenticate, enrol, revoke, bindLocalDevice };
}

export type Devices = ReturnType<typeof devices>;
