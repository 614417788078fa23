import { v7 as uuidv7 } from 'uuid';
import { z } from 'zod';
import type { Applier } from './apply.ts';
import { PORTAL_DEVICE } from './devices.ts';
import { fr, type Reply } from './http.ts';
import type { ServerDb } from './store.ts';

/** Only what the server must check before the rules run; `booking.book`'s own schema reads the rest. */
const portalBody = z
  .object({
    action: z.enum(['book', 'cancel']),
    householdId: z.string().min(1),
    childId: z.string().min(1),
  })
  .loose();

/** `POST /portal/bookings`: a family books or cancels online: the family rules, the server's clock, no override. */
export function portalBookingRoute(deps: {
  db: ServerDb;
  clock: () => Date;
  checkPortal(auth: string | undefined): Reply | null;
  applier: Applier;
}) {
  return async function portalBooking(auth: string | undefined, raw: unknown): Promise<Reply> {
    const denied = deps.checkPortal(auth);
    if (denied) return denied;
    const parsed = portalBody.safeParse(raw);
    if (!parsed.success)
      return fr(400, 'MALFORMED', `Demande mal formée : ${parsed.error.issues[0]?.message ?? ''}.`);
    const { action, householdId, ...request } = parsed.data;
    const child = await deps.db
      .selectFrom('children')
      .select('household_id')
      .where('id', '=', request.childId)
      .executeTakeFirst();
    if (!child || child.household_id !== householdId) {
      return fr(403, 'FORBIDDEN', "Cet enfant n'appartient pas à votre foyer.");
    }
    const sink: { data?: unknown } = {};
    const r = await deps.applier.applyOne(
      PORTAL_DEVICE,
      {
        seq: null,
        id: uuidv7(),
        name: action === 'book' ? 'booking.book' : 'booking.cancel',
        input: { ...request, origin: 'portal', overrideReason: null },
        agentId: `famille:${householdId}`,
        agentName: 'Famille (portail)',
        at: deps.clock().toISOString(),
      },
      sink,
    );
    if (r.status === 'applied') return { status: 200, body: { ok: true, plan: sink.data } };
    if (r.status === 'rejected' || r.status === 'held') return fr(422, r.code, r.message);
    return fr(409, 'CONFLICT', 'Demande concurrente : réessayez.');
  };
}
