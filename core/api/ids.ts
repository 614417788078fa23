import { hash } from 'node:crypto';

/**
 * The ids a command gives the rows it writes, derived from the command's own id: the counter that made it, the
 * server that applies it and the counter replaying it after a pull all name the same rows the same way, so the
 * server's copy of a row replaces the counter's optimistic one instead of sitting next to it. The first 48 bits
 * keep the command's UUIDv7 time, so ids stay in creation order like any UUIDv7.
 */
export function idsFor(commandId: string): () => string {
  const time = commandId.replace(/-/g, '').slice(0, 12).padEnd(12, '0');
  let n = 0;
  return () => {
    // The one-shot digest: twice as fast as a Hash object for these short texts, and the same bytes.
    const h = hash('sha256', `${commandId}#${n++}`, 'hex');
    const variant = ((parseInt(h[15] as string, 16) & 0x3) | 0x8).toString(16);
    return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${h.slice(0, 3)}-${variant}${h.slice(3, 6)}-${h.slice(6, 18)}`;
  };
}
