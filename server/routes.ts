import type { IncomingMessage } from 'node:http';
import { z } from 'zod';
import { lookUp, type AnyOperation } from '../core/api/operation.ts';
import { overrideKeySchema } from './admin.ts';
import { checkToken, type DeviceRow } from './devices.ts';
import { fr, isReply, type Reply } from './http.ts';

/** What each address of the server answers with. */
export interface RouteHandlers {
  /** GET /healthz, without authentication (server/health.ts). */
  health(): Promise<Reply>;
  /** GET /admin/devices: each PC's state, for the administrator (server/devices-report.ts). */
  devicesReport(auth: string | undefined): Promise<Reply>;
  /** Notes that a PC called (push, pull, /device), for the devices report. */
  noteContact(req: IncomingMessage, auth: string | undefined, body: unknown): Promise<void>;
  adminToken: string;
  clock: () => Date;
  operations: Readonly<Record<string, AnyOperation>>;
  push(auth: string | undefined, body: unknown): Promise<Reply>;
  pull(auth: string | undefined, since: number, acked: number, limit: number): Promise<Reply>;
  authenticate(auth: string | undefined): Promise<DeviceRow | Reply>;
  enrolDevice(name: string): Promise<unknown>;
  revokeDevice(id: string): Promise<boolean>;
  registerOverrideKey(r: z.output<typeof overrideKeySchema>): Promise<void>;
  adminCommand(name: string, input: unknown): Promise<unknown>;
  portalBooking(auth: string | undefined, body: unknown): Promise<Reply>;
  /** The families' requests (server/portal-requests.ts): null for any other address. */
  portalRequests(
    method: string | undefined,
    url: URL,
    auth: string | undefined,
    body: unknown,
  ): Promise<Reply | null>;
}

/** The server's addresses: the counters' sync, the administrator's, the families' portal. */
export function routes(h: RouteHandlers) {
  const admin = (auth: string | undefined) => checkToken(auth, h.adminToken);

  return async function route(req: IncomingMessage, body: unknown): Promise<Reply> {
    const url = new URL(req.url ?? '/', 'http://serveur');
    const auth = req.headers.authorization;
    if (req.method === 'GET' && url.pathname === '/healthz') return h.health();
    if (req.method === 'GET' && url.pathname === '/admin/devices') return h.devicesReport(auth);
    const fromPc = `${req.method} ${url.pathname}`;
    if (fromPc === 'POST /push' || fromPc === 'GET /pull' || fromPc === 'GET /device')
      await h.noteContact(req, auth, fromPc === 'POST /push' ? body : null);
    const fromPortal = await h.portalRequests(req.method, url, auth, body);
    if (fromPortal) return fromPortal;
    if (req.method === 'POST' && url.pathname === '/push') return h.push(auth, body);
    if (req.method === 'GET' && url.pathname === '/pull') {
      const since = Number(url.searchParams.get('since') ?? 0);
      const acked = Number(url.searchParams.get('acked') ?? 0);
      const limit = Math.min(20_000, Math.max(1, Number(url.searchParams.get('limit') ?? 5000)));
      if (!Number.isInteger(since) || since < 0 || !Number.isInteger(acked)) {
        return fr(400, 'MALFORMED', 'Curseur de synchronisation invalide.');
      }
      return h.pull(auth, since, acked, limit);
    }
    if (req.method === 'GET' && url.pathname === '/device') {
      // What a counter learns when it is connected: its name and numbering series, and whether it is revoked.
      const device = await h.authenticate(auth);
      if (isReply(device)) return device;
      return {
        status: 200,
        body: {
          deviceId: device.id,
          name: device.name,
          seriesPrefix: device.series_prefix,
          revoked: device.revoked_at !== null,
          serverTime: h.clock().toISOString(),
        },
      };
    }
    if (req.method === 'POST' && url.pathname === '/devices') {
      const denied = admin(auth);
      if (denied) return denied;
      const name = z.object({ name: z.string().trim().min(1).max(80) }).safeParse(body);
      if (!name.success) return fr(400, 'MALFORMED', 'Nom du poste attendu.');
      return { status: 201, body: await h.enrolDevice(name.data.name) };
    }
    const revoke = /^\/devices\/([^/]+)\/revoke$/.exec(url.pathname);
    if (req.method === 'POST' && revoke) {
      const denied = admin(auth);
      if (denied) return denied;
      return (await h.revokeDevice(decodeURIComponent(revoke[1] as string)))
        ? { status: 200, body: { revoked: true } }
        : fr(404, 'NOT_FOUND', 'Poste introuvable ou déjà révoqué.');
    }
    if (req.method === 'POST' && url.pathname === '/admin/override-keys') {
      const denied = admin(auth);
      if (denied) return denied;
      const b = overrideKeySchema.safeParse(body);
      if (!b.success)
        return fr(
          400,
          'MALFORMED',
          `Enregistrement mal formé : ${(b.error.issues[0]?.path ?? []).join('.') || 'corps'} — ${b.error.issues[0]?.message ?? 'invalide'}.`,
        );
      await h.registerOverrideKey(b.data);
      return { status: 201, body: { registered: b.data.username } };
    }
    if (req.method === 'POST' && url.pathname === '/admin/command') {
      const denied = admin(auth);
      if (denied) return denied;
      const b = z.object({ name: z.string(), input: z.unknown() }).safeParse(body);
      if (!b.success) return fr(400, 'MALFORMED', 'Commande attendue : { name, input }.');
      // The administration's own commands (the town's set-up) as well as those the counters push; what is no
      // command is refused by the one path that applies them.
      if (!lookUp(h.operations, b.data.name)) return fr(404, 'UNKNOWN_OPERATION', 'Opération inconnue.');
      try {
        return { status: 200, body: await h.adminCommand(b.data.name, b.data.input) };
      } catch (error) {
        return fr(422, 'REJECTED', (error as Error).message);
      }
    }
    if (req.method === 'POST' && url.pathname === '/portal/bookings') return h.portalBooking(auth, body);
    return fr(404, 'NOT_FOUND', 'Adresse inconnue.');
  };
}
