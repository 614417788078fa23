import { describe, expect, it } from 'vitest';
import type { CounterApi } from '../../../core/contract.ts';
import { groupRequests, setEntriesFor, targetKey, type BasketEntry, type BasketGroup } from './basket.ts';
import { sendBasket } from './send-basket.ts';

const meal = (date: string): BasketEntry => ({
  kind: 'day',
  action: 'book',
  date,
  unitCode: 'meal',
  unitLabel: 'Repas',
  late: false,
});
const zoe = { childId: 'zoe', activityId: 'canteen', siteId: 'jaures' };
const noe = { childId: 'noe', activityId: 'canteen', siteId: 'jaures' };

/** A core that books every day asked for, except for Noé, whose enrolment it refuses as a whole. */
function fakeCore() {
  const calls: { name: string; childId: string; dates: string[] }[] = [];
  const api = {
    invoke: (name: string, input: { childId: string; selection: { dates: string[] } }) => {
      calls.push({ name, childId: input.childId, dates: input.selection.dates });
      if (input.childId === 'noe')
        return Promise.resolve({ ok: false, error: { message: 'Noé n’est pas inscrit(e) à la cantine.' } });
      const accepted = input.selection.dates.map((date) => ({
        date,
        unitCode: 'meal',
        unitLabel: 'Repas',
        late: false,
      }));
      return Promise.resolve({ ok: true, data: { accepted, refused: [], invoice: null } });
    },
  } as unknown as CounterApi;
  return { api, calls };
}

describe('sending the family basket', () => {
  it('makes one call per child, reports each, and leaves only the refused call’s days in the basket', async () => {
    let basket: BasketGroup[] = [];
    basket = setEntriesFor(basket, zoe, 'Zoé — Cantine', [meal('2026-12-10'), meal('2026-12-11')]);
    basket = setEntriesFor(basket, noe, 'Noé — Cantine', [meal('2026-12-10')]);
    const groups = basket.map((g) => ({
      key: targetKey(g.target),
      title: g.title,
      requests: groupRequests(g, ['meal']),
    }));
    const { api, calls } = fakeCore();

    const { result, finished } = await sendBasket(api, groups, '  ');

    expect(calls).toEqual([
      { name: 'booking.book', childId: 'zoe', dates: ['2026-12-10', '2026-12-11'] },
      { name: 'booking.book', childId: 'noe', dates: ['2026-12-10'] },
    ]);
    expect(result.groups.map((g) => [g.title, g.booked.length, g.errors])).toEqual([
      ['Zoé — Cantine', 2, []],
      ['Noé — Cantine', 0, ['Noé n’est pas inscrit(e) à la cantine.']],
    ]);
    expect(result.booked).toHaveLength(2);
    expect(result.errors).toEqual(['Noé — Cantine : Noé n’est pas inscrit(e) à la cantine.']);
    expect([...finished]).toEqual([
      'zoe|canteen|jaures#day|2026-12-10|meal',
      'zoe|canteen|jaures#day|2026-12-11|meal',
    ]);
  });
});
