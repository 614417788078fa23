import type { QueryContext } from '../api/operation.ts';
import { signedInMay } from '../auth/authorize.ts';

/**
 * Whether this booking or cancellation may go past the families' deadline. The operation itself only needs
 * `booking.write`; going past the deadline needs `booking.override` of the agent signed in. A replayed command (on
 * the central server, or on this counter after a pull) was checked at the counter where it was made, by the role of
 * the agent who made it; the portal's own commands never get this far, being refused past the deadline first.
 */
export const mayOverride = (op: QueryContext & { replay?: boolean }): boolean =>
  op.replay === true || signedInMay(op.session, op.now, 'booking.override');
