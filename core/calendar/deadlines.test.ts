import { describe, expect, it } from 'vitest';
import {
  closedMessage,
  deadlineFor,
  deadlineRuleSchema,
  describeDeadline,
  formatDeadline,
  isPastDeadline,
  splitByDeadline,
} from './deadlines.ts';
import type { DeadlineRule, TimedDeadlineRule } from './deadlines.ts';
import { DEMO_DEADLINES } from './demo-deadlines.ts';

const PARIS = 'Europe/Paris';
const paris = { timeZone: PARIS } as const;
const canteen = DEMO_DEADLINES.canteen;
const iso = (d: Date | null) => d?.toISOString();

describe('canteen (RULES.md worked examples)', () => {
  it('closes Monday 7 December 2026 at the end of Thursday 3 December, Paris time', () => {
    expect(iso(deadlineFor(canteen, '2026-12-07', paris))).toBe('2026-12-03T22:59:59.999Z');
  });

  it('still takes a booking at 23:59 on Thursday 3 December and refuses it at 00:00 on Friday 4', () => {
    expect(isPastDeadline(canteen, '2026-12-07', '2026-12-03T23:59:00+01:00', paris)).toBe(false);
    expect(isPastDeadline(canteen, '2026-12-07', '2026-12-03T23:59:59.999+01:00', paris)).toBe(false);
    expect(isPastDeadline(canteen, '2026-12-07', '2026-12-04T00:00:00+01:00', paris)).toBe(true);
    expect(isPastDeadline(canteen, '2026-12-07', new Date('2026-12-03T23:00:00Z'), paris)).toBe(true);
  });

  it('gives Tuesday the same Thursday as Monday', () => {
    expect(iso(deadlineFor(canteen, '2026-12-08', paris))).toBe('2026-12-03T22:59:59.999Z');
  });

  it('closes Thursday 10 and Friday 11 December 2026 at the end of Monday 7 December', () => {
    expect(iso(deadlineFor(canteen, '2026-12-10', paris))).toBe('2026-12-07T22:59:59.999Z');
    expect(iso(deadlineFor(canteen, '2026-12-11', paris))).toBe('2026-12-07T22:59:59.999Z');
  });

  it('has no deadline to give for a Wednesday, when the canteen does not open', () => {
    expect(() => deadlineFor(canteen, '2026-12-09', paris)).toThrow(/weekday 3/);
  });

  it('tells the family since when it is closed, in French', () => {
    const deadline = deadlineFor(canteen, '2026-12-07', paris);
    expect(formatDeadline(deadline, PARIS)).toBe('jeudi 3 décembre 2026 à 23 h 59');
    expect(closedMessage(deadline, PARIS)).toBe(
      'Réservation close depuis le jeudi 3 décembre 2026 à 23 h 59',
    );
    expect(closedMessage(deadline, PARIS, 'cancel')).toBe(
      'Annulation impossible depuis le jeudi 3 décembre 2026 à 23 h 59',
    );
  });

  it('honours an hour set by the town', () => {
    const noon: DeadlineRule = { ...canteen, time: '12:00' };
    expect(iso(deadlineFor(noon, '2026-12-07', paris))).toBe('2026-12-03T11:00:59.999Z');
    expect(formatDeadline(deadlineFor(noon, '2026-12-07', paris) ?? new Date(0), PARIS)).toBe(
      'jeudi 3 décembre 2026 à 12 h 00',
    );
  });
});

describe('an overseas town', () => {
  it('closes the canteen at 23:59 on its own clock: La Réunion (UTC+4), Guyane (UTC−3)', () => {
    const reunion = deadlineFor(canteen, '2026-12-07', { timeZone: 'Indian/Reunion' });
    const cayenne = deadlineFor(canteen, '2026-12-07', { timeZone: 'America/Cayenne' });
    expect(iso(reunion)).toBe('2026-12-03T19:59:59.999Z');
    expect(iso(cayenne)).toBe('2026-12-04T02:59:59.999Z');
    // Each town reads its own deadline as « 23 h 59 »; Paris would read Cayenne's as Friday 3 h 59.
    expect(formatDeadline(reunion, 'Indian/Reunion')).toBe('jeudi 3 décembre 2026 à 23 h 59');
    expect(formatDeadline(cayenne, 'America/Cayenne')).toBe('jeudi 3 décembre 2026 à 23 h 59');
    expect(formatDeadline(cayenne, PARIS)).toBe('vendredi 4 décembre 2026 à 3 h 59');
  });
});

