import { useEffect } from 'react';
import { NavButton } from '../nav-button.tsx';
import type { Destination } from '../navigation.ts';
import { useQuery } from '../use-query.ts';

/**
 * The top bar's way in, with the number of requests waiting (said in words to screen readers too). Asked again
 * after each sync round that brought changes (the portal's requests arrive that way) and after each answer here.
 */
export function RequestsNavButton({
  destination,
  current,
  onClick,
  answers,
}: {
  destination: Destination;
  current: boolean;
  onClick: () => void;
  /** How many answers this screen gave: each one lowers the count. */
  answers: number;
}) {
  const pending = useQuery('request.inbox', { state: 'pending', limit: 1 });
  const { reload } = pending;
  useEffect(() => {
    if (answers > 0) reload();
  }, [answers, reload]);
  const count = pending.data?.counts.pending ?? 0;
  return (
    <NavButton destination={destination} current={current} onClick={onClick} testId="nav-requests">
      {count > 0 && (
        <>
          {' '}
          <span className="nav-count">{count}</span>
          <span className="sr-only"> en attente</span>
        </>
      )}
    </NavButton>
  );
}
