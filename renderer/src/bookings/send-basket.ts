import type { CounterApi } from '../../../core/contract.ts';
import type { TargetedRequest } from './basket.ts';
import type { GroupResult, ValidationResult } from './basket-panel.tsx';

/** A group of the basket as validating it needs: its key and heading, and the calls it makes. */
export interface GroupToSend {
  key: string;
  title: string;
  requests: readonly TargetedRequest[];
}

/**
 * Validates the basket: one booking.book or booking.cancel per request, group after group, each its own
 * transaction and log entry in the core as a basket of one target would make them; a refusal of one call stops
 * nothing else. Returns what each group did and the entries carried out (« group key#entry key »): a failed call
 * leaves its entries in the basket, to be tried again.
 */
export async function sendBasket(
  api: CounterApi,
  groups: readonly GroupToSend[],
  reason: string,
): Promise<{ result: ValidationResult; finished: Set<string> }> {
  const result: ValidationResult = {
    groups: [],
    booked: [],
    cancelled: 0,
    refused: [],
    errors: [],
    invoices: [],
  };
  const finished = new Set<string>();
  for (const group of groups) {
    const mine: GroupResult = { title: group.title, booked: [], cancelled: 0, refused: [], errors: [] };
    for (const request of group.requests) {
      const input = {
        ...request.target,
        unitCodes: request.unitCodes,
        selection: request.selection,
        origin: 'counter' as const,
        overrideReason: reason.trim() || null,
      };
      if (request.action === 'book') {
        const r = await api.invoke('booking.book', input);
        if (!r.ok) {
          mine.errors.push(r.error.message);
          continue;
        }
        mine.booked.push(...r.data.accepted);
        mine.refused.push(...r.data.refused);
        if (r.data.invoice) result.invoices.push(r.data.invoice);
      } else {
        const r = await api.invoke('booking.cancel', input);
        if (!r.ok) {
          mine.errors.push(r.error.message);
          continue;
        }
        mine.cancelled += r.data.accepted.length;
        mine.refused.push(...r.data.refused);
      }
      for (const key of request.entryKeys) finished.add(`${group.key}#${key}`);
    }
    result.groups.push(mine);
    result.booked.push(...mine.booked);
    result.cancelled += mine.cancelled;
    result.refused.push(...mine.refused);
    result.errors.push(...mine.errors.map((e) => `${group.title} : ${e}`));
  }
  return { result, finished };
}
