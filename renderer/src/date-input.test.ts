import { describe, expect, it } from 'vitest';
import { formatShortDate, formatShortMonth } from '../../shared/dates.ts';
import { frDateToIso, frMonthToIso } from './date-input.ts';

describe('dates typed the French way', () => {
  it('reads what an agent types', () => {
    expect(frDateToIso('14/03/2018')).toBe('2018-03-14');
    expect(frDateToIso(' 3/9/2020 ')).toBe('2020-09-03');
    expect(frDateToIso('03.09.2020')).toBe('2020-09-03');
    expect(frDateToIso('03-09-2020')).toBe('2020-09-03');
    expect(frDateToIso('03092020')).toBe('2020-09-03');
  });

  it('refuses dates that do not exist or are ambiguous', () => {
    expect(frDateToIso('31/02/2019')).toBeNull();
    expect(frDateToIso('29/02/2023')).toBeNull();
    expect(frDateToIso('29/02/2024')).toBe('2024-02-29');
    expect(frDateToIso('14/03/18')).toBeNull();
    expect(frDateToIso('2018-03-14')).toBeNull();
    expect(frDateToIso('')).toBeNull();
  });

  it('reads back every day of a leap year as the screens show it', () => {
    for (let t = Date.UTC(2024, 0, 1); t < Date.UTC(2025, 0, 1); t += 86_400_000) {
      const iso = new Date(t).toISOString().slice(0, 10);
      expect(frDateToIso(formatShortDate(iso))).toBe(iso);
    }
  });

  it('reads months, and back as the screens show them', () => {
    expect(frMonthToIso('01/2026')).toBe('2026-01');
    expect(frMonthToIso(formatShortMonth('2026-01'))).toBe('2026-01');
    expect(frMonthToIso('1/2026')).toBe('2026-01');
    expect(frMonthToIso('112026')).toBe('2026-11');
    expect(frMonthToIso('13/2026')).toBeNull();
    expect(frMonthToIso('00/2026')).toBeNull();
    expect(frMonthToIso('2026-01')).toBeNull();
  });
});
