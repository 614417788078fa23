import { createContext, useCallback, useContext, useState, type ReactNode } from 'react';

type Announce = (message: string) => void;

const AnnounceContext = createContext<Announce>(() => {});

/** Says outcomes (saved, refused, no result) to screen-reader users without moving their focus. */
export function AnnouncerProvider({ children }: { children: ReactNode }) {
  const [message, setMessage] = useState({ text: '', n: 0 });
  // The counter changes the key, so the same sentence twice in a row is read twice.
  const announce = useCallback<Announce>((text) => setMessage((m) => ({ text, n: m.n + 1 })), []);
  return (
    <AnnounceContext value={announce}>
      {children}
      <div className="sr-only" aria-live="polite" role="status" data-testid="live-region">
        <span key={message.n}>{message.text}</span>
      </div>
    </AnnounceContext>
  );
}

export const useAnnounce = (): Announce => useContext(AnnounceContext);
