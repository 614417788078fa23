import { describe, expect, it } from 'vitest';
import {
  addDaysTo,
  assertLocalDate,
  eachLocalDate,
  isCalendarDay,
  isoWeekday,
  lastDayOf,
  nextMonth,
  schoolYearOf,
  weekStartOf,
} from './calendar.ts';

describe('calendar days counted on the town hall’s calendar, whatever the machine’s zone', () => {
  it('adds days and finds weekdays and weeks', () => {
    expect(isoWeekday('2026-12-07')).toBe(1);
    expect(isoWeekday('2026-12-06')).toBe(7);
    expect(isoWeekday('1969-12-29')).toBe(1);
    expect(weekStartOf('2026-12-06')).toBe('2026-11-30');
    expect(addDaysTo('2026-12-28', 7)).toBe('2027-01-04');
    expect(addDaysTo('2027-03-29', -1)).toBe('2027-03-28');
    // Across the change to summer time: a day is a day, never 23 hours.
    expect(addDaysTo('2027-03-27', 1)).toBe('2027-03-28');
    expect(eachLocalDate('2026-02-27', '2026-03-02')).toEqual([
      '2026-02-27',
      '2026-02-28',
      '2026-03-01',
      '2026-03-02',
    ]);
    expect(eachLocalDate('2026-03-02', '2026-03-01')).toEqual([]);
  });

  it('refuses what is not a calendar day', () => {
    expect(isCalendarDay('2024-02-29')).toBe(true);
    expect(isCalendarDay('2026-02-30')).toBe(false);
    expect(isCalendarDay('07/09/2026')).toBe(false);
    expect(() => assertLocalDate('2026-13-01')).toThrow(RangeError);
    expect(() => addDaysTo('2026-02-30', 1)).toThrow(RangeError);
  });

  it('knows months and school years', () => {
    expect(lastDayOf('2024-02')).toBe('2024-02-29');
    expect(lastDayOf('2026-12')).toBe('2026-12-31');
    expect(nextMonth('2026-12')).toBe('2027-01');
    expect(nextMonth('2026-09')).toBe('2026-10');
    expect(schoolYearOf('2026-08-31')).toBe('2025-2026');
    expect(schoolYearOf('2026-09-01')).toBe('2026-2027');
  });
});
