import { describe, expect, it } from 'vitest';
import {
  EMPTY_SCHOOL_CALENDAR,
  holidayLabel,
  missingCalendarReason,
  nextSchoolYear,
  schoolDayOn,
  schoolYearOf,
  type SchoolCalendar,
} from './school-calendar.ts';

describe('schoolYearOf', () => {
  it('files September to August under one school year', () => {
    expect(schoolYearOf('2026-09-01')).toBe('2026-2027');
    expect(schoolYearOf('2026-12-31')).toBe('2026-2027');
    expect(schoolYearOf('2027-07-02')).toBe('2026-2027');
    expect(schoolYearOf('2027-08-31')).toBe('2026-2027');
    expect(schoolYearOf('2026-08-31')).toBe('2025-2026');
    expect(nextSchoolYear('2026-2027')).toBe('2027-2028');
  });
});

describe('schoolDayOn, on the stored calendar', () => {
  const calendar: SchoolCalendar = {
    years: ['2026-2027'],
    holidays: [
      { schoolYear: '2026-2027', name: 'Vacances de Noël', firstDay: '2026-12-20', lastDay: '2027-01-03' },
      // The rentrée 2027 is on Thursday 2 September: the summer reaches into the next school year.
      { schoolYear: '2026-2027', name: "Vacances d'Été", firstDay: '2027-07-04', lastDay: '2027-09-01' },
    ],
  };

  it('tells a day of class from a day of a period, both ends of the period included', () => {
    expect(schoolDayOn(calendar, '2026-12-19')).toEqual({ kind: 'school' });
    expect(schoolDayOn(calendar, '2026-12-20')).toMatchObject({
      kind: 'holiday',
      holiday: { name: 'Vacances de Noël' },
    });
    expect(schoolDayOn(calendar, '2027-01-03').kind).toBe('holiday');
    expect(schoolDayOn(calendar, '2027-01-04')).toEqual({ kind: 'school' });
  });

  it('knows the summer’s end in September, and nothing after it until the next year is imported', () => {
    expect(schoolDayOn(calendar, '2027-09-01').kind).toBe('holiday');
    expect(schoolDayOn(calendar, '2027-09-02')).toEqual({ kind: 'unknown', schoolYear: '2027-2028' });
    expect(schoolDayOn(calendar, '2026-08-31')).toEqual({ kind: 'unknown', schoolYear: '2025-2026' });
  });

  it('knows no day before anything is imported, and says which year to import', () => {
    expect(schoolDayOn(EMPTY_SCHOOL_CALENDAR, '2026-12-07')).toEqual({
      kind: 'unknown',
      schoolYear: '2026-2027',
    });
    expect(missingCalendarReason('2028-2029')).toBe(
      'calendrier scolaire 2028-2029 non importé : l’administrateur l’importe dans Paramètres › Calendrier scolaire',
    );
  });

  it('runs an open summer (end not published) to the end of August', () => {
    const open: SchoolCalendar = {
      years: ['2026-2027'],
      holidays: [{ schoolYear: '2026-2027', name: "Vacances d'Été", firstDay: '2027-07-04', lastDay: null }],
    };
    expect(schoolDayOn(open, '2027-08-31').kind).toBe('holiday');
    expect(schoolDayOn(open, '2027-09-01').kind).toBe('unknown');
  });
});

describe('holidayLabel', () => {
  it('says the period as the agent reads it in a refusal', () => {
    expect(holidayLabel('Vacances de la Toussaint')).toBe('Toussaint');
    expect(holidayLabel('Vacances de Noël')).toBe('Noël');
    expect(holidayLabel("Vacances d'Hiver")).toBe('Hiver');
    expect(holidayLabel("Vacances d'Été")).toBe('Été');
    expect(holidayLabel("Vacances de l'été austral")).toBe('Été austral');
    expect(holidayLabel("Pont de l'Ascension")).toBe("Pont de l'Ascension");
    expect(holidayLabel('Vacances après 1ère période')).toBe('Vacances après 1ère période');
  });
});
