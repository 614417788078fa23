import type { Envelope } from '../../../core/api/envelope.ts';
import { useAnnounce } from '../announcer.tsx';
import { refused, saved, type SaveResult } from '../forms/save-result.ts';

/**
 * The end of every section's save: a refusal goes back to the form; a success reloads the file before the
 * editor closes, so the agent never sees the old value flash back, then says what was done.
 */
export function useFinishSave(reload: () => Promise<void>, close: () => void) {
  const announce = useAnnounce();
  return async (answer: Envelope<unknown>, done: string): Promise<SaveResult> => {
    if (!answer.ok) return refused(answer.error);
    await reload();
    close();
    announce(done);
    return saved;
  };
}
