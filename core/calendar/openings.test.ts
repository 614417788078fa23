import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { splitByDeadline } from './deadlines.ts';
import { DEMO_DEADLINES } from './demo-deadlines.ts';
import { publicHolidays } from './holidays.ts';
import { isoWeekday } from './local-date.ts';
import { holidayDays, openDays } from './openings.ts';
import { parseSchoolCalendarFile } from './school-calendar-file.ts';
import { EMPTY_SCHOOL_CALENDAR } from './school-calendar.ts';

// The ministry's file for three académies, one per zone: the calendars the openings are counted on.
const SAMPLE = readFileSync(new URL('./testdata/fr-en-calendrier-scolaire.csv', import.meta.url), 'utf8');
const calendarOf = (academie: string) => ({ school: parseSchoolCalendarFile(SAMPLE, academie) });
const A = calendarOf('Lyon');
const B = calendarOf('Orléans-Tours');
const C = calendarOf('Paris');

const SCHOOL_YEAR_2026 = { from: '2026-09-01', to: '2027-07-02' };

describe('openDays: evening care every Tuesday, 1 September 2026 to 2 July 2027 (RULES.md worked example)', () => {
  /*
   * Counted by hand on a 2026-2027 calendar. Tuesdays: September 1, 8, 15, 22, 29 (5); October 6, 13, 20, 27 (4);
   * November 3, 10, 17, 24 (4); December 1, 8, 15, 22, 29 (5); January 5, 12, 19, 26 (4); February 2, 9, 16, 23 (4);
   * March 2, 9, 16, 23, 30 (5); April 6, 13, 20, 27 (4); May 4, 11, 18, 25 (4); June 1, 8, 15, 22, 29 (5);
   * none in July before the 2nd. 44 Tuesdays.
   * Every zone loses Toussaint (20 and 27 October) and Noël (22 and 29 December). Zone B also loses winter
   * (23 February, 2 March) and spring (20 and 27 April). No public holiday falls on a Tuesday in that span, and
   * the Ascension bridge (6 to 9 May) has none. 44 - 8 = 36.
   */
  const tuesdays = openDays(SCHOOL_YEAR_2026, [2], B);

  it('books 36 Tuesdays in zone B', () => {
    expect(tuesdays.open).toHaveLength(36);
    expect(tuesdays.open.every((d) => isoWeekday(d) === 2)).toBe(true);
  });

  it('starts on the rentrée and picks up again on Tuesday 3 November, the day after Toussaint', () => {
    expect(tuesdays.open[0]).toBe('2026-09-01');
    expect(tuesdays.open).toContain('2026-11-03');
    expect(tuesdays.open).toContain('2027-01-05');
    expect(tuesdays.open.at(-1)).toBe('2027-06-29');
  });

  it('leaves out the Tuesdays of the school holidays, each with its reason', () => {
    expect(tuesdays.skipped).toEqual([
      { date: '2026-10-20', cause: 'schoolHoliday', reason: 'vacances scolaires : Toussaint' },
      { date: '2026-10-27', cause: 'schoolHoliday', reason: 'vacances scolaires : Toussaint' },
      { date: '2026-12-22', cause: 'schoolHoliday', reason: 'vacances scolaires : Noël' },
      { date: '2026-12-29', cause: 'schoolHoliday', reason: 'vacances scolaires : Noël' },
      { date: '2027-02-23', cause: 'schoolHoliday', reason: 'vacances scolaires : Hiver' },
      { date: '2027-03-02', cause: 'schoolHoliday', reason: 'vacances scolaires : Hiver' },
      { date: '2027-04-20', cause: 'schoolHoliday', reason: 'vacances scolaires : Printemps' },
      { date: '2027-04-27', cause: 'schoolHoliday', reason: 'vacances scolaires : Printemps' },
    ]);
  });

  it('accounts for every Tuesday of the span: open or skipped, never both', () => {
    expect(tuesdays.open.length + tuesdays.skipped.length).toBe(44);
    const skipped = new Set(tuesdays.skipped.map((s) => s.date));
    expect(tuesdays.open.some((d) => skipped.has(d))).toBe(false);
  });

  it('has indeed no Tuesday public holiday to skip in 2026-2027', () => {
    const tuesdayHolidays = [...publicHolidays(2026), ...publicHolidays(2027)].filter(
      (h) => h.date >= SCHOOL_YEAR_2026.from && h.date <= SCHOOL_YEAR_2026.to && isoWeekday(h.date) === 2,
    );
    expect(tuesdayHolidays).toEqual([]);
  });

  it('gives zones A and C the same count on other Tuesdays', () => {
    const a = openDays(SCHOOL_YEAR_2026, [2], A);
    const c = openDays(SCHOOL_YEAR_2026, [2], C);
    expect(a.open).toHaveLength(36);
    expect(c.open).toHaveLength(36);
    // Zone C is on winter holiday from 6 February, zone B is not yet.
    expect(c.skipped.map((s) => s.date)).toContain('2027-02-09');
    expect(tuesdays.open).toContain('2027-02-09');
    expect(a.skipped.map((s) => s.date)).toEqual(
      expect.arrayContaining(['2027-02-16', '2027-02-23', '2027-04-13']),
    );
  });

  it('refuses to families the Tuesdays already past the 48 h deadline, for staff to book late', () => {
    // Monday 7 September 2026 at noon: 1 September is gone, and 8 September closed on Sunday 6 at 00:00.
    const { bookable, late } = splitByDeadline(
      tuesdays.open,
      DEMO_DEADLINES.beforeAfterSchoolCare,
      '2026-09-07T12:00:00+02:00',
      { timeZone: 'Europe/Paris' },
    );
    expect(late).toEqual(['2026-09-01', '2026-09-08']);
    expect(bookable).toHaveLength(34);
    expect(bookable[0]).toBe('2026-09-15');
  });
});

