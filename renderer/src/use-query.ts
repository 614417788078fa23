import { useCallback, useEffect, useState } from 'react';
import type { InputOf, OperationName, OutputOf } from '../../core/contract.ts';
import { useAnnounce } from './announcer.tsx';
import { useCounter } from './counter-context.ts';
import { useSyncVersion } from './sync/sync-status.tsx';

interface QueryState<T> {
  /** The last answer, kept while a newer one loads so the screen does not blink. */
  data: T | null;
  /** Whether `data` answers the input asked for now (false while loading another week, another child…). */
  current: boolean;
  error: string | null;
  reload: () => void;
}

/**
 * A query of the contract, asked again whenever its input changes (compared by value) or on reload(). An answer
 * to an input no longer asked for is dropped; a refusal is said once, politely. Null input: nothing is asked.
 */
export function useQuery<N extends OperationName>(
  name: N,
  input: InputOf<N> | null,
): QueryState<OutputOf<N>> {
  const api = useCounter();
  const announce = useAnnounce();
  const key = input === null ? null : JSON.stringify(input);
  const [version, setVersion] = useState(0);
  const [state, setState] = useState<{ key: string | null; version: number; data: OutputOf<N> | null }>({
    key: null,
    version: -1,
    data: null,
  });
  const [error, setError] = useState<string | null>(null);
  // A sync round that brought the server's changes: what the screen shows is asked again (no blink, see data).
  const synced = useSyncVersion();

  useEffect(() => {
    if (key === null) return;
    let live = true;
    void api.invoke(name, JSON.parse(key) as InputOf<N>).then((r) => {
      if (!live) return;
      if (r.ok) {
        setState({ key, version, data: r.data });
        setError(null);
      } else {
        setError(r.error.message);
        announce(r.error.message);
      }
    });
    return () => {
      live = false;
    };
  }, [api, announce, name, key, version, synced]);

  const reload = useCallback(() => setVersion((v) => v + 1), []);
  return { data: state.data, current: state.key === key && state.version === version, error, reload };
}
