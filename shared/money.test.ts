import { describe, expect, it } from 'vitest';
import { formatEuros } from './money.ts';

describe('amounts written the French way', () => {
  it('groups thousands with a narrow no-break space and puts the sign after a no-break space', () => {
    expect(formatEuros(123456)).toBe('1\u202f234,56\u00a0€');
    expect(formatEuros(330)).toBe('3,30\u00a0€');
    expect(formatEuros(0)).toBe('0,00\u00a0€');
    expect(formatEuros(-50)).toBe('-0,50\u00a0€');
    expect(formatEuros(100_000_000)).toBe('1\u202f000\u202f000,00\u00a0€');
  });
});
