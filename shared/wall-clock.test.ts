import { describe, expect, it } from 'vitest';
import { formatDateTime, formatDateTimeCompact, timeOfDay, wallClock } from './wall-clock.ts';

describe('instants on the town’s clock, in the zone the core gives, not the machine’s', () => {
  it('reads the day and the time in the town’s zone', () => {
    // 23:30 UTC on 31 December is already New Year's Day in Paris, still New Year's Eve in Guyane.
    expect(wallClock('2026-12-31T23:30:00Z', 'Europe/Paris')).toEqual({ date: '2027-01-01', time: '00:30' });
    expect(wallClock(new Date('2026-12-31T23:30:00Z'), 'America/Cayenne')).toEqual({
      date: '2026-12-31',
      time: '20:30',
    });
    expect(timeOfDay(new Date('2026-09-14T16:05:00Z'), 'Europe/Paris')).toBe('18:05');
  });

  it('writes an instant as « jj/mm/aaaa à hh:mm »', () => {
    // 20:15 UTC is a quarter past midnight the next day at La Réunion (UTC+4).
    expect(formatDateTime('2026-11-23T20:15:00Z', 'Indian/Reunion')).toBe('24/11/2026 à 00:15');
    expect(formatDateTime('2026-11-23T20:15:00Z', 'Europe/Paris')).toBe('23/11/2026 à 21:15');
    expect(formatDateTimeCompact('2026-11-23T02:00:00Z', 'Europe/Paris')).toBe('23/11/2026 03:00');
  });
});