describe('working days in an overseas town, at the edges of the deadline', () => {
  const wednesdays = DEMO_DEADLINES.wednesdays;

  it('counts back over Armistice and the weekend on its own clock, open all of the last day and closed at its end', () => {
    // Wednesday 18 November 2026: Tue 17, Mon 16, Fri 13, Thu 12, (Wed 11 Armistice), Tue 10 November at 23:59.
    for (const [timeZone, offset, utcEnd] of [
      ['Indian/Reunion', '+04:00', '2026-11-10T19:59:59.999Z'],
      ['America/Cayenne', '-03:00', '2026-11-11T02:59:59.999Z'],
    ] as const) {
      const zone = { timeZone };
      expect(iso(deadlineFor(wednesdays, '2026-11-18', zone)), timeZone).toBe(utcEnd);
      const at = (wall: string) => isPastDeadline(wednesdays, '2026-11-18', `${wall}${offset}`, zone);
      expect(at('2026-11-09T18:00:00'), `${timeZone}, the day before`).toBe(false);
      expect(at('2026-11-10T08:00:00'), `${timeZone}, the morning of the deadline`).toBe(false);
      expect(at('2026-11-10T23:59:59.999'), `${timeZone}, its last millisecond`).toBe(false);
      expect(at('2026-11-11T00:00:00'), `${timeZone}, the holiday after it`).toBe(true);
      // Read on the town's own clock, whatever the PC's zone.
      expect(formatDeadline(deadlineFor(wednesdays, '2026-11-18', zone), timeZone)).toBe(
        'mardi 10 novembre 2026 à 23 h 59',
      );
    }
  });

  it('closes at the hour the town set, on the town’s clock', () => {
    const morning: DeadlineRule = { kind: 'workingDaysBefore', days: 1, time: '08:30' };
    // Monday 7 December 2026: the working day before is Friday 4, until 8 h 30 in La Réunion.
    const zone = { timeZone: 'Indian/Reunion' } as const;
    expect(iso(deadlineFor(morning, '2026-12-07', zone))).toBe('2026-12-04T04:30:59.999Z');
    expect(isPastDeadline(morning, '2026-12-07', '2026-12-04T08:30:59+04:00', zone)).toBe(false);
    expect(isPastDeadline(morning, '2026-12-07', '2026-12-04T08:31:00+04:00', zone)).toBe(true);
    // Saturday and Sunday are no working days: nothing reopens over the weekend.
    expect(isPastDeadline(morning, '2026-12-07', '2026-12-06T08:00:00+04:00', zone)).toBe(true);
  });
});

describe('48 h before the day', () => {
  const plain: TimedDeadlineRule = { kind: 'hoursBefore', hours: 48 };
  const working: TimedDeadlineRule = { kind: 'hoursBefore', hours: 48, workingHoursOnly: true };

  it('closes a Monday at Saturday 00:00 in plain hours, but at Thursday 00:00 in working hours', () => {
    expect(iso(deadlineFor(plain, '2026-12-07', paris))).toBe('2026-12-04T23:00:00.000Z');
    expect(iso(deadlineFor(working, '2026-12-07', paris))).toBe('2026-12-02T23:00:00.000Z');
    // On Friday morning a family may still book Monday's evening care in the first town, not in the second.
    expect(isPastDeadline(plain, '2026-12-07', '2026-12-04T10:00:00+01:00', paris)).toBe(false);
    expect(isPastDeadline(working, '2026-12-07', '2026-12-04T10:00:00+01:00', paris)).toBe(true);
  });

  it('does not count Armistice (Wednesday 11 November 2026) in working hours', () => {
    expect(iso(deadlineFor(plain, '2026-11-12', paris))).toBe('2026-11-09T23:00:00.000Z');
    expect(iso(deadlineFor(working, '2026-11-12', paris))).toBe('2026-11-08T23:00:00.000Z');
  });

  it('skips Easter Monday, and Good Friday as well in Alsace-Moselle', () => {
    expect(iso(deadlineFor(working, '2027-03-30', paris))).toBe('2027-03-24T23:00:00.000Z');
    expect(iso(deadlineFor(working, '2027-03-30', { ...paris, alsaceMoselle: true }))).toBe(
      '2027-03-23T23:00:00.000Z',
    );
  });

  it('takes part of a working day for hours that are not whole days', () => {
    const rule: TimedDeadlineRule = { kind: 'hoursBefore', hours: 36, workingHoursOnly: true };
    // Friday counts 24 h, the last 12 h of Thursday the rest.
    expect(iso(deadlineFor(rule, '2026-12-07', paris))).toBe('2026-12-03T11:00:00.000Z');
    expect(formatDeadline(deadlineFor(rule, '2026-12-07', paris), PARIS)).toBe(
      'jeudi 3 décembre 2026 à 12 h 00',
    );
  });
});

