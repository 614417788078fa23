import { describe, expect, it } from 'vitest';
import {
  formatDates,
  formatLongDate,
  formatMonth,
  formatShortDate,
  formatShortMonth,
  formatWeekdayDate,
  formatWeekdayShort,
  weekdayName,
} from './dates.ts';

describe('days written the French way', () => {
  it('shows ISO dates as jj/mm/aaaa, and leaves anything else as it is', () => {
    expect(formatShortDate('2018-03-14')).toBe('14/03/2018');
    expect(formatShortDate('2026-09-07')).toBe('07/09/2026');
    expect(formatShortDate('')).toBe('');
    expect(formatShortDate('14/03/2018')).toBe('14/03/2018');
  });

  it('writes days and months in words, on no machine’s zone', () => {
    expect(formatLongDate('2026-10-25')).toBe('25 octobre 2026');
    expect(formatLongDate('2027-01-01')).toBe('1 janvier 2027');
    expect(formatWeekdayDate('2026-12-07')).toBe('lundi 7 décembre 2026');
    expect(formatWeekdayShort('2026-12-07')).toBe('lun. 07/12');
    expect(formatMonth('2026-09')).toBe('septembre 2026');
    expect(formatShortMonth('2026-01')).toBe('01/2026');
    expect(formatShortMonth('janvier')).toBe('janvier');
  });

  it('groups days by month, the month said once', () => {
    expect(formatDates(['2026-09-07'])).toBe('le 7 sept. 2026');
    expect(formatDates(['2026-09-04', '2026-09-01', '2026-09-03', '2026-09-07'])).toBe(
      'les 1, 3, 4 et 7 sept. 2026',
    );
    expect(formatDates(['2026-10-02', '2026-09-30'])).toBe('le 30 sept. 2026 ; le 2 oct. 2026');
  });

  it('names the ISO weekdays', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map(weekdayName)).toEqual([
      'lundi',
      'mardi',
      'mercredi',
      'jeudi',
      'vendredi',
      'samedi',
      'dimanche',
    ]);
    expect(weekdayName(8)).toBe('8');
  });
});
