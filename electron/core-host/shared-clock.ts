/**
 * A clock one thread moves and another reads: a test's clock is a function, which cannot cross to the core host's
 * thread, so the test thread writes the time it says into shared memory and the core reads it there.
 */
export function createSharedClock(initial: Date): { cell: SharedArrayBuffer; set(at: Date): void } {
  const cell = new SharedArrayBuffer(BigInt64Array.BYTES_PER_ELEMENT);
  const view = new BigInt64Array(cell);
  const set = (at: Date) => Atomics.store(view, 0, BigInt(at.getTime()));
  set(initial);
  return { cell, set };
}

export function readSharedClock(cell: SharedArrayBuffer): () => Date {
  const view = new BigInt64Array(cell);
  return () => new Date(Number(Atomics.load(view, 0)));
}