describe('openDays: public holidays, bridges and closures', () => {
  it('skips Armistice on Tuesday 11 November 2025', () => {
    const days = openDays({ from: '2025-11-04', to: '2025-11-25' }, [2], B);
    expect(days.open).toEqual(['2025-11-04', '2025-11-18', '2025-11-25']);
    expect(days.skipped).toEqual([
      { date: '2025-11-11', cause: 'publicHoliday', reason: 'jour férié : Armistice' },
    ]);
  });

  it('skips Armistice on Wednesday 11 November 2026 for the Wednesday club', () => {
    const days = openDays({ from: '2026-11-04', to: '2026-11-25' }, [3], C);
    expect(days.open).toEqual(['2026-11-04', '2026-11-18', '2026-11-25']);
    expect(days.skipped).toEqual([
      { date: '2026-11-11', cause: 'publicHoliday', reason: 'jour férié : Armistice' },
    ]);
  });

  it('skips Easter Monday and Whit Monday 2027 for a Monday service', () => {
    const days = openDays({ from: '2027-03-22', to: '2027-05-24' }, [1], A);
    expect(days.skipped).toEqual([
      { date: '2027-03-29', cause: 'publicHoliday', reason: 'jour férié : Lundi de Pâques' },
      { date: '2027-04-12', cause: 'schoolHoliday', reason: 'vacances scolaires : Printemps' },
      { date: '2027-04-19', cause: 'schoolHoliday', reason: 'vacances scolaires : Printemps' },
      { date: '2027-05-17', cause: 'publicHoliday', reason: 'jour férié : Lundi de Pentecôte' },
    ]);
  });

  it('closes the canteen on Ascension Thursday and on the bridge Friday, 6 and 7 May 2027', () => {
    const days = openDays({ from: '2027-05-03', to: '2027-05-14' }, [1, 2, 4, 5], B);
    expect(days.open).toEqual([
      '2027-05-03',
      '2027-05-04',
      '2027-05-10',
      '2027-05-11',
      '2027-05-13',
      '2027-05-14',
    ]);
    expect(days.skipped).toEqual([
      { date: '2027-05-06', cause: 'publicHoliday', reason: 'jour férié : Ascension' },
      { date: '2027-05-07', cause: 'schoolHoliday', reason: "vacances scolaires : Pont de l'Ascension" },
    ]);
  });

  it("skips the town's closures with their label", () => {
    const closures = [
      { firstDay: '2027-01-12', lastDay: '2027-01-12', label: 'grève du personnel de restauration' },
    ];
    const days = openDays({ from: '2027-01-11', to: '2027-01-15' }, [1, 2, 4, 5], { ...B, closures });
    expect(days.open).toEqual(['2027-01-11', '2027-01-14', '2027-01-15']);
    expect(days.skipped).toEqual([
      { date: '2027-01-12', cause: 'closure', reason: 'fermeture : grève du personnel de restauration' },
    ]);
  });

  it('skips Good Friday 26 March 2027 in Alsace-Moselle only', () => {
    const range = { from: '2027-03-22', to: '2027-03-26' };
    expect(openDays(range, [5], B).open).toEqual(['2027-03-26']);
    expect(openDays(range, [5], { ...B, alsaceMoselle: true }).skipped).toEqual([
      { date: '2027-03-26', cause: 'publicHoliday', reason: 'jour férié : Vendredi saint' },
    ]);
  });

  it('refuses an upside-down range', () => {
    expect(() => openDays({ from: '2027-01-15', to: '2027-01-11' }, [1], B)).toThrow(RangeError);
  });
});

