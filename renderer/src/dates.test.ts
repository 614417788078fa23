import { describe, expect, it } from 'vitest';
import {
  addDays,
  dateTimeFr,
  frDateToIso,
  frMonthToIso,
  isoDateToFr,
  isoMonthToFr,
  isoWeekday,
  longDateFr,
  mondayOf,
  schoolYearOfIso,
  shortDateFr,
  wallClock,
} from './dates.ts';

describe('dates typed and shown the French way', () => {
  it('shows ISO dates as jj/mm/aaaa', () => {
    expect(isoDateToFr('2018-03-14')).toBe('14/03/2018');
    expect(isoDateToFr('')).toBe('');
  });

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

  it('round-trips every day of a leap year', () => {
    for (let t = Date.UTC(2024, 0, 1); t < Date.UTC(2025, 0, 1); t += 86_400_000) {
      const iso = new Date(t).toISOString().slice(0, 10);
      expect(frDateToIso(isoDateToFr(iso))).toBe(iso);
    }
  });

  it('converts months both ways', () => {
    expect(isoMonthToFr('2026-01')).toBe('01/2026');
    expect(frMonthToIso('01/2026')).toBe('2026-01');
    expect(frMonthToIso('1/2026')).toBe('2026-01');
    expect(frMonthToIso('112026')).toBe('2026-11');
    expect(frMonthToIso('13/2026')).toBeNull();
    expect(frMonthToIso('00/2026')).toBeNull();
    expect(frMonthToIso('2026-01')).toBeNull();
  });

  it('reads an instant on the town’s clock, in the zone the core gives, not the browser’s', () => {
    // 23:30 UTC on 31 December is already New Year's Day in Paris, still New Year's Eve in Guyane.
    expect(wallClock('2026-12-31T23:30:00Z', 'Europe/Paris')).toEqual({ date: '2027-01-01', time: '00:30' });
    expect(wallClock('2026-12-31T23:30:00Z', 'America/Cayenne')).toEqual({
      date: '2026-12-31',
      time: '20:30',
    });
    // 20:15 UTC is a quarter past midnight the next day at La Réunion (UTC+4).
    expect(dateTimeFr('2026-11-23T20:15:00Z', 'Indian/Reunion')).toBe('24/11/2026 à 00:15');
    expect(dateTimeFr('2026-11-23T20:15:00Z', 'Europe/Paris')).toBe('23/11/2026 à 21:15');
  });

  it('counts service days on the town hall’s calendar, whatever the machine’s zone', () => {
    expect(isoWeekday('2026-12-07')).toBe(1);
    expect(isoWeekday('2026-12-06')).toBe(7);
    expect(mondayOf('2026-12-06')).toBe('2026-11-30');
    expect(addDays('2026-12-28', 7)).toBe('2027-01-04');
    expect(addDays('2027-03-29', -1)).toBe('2027-03-28');
    expect(schoolYearOfIso('2026-08-31')).toBe('2025-2026');
    expect(schoolYearOfIso('2026-09-01')).toBe('2026-2027');
    expect(longDateFr('2026-12-07')).toBe('lundi 7 décembre 2026');
    expect(shortDateFr('2026-12-07')).toBe('lun. 07/12');
  });
});
