import { describe, expect, it } from 'vitest';
import {
  basketSize,
  entriesFor,
  entryKey,
  groupRequests,
  setEntriesFor,
  toggleEntry,
  type BasketEntry,
  type BasketGroup,
} from './basket.ts';
import { linesOf, summarise } from './basket-panel.tsx';
import type { Outcome } from './use-preview.ts';

const ZOE = 'child-zoe';
const NOE = 'child-noe';
const CANTEEN = { activityId: 'canteen', siteId: 'jaures' };
const CARE = { activityId: 'care', siteId: 'jaures' };
const zoeCanteen = { childId: ZOE, ...CANTEEN };
const zoeCare = { childId: ZOE, ...CARE };
const noeCanteen = { childId: NOE, ...CANTEEN };

const day = (date: string, unitCode: 'meal' | 'evening', unitLabel: string): BasketEntry => ({
  kind: 'day',
  action: 'book',
  date,
  unitCode,
  unitLabel,
  late: false,
});
const meal = (date: string) => day(date, 'meal', 'Repas');
const evening = (date: string) => day(date, 'evening', 'Soir');

/** The basket an agent fills going from child to child and activity to activity. */
function familyBasket(): BasketGroup[] {
  let basket: BasketGroup[] = [];
  basket = setEntriesFor(basket, zoeCanteen, 'Zoé — Cantine', [meal('2026-12-07'), meal('2026-12-08')]);
  basket = setEntriesFor(basket, zoeCare, 'Zoé — Périscolaire', [evening('2026-12-07')]);
  basket = setEntriesFor(basket, noeCanteen, 'Noé — Cantine', [meal('2026-12-07')]);
  return basket;
}

/** A preview that books every day asked for at 2,20 € except Christmas, refused as the core would. */
function previewAll(basket: BasketGroup[]): Map<string, Outcome> {
  const outcomes = new Map<string, Outcome>();
  for (const g of basket) {
    for (const r of groupRequests(g, ['meal', 'evening'])) {
      const dates = r.selection.kind === 'days' ? r.selection.dates : [];
      const unitCode = r.unitCodes[0]!;
      const days = dates.map((date) => ({ date, unitCode, unitLabel: unitCode }));
      outcomes.set(r.key, {
        ok: true,
        plan: {
          accepted: days
            .filter((d) => d.date !== '2026-12-25')
            .map((d) => ({
              ...d,
              late: false,
              price: { cents: 220, baseCents: 220, surcharge: null },
              placesLeft: null,
            })),
          refused: days
            .filter((d) => d.date === '2026-12-25')
            .map((d) => ({ ...d, reason: 'jour férié : Noël' })),
        },
      } as unknown as Outcome);
    }
  }
  return outcomes;
}

function summaryOf(basket: BasketGroup[]) {
  const outcomes = previewAll(basket);
  return summarise(
    basket.flatMap((g) => {
      const requests = groupRequests(g, ['meal', 'evening']);
      return g.entries.flatMap((e) => linesOf(e, requests, outcomes));
    }),
  );
}

describe('one basket for the family', () => {
  it('keeps each child × activity apart, in the order the agent filled it', () => {
    const basket = familyBasket();
    expect(basket.map((g) => g.title)).toEqual(['Zoé — Cantine', 'Zoé — Périscolaire', 'Noé — Cantine']);
    expect(basketSize(basket)).toBe(4);
    // Going back to Zoé's canteen finds its days, not Noé's, although the same day is asked for both.
    expect(entriesFor(basket, zoeCanteen).map(entryKey)).toEqual([
      'day|2026-12-07|meal',
      'day|2026-12-08|meal',
    ]);
    expect(entriesFor(basket, noeCanteen).map(entryKey)).toEqual(['day|2026-12-07|meal']);
    expect(entriesFor(basket, { childId: NOE, ...CARE })).toEqual([]);
  });

  it('makes one call per child × activity as a basket of that target alone would, each naming its child', () => {
    const calls = familyBasket().flatMap((g) => groupRequests(g, ['meal', 'evening']));
    expect(
      calls.map((r) => [r.target.childId, r.target.activityId, r.action, r.unitCodes, r.selection]),
    ).toEqual([
      [ZOE, 'canteen', 'book', ['meal'], { kind: 'days', dates: ['2026-12-07', '2026-12-08'] }],
      [ZOE, 'care', 'book', ['evening'], { kind: 'days', dates: ['2026-12-07'] }],
      [NOE, 'canteen', 'book', ['meal'], { kind: 'days', dates: ['2026-12-07'] }],
    ]);
    // Zoé's and Noé's canteen on the 7th are two calls: their preview answers must not be mixed up.
    expect(new Set(calls.map((r) => r.key)).size).toBe(3);
  });

  it('totals every child and activity, refused days apart', () => {
    let basket = familyBasket();
    basket = setEntriesFor(basket, noeCanteen, 'Noé — Cantine', [
      ...entriesFor(basket, noeCanteen),
      meal('2026-12-25'),
    ]);
    const summary = summaryOf(basket);
    expect(summary.toBook.map((d) => d.date)).toEqual([
      '2026-12-07',
      '2026-12-08',
      '2026-12-07',
      '2026-12-07',
    ]);
    expect(summary.toBook.reduce((sum, d) => sum + (d.price?.cents ?? 0), 0)).toBe(880);
    expect(summary.refused.map((d) => [d.date, d.reason])).toEqual([['2026-12-25', 'jour férié : Noël']]);
    expect(summary.pending).toBe(false);
  });

  it('removes one day from one group, and the group once it is empty, leaving the others', () => {
    let basket = familyBasket();
    basket = setEntriesFor(
      basket,
      zoeCanteen,
      'Zoé — Cantine',
      toggleEntry(entriesFor(basket, zoeCanteen), meal('2026-12-08')),
    );
    expect(entriesFor(basket, zoeCanteen).map(entryKey)).toEqual(['day|2026-12-07|meal']);
    basket = setEntriesFor(
      basket,
      zoeCare,
      'Zoé — Périscolaire',
      toggleEntry(entriesFor(basket, zoeCare), evening('2026-12-07')),
    );
    expect(basket.map((g) => g.title)).toEqual(['Zoé — Cantine', 'Noé — Cantine']);
    expect(basketSize(basket)).toBe(2);
    expect(summaryOf(basket).toBook).toHaveLength(2);
  });
});
