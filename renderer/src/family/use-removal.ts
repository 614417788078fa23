import { useState } from 'react';
import type { Envelope } from '../../../core/api/envelope.ts';
import { useAnnounce } from '../announcer.tsx';
import { focusKey } from './use-editing.ts';

/**
 * The two-step removal of a member of the file: which one awaits confirmation, and the core's refusal (a payer
 * cannot be removed, for instance) shown in the confirmation until the agent gives up or succeeds.
 */
export function useRemoval<K>(reload: () => Promise<void>) {
  const announce = useAnnounce();
  const [pending, setPending] = useState<K | null>(null);
  const [error, setError] = useState<string | null>(null);

  function cancel(focusAfter?: string) {
    setPending(null);
    setError(null);
    if (focusAfter !== undefined) focusKey(focusAfter);
  }

  return {
    pending,
    error,
    ask(key: K) {
      setError(null);
      setPending(key);
    },
    cancel,
    async finish(answer: Envelope<unknown>, done: string, focusAfter: string) {
      if (!answer.ok) {
        setError(answer.error.message);
        announce(answer.error.message);
        return;
      }
      cancel();
      await reload();
      announce(done);
      focusKey(focusAfter);
    },
  };
}
