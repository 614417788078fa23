import { useEffect, useRef, useState } from 'react';

/** Focuses the control marked data-focus-key={key}, if it is on screen. */
export const focusKey = (key: string) =>
  document.querySelector<HTMLElement>(`[data-focus-key="${key}"]`)?.focus();

/**
 * Which item of a section is open for editing (one at a time). Closing gives focus back to the button that
 * opened it, found by its data-focus-key, so the agent's keyboard place is never lost.
 */
export function useEditing() {
  const [editing, setEditing] = useState<string | null>(null);
  const returnTo = useRef<string | null>(null);

  useEffect(() => {
    if (editing !== null || returnTo.current === null) return;
    const key = returnTo.current;
    returnTo.current = null;
    focusKey(key);
  }, [editing]);

  return {
    editing,
    open: (key: string) => setEditing(key),
    close: () => {
      returnTo.current = editing;
      setEditing(null);
    },
  };
}