describe('working days before', () => {
  const wednesdays = DEMO_DEADLINES.wednesdays;
  const holidayCentre = DEMO_DEADLINES.holidayCentre;

  it('closes Wednesday 9 December 2026 at the end of Wednesday 2 December', () => {
    expect(iso(deadlineFor(wednesdays, '2026-12-09', paris))).toBe('2026-12-02T22:59:59.999Z');
  });

  it('reaches one day further back over a public holiday', () => {
    // Tue 17, Mon 16, Fri 13, Thu 12, (Wed 11 Armistice), Tue 10.
    expect(iso(deadlineFor(wednesdays, '2026-11-18', paris))).toBe('2026-11-10T22:59:59.999Z');
    // Tue 5, Mon 4, (Fri 1 January), Thu 31, Wed 30, Tue 29.
    expect(iso(deadlineFor(wednesdays, '2027-01-06', paris))).toBe('2026-12-29T22:59:59.999Z');
  });

  it('counts from the Monday of a holiday week, whichever day of the week is booked', () => {
    // First Noël week: Fri 18, Thu 17, Wed 16, Tue 15, Mon 14 December.
    expect(iso(deadlineFor(holidayCentre, '2026-12-23', paris))).toBe('2026-12-14T22:59:59.999Z');
    // Second week: (Fri 25 Noël) Thu 24, Wed 23, Tue 22, Mon 21, Fri 18 December.
    for (const day of ['2026-12-28', '2026-12-30', '2026-12-31']) {
      expect(iso(deadlineFor(holidayCentre, day, paris))).toBe('2026-12-18T22:59:59.999Z');
    }
  });

  it('counts from the first day a caller gives for a session that does not start on a Monday', () => {
    // Session from Wednesday 21 October 2026: Tue 20, Mon 19, Fri 16, Thu 15, Wed 14.
    expect(iso(deadlineFor(holidayCentre, '2026-10-23', { ...paris, periodStart: '2026-10-21' }))).toBe(
      '2026-10-14T21:59:59.999Z',
    );
    expect(() => deadlineFor(holidayCentre, '2026-10-19', { ...paris, periodStart: '2026-10-21' })).toThrow(
      RangeError,
    );
  });
});

describe('study, booked by the month', () => {
  it('closes November 2026 at the end of 31 October, whichever day of November is asked', () => {
    for (const day of ['2026-11-02', '2026-11-17', '2026-11-30']) {
      expect(iso(deadlineFor(DEMO_DEADLINES.study, day, paris))).toBe('2026-10-31T22:59:59.999Z');
    }
  });
});

describe('activities without deadline', () => {
  it('never closes a class trip or the sports school', () => {
    expect(deadlineFor(DEMO_DEADLINES.classTrip, '2027-03-15', paris)).toBeNull();
    expect(
      isPastDeadline(DEMO_DEADLINES.sportsSchool, '2027-03-15', '2027-03-16T10:00:00+01:00', paris),
    ).toBe(false);
  });
});

