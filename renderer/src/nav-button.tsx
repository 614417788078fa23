import type { ReactNode } from 'react';
import { keyLabel, type Destination } from './navigation.ts';

/** A destination's button in the top bar: its label, what `children` add to it, then its shortcut. */
export function NavButton({
  destination,
  current,
  onClick,
  children,
  testId,
}: {
  destination: Destination;
  current: boolean;
  onClick: () => void;
  children?: ReactNode;
  testId?: string;
}) {
  const key = keyLabel(destination);
  return (
    <button
      type="button"
      className="on-dark"
      aria-current={current ? 'page' : undefined}
      onClick={onClick}
      data-testid={testId}
    >
      {destination.label}
      {children}
      {key && (
        <>
          {' '}
          <kbd>{key}</kbd>
        </>
      )}
    </button>
  );
}
