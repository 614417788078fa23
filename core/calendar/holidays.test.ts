import { describe, expect, it } from 'vitest';
import { easterSunday, isPublicHoliday, publicHolidayOn, publicHolidays } from './holidays.ts';

describe('easterSunday', () => {
  it.each([
    [2000, '2000-04-23'],
    [2008, '2008-03-23'],
    [2011, '2011-04-24'],
    [2019, '2019-04-21'],
    [2024, '2024-03-31'],
    [2025, '2025-04-20'],
    [2026, '2026-04-05'],
    [2027, '2027-03-28'],
    [2028, '2028-04-16'],
    [2038, '2038-04-25'],
    [2285, '2285-03-22'],
  ])('puts Easter %i on %s', (year, date) => {
    expect(easterSunday(year)).toBe(date);
  });
});

describe('publicHolidays', () => {
  it('lists the eleven days of L3133-1 for 2027, in date order, with their French names', () => {
    expect(publicHolidays(2027)).toEqual([
      { date: '2027-01-01', name: "Jour de l'an" },
      { date: '2027-03-29', name: 'Lundi de Pâques' },
      { date: '2027-05-01', name: 'Fête du Travail' },
      { date: '2027-05-06', name: 'Ascension' },
      { date: '2027-05-08', name: 'Victoire 1945' },
      { date: '2027-05-17', name: 'Lundi de Pentecôte' },
      { date: '2027-07-14', name: 'Fête nationale' },
      { date: '2027-08-15', name: 'Assomption' },
      { date: '2027-11-01', name: 'Toussaint' },
      { date: '2027-11-11', name: 'Armistice' },
      { date: '2027-12-25', name: 'Noël' },
    ]);
  });

  it('moves the Easter-based days with Easter: 2026 and 2028', () => {
    const movable = (year: number) =>
      publicHolidays(year)
        .filter((h) => ['Lundi de Pâques', 'Ascension', 'Lundi de Pentecôte'].includes(h.name))
        .map((h) => h.date);
    expect(movable(2026)).toEqual(['2026-04-06', '2026-05-14', '2026-05-25']);
    expect(movable(2028)).toEqual(['2028-04-17', '2028-05-25', '2028-06-05']);
  });

  it('adds Good Friday 26 March 2027 and 26 December in Alsace-Moselle only', () => {
    const local = publicHolidays(2027, { alsaceMoselle: true });
    expect(local).toHaveLength(13);
    expect(local).toContainEqual({ date: '2027-03-26', name: 'Vendredi saint' });
    expect(local).toContainEqual({ date: '2027-12-26', name: 'Saint-Étienne' });
    expect(local.map((h) => h.date)).toEqual([...local.map((h) => h.date)].sort());

    expect(isPublicHoliday('2027-03-26')).toBe(false);
    expect(isPublicHoliday('2027-12-26')).toBe(false);
    expect(isPublicHoliday('2027-03-26', { alsaceMoselle: true })).toBe(true);
    expect(isPublicHoliday('2026-12-26', { alsaceMoselle: true })).toBe(true);
  });

  it('hands out copies: changing a returned list does not change the next answer', () => {
    const first = publicHolidays(2026);
    first.pop();
    expect(publicHolidays(2026)).toHaveLength(11);
  });
});

describe('publicHolidayOn', () => {
  it('names the holiday of a day, and nothing for an ordinary day', () => {
    expect(publicHolidayOn('2026-11-11')).toEqual({ date: '2026-11-11', name: 'Armistice' });
    expect(publicHolidayOn('2026-11-12')).toBeUndefined();
  });
});