describe('a school year without imported calendar', () => {
  const reason =
    'calendrier scolaire 2027-2028 non importé : l’administrateur l’importe dans Paramètres › Calendrier scolaire';

  it('opens none of its days, each refused with the year to import, for term-time and holiday services', () => {
    // The sample stops with 2026-2027, whose summer has no published end: the days run to 31 August.
    const term = openDays({ from: '2027-08-30', to: '2027-09-10' }, [1, 2, 4, 5], B);
    expect(term.open).toEqual([]);
    expect(term.skipped.filter((s) => s.date >= '2027-09-01')).toEqual(
      ['2027-09-02', '2027-09-03', '2027-09-06', '2027-09-07', '2027-09-09', '2027-09-10'].map((date) => ({
        date,
        cause: 'noCalendar',
        reason,
      })),
    );
    expect(term.skipped.find((s) => s.date === '2027-08-30')?.reason).toBe('vacances scolaires : Été');
    const centre = holidayDays({ from: '2027-08-30', to: '2027-09-03' }, B);
    expect(centre.open).toEqual(['2027-08-30', '2027-08-31']);
    expect(centre.skipped.map((s) => s.cause)).toEqual(['noCalendar', 'noCalendar', 'noCalendar']);
  });

  it('still names a public holiday first, and opens nothing at all before anything is imported', () => {
    const days = openDays({ from: '2026-11-09', to: '2026-11-13' }, [1, 2, 3, 4, 5], {
      school: EMPTY_SCHOOL_CALENDAR,
    });
    expect(days.open).toEqual([]);
    expect(days.skipped.map((s) => s.reason)).toEqual([
      'calendrier scolaire 2026-2027 non importé : l’administrateur l’importe dans Paramètres › Calendrier scolaire',
      'calendrier scolaire 2026-2027 non importé : l’administrateur l’importe dans Paramètres › Calendrier scolaire',
      'jour férié : Armistice',
      'calendrier scolaire 2026-2027 non importé : l’administrateur l’importe dans Paramètres › Calendrier scolaire',
      'calendrier scolaire 2026-2027 non importé : l’administrateur l’importe dans Paramètres › Calendrier scolaire',
    ]);
  });
});

describe('holidayDays: the holiday centre', () => {
  it('opens the weekdays of the Noël holidays 2026 but not Christmas Day nor New Year', () => {
    const days = holidayDays({ from: '2026-12-14', to: '2027-01-08' }, B);
    expect(days.open).toEqual([
      '2026-12-21',
      '2026-12-22',
      '2026-12-23',
      '2026-12-24',
      '2026-12-28',
      '2026-12-29',
      '2026-12-30',
      '2026-12-31',
    ]);
    expect(days.skipped.filter((s) => s.cause === 'publicHoliday')).toEqual([
      { date: '2026-12-25', cause: 'publicHoliday', reason: 'jour férié : Noël' },
      { date: '2027-01-01', cause: 'publicHoliday', reason: "jour férié : Jour de l'an" },
    ]);
    expect(days.skipped.find((s) => s.date === '2026-12-18')).toEqual({
      date: '2026-12-18',
      cause: 'schoolDay',
      reason: 'période scolaire',
    });
  });

  it('keeps the summer open around 14 July and the closed first fortnight of August', () => {
    const closures = [
      { firstDay: '2027-08-02', lastDay: '2027-08-13', label: "deux premières semaines d'août" },
    ];
    const days = holidayDays({ from: '2027-07-01', to: '2027-08-31' }, { ...A, closures });
    // July: 5 to 30 = 20 weekdays less the 14th; August: 16 to 31 = 12 weekdays.
    expect(days.open).toHaveLength(19 + 12);
    expect(days.open[0]).toBe('2027-07-05');
    expect(days.skipped.filter((s) => s.cause === 'closure')).toHaveLength(10);
    expect(days.skipped.map((s) => s.reason)).toContain("fermeture : deux premières semaines d'août");
    expect(days.skipped.find((s) => s.date === '2027-07-14')?.reason).toBe('jour férié : Fête nationale');
    expect(days.skipped.find((s) => s.date === '2027-07-02')?.reason).toBe('période scolaire');
  });

  it('follows the zone: the first week of zone C winter holidays is a school week in zone A', () => {
    const range = { from: '2027-02-08', to: '2027-02-12' };
    expect(holidayDays(range, C).open).toHaveLength(5);
    expect(holidayDays(range, A).open).toHaveLength(0);
  });
});
