import { describe, expect, it } from 'vitest';
import { isPublicHoliday } from './holidays.ts';
import { addDaysTo, isoWeekday } from './local-date.ts';
import {
  SCHOOL_YEARS,
  isSchoolHoliday,
  schoolHolidayOn,
  schoolHolidayPeriods,
  schoolYearBounds,
  schoolYearOf,
  schoolYearSchema,
} from './school-calendar.ts';
import type { SchoolYear, Zone } from './school-calendar.ts';

const ZONES: Zone[] = ['A', 'B', 'C'];

describe('schoolYearOf', () => {
  it('files September to August under one school year', () => {
    expect(schoolYearOf('2026-09-01')).toBe('2026-2027');
    expect(schoolYearOf('2026-12-31')).toBe('2026-2027');
    expect(schoolYearOf('2027-07-02')).toBe('2026-2027');
    expect(schoolYearOf('2027-08-31')).toBe('2026-2027');
    expect(schoolYearOf('2026-08-31')).toBe('2025-2026');
  });
});

describe('schoolYearBounds', () => {
  it('gives the rentrée and the last day of class of 2026-2027', () => {
    expect(schoolYearBounds('2026-2027')).toEqual({
      id: '2026-2027',
      rentree: '2026-09-01',
      lastSchoolDay: '2027-07-02',
      provisional: false,
    });
  });

  it('flags 2027-2028 as provisional, the ministry not having published it', () => {
    expect(schoolYearBounds('2027-2028').provisional).toBe(true);
  });

  it('refuses a year it has no calendar for rather than guessing', () => {
    expect(() => schoolYearBounds('2030-2031')).toThrow(RangeError);
  });
});

describe('isSchoolHoliday, 2026-2027', () => {
  it('starts Toussaint on Saturday 17 October and resumes class on Monday 2 November, in every zone', () => {
    for (const zone of ZONES) {
      expect(isSchoolHoliday('2026-10-16', zone)).toBe(false);
      expect(isSchoolHoliday('2026-10-17', zone)).toBe(true);
      expect(isSchoolHoliday('2026-11-01', zone)).toBe(true);
      expect(isSchoolHoliday('2026-11-02', zone)).toBe(false);
      expect(isSchoolHoliday('2026-11-03', zone)).toBe(false);
    }
  });

  it('runs Noël from 19 December 2026 to class again on Monday 4 January 2027', () => {
    expect(schoolHolidayOn('2026-12-21', 'B')).toEqual({
      name: 'Noël',
      firstDay: '2026-12-19',
      lastDay: '2027-01-03',
    });
    expect(isSchoolHoliday('2026-12-18', 'B')).toBe(false);
    expect(isSchoolHoliday('2027-01-04', 'B')).toBe(false);
  });

  it('staggers winter by zone: C first, then A, then B', () => {
    expect(schoolHolidayOn('2027-02-08', 'C')?.name).toBe('Hiver');
    expect(isSchoolHoliday('2027-02-08', 'A')).toBe(false);
    expect(isSchoolHoliday('2027-02-08', 'B')).toBe(false);
    expect(schoolHolidayOn('2027-03-01', 'B')?.name).toBe('Hiver');
    expect(isSchoolHoliday('2027-03-01', 'A')).toBe(false);
  });

  it('counts the summer from Saturday 3 July 2027', () => {
    expect(isSchoolHoliday('2027-07-02', 'A')).toBe(false);
    expect(schoolHolidayOn('2027-07-03', 'A')?.name).toBe('Été');
    expect(schoolHolidayOn('2027-08-16', 'C')?.name).toBe('Été');
  });

  it('leaves an ordinary weekend in term out of the holidays', () => {
    expect(isSchoolHoliday('2026-11-07', 'A')).toBe(false);
  });

  it('refuses days whose school year is unknown', () => {
    expect(() => isSchoolHoliday('2025-08-20', 'A')).toThrow(RangeError);
    expect(() => isSchoolHoliday('2028-09-04', 'A')).toThrow(RangeError);
  });

  it('reads a town-provided calendar instead of the built-in one', () => {
    const own: SchoolYear[] = [
      {
        id: '2030-2031',
        rentree: '2030-09-02',
        lastSchoolDay: '2031-07-04',
        provisional: false,
        holidays: { A: [], B: [{ name: 'Toussaint', firstDay: '2030-10-19', lastDay: '2030-11-03' }], C: [] },
      },
    ];
    expect(isSchoolHoliday('2030-10-21', 'B', own)).toBe(true);
    expect(isSchoolHoliday('2030-10-21', 'A', own)).toBe(false);
  });
});

// The data is typed by hand: these checks catch a slipped digit before a family finds it.
describe('the built-in school calendars', () => {
  it('pass their own schema', () => {
    for (const year of SCHOOL_YEARS) expect(() => schoolYearSchema.parse(year)).not.toThrow();
  });

  it('start each year on a weekday and end it on a Friday, the summer starting the next day', () => {
    for (const year of SCHOOL_YEARS) {
      expect(isoWeekday(year.rentree)).toBeLessThanOrEqual(5);
      expect(isoWeekday(year.lastSchoolDay)).toBe(5);
      for (const zone of ZONES) {
        const summer = year.holidays[zone].find((p) => p.name === 'Été');
        expect(summer?.firstDay).toBe(addDaysTo(year.lastSchoolDay, 1));
      }
    }
  });

  it('run each summer to the eve of the next rentrée', () => {
    for (const [i, year] of SCHOOL_YEARS.entries()) {
      const next = SCHOOL_YEARS[i + 1];
      const summer = year.holidays.A.find((p) => p.name === 'Été');
      if (next) expect(addDaysTo(summer?.lastDay ?? '', 1)).toBe(next.rentree);
    }
  });

  it('start holidays on a Saturday (the Ascension bridge on its Thursday) and resume class on a working day', () => {
    for (const year of SCHOOL_YEARS) {
      for (const zone of ZONES) {
        const periods = schoolHolidayPeriods(year.id, zone);
        expect(periods.map((p) => p.name)).toEqual(
          expect.arrayContaining(['Toussaint', 'Noël', 'Hiver', 'Printemps', "Pont de l'Ascension", 'Été']),
        );
        for (const p of periods) {
          expect(isoWeekday(p.firstDay), `${year.id} ${zone} ${p.name}`).toBe(
            p.name === "Pont de l'Ascension" ? 4 : 6,
          );
          if (p.name === 'Été') continue;
          const resume = addDaysTo(p.lastDay, 1);
          expect(isoWeekday(resume), `${year.id} ${zone} ${p.name}`).toBeLessThanOrEqual(5);
          expect(isPublicHoliday(resume), `${year.id} ${zone} ${p.name}`).toBe(false);
        }
        for (const [i, p] of periods.entries()) {
          const next = periods[i + 1];
          if (next) expect(p.lastDay < next.firstDay).toBe(true);
        }
        expect((periods[0]?.firstDay ?? '') > year.rentree).toBe(true);
      }
    }
  });

  it('give the same Toussaint, Noël and summer to every zone', () => {
    for (const year of SCHOOL_YEARS) {
      const shared = (zone: Zone) =>
        year.holidays[zone]
          .filter((p) => !['Hiver', 'Printemps'].includes(p.name))
          .map((p) => JSON.stringify(p));
      expect(shared('B')).toEqual(shared('A'));
      expect(shared('C')).toEqual(shared('A'));
    }
  });
});
