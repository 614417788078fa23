import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { z } from 'zod';
import { operations as contractOperations } from '../core/api/contract.ts';
import { DomainError } from '../core/api/envelope.ts';
import { validationError } from '../core/api/validation.ts';
import { executeCommand, MAX_CLOCK_DRIFT_MS } from '../core/api/execute.ts';
import type {
  Actor,
  AnyOperation,
  CommandContext,
  OverrideKeys,
  Remark,
  SessionHandle,
} from '../core/api/operation.ts';
import { createSession } from '../core/auth/session.ts';
import { seriesPrefixKey } from '../core/payments/modes.ts';
import { overrideSaltKey } from '../core/payments/override-proof.ts';
import { readSetting, writeSetting } from '../core/system/settings.ts';
import {
  MAX_PUSH_BYTES,
  pushBodySchema,
  type CommandResult,
  type PullResponse,
  type PushResponse,
  type RefusedDayResult,
  type RowChange,
} from '../core/sync/protocol.ts';
import { isFact, isPushed, LOCAL_SETTING_PREFIXES, SYNC_TABLES } from '../core/sync/tables.ts';
import { APP_VERSION } from '../core/system/operations.ts';
import { MIGRATIONS } from '../migrations/index.ts';
import { deviceReports } from './devices-report.ts';
import { healthCheck } from './health.ts';
import { portalRequestRoutes } from './portal-requests.ts';
import { nextVersion, type ServerDb, type ServerStore } from './store.ts';

z.config(z.locales.fr());

/** Pseudo-devices under which the server's own administration and the families' portal write. */
export const SERVER_DEVICE = 'serveur';
export const PORTAL_DEVICE = 'portail';

export interface SyncServerOptions {
  store: ServerStore;
  clock?: () => Date;
  /** Bearer token of the administrator who enrols devices and configures the town. */
  adminToken: string;
  /** Bearer token of the families' portal back-end. */
  portalToken: string;
  /** A device whose clock is further than this from the server's is told so. */
  maxDriftMinutes?: number;
  /** Counters with an older local schema must update before pushing. */
  minSchemaVersion?: number;
  operations?: Readonly<Record<string, AnyOperation>>;
  onInternalError?: (where: string, error: unknown) => void;
}

/** An HTTP answer: status and JSON body. */
export interface Reply {
  status: number;
  body: unknown;
}

const fr = (status: number, code: string, message: string): Reply => ({
  status,
  body: { error: { code, message } },
});

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

class Rejection extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

interface DeviceRow {
  id: string;
  name: string;
  series_prefix: string;
  revoked_at: string | null;
  last_seq: number;
}

