import { useEffect, useRef, useState } from 'react';
import { useCounter } from '../counter-context.ts';
import type { BasketRequest, BasketTarget, Plan, TargetedRequest } from './basket.ts';

export type Outcome = { ok: true; plan: Plan } | { ok: false; message: string };

/**
 * What the counter may say to the family before anything is written: the staff override is assumed (the agent
 * is staff), so a day past the deadline comes back accepted, marked late, with its surcharge; the real reason is
 * asked for before validating. The reason sent here only stands for « the agent will give one ».
 */
export const PREVIEW_REASON = 'aperçu au guichet';

/** booking.preview for every booking request of the basket, whatever its child or activity, again whenever it changes. */
export function useBasketPreview(requests: readonly TargetedRequest[]) {
  const api = useCounter();
  const bookings = requests.filter((r) => r.action === 'book');
  const key = JSON.stringify(bookings.map((r) => [r.key, r.target, r.unitCodes, r.selection]));
  const [answer, setAnswer] = useState<{ key: string; outcomes: Map<string, Outcome> }>({
    key: '',
    outcomes: new Map(),
  });
  const latest = useRef(0);

  useEffect(() => {
    const list = JSON.parse(key) as [
      string,
      BasketTarget,
      BasketRequest['unitCodes'],
      BasketRequest['selection'],
    ][];
    const mine = ++latest.current;
    if (list.length === 0) return;
    void Promise.all(
      list.map(async ([requestKey, target, unitCodes, selection]) => {
        const r = await api.invoke('booking.preview', {
          ...target,
          unitCodes,
          selection,
          origin: 'counter',
          overrideReason: PREVIEW_REASON,
        });
        const outcome: Outcome = r.ok ? { ok: true, plan: r.data } : { ok: false, message: r.error.message };
        return [requestKey, outcome] as const;
      }),
    ).then((pairs) => {
      if (mine === latest.current) setAnswer({ key, outcomes: new Map(pairs) });
    });
  }, [api, key]);

  // Outcomes are keyed by request: an answer about an older basket never matches a request of the new one.
  return { outcomes: answer.outcomes, pending: bookings.length > 0 && answer.key !== key };
}
