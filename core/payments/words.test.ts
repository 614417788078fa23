import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { amountInWords, integerInWords } from './words.ts';

describe('amount in French words', () => {
  it.each([
    [0, 'zéro'],
    [1, 'un'],
    [16, 'seize'],
    [17, 'dix-sept'],
    [20, 'vingt'],
    [21, 'vingt-et-un'],
    [22, 'vingt-deux'],
    [31, 'trente-et-un'],
    [61, 'soixante-et-un'],
    [70, 'soixante-dix'],
    [71, 'soixante-et-onze'],
    [72, 'soixante-douze'],
    [77, 'soixante-dix-sept'],
    [80, 'quatre-vingts'],
    [81, 'quatre-vingt-un'],
    [90, 'quatre-vingt-dix'],
    [91, 'quatre-vingt-onze'],
    [99, 'quatre-vingt-dix-neuf'],
    [100, 'cent'],
    [101, 'cent un'],
    [180, 'cent quatre-vingts'],
    [200, 'deux cents'],
    [201, 'deux cent un'],
    [280, 'deux cent quatre-vingts'],
    [999, 'neuf cent quatre-vingt-dix-neuf'],
    [1000, 'mille'],
    [1001, 'mille un'],
    [1100, 'mille cent'],
    [2000, 'deux mille'],
    [21_000, 'vingt-et-un mille'],
    [80_000, 'quatre-vingt mille'],
    [80_080, 'quatre-vingt mille quatre-vingts'],
    [100_000, 'cent mille'],
    [200_000, 'deux cent mille'],
    [300_200, 'trois cent mille deux cents'],
    [1_000_000, 'un million'],
    [2_000_000, 'deux millions'],
    [80_000_000, 'quatre-vingts millions'],
    [200_000_000, 'deux cents millions'],
    [1_000_000_000, 'un milliard'],
    [2_001_001_001, 'deux milliards un million mille un'],
  ])('%i → %s', (n, words) => {
    expect(integerInWords(n)).toBe(words);
  });

  it.each([
    [12345, 'cent vingt-trois euros et quarante-cinq centimes'],
    [100, 'un euro'],
    [101, 'un euro et un centime'],
    [1, 'un centime'],
    [50, 'cinquante centimes'],
    [0, 'zéro euro'],
    [2100, 'vingt-et-un euros'],
    [8000, 'quatre-vingts euros'],
    [8100, 'quatre-vingt-un euros'],
    [20000, 'deux cents euros'],
    [29999, 'deux cent quatre-vingt-dix-neuf euros et quatre-vingt-dix-neuf centimes'],
    [30000, 'trois cents euros'],
    [100000, 'mille euros'],
    [7108, 'soixante-et-onze euros et huit centimes'],
    [100_000_000, 'un million d’euros'],
    [200_000_000, 'deux millions d’euros'],
    [100_020_000, 'un million deux cents euros'],
    [-1050, 'moins dix euros et cinquante centimes'],
  ])('%i cents → %s', (cents, words) => {
    expect(amountInWords(cents)).toBe(words);
  });

  it('writes every amount up to a million euros with French words only, never twice the same', () => {
    const seen = new Map<string, number>();
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100_000_000 }), (cents) => {
        const w = amountInWords(cents);
        expect(w).toMatch(/^[a-zéèà’ -]+$/);
        // « mille », « cent » alone: never « un mille » nor « un cent » (but « deux cent un mille » is right).
        expect(w).not.toMatch(/ {2}|--|^ | $|(^|millions? |milliards? )un (mille|cent )/);
        const other = seen.get(w);
        if (other !== undefined) expect(other).toBe(cents);
        seen.set(w, cents);
      }),
      { numRuns: 20_000 },
    );
  });
});
