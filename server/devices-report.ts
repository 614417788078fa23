import type { IncomingMessage } from 'node:http';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { townTimeZone } from '../core/time.ts';
import type { ServerDb } from './store.ts';

/** The parts of an HTTP answer this module needs (server.ts's Reply). */
interface Reply {
  status: number;
  body: unknown;
}

/**
 * What each PC last told the server about itself, kept apart from `devices` (whose columns the sync owns): when it
 * last called, which version it runs, and the highest operation number it has presented, which against the last
 * number the server accepted gives what it still holds unsent or stuck.
 */
interface ReportTables {
  device_reports: {
    device_id: string;
    last_contact_at: string;
    app_version: string | null;
    schema_version: number | null;
    announced_seq: number | null;
  };
}

/** One PC, as `GET /admin/devices` lists it (and `admin-cli devices` prints it). */
export interface DeviceReport {
  id: string;
  name: string;
  seriesPrefix: string;
  enrolledAt: string;
  revokedAt: string | null;
  /** Its last request of any kind (push, pull, connection check). */
  lastContactAt: string | null;
  /** The last time operations of its were accepted. */
  lastPushAt: string | null;
  appVersion: string | null;
  schemaVersion: number | null;
  /** The number of its last operation the server accepted, in order. */
  lastSeq: number;
  /** Operations it presented that the server has not accepted yet (a push that failed, a gap in the numbering). */
  pending: number;
  /** Requests the server refused (a booking on a full day…): the PC shows them to its agents. */
  refused: number;
  /** Facts the rules refused, kept as they happened for the régie to settle. */
  held: number;
  clockDriftMs: number | null;
}

export interface DeviceReportsDeps {
  db: ServerDb;
  clock: () => Date;
  ready: Promise<unknown>;
  /** The server's own authentication of a PC's credential: a device, or the reply refusing it. */
  authenticate: (auth: string | undefined) => Promise<{ id: string; name: string } | Reply>;
  checkAdmin: (auth: string | undefined) => Reply | null;
  onError?: (error: unknown) => void;
}

/** Pseudo-devices the server writes under itself (server.ts): not PCs. */
const PSEUDO_DEVICES = ['serveur', 'portail'];

/** A PC polls every few seconds: its contact is written at most this often, unless what it reports changed. */
const CONTACT_EVERY_MS = 30_000;

const pushHead = z.object({
  schemaVersion: z.int().min(0).optional(),
  appVersion: z.string().max(40).optional(),
  commands: z.array(z.object({ seq: z.int().min(1) }).loose()).optional(),
});

