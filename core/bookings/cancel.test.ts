import { describe, expect, it } from 'vitest';
import { demoTown, type DemoTown } from '../test/town.ts';

/**
 * Cancellations (core/bookings/cancel.ts) as a family and the counter meet them: what a period cancels, what is
 * refused and why, and what stays billed.
 */

function evenings(
  t: DemoTown,
  selection:
    { kind: 'days'; dates: string[] } | { kind: 'period'; from: string; to: string; weekdays: number[] },
  origin: 'portal' | 'counter' = 'portal',
) {
  return {
    childId: t.zoe,
    activityId: t.demo.care.activityId,
    siteId: t.demo.sites.jaures,
    unitCodes: ['evening' as const],
    selection,
    origin,
    overrideReason: null,
  };
}

describe('cancelling', () => {
  it('cancels what a period holds, says which asked day had nothing booked, and keeps a marked day', async () => {
    const t = await demoTown();
    await t.call('enrolment.enrol', {
      childId: t.zoe,
      activityId: t.demo.care.activityId,
      schoolYear: '2026-2027',
    });
    await t.call(
      'booking.book',
      evenings(t, { kind: 'days', dates: ['2026-09-14', '2026-09-15', '2026-09-17'] }),
    );
    t.at('2026-09-14T19:00:00+02:00');
    await t.call('attendance.mark', {
      childId: t.zoe,
      activityId: t.demo.care.activityId,
      siteId: t.demo.sites.jaures,
      unitCode: 'evening',
      date: '2026-09-14',
      status: 'present',
    });
    // By the period: what is booked is cancelled, an empty Friday needs no word.
    const period = await t.call(
      'booking.cancel',
      evenings(
        t,
        { kind: 'period', from: '2026-09-14', to: '2026-09-18', weekdays: [1, 2, 4, 5] },
        'counter',
      ),
    );
    expect(period.accepted.map((c) => [c.date, c.late, c.billed])).toEqual([['2026-09-17', false, false]]);
    // 48 h before Tuesday 15 was Sunday 13 at 00:00: late, refused without a reason.
    expect(period.refused.map((r) => [r.date, r.code, r.reason])).toEqual([
      ['2026-09-14', 'ATTENDANCE_TAKEN', 'présence déjà pointée'],
      [
        '2026-09-15',
        'REASON_REQUIRED',
        'Annulation impossible depuis le dimanche 13 septembre 2026 à 0 h 00 : indiquez un motif pour annuler hors délai',
      ],
    ]);
    // Asked by the day: a day with nothing booked is answered.
    const byDay = await t.call('booking.cancel', evenings(t, { kind: 'days', dates: ['2026-09-18'] }));
    expect(byDay.refused).toEqual([
      expect.objectContaining({
        date: '2026-09-18',
        code: 'NOT_BOOKED',
        reason: 'aucune réservation ce jour-là',
      }),
    ]);
  });
});

describe('cancelling several units, or a day without service', () => {
  it('cancels morning and evening day by day, and finds nothing to cancel on a public holiday', async () => {
    const t = await demoTown();
    await t.call('enrolment.enrol', {
      childId: t.zoe,
      activityId: t.demo.care.activityId,
      schoolYear: '2026-2027',
    });
    const both = (dates: string[]) => ({
      ...evenings(t, { kind: 'days', dates }),
      unitCodes: ['morning' as const, 'evening' as const],
    });
    await t.call('booking.book', both(['2026-09-14', '2026-09-15']));
    const r = await t.call('booking.cancel', both(['2026-09-15', '2026-09-14']));
    expect(r.accepted.map((c) => [c.date, c.unitLabel])).toEqual([
      ['2026-09-14', 'Matin'],
      ['2026-09-14', 'Soir'],
      ['2026-09-15', 'Matin'],
      ['2026-09-15', 'Soir'],
    ]);
    // Ascension Thursday, 6 May 2027: no care that day, so nothing to cancel and nothing to say.
    expect(await t.call('booking.cancel', evenings(t, { kind: 'days', dates: ['2027-05-06'] }))).toEqual({
      accepted: [],
      refused: [],
    });
  });
});