describe('daylight saving time', () => {
  const sundayBefore: TimedDeadlineRule = {
    kind: 'weekdayOfPreviousWeek',
    byWeekday: { '1': { weekday: 7, weeksBefore: 1 } },
  };

  it('keeps a deadline on Sunday 25 October 2026, when clocks go back, at 23:59 local (UTC+1 by then)', () => {
    const deadline = deadlineFor(sundayBefore, '2026-10-26', paris);
    expect(iso(deadline)).toBe('2026-10-25T22:59:59.999Z');
    expect(formatDeadline(deadline, PARIS)).toBe('dimanche 25 octobre 2026 à 23 h 59');
  });

  it('keeps a deadline on Sunday 28 March 2027, when clocks go forward, at 23:59 local (UTC+2 by then)', () => {
    const deadline = deadlineFor(sundayBefore, '2027-03-29', paris);
    expect(iso(deadline)).toBe('2027-03-28T21:59:59.999Z');
    expect(formatDeadline(deadline, PARIS)).toBe('dimanche 28 mars 2027 à 23 h 59');
  });

  it('reads an hour set by the town on the wall clock of the change day', () => {
    const morning: TimedDeadlineRule = { ...sundayBefore, time: '08:00' };
    expect(iso(deadlineFor(morning, '2026-10-26', paris))).toBe('2026-10-25T07:00:59.999Z');
    expect(iso(deadlineFor(morning, '2027-03-29', paris))).toBe('2027-03-28T06:00:59.999Z');
  });

  it('lands an hour the clocks skip on the same instant, read an hour later on the wall clock', () => {
    const deadline = deadlineFor({ ...sundayBefore, time: '02:30' }, '2027-03-29', paris);
    expect(iso(deadline)).toBe('2027-03-28T01:30:59.999Z');
    expect(formatDeadline(deadline, PARIS)).toBe('dimanche 28 mars 2027 à 3 h 30');
  });

  it('counts hours on the wall clock: 24 h before a Monday is the Sunday 00:00, however long that Sunday is', () => {
    const rule: TimedDeadlineRule = { kind: 'hoursBefore', hours: 24 };
    expect(iso(deadlineFor(rule, '2026-10-26', paris))).toBe('2026-10-24T22:00:00.000Z');
    expect(iso(deadlineFor(rule, '2027-03-29', paris))).toBe('2027-03-27T23:00:00.000Z');
  });
});

describe('describeDeadline', () => {
  it('spells out the canteen rule for each group of days', () => {
    expect(describeDeadline(canteen)).toBe(
      'pour le lundi et le mardi : le jeudi précédent à 23 h 59 ; ' +
        'pour le jeudi et le vendredi : le lundi de la même semaine à 23 h 59',
    );
  });

  it('says just the day when one rule covers every day', () => {
    const rule: DeadlineRule = {
      kind: 'weekdayOfPreviousWeek',
      byWeekday: { '1': { weekday: 4, weeksBefore: 1 } },
    };
    expect(describeDeadline(rule)).toBe('le jeudi précédent à 23 h 59');
  });

  it('says "de la semaine précédente" when the previous such day would be in the same week', () => {
    const rule: DeadlineRule = {
      kind: 'weekdayOfPreviousWeek',
      byWeekday: { '4': { weekday: 1, weeksBefore: 1 } },
    };
    expect(describeDeadline(rule)).toBe('le lundi de la semaine précédente à 23 h 59');
  });

  it('describes every demo activity', () => {
    expect(describeDeadline(DEMO_DEADLINES.beforeAfterSchoolCare)).toBe('48 h avant le jour');
    expect(describeDeadline({ kind: 'hoursBefore', hours: 48, workingHoursOnly: true })).toBe(
      '48 h ouvrées avant le jour (week-ends et jours fériés non comptés)',
    );
    expect(describeDeadline(DEMO_DEADLINES.wednesdays)).toBe('5 jours ouvrés avant le jour, à 23 h 59');
    expect(describeDeadline(DEMO_DEADLINES.holidayCentre)).toBe(
      '5 jours ouvrés avant le début de la semaine, à 23 h 59',
    );
    expect(describeDeadline(DEMO_DEADLINES.study)).toBe('la veille du début du mois, à 23 h 59');
    expect(describeDeadline(DEMO_DEADLINES.classTrip)).toBe('sans date limite');
    expect(describeDeadline({ kind: 'workingDaysBefore', days: 1, time: '08:30' })).toBe(
      '1 jour ouvré avant le jour, à 8 h 30',
    );
  });
});