/** The central server: the same operations as the counters, applied once each, in order, per device. */
export function createSyncServer(options: SyncServerOptions) {
  const { store } = options;
  const db: ServerDb = store.db;
  const clock = options.clock ?? (() => new Date());
  const operations: Readonly<Record<string, AnyOperation>> = options.operations ?? contractOperations;
  const maxDriftMs =
    options.maxDriftMinutes !== undefined ? options.maxDriftMinutes * 60_000 : MAX_CLOCK_DRIFT_MS;
  const minSchemaVersion = options.minSchemaVersion ?? 0;
  // The server's handlers never read the session; the counter's agent is checked where the command was made.
  const session: SessionHandle = Object.assign(
    createSession(() => 0),
    { scryptLogN: 14 },
  );

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
  const ready = ensurePseudoDevices();

  /**
   * What the administrator registered for a régisseur (`registerOverrideKey`), read when a proof is checked: in the
   * command's own transaction (on SQLite, reading through another connection would wait for it forever).
   */
  const overrideKeysIn =
    (trx: CommandContext['db']): OverrideKeys =>
    async (username) => {
      const v = await (trx as unknown as ServerDb)
        .selectFrom('override_keys')
        .select(['key', 'display_name'])
        .where('username', '=', username)
        .executeTakeFirst();
      return v ? { key: Buffer.from(v.key, 'base64'), displayName: v.display_name } : null;
    };

  /** Runs one operation inside the caller's transaction, through the same function as a counter's dispatcher. */
  async function runCommand(
    trx: CommandContext['db'],
    cmd: Incoming,
    actor: Actor,
    now: Date,
  ): Promise<{ data: unknown; input: unknown; remarks: Remark[] }> {
    const { name } = cmd;
    const op = Object.hasOwn(operations, name) ? operations[name] : undefined;
    if (!op || op.kind !== 'command' || (!isPushed(name) && actor.deviceId !== SERVER_DEVICE)) {
      throw new Rejection(
        'UNKNOWN_OPERATION',
        `Opération « ${name} » inconnue du serveur ou non synchronisée.`,
      );
    }
    const r = await executeCommand({
      db: trx,
      name,
      op,
      input: cmd.input,
      actor,
      commandId: cmd.id,
      at: new Date(cmd.at),
      now,
      session,
      backups: null,
      // A counter's command was made and judged at the counter; the server's own and the portal's are made here.
      replay: cmd.seq !== null,
      maxDriftMs,
      overrideKeys: overrideKeysIn(trx),
    });
    if (!r.ok) {
      throw new Rejection('VALIDATION', validationError(name, r.error.issues).message);
    }
    return { data: r.data, input: r.logged, remarks: r.remarks };
  }

  interface Incoming {
    seq: number | null; // null: the server numbers it (its own and the portal's commands)
    /** The counter's own device id, under which its cash sessions and series are kept on both sides. */
    localDeviceId?: string | undefined;
    id: string;
    name: string;
    input: unknown;
    agentId: string;
    agentName: string;
    at: string;
  }

  /**
   * Applies one command exactly once: in one transaction at a new server version, checks the device's sequence,
   * runs the rules, records the result and moves the device's acknowledged seq. A business refusal rolls the
   * effects back and records the refusal in a second transaction, so the queue never jams.
   */
  async function applyOne(
    deviceId: string,
    cmd: Incoming,
    /** Receives what the command answered, for the server's own callers (administration, portal). */
    sink: { data?: unknown } = {},
  ): Promise<CommandResult | { status: 'gap' } | { status: 'replay'; result: CommandResult }> {
    const now = clock();
    const actor: Actor = {
      agentId: cmd.agentId,
      agentName: cmd.agentName,
      deviceId: cmd.localDeviceId ?? deviceId,
    };
    const checkSeq = async (trx: CommandContext['db']) => {
      const d = await (trx as unknown as ServerDb)
        .selectFrom('devices')
        .select('last_seq')
        .where('id', '=', deviceId)
        .executeTakeFirstOrThrow();
      const last = Number(d.last_seq);
      const seq = cmd.seq ?? last + 1;
      if (seq <= last) return { seq, state: 'replay' as const };
      if (seq > last + 1) return { seq, state: 'gap' as const };
      return { seq, state: 'next' as const };
    };
    const record = async (
      trx: CommandContext['db'],
      seq: number,
      input: unknown,
      status: string,
      extra: { code?: string; message?: string; refused?: RefusedDayResult[] },
    ) => {
      const sdb = trx as unknown as ServerDb;
      await sdb
        .insertInto('received_commands')
        .values({
          device_id: deviceId,
          seq,
          command_id: cmd.id,
          name: cmd.name,
          input: JSON.stringify(input ?? null),
          agent_id: cmd.agentId,
          device_at: cmd.at,
          received_at: now.toISOString(),
          status,
          code: extra.code ?? null,
          message: extra.message ?? null,
          refused: extra.refused?.length ? JSON.stringify(extra.refused) : null,
        })
        .execute();
      await sdb
        .updateTable('devices')
        .set({ last_seq: seq, last_seen_at: now.toISOString() })
        .where('id', '=', deviceId)
        .execute();
    };

    let seqOf = 0;
    try {
      return await db.transaction().execute(async (trx) => {
        await nextVersion(trx);
        const s = await checkSeq(trx);
        seqOf = s.seq;
        if (s.state === 'replay')
          return {
            status: 'replay' as const,
            result: await storedResult(trx as unknown as ServerDb, deviceId, s.seq),
          };
        if (s.state === 'gap') return { status: 'gap' as const };
        const { data, input, remarks } = await runCommand(trx, cmd, actor, now);
        const refused = refusedDays(cmd.name, data);
        // A fact the rules of the moment now object to is recorded all the same; its counter is told what to look at.
        const note = remarks.length
          ? { code: remarks[0]?.code, message: remarks.map((r) => r.message).join(' ') }
          : {};
        await record(trx, s.seq, input, 'applied', { refused, ...note });
        sink.data = data;
        return {
          seq: s.seq,
          id: cmd.id,
          status: 'applied' as const,
          ...(refused.length ? { refused } : {}),
          ...(note.message ? { note: note.message, code: note.code } : {}),
        };
      });
    } catch (error) {
      if (!(error instanceof DomainError) && !(error instanceof Rejection)) throw error;
      // What is refused here broke no rule of the moment (a fact stands despite those, core/api/facts.ts): a request
      // the server judges otherwise, or a fact that fails integrity, kept as received for the régie to settle.
      const code = error.code;
      const status = isFact(cmd.name) && error instanceof DomainError ? 'held' : 'rejected';
      return db.transaction().execute(async (trx) => {
        await nextVersion(trx);
        const s = await checkSeq(trx);
        if (s.state === 'replay')
          return {
            status: 'replay' as const,
            result: await storedResult(trx as unknown as ServerDb, deviceId, s.seq),
          };
        if (s.state === 'gap') return { status: 'gap' as const };
        seqOf = s.seq;
        await record(trx, s.seq, cmd.input, status, { code, message: error.message });
        return { seq: seqOf, id: cmd.id, status, code, message: error.message } as CommandResult;
      });
    }
  }

  async function storedResult(from: ServerDb, deviceId: string, seq: number): Promise<CommandResult> {
    const r = await from
      .selectFrom('received_commands')
      .selectAll()
      .where('device_id', '=', deviceId)
      .where('seq', '=', seq)
      .executeTakeFirstOrThrow();
    return toResult(r);
  }

  function toResult(r: {
    seq: number;
    command_id: string;
    status: string;
    code: string | null;
    message: string | null;
    refused: string | null;
  }): CommandResult {
    const seq = Number(r.seq);
    if (r.status === 'applied') {
      return {
        seq,
        id: r.command_id,
        status: 'applied',
        ...(r.refused ? { refused: JSON.parse(r.refused) as RefusedDayResult[] } : {}),
        ...(r.message ? { note: r.message, code: r.code ?? 'AS_CREDIT' } : {}),
      };
    }
    return {
      seq,
      id: r.command_id,
      status: r.status as 'rejected' | 'held',
      code: r.code ?? 'INCONNU',
      message: r.message ?? '',
    };
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

  const isReply = (x: unknown): x is Reply =>
    typeof x === 'object' && x !== null && 'status' in x && 'body' in x;

  function checkAdmin(header: string | undefined, token: string): Reply | null {
    const given = Buffer.from(/^Bearer (.+)$/.exec(header ?? '')?.[1] ?? '');
    const expected = Buffer.from(token);
    if (!token || given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return fr(401, 'UNAUTHORIZED', 'Accès refusé : jeton invalide.');
    }
    return null;
  }

  async function enrolDevice(name: string) {
    await ready;
    const id = uuidv7();
    const secret = randomBytes(32).toString('base64url');
    const count = await db
      .selectFrom('devices')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    // One numbering series per counter PC, never reused: G01, G02…
    const seriesPrefix = `G${String(Number(count.n) - 1).padStart(2, '0')}`;
    await db
      .insertInto('devices')
      .values({
        id,
        name,
        series_prefix: seriesPrefix,
        secret_hash: sha256(secret),
        created_at: clock().toISOString(),
        last_seq: 0,
      })
      .execute();
    return { deviceId: id, credential: `${id}.${secret}`, seriesPrefix, name };
  }

  /**
   * The administrator registers a régisseur's override key: the key derived from their password (never the password:
   * server/admin-cli.ts derives it) and its salt. The salt goes to every counter as a town setting, the key stays here.
   * Only the admin token may do this: a counter PC's credential cannot make itself a régisseur.
   */
  async function registerOverrideKey(r: {
    username: string;
    displayName: string;
    salt: string;
    logN: number;
    key: string;
  }): Promise<void> {
    await ready;
    await db.transaction().execute(async (trx) => {
      await nextVersion(trx);
      const at = clock().toISOString();
      await trx
        .insertInto('override_keys')
        .values({ username: r.username, display_name: r.displayName, key: r.key, registered_at: at })
        .onConflict((oc) =>
          oc.column('username').doUpdateSet({ display_name: r.displayName, key: r.key, registered_at: at }),
        )
        .execute();
      await writeSetting(trx as never, overrideSaltKey(r.username), { salt: r.salt, logN: r.logN });
    });
  }

  async function revokeDevice(id: string): Promise<boolean> {
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
      const owner = await readSetting<string>(db as never, `sync.deviceOf.${local}`);
      if (owner && owner !== device.id)
        return fr(
          403,
          'FORBIDDEN',
          'Envoi refusé : ces opérations viennent d’un autre poste que celui authentifié.',
        );
      if (owner) continue;
      await db.transaction().execute(async (trx) => {
        await writeSetting(trx as never, `sync.deviceOf.${local}`, device.id);
        await writeSetting(trx as never, seriesPrefixKey(local), device.series_prefix);
      });
    }
    return null;
  }

  async function push(auth: string | undefined, raw: unknown): Promise<Reply> {
    await ready;
    const device = await authenticate(auth);
    if (isReply(device)) return device;
    if (device.revoked_at) {
      return fr(
        403,
        'DEVICE_REVOKED',
        `Ce poste (${device.name}) a été révoqué le ${device.revoked_at.slice(0, 10)} : il reste consultable mais ses opérations ne sont plus acceptées. Contactez l'administrateur.`,
      );
    }
    const parsed = pushBodySchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return fr(
        400,
        'MALFORMED',
        `Envoi mal formé, rien n'a été enregistré : ${(issue?.path ?? []).join('.') || 'corps'} — ${issue?.message ?? 'invalide'}.`,
      );
    }
    const body = parsed.data;
    if (body.deviceId !== device.id) {
      return fr(403, 'FORBIDDEN', "Envoi refusé : l'identifiant du poste ne correspond pas à son secret.");
    }
    if (body.schemaVersion < minSchemaVersion) {
      return fr(
        426,
        'VERSION_TOO_OLD',
        `Cette version de Guichet Famille (schéma ${body.schemaVersion}, ${body.appVersion}) est trop ancienne pour le serveur (schéma ${minSchemaVersion} au moins). Mettez l'application à jour : les opérations en attente sont conservées et partiront ensuite.`,
      );
    }
    for (let i = 1; i < body.commands.length; i++) {
      if ((body.commands[i]?.seq ?? 0) <= (body.commands[i - 1]?.seq ?? 0)) {
        return fr(
          400,
          'MALFORMED',
          "Envoi mal formé, rien n'a été enregistré : les numéros d'ordre ne sont pas croissants.",
        );
      }
    }
    const now = clock();
    const driftMs = body.sentAt ? new Date(body.sentAt).getTime() - now.getTime() : 0;
    const futureAt = body.commands.some((c) => new Date(c.at).getTime() - now.getTime() > maxDriftMs);
    const drifting = Math.abs(driftMs) > maxDriftMs || futureAt;
    const warning = drifting
      ? `L'horloge de ce poste s'écarte de ${Math.round(Math.abs(driftMs) / 60_000)} min de celle du serveur (plus de ${maxDriftMs / 60_000} min admises) : réglez l'heure du poste. Les délais sont jugés à l'heure du serveur, et un paiement daté dans le futur prend l'heure du serveur.`
      : null;

    const bound = await bindLocalDevice(device, body.commands);
    if (bound) return bound;
    const results: CommandResult[] = [];
    let gapAt: number | null = null;
    for (const c of body.commands) {
      const r = await applyOne(device.id, {
        seq: c.seq,
        localDeviceId: c.deviceId,
        id: c.id,
        name: c.name,
        input: c.input,
        agentId: c.agentId,
        agentName: device.name,
        at: c.at,
      });
      if (r.status === 'gap') {
        gapAt = c.seq;
        break;
      }
      if (r.status === 'replay' && r.result.id !== c.id) {
        // This number already holds another command of this device: its store went back in time (restored from a
        // backup). Acknowledging would lose the new command; the counter renumbers what the server has not got.
        const received = await db
          .selectFrom('received_commands')
          .select(['seq', 'command_id'])
          .where('device_id', '=', device.id)
          .where('seq', '>=', c.seq)
          .orderBy('seq')
          .limit(20_000)
          .execute();
        return {
          status: 409,
          body: {
            error: {
              code: 'SEQ_CONFLICT',
              message:
                'Ce poste a été restauré depuis une sauvegarde : ses opérations récentes sont renumérotées avant l’envoi (rien n’est perdu).',
            },
            lastSeq: Number(
              (
                await db
                  .selectFrom('devices')
                  .select('last_seq')
                  .where('id', '=', device.id)
                  .executeTakeFirstOrThrow()
              ).last_seq,
            ),
            received: received.map((x) => ({ seq: Number(x.seq), id: x.command_id })),
          },
        };
      }
      results.push(r.status === 'replay' ? { ...r.result, replay: true } : r);
    }
    const after = await db
      .updateTable('devices')
      // A clock months off must still be recorded (and told), not overflow the column and fail the push.
      .set({
        last_seen_at: now.toISOString(),
        last_drift_ms: Math.max(-(2 ** 31 - 1), Math.min(2 ** 31 - 1, Math.round(driftMs))),
      })
      .where('id', '=', device.id)
      .returning('last_seq')
      .executeTakeFirstOrThrow();
    const response: PushResponse = {
      lastAckedSeq: Number(after.last_seq),
      results,
      gapAt,
      clock: { serverTime: now.toISOString(), driftMs, warning },
    };
    return { status: 200, body: response };
  }

  async function pull(auth: string | undefined, since: number, acked: number, limit = 5000): Promise<Reply> {
    await ready;
    const device = await authenticate(auth);
    if (isReply(device)) return device;
    const meta = await db
      .selectFrom('sync_meta')
      .select('version')
      .where('id', '=', 1)
      .executeTakeFirstOrThrow();
    let upTo = Number(meta.version);
    let feed = await db
      .selectFrom('sync_changes')
      .select(['tbl', 'row_key', 'version'])
      .where('version', '>', since)
      .where('version', '<=', upTo)
      .orderBy('version')
      .limit(limit)
      .execute();
    let hasMore = false;
    if (feed.length === limit) {
      // Cut at a whole version, so the cursor never splits one transaction's changes.
      upTo = Number(feed.at(-1)?.version);
      hasMore = true;
      feed = await db
        .selectFrom('sync_changes')
        .select(['tbl', 'row_key', 'version'])
        .where('version', '>', since)
        .where('version', '<=', upTo)
        .orderBy('version')
        .execute();
    }
    const changes = await loadRows(
      feed.map((f) => ({ table: f.tbl, key: JSON.parse(f.row_key) as unknown[] })),
    );
    const results = await db
      .selectFrom('received_commands')
      .select(['seq', 'command_id', 'status', 'code', 'message', 'refused'])
      .where('device_id', '=', device.id)
      .where('seq', '>', acked)
      .orderBy('seq')
      .execute();
    const response: PullResponse = {
      serverVersion: upTo,
      hasMore,
      lastAckedSeq: device.last_seq,
      results: results.map(toResult),
      changes,
      revoked: device.revoked_at !== null,
    };
    return { status: 200, body: response };
  }

  async function loadRows(keys: { table: string; key: unknown[] }[]): Promise<RowChange[]> {
    const out: RowChange[] = [];
    for (const t of SYNC_TABLES) {
      const mine = keys.filter((k) => k.table === t.name);
      if (!mine.length) continue;
      const found = new Map<string, Record<string, unknown>>();
      const keyOf = (row: Record<string, unknown>) => JSON.stringify(t.key.map((c) => row[c]));
      if (t.key.length === 1) {
        const col = t.key[0] as string;
        for (let i = 0; i < mine.length; i += 500) {
          const ids = mine.slice(i, i + 500).map((k) => k.key[0]);
          const rows = await sql<
            Record<string, unknown>
          >`SELECT * FROM ${sql.table(t.name)} WHERE ${sql.ref(col)} IN (${sql.join(ids)})`.execute(db);
          for (const row of rows.rows) found.set(keyOf(row), row);
        }
      } else {
        for (const k of mine) {
          const where = sql.join(
            t.key.map((c, i) => sql`${sql.ref(c)} = ${k.key[i]}`),
            sql` AND `,
          );
          const rows = await sql<
            Record<string, unknown>
          >`SELECT * FROM ${sql.table(t.name)} WHERE ${where}`.execute(db);
          for (const row of rows.rows) found.set(keyOf(row), row);
        }
      }
      for (const k of mine) {
        const row = found.get(JSON.stringify(k.key)) ?? null;
        if (t.name === 'settings' && LOCAL_SETTING_PREFIXES.some((p) => String(k.key[0]).startsWith(p)))
          continue;
        out.push({ table: t.name, key: k.key, row });
      }
    }
    return out;
  }

  const portalSchema = z.object({
    action: z.enum(['book', 'cancel']),
    householdId: z.string().min(1),
    childId: z.string().min(1),
    activityId: z.string().min(1),
    siteId: z.string().min(1),
    unitCodes: z.array(z.string()).min(1),
    selection: z.unknown(),
  });

  /** A family books or cancels online: the family rules, the server's clock, no override. */
  async function portalBooking(auth: string | undefined, raw: unknown): Promise<Reply> {
    await ready;
    const denied = checkAdmin(auth, options.portalToken);
    if (denied) return denied;
    const parsed = portalSchema.safeParse(raw);
    if (!parsed.success)
      return fr(400, 'MALFORMED', `Demande mal formée : ${parsed.error.issues[0]?.message ?? ''}.`);
    const { action, householdId, ...request } = parsed.data;
    const child = await db
      .selectFrom('children')
      .select('household_id')
      .where('id', '=', request.childId)
      .executeTakeFirst();
    if (!child || child.household_id !== householdId) {
      return fr(403, 'FORBIDDEN', "Cet enfant n'appartient pas à votre foyer.");
    }
    const name = action === 'book' ? 'booking.book' : 'booking.cancel';
    const sink: { data?: unknown } = {};
    const r = await applyOne(
      PORTAL_DEVICE,
      {
        seq: null,
        id: uuidv7(),
        name,
        input: { ...request, origin: 'portal', overrideReason: null },
        agentId: `famille:${householdId}`,
        agentName: 'Famille (portail)',
        at: clock().toISOString(),
      },
      sink,
    );
    if (r.status === 'applied') return { status: 200, body: { ok: true, plan: sink.data } };
    if (r.status === 'rejected' || r.status === 'held') return fr(422, r.code, r.message);
    return fr(409, 'CONFLICT', 'Demande concurrente : réessayez.');
  }

  /** The town's own set-up, done centrally by the administrator (also what tests seed through). */
  async function adminCommand(name: string, input: unknown): Promise<unknown> {
    await ready;
    const sink: { data?: unknown } = {};
    const r = await applyOne(
      SERVER_DEVICE,
      {
        seq: null,
        id: uuidv7(),
        name,
        input,
        agentId: 'admin-central',
        agentName: 'Administration centrale',
        at: clock().toISOString(),
      },
      sink,
    );
    if (r.status === 'rejected' || r.status === 'held') throw new Error(`${name}: ${r.code} ${r.message}`);
    if (r.status !== 'applied') throw new Error(`${name}: ${r.status}`);
    return sink.data;
  }

  /** Server-side commands include the administration ones, which counters never push. */
  const adminOps = new Set(Object.keys(operations).filter((n) => !isPushed(n)));

  const portalRequests = portalRequestRoutes({
    db,
    ready,
    clock,
    checkPortal: (auth) => checkAdmin(auth, options.portalToken),
    applyAsPortal: (cmd, sink) => applyOne(PORTAL_DEVICE, { seq: null, ...cmd }, sink),
  });

  // Operations' view of the server (server/health.ts, server/devices-report.ts): the probe, and each PC's state.
  const health = healthCheck({
    db,
    dialect: store.dialect,
    appVersion: APP_VERSION,
    expectedSchemaVersion: MIGRATIONS.at(-1)?.version ?? 0,
    clock,
    onFailure: (error) => options.onInternalError?.('/healthz', error),
  });
  const reports = deviceReports({
    db,
    clock,
    ready,
    authenticate,
    checkAdmin: (auth) => checkAdmin(auth, options.adminToken),
    onError: (error) => options.onInternalError?.('rapport des postes', error),
  });

  async function route(req: IncomingMessage, body: unknown): Promise<Reply> {
    const url = new URL(req.url ?? '/', 'http://serveur');
    const auth = req.headers.authorization;
    if (req.method === 'GET' && url.pathname === '/healthz') return health();
    if (req.method === 'GET' && url.pathname === '/admin/devices') return reports.list(auth);
    const fromPc = `${req.method} ${url.pathname}`;
    if (fromPc === 'POST /push' || fromPc === 'GET /pull' || fromPc === 'GET /device')
      await reports.noteContact(req, auth, fromPc === 'POST /push' ? body : null);
    const fromPortal = await portalRequests(req.method, url, auth, body);
    if (fromPortal) return fromPortal;
    if (req.method === 'POST' && url.pathname === '/push') return push(auth, body);
    if (req.method === 'GET' && url.pathname === '/pull') {
      const since = Number(url.searchParams.get('since') ?? 0);
      const acked = Number(url.searchParams.get('acked') ?? 0);
      const limit = Math.min(20_000, Math.max(1, Number(url.searchParams.get('limit') ?? 5000)));
      if (!Number.isInteger(since) || since < 0 || !Number.isInteger(acked)) {
        return fr(400, 'MALFORMED', 'Curseur de synchronisation invalide.');
      }
      return pull(auth, since, acked, limit);
    }
    if (req.method === 'GET' && url.pathname === '/device') {
      // What a counter learns when it is connected: its name and numbering series, and whether it is revoked.
      const device = await authenticate(auth);
      if (isReply(device)) return device;
      return {
        status: 200,
        body: {
          deviceId: device.id,
          name: device.name,
          seriesPrefix: device.series_prefix,
          revoked: device.revoked_at !== null,
          serverTime: clock().toISOString(),
        },
      };
    }
    if (req.method === 'POST' && url.pathname === '/devices') {
      const denied = checkAdmin(auth, options.adminToken);
      if (denied) return denied;
      const name = z.object({ name: z.string().trim().min(1).max(80) }).safeParse(body);
      if (!name.success) return fr(400, 'MALFORMED', 'Nom du poste attendu.');
      return { status: 201, body: await enrolDevice(name.data.name) };
    }
    const revoke = /^\/devices\/([^/]+)\/revoke$/.exec(url.pathname);
    if (req.method === 'POST' && revoke) {
      const denied = checkAdmin(auth, options.adminToken);
      if (denied) return denied;
      return (await revokeDevice(decodeURIComponent(revoke[1] as string)))
        ? { status: 200, body: { revoked: true } }
        : fr(404, 'NOT_FOUND', 'Poste introuvable ou déjà révoqué.');
    }
    if (req.method === 'POST' && url.pathname === '/admin/override-keys') {
      const denied = checkAdmin(auth, options.adminToken);
      if (denied) return denied;
      const b = overrideKeySchema.safeParse(body);
      if (!b.success)
        return fr(
          400,
          'MALFORMED',
          `Enregistrement mal formé : ${(b.error.issues[0]?.path ?? []).join('.') || 'corps'} — ${b.error.issues[0]?.message ?? 'invalide'}.`,
        );
      await registerOverrideKey(b.data);
      return { status: 201, body: { registered: b.data.username } };
    }
    if (req.method === 'POST' && url.pathname === '/admin/command') {
      const denied = checkAdmin(auth, options.adminToken);
      if (denied) return denied;
      const b = z.object({ name: z.string(), input: z.unknown() }).safeParse(body);
      if (!b.success) return fr(400, 'MALFORMED', 'Commande attendue : { name, input }.');
      if (!adminOps.has(b.data.name) && !isPushed(b.data.name))
        return fr(404, 'UNKNOWN_OPERATION', 'Opération inconnue.');
      try {
        return { status: 200, body: await adminCommand(b.data.name, b.data.input) };
      } catch (error) {
        return fr(422, 'REJECTED', (error as Error).message);
      }
    }
    if (req.method === 'POST' && url.pathname === '/portal/bookings') return portalBooking(auth, body);
    return fr(404, 'NOT_FOUND', 'Adresse inconnue.');
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let reply: Reply;
    try {
      const text = await readBody(req, MAX_PUSH_BYTES);
      if (text === null) {
        reply = fr(
          413,
          'TOO_LARGE',
          `Envoi trop volumineux (plus de ${MAX_PUSH_BYTES / 1024 / 1024} Mo) : rien n'a été enregistré.`,
        );
      } else {
        let body: unknown = null;
        try {
          body = text ? JSON.parse(text) : null;
        } catch {
          reply = fr(400, 'MALFORMED', "Envoi illisible (JSON invalide) : rien n'a été enregistré.");
          return send(res, reply);
        }
        reply = await route(req, body);
      }
    } catch (error) {
      options.onInternalError?.(req.url ?? '', error);
      reply = fr(
        503,
        'INTERNAL',
        'Le serveur n’a pas pu enregistrer cet envoi : il sera renvoyé automatiquement.',
      );
    }
    send(res, reply);
  }

  async function listen(
    port = 0,
    host = '127.0.0.1',
  ): Promise<{ url: string; server: Server; close(): Promise<void> }> {
    const server = createServer((req, res) => void handle(req, res));
    // A counter may spend seconds rebasing after a big pull before its next request: keep its connection, so that
    // request does not race the idle timeout and come back « serveur injoignable ».
    server.keepAliveTimeout = 65_000;
    await new Promise<void>((resolve) => server.listen(port, host, resolve));
    const address = server.address() as AddressInfo;
    return {
      url: `http://${host}:${address.port}`,
      server,
      close: () =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    };
  }

  /** A read on the server's store (tests and the bench). */
  async function query(name: string, input: unknown): Promise<unknown> {
    const op = operations[name];
    if (!op || op.kind !== 'query') throw new Error(`${name}: pas une requête`);
    return op.run(
      {
        db: db as never,
        actor: { agentId: 'admin-central', agentName: 'Administration centrale', deviceId: SERVER_DEVICE },
        now: clock(),
        session,
        backups: null,
      },
      op.input.parse(input),
    );
  }

  return {
    push,
    pull,
    portalBooking,
    enrolDevice,
    registerOverrideKey,
    revokeDevice,
    adminCommand,
    query,
    handle,
    listen,
    ready,
    db,
    /** The PC a request authenticated as (its name), for the request's journal line. */
    requestDevice: reports.deviceOf,
  };
}

export type SyncServer = ReturnType<typeof createSyncServer>;

/** A régisseur's override key as server/admin-cli.ts sends it: the username, the salt and the derived key only. */
const overrideKeySchema = z.object({
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

/** Days a booking or cancellation plan refused, in the shape a counter can show. */
function refusedDays(name: string, data: unknown): RefusedDayResult[] {
  if (name !== 'booking.book' && name !== 'booking.cancel') return [];
  const refused = (data as { refused?: { date: string; unitCode: string; code: string; reason: string }[] })
    .refused;
  return (refused ?? []).map((r) => ({ date: r.date, unitCode: r.unitCode, code: r.code, reason: r.reason }));
}

function readBody(req: IncomingMessage, max: number): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? null : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, reply: Reply): void {
  const text = JSON.stringify(reply.body);
  res.writeHead(reply.status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(text);
}
