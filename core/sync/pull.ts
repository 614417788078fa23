import type { Link } from './link.ts';
import type { PullResponse, RowChange, SyncErrorBody } from './protocol.ts';

const PULL_LIMIT = 5000;

/**
 * Fetches the server's changes since the cursor, a page at a time, recording the results that came with them; then
 * hands the whole of them to `rebase`. Answers how many rows changed.
 */
export async function pullAll(
  link: Link,
  rebase: (changes: RowChange[], version: number) => Promise<void>,
): Promise<number> {
  const { state } = link;
  const changes: RowChange[] = [];
  let since = state.get().server_version;
  let version: number;
  for (;;) {
    const r = await link.request<PullResponse & Partial<SyncErrorBody>>(
      `/pull?since=${since}&acked=${state.get().acked_seq}&limit=${PULL_LIMIT}`,
    );
    if (r.status !== 200) throw new Error(r.body.error?.message ?? `Réception refusée (${r.status}).`);
    await link.settle(r.body.results, () => ({
      ...(r.body.lastAckedSeq > state.get().acked_seq ? { acked_seq: r.body.lastAckedSeq } : {}),
      ...(r.body.revoked ? { blocked: 'DEVICE_REVOKED' } : {}),
    }));
    changes.push(...r.body.changes);
    version = r.body.serverVersion;
    if (!r.body.hasMore) break;
    since = version;
  }
  await rebase(changes, version);
  return changes.length;
}
