import { describe, expect, it } from 'vitest';
import { parseRate, rateText, tariffWords } from './tariff-words.ts';

describe('a tariff in words', () => {
  it('lists the QF brackets with their prices, then the price without QF', () => {
    expect(
      tariffWords({
        mode: 'brackets',
        brackets: [
          { min: 0, max: 399, cents: 110 },
          { min: 400, max: null, cents: 320 },
        ],
        noQf: 420,
      }),
    ).toBe('QF 0–399 : 1,10\u00a0€ · QF ≥ 400 : 3,20\u00a0€ · sans QF : 4,20\u00a0€');
  });

  it('reads and writes a linear rate in % of the QF exactly, without floats', () => {
    expect(parseRate('0,36')).toBe(360_000);
    expect(parseRate('0.0125')).toBe(12_500);
    expect(parseRate('abc')).toBeNull();
    expect(rateText(360_000)).toBe('0,36');
    expect(rateText(2_000_000)).toBe('2');
    expect(tariffWords({ mode: 'linear', microCentsPerQfPoint: 360_000, floor: 100, ceiling: 500 })).toBe(
      '0,36 % du QF, plancher 1,00\u00a0€, plafond 5,00\u00a0€ ; sans QF : plafond',
    );
  });
});
