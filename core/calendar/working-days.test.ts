import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDaysTo } from './local-date.ts';
import { addWorkingDays, isWorkingDay, subtractWorkingDays } from './working-days.ts';

describe('isWorkingDay', () => {
  it('is Monday to Friday less public holidays', () => {
    expect(isWorkingDay('2026-11-10')).toBe(true); // Tuesday
    expect(isWorkingDay('2026-11-11')).toBe(false); // Armistice, a Wednesday
    expect(isWorkingDay('2026-11-14')).toBe(false); // Saturday
    expect(isWorkingDay('2026-11-15')).toBe(false); // Sunday
  });

  it('drops Good Friday only in Alsace-Moselle', () => {
    expect(isWorkingDay('2027-03-26')).toBe(true);
    expect(isWorkingDay('2027-03-26', { alsaceMoselle: true })).toBe(false);
  });

  it('rejects a day that does not exist', () => {
    expect(() => isWorkingDay('2027-02-29')).toThrow(RangeError);
  });
});

describe('addWorkingDays / subtractWorkingDays', () => {
  it('jumps the weekend', () => {
    expect(addWorkingDays('2026-12-04', 1)).toBe('2026-12-07');
    expect(subtractWorkingDays('2026-12-07', 1)).toBe('2026-12-04');
  });

  it('jumps Christmas and New Year', () => {
    // Thu 24 → (Fri 25 Noël, weekend) → Mon 28 → Tue 29 → Wed 30 → Thu 31 → (Fri 1 Jan) → Mon 4 Jan.
    expect(addWorkingDays('2026-12-24', 5)).toBe('2027-01-04');
    expect(subtractWorkingDays('2027-01-04', 5)).toBe('2026-12-24');
  });

  it('jumps Easter Monday, and Good Friday too in Alsace-Moselle', () => {
    expect(subtractWorkingDays('2027-03-30', 2)).toBe('2027-03-25');
    expect(subtractWorkingDays('2027-03-30', 2, { alsaceMoselle: true })).toBe('2027-03-24');
  });

  it('leaves the day alone for zero, even a Sunday', () => {
    expect(addWorkingDays('2026-12-06', 0)).toBe('2026-12-06');
  });

  it('refuses a negative or fractional count', () => {
    expect(() => addWorkingDays('2026-12-06', -1)).toThrow(RangeError);
    expect(() => subtractWorkingDays('2026-12-06', 1.5)).toThrow(RangeError);
  });

  it('undoes itself from any working day', () => {
    const day = fc.integer({ min: 0, max: 4 * 365 }).map((n) => addDaysTo('2025-01-01', n));
    fc.assert(
      fc.property(day, fc.integer({ min: 0, max: 30 }), fc.boolean(), (date, count, alsaceMoselle) => {
        fc.pre(isWorkingDay(date, { alsaceMoselle }));
        const there = addWorkingDays(date, count, { alsaceMoselle });
        expect(isWorkingDay(there, { alsaceMoselle }) || count === 0).toBe(true);
        expect(subtractWorkingDays(there, count, { alsaceMoselle })).toBe(date);
      }),
    );
  });
});
