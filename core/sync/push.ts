import type { Link } from './link.ts';
import type { PushBody, PushResponse, SeqConflictBody, SyncErrorBody } from './protocol.ts';

export interface PushOptions {
  deviceId: string;
  schemaVersion: number;
  appVersion: string;
  /** Commands per request. */
  batch: number;
}

/**
 * Sends the unacknowledged commands, a batch at a time, and records what the server answered of each. Stops at a
 * refusal of the whole push (revoked device, version too old), which it returns; a server error throws.
 */
export async function pushAll(
  link: Link,
  options: PushOptions,
): Promise<{ pushed: number; error: string | null }> {
  const { state, outbox, clock } = link;
  outbox.fill();
  let pushed = 0;
  let renumbered = false;
  for (;;) {
    const acked = state.get().acked_seq;
    const rows = outbox.unacked(acked, options.batch);
    if (!rows.length) return { pushed, error: null };
    const body: PushBody = {
      deviceId: options.deviceId,
      schemaVersion: options.schemaVersion,
      appVersion: options.appVersion,
      sentAt: clock().toISOString(),
      commands: rows.map((c) => ({
        seq: c.device_seq,
        id: c.id,
        name: c.name,
        input: JSON.parse(c.input) as unknown,
        agentId: c.agent_id,
        deviceId: c.device_id,
        at: c.at,
      })),
    };
    const r = await link.request<PushResponse & Partial<SyncErrorBody> & Partial<SeqConflictBody>>('/push', {
      method: 'POST',
      body: JSON.stringify(body),
    });
    if (r.status >= 500) throw new Error(r.body.error?.message ?? `Serveur indisponible (${r.status}).`);
    if (r.status === 409 && r.body.error?.code === 'SEQ_CONFLICT' && !renumbered) {
      renumbered = true;
      outbox.renumberAfter(r.body.lastSeq ?? 0, r.body.received ?? []);
      continue;
    }
    if (r.status !== 200) {
      const code = r.body.error?.code ?? 'ERREUR';
      if (code === 'VERSION_TOO_OLD' || code === 'DEVICE_REVOKED') state.set({ blocked: code });
      return { pushed, error: r.body.error?.message ?? `Envoi refusé (${r.status}).` };
    }
    await link.settle(r.body.results, () => ({
      acked_seq: r.body.lastAckedSeq,
      blocked: null,
      clock_warning: r.body.clock.warning,
    }));
    pushed += r.body.results.filter((x) => !x.replay).length;
    if (r.body.lastAckedSeq <= acked) return { pushed, error: null }; // no progress (a gap): next round
  }
}