describe('formatDeadline', () => {
  it('writes the first of the month "1er"', () => {
    expect(formatDeadline('2026-12-01T22:59:59.999Z', PARIS)).toBe('mardi 1er décembre 2026 à 23 h 59');
  });

  it('refuses an instant without offset, which would be read in the machine zone', () => {
    expect(() => formatDeadline('2026-12-01T23:59:00', PARIS)).toThrow(RangeError);
  });
});

describe('deadlineRuleSchema', () => {
  it('accepts every demo rule', () => {
    for (const rule of Object.values(DEMO_DEADLINES)) expect(deadlineRuleSchema.parse(rule)).toEqual(rule);
  });

  it('refuses a deadline on or after the day it guards', () => {
    const sameDay = { kind: 'weekdayOfPreviousWeek', byWeekday: { '4': { weekday: 4, weeksBefore: 0 } } };
    const after = { kind: 'weekdayOfPreviousWeek', byWeekday: { '1': { weekday: 3, weeksBefore: 0 } } };
    expect(deadlineRuleSchema.safeParse(sameDay).success).toBe(false);
    expect(deadlineRuleSchema.safeParse(after).success).toBe(false);
  });

  it('refuses malformed settings', () => {
    const bad = [
      { kind: 'weekdayOfPreviousWeek', byWeekday: {} },
      { kind: 'weekdayOfPreviousWeek', byWeekday: { '8': { weekday: 1, weeksBefore: 1 } } },
      { kind: 'workingDaysBefore', days: 5, time: '24:00' },
      { kind: 'workingDaysBefore', days: 0 },
      { kind: 'hoursBefore', hours: 1.5 },
      { kind: 'beforePeriodStart', period: 'year' },
      { kind: 'someday' },
    ];
    for (const rule of bad)
      expect(deadlineRuleSchema.safeParse(rule).success, JSON.stringify(rule)).toBe(false);
  });
});

describe('what the administrator is told about a deadline setting', () => {
  const issues = (rule: unknown) =>
    deadlineRuleSchema.safeParse(rule).error?.issues.map((i) => [i.path.join('.'), i.message]);

  it('takes an hour written hh:mm on the 24-hour clock, and nothing else', () => {
    for (const time of ['00:00', '09:30', '19:45', '23:59'])
      expect(issues({ kind: 'workingDaysBefore', days: 5, time }), time).toBeUndefined();
    for (const time of ['24:00', '12:60', '7:30', '07h30', 'x07:30', '07:305', '07:3a'])
      expect(issues({ kind: 'workingDaysBefore', days: 5, time }), time).toEqual([
        ['time', 'heure invalide (hh:mm)'],
      ]);
  });

  it('says which weekday’s deadline falls on or after its own day, and that one weekday at least is needed', () => {
    expect(issues({ kind: 'weekdayOfPreviousWeek', byWeekday: {} })).toEqual([
      ['', 'un jour limite au moins, pour un jour d’accueil'],
    ]);
    expect(
      issues({
        kind: 'weekdayOfPreviousWeek',
        byWeekday: {
          '1': { weekday: 5, weeksBefore: 1 },
          '4': { weekday: 4, weeksBefore: 0 },
          '5': { weekday: 1, weeksBefore: 0 },
        },
      }),
    ).toEqual([['byWeekday.4', 'la date limite doit tomber avant le jour d’accueil']]);
  });
});

describe('splitByDeadline', () => {
  it('separates the days a family can still book from those only staff can, late', () => {
    const days = ['2026-12-07', '2026-12-08', '2026-12-10', '2026-12-11'];
    // Saturday 5 December: Monday's and Tuesday's meals closed on Thursday, Thursday's and Friday's still open.
    expect(splitByDeadline(days, canteen, '2026-12-05T09:00:00+01:00', paris)).toEqual({
      bookable: ['2026-12-10', '2026-12-11'],
      late: ['2026-12-07', '2026-12-08'],
    });
  });
});
