import { describe, expect, it } from 'vitest';
import type { ActivitySettings } from '../activities/settings.ts';
import type { TariffData } from '../pricing/tariff.ts';
import { charge, decide, tariffOn, type BillableBooking, type DatedTariff } from './rules.ts';

/**
 * The billing rules as functions (core/billing/rules.ts), for what the demo town's set-up never shows through the
 * contract: an activity that does not bill late cancellations or unjustified absences, and dated tariffs that end.
 */

const flat = (cents: number): TariffData => ({ mode: 'flat', cents });

const lenient: ActivitySettings = {
  calendar: 'school',
  granularity: 'day',
  bookingDeadline: { kind: 'none' },
  cancelDeadline: { kind: 'none' },
  payment: 'monthly',
  lateAdd: { kind: 'add', cents: 300 },
  unbookedPresence: null,
  lateCancellationBilled: false,
  unjustifiedAbsenceBilled: false,
  flatFee: false,
  wholeWeekOneSite: false,
};

const booking = (b: Partial<BillableBooking>): BillableBooking => ({
  state: 'booked',
  late: 0,
  unbooked: 0,
  cancelLate: 0,
  attendance: null,
  ...b,
});

describe('what is billed, for an activity that forgives', () => {
  it('bills neither a late cancellation nor an unjustified absence, and says why on the list to credit', () => {
    expect(decide(booking({ state: 'cancelled', cancelLate: 1 }), lenient)).toEqual({
      billed: false,
      reason: 'annulation tardive non facturée pour cette activité',
    });
    expect(decide(booking({ attendance: 'absent_unjustified' }), lenient)).toEqual({
      billed: false,
      reason: 'absence non facturée pour cette activité',
    });
    // A cancellation in time is free whatever the activity bills for late ones.
    for (const s of [lenient, { ...lenient, lateCancellationBilled: true }])
      expect(decide(booking({ state: 'cancelled', cancelLate: 0, late: 1 }), s)).toEqual({
        billed: false,
        reason: 'annulé dans les délais',
      });
  });
});

describe('the tariff in force on a service date', () => {
  // Newest first, as the catalogue loads them: 2,20 € until 31 December 2026, 2,40 € from 4 January 2027.
  const tariffs: DatedTariff[] = [
    { validFrom: '2027-01-04', validTo: null, data: flat(240) },
    { validFrom: '2025-09-01', validTo: '2026-12-31', data: flat(220) },
  ];

  it('takes each tariff from its first day to its last, both included', () => {
    expect(tariffOn(tariffs, '2025-09-01')).toEqual(flat(220));
    expect(tariffOn(tariffs, '2026-12-31')).toEqual(flat(220));
    expect(tariffOn(tariffs, '2027-01-04')).toEqual(flat(240));
  });

  it('has none before the first, nor in the days between one that ends and the next', () => {
    expect(tariffOn(tariffs, '2025-08-31')).toBeNull();
    expect(tariffOn(tariffs, '2027-01-01')).toBeNull();
    expect(tariffOn([], '2026-09-01')).toBeNull();
  });
});

describe('the price of a billed service', () => {
  it('is quantity × unit price, the surcharge on each one', () => {
    const late = decide(booking({ late: 1 }), lenient);
    if (!late.billed) throw new Error('billed');
    expect(charge(late, flat(220), null, 'meal', 3)).toEqual({
      quantity: 3,
      unitPriceCents: 520,
      amountCents: 1560,
      baseCents: 220,
      surchargeCents: 300,
      surchargeReason: 'ajout hors délai : +3,00\u00a0€',
      qfValue: null,
      basis: 'tarif unique',
    });
  });
});
