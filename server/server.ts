import { z } from 'zod';
import { MAX_CLOCK_DRIFT_MS } from '../core/api/execute.ts';
import type { AnyOperation, SessionHandle } from '../core/api/operation.ts';
import { createSession } from '../core/auth/session.ts';
import { operations as contractOperations } from '../core/contract.ts';
import { APP_VERSION } from '../core/system/operations.ts';
import { MIGRATIONS } from '../migrations/index.ts';
import { administration } from './admin.ts';
import { applier } from './apply.ts';
import { deviceReports } from './devices-report.ts';
import { checkToken, devices, PORTAL_DEVICE } from './devices.ts';
import { pullRoute } from './feed.ts';
import { healthCheck } from './health.ts';
import { httpHandler, listenOn } from './http.ts';
import { portalBookingRoute } from './portal-bookings.ts';
import { portalRequestRoutes } from './portal-requests.ts';
import { pushRoute } from './push.ts';
import { routes } from './routes.ts';
import type { ServerStore } from './store.ts';

z.config(z.locales.fr());

export { PORTAL_DEVICE, SERVER_DEVICE } from './devices.ts';
export type { Reply } from './http.ts';

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

/**
 * The central server: the same operations as the counters, applied once each, in order, per device. Its parts, by
 * job: devices.ts (enrol, authenticate, bind, revoke), apply.ts (a command applied exactly once), push.ts and
 * feed.ts (the counters' push and pull), admin.ts and the portal's routes, routes.ts and http.ts (the addresses and
 * the plumbing).
 */
export function createSyncServer(options: SyncServerOptions) {
  const { store } = options;
  const { db } = store;
  const clock = options.clock ?? (() => new Date());
  const operations = options.operations ?? contractOperations;
  const maxDriftMs =
    options.maxDriftMinutes !== undefined ? options.maxDriftMinutes * 60_000 : MAX_CLOCK_DRIFT_MS;
  // The server's handlers never read the session; the counter's agent is checked where the command was made.
  const session: SessionHandle = Object.assign(
    createSession(() => 0),
    { scryptLogN: 14 },
  );
  const device = devices(db, clock);
  const ready = device.ensurePseudoDevices();
  /** Everything waits for the pseudo-devices the server and the portal write under. */
  const afterReady =
    <A extends unknown[], R>(f: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      await ready;
      return f(...args);
    };

  const apply = applier({ db, clock, operations, session, maxDriftMs });
  const admin = administration({ db, clock, operations, session, applier: apply });
  const checkPortal = (auth: string | undefined) => checkToken(auth, options.portalToken);
  const push = afterReady(
    pushRoute({
      db,
      clock,
      devices: device,
      applier: apply,
      maxDriftMs,
      minSchemaVersion: options.minSchemaVersion ?? 0,
    }),
  );
  const pull = afterReady(pullRoute(db, device));
  const portalBooking = afterReady(portalBookingRoute({ db, clock, checkPortal, applier: apply }));
  const enrolDevice = afterReady(device.enrol);
  const registerOverrideKey = afterReady(admin.registerOverrideKey);
  const adminCommand = afterReady(admin.adminCommand);

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
    authenticate: device.authenticate,
    checkAdmin: (auth) => checkToken(auth, options.adminToken),
    onError: (error) => options.onInternalError?.('rapport des postes', error),
  });

  const handle = httpHandler(
    routes({
      health,
      devicesReport: reports.list,
      noteContact: reports.noteContact,
      adminToken: options.adminToken,
      clock,
      operations,
      push,
      pull,
      authenticate: device.authenticate,
      enrolDevice,
      revokeDevice: device.revoke,
      registerOverrideKey,
      adminCommand,
      portalBooking,
      portalRequests: portalRequestRoutes({
        db,
        ready,
        clock,
        checkPortal,
        applyAsPortal: (cmd, sink) => apply.applyOne(PORTAL_DEVICE, { seq: null, ...cmd }, sink),
      }),
    }),
    options.onInternalError,
  );

  return {
    push,
    pull,
    portalBooking,
    enrolDevice,
    registerOverrideKey,
    revokeDevice: device.revoke,
    adminCommand,
    query: admin.query,
    handle,
    listen: (port?: number, host?: string) => listenOn(handle, port, host),
    ready,
    db,
    /** The PC a request authenticated as (its name), for the request's journal line. */
    requestDevice: reports.deviceOf,
  };
}

export type SyncServer = ReturnType<typeof createSyncServer>;
