import { v7 as uuidv7 } from 'uuid';
import { z } from 'zod';
import { householdRequests } from '../core/requests/read.ts';
import { fr, type Reply } from './http.ts';
import type { ServerDb } from './store.ts';

/** One command the portal asks the server to apply, as the server's `applyOne` takes it (numbered by the server). */
export interface PortalCommand {
  id: string;
  name: string;
  input: unknown;
  agentId: string;
  agentName: string;
  at: string;
}

export interface PortalRequestDeps {
  db: ServerDb;
  ready: Promise<unknown>;
  clock: () => Date;
  /** Null when the bearer token is the portal's; the refusal to send otherwise. */
  checkPortal(auth: string | undefined): Reply | null;
  /** Applies one command under the portal's pseudo-device, exactly once, as `portalBooking` does. */
  applyAsPortal(
    cmd: PortalCommand,
    sink: { data?: unknown },
  ): Promise<{ status: string; code?: string; message?: string }>;
}

/** Only what the server must check before the rules run; the command's own schema reads the rest. */
const submitBody = z
  .object({
    householdId: z.string().min(1),
    childId: z.string().min(1).nullish(),
  })
  .loose();

/**
 * The families' side of the requests inbox: `POST /portal/requests` sends a request (cancellation, pickup
 * authorisation, document…) that every counter receives at its next pull; `GET /portal/requests?householdId=…`
 * lists the family's requests with where each stands and the agent's reply, which is how an answer given at a
 * counter (pushed to the server) gets back to the family. Answers null for any other address.
 */
export function portalRequestRoutes(deps: PortalRequestDeps) {
  const { db } = deps;

  async function householdExists(householdId: string): Promise<boolean> {
    const row = await db
      .selectFrom('households')
      .select('id')
      .where('id', '=', householdId)
      .executeTakeFirst();
    return row !== undefined;
  }

  async function submit(auth: string | undefined, raw: unknown): Promise<Reply> {
    await deps.ready;
    const denied = deps.checkPortal(auth);
    if (denied) return denied;
    const parsed = submitBody.safeParse(raw);
    if (!parsed.success)
      return fr(400, 'MALFORMED', `Demande mal formée : ${parsed.error.issues[0]?.message ?? ''}.`);
    const { householdId, childId } = parsed.data;
    if (!(await householdExists(householdId))) return fr(404, 'NOT_FOUND', 'Foyer inconnu.');
    if (childId) {
      const child = await db
        .selectFrom('children')
        .select('household_id')
        .where('id', '=', childId)
        .executeTakeFirst();
      if (!child || child.household_id !== householdId)
        return fr(403, 'FORBIDDEN', "Cet enfant n'appartient pas à votre foyer.");
    }
    // The server names the request: an id chosen by the caller could only collide with another family's.
    const { requestId: _ignored, ...input } = parsed.data as Record<string, unknown>;
    const sink: { data?: unknown } = {};
    const r = await deps.applyAsPortal(
      {
        id: uuidv7(),
        name: 'request.submit',
        input,
        agentId: `famille:${householdId}`,
        agentName: 'Famille (portail)',
        at: deps.clock().toISOString(),
      },
      sink,
    );
    if (r.status === 'applied') return { status: 201, body: sink.data };
    if (r.status === 'rejected' || r.status === 'held')
      return fr(422, r.code ?? 'REJECTED', r.message ?? 'Demande refusée.');
    return fr(409, 'CONFLICT', 'Demande concurrente : réessayez.');
  }

  async function list(auth: string | undefined, householdId: string | null): Promise<Reply> {
    await deps.ready;
    const denied = deps.checkPortal(auth);
    if (denied) return denied;
    if (!householdId) return fr(400, 'MALFORMED', 'Foyer attendu : ?householdId=…');
    if (!(await householdExists(householdId))) return fr(404, 'NOT_FOUND', 'Foyer inconnu.');
    return { status: 200, body: { requests: await householdRequests(db, householdId) } };
  }

  return async function route(
    method: string | undefined,
    url: URL,
    auth: string | undefined,
    body: unknown,
  ): Promise<Reply | null> {
    if (url.pathname !== '/portal/requests') return null;
    if (method === 'POST') return submit(auth, body);
    if (method === 'GET') return list(auth, url.searchParams.get('householdId'));
    return fr(405, 'METHOD_NOT_ALLOWED', 'Méthode non prise en charge : GET ou POST.');
  };
}