export function deviceReports(deps: DeviceReportsDeps) {
  const db = deps.db as unknown as Kysely<ReportTables>;
  const requestDevice = new WeakMap<IncomingMessage, string>();
  const lastWrite = new Map<string, { at: number; key: string }>();
  // Created on first use, not at construction: a server closed before any PC called never touches its store.
  let created: Promise<unknown> | null = null;
  const ensureTable = () =>
    (created ??= deps.ready
      .then(() =>
        db.schema
          .createTable('device_reports')
          .ifNotExists()
          .addColumn('device_id', 'text', (c) => c.primaryKey())
          .addColumn('last_contact_at', 'text', (c) => c.notNull())
          .addColumn('app_version', 'text')
          .addColumn('schema_version', 'integer')
          .addColumn('announced_seq', 'integer')
          .execute(),
      )
      .catch((error: unknown) => {
        // Server processes side by side on one PostgreSQL: IF NOT EXISTS does not stop two from creating the table at
        // the same instant, and the loser is told the type already exists (23505) — the table is there all the same.
        if ((error as { code?: unknown } | null)?.code === '23505') return;
        created = null;
        throw error;
      }));

  /**
   * Notes a PC's call before the server handles it, so that a push the server then fails on still shows as
   * pending. Never throws: the PC's request matters more than the report.
   */
  async function noteContact(
    req: IncomingMessage,
    auth: string | undefined,
    pushBody: unknown,
  ): Promise<void> {
    try {
      await ensureTable();
      const device = await deps.authenticate(auth);
      if ('status' in device) return;
      requestDevice.set(req, device.name);
      const head = pushBody === null ? null : pushHead.safeParse(pushBody);
      const report = head?.success ? head.data : null;
      const announced = report?.commands?.length ? Math.max(...report.commands.map((c) => c.seq)) : null;
      const at = deps.clock();
      const key = JSON.stringify([report?.appVersion ?? null, report?.schemaVersion ?? null, announced]);
      const previous = lastWrite.get(device.id);
      if (!report && previous && at.getTime() - previous.at < CONTACT_EVERY_MS) return;
      if (report && previous?.key === key && at.getTime() - previous.at < CONTACT_EVERY_MS) return;
      lastWrite.set(device.id, { at: at.getTime(), key });
      const values = {
        device_id: device.id,
        last_contact_at: at.toISOString(),
        ...(report?.appVersion !== undefined ? { app_version: report.appVersion } : {}),
        ...(report?.schemaVersion !== undefined ? { schema_version: report.schemaVersion } : {}),
        ...(announced !== null ? { announced_seq: announced } : {}),
      };
      const { device_id: _id, ...update } = values;
      await db
        .insertInto('device_reports')
        .values(values)
        .onConflict((oc) => oc.column('device_id').doUpdateSet(update))
        .execute();
    } catch (error) {
      deps.onError?.(error);
    }
  }

  async function list(auth: string | undefined): Promise<Reply> {
    const denied = deps.checkAdmin(auth);
    if (denied) return denied;
    await ensureTable();
    const sdb = deps.db;
    const devices = await sdb
      .selectFrom('devices')
      .select([
        'id',
        'name',
        'series_prefix',
        'created_at',
        'revoked_at',
        'last_seq',
        'last_seen_at',
        'last_drift_ms',
      ])
      .where('id', 'not in', PSEUDO_DEVICES)
      .orderBy('series_prefix')
      .execute();
    const reports = await db.selectFrom('device_reports').selectAll().execute();
    const counts = await sdb
      .selectFrom('received_commands')
      .select(['device_id', 'status', (eb) => eb.fn.countAll<number>().as('n')])
      .where('status', 'in', ['rejected', 'held'])
      .groupBy(['device_id', 'status'])
      .execute();
    const count = (id: string, status: string) =>
      Number(counts.find((c) => c.device_id === id && c.status === status)?.n ?? 0);
    const body: DeviceReport[] = devices.map((d) => {
      const r = reports.find((x) => x.device_id === d.id);
      const lastSeq = Number(d.last_seq);
      const contact = [r?.last_contact_at, d.last_seen_at].filter((x): x is string => !!x).sort();
      return {
        id: d.id,
        name: d.name,
        seriesPrefix: d.series_prefix,
        enrolledAt: d.created_at,
        revokedAt: d.revoked_at,
        lastContactAt: contact.at(-1) ?? null,
        lastPushAt: d.last_seen_at,
        appVersion: r?.app_version ?? null,
        schemaVersion: r?.schema_version == null ? null : Number(r.schema_version),
        lastSeq,
        pending: Math.max(0, Number(r?.announced_seq ?? 0) - lastSeq),
        refused: count(d.id, 'rejected'),
        held: count(d.id, 'held'),
        clockDriftMs: d.last_drift_ms == null ? null : Number(d.last_drift_ms),
      };
    });
    // Times are shown to the town's administrator on the town's clock, not the server machine's.
    return { status: 200, body: { devices: body, timeZone: await townTimeZone(deps.db) } };
  }

  return {
    noteContact,
    list,
    /** The name of the PC a request authenticated as, for the request's journal line. */
    deviceOf: (req: IncomingMessage) => requestDevice.get(req),
  };
}
