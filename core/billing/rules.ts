import type { ActivitySettings, Surcharge, UnitCode } from '../activities/settings.ts';
import { applySurcharge, type PricedService } from '../pricing/surcharge.ts';
import { unitPrice, type TariffData } from '../pricing/tariff.ts';

/** Why a line is billed. Stored on the line, so an agent can say it to the family without recomputing anything. */
export const LINE_KINDS = [
  'booked',
  'late_add',
  'unbooked',
  'late_cancellation',
  'unjustified_absence',
  'flat_fee',
  'enrolment',
] as const;
export type LineKind = (typeof LINE_KINDS)[number];

export const LINE_KIND_LABELS: Record<LineKind, string> = {
  booked: 'réservé',
  late_add: 'réservé hors délai',
  unbooked: 'présent sans réservation',
  late_cancellation: 'annulé hors délai',
  unjustified_absence: 'absence non justifiée',
  flat_fee: 'forfait',
  enrolment: 'inscription',
};

/**
 * The words printed before « : » in a surcharge reason; the late-add one matches what the booking screen showed.
 * A meal added late and then cancelled late, or missed, is billed as booked, surcharge included: its line says so,
 * rather than « ajout hors délai » under « annulé hors délai », which reads as a penalty for cancelling.
 */
const LATE_ADD = 'ajout hors délai';
const LATE_ADD_KEPT: Partial<Record<LineKind, string>> = {
  late_cancellation: 'majoration de l’ajout hors délai, maintenue malgré l’annulation tardive',
  unjustified_absence: 'majoration de l’ajout hors délai, maintenue malgré l’absence',
};
const UNBOOKED = 'présence sans réservation';

/** A booking as the billing rules read it (the columns of `bookings`, nothing else). */
export interface BillableBooking {
  state: 'booked' | 'cancelled';
  late: number;
  unbooked: number;
  cancelLate: number;
  attendance: 'present' | 'absent_justified' | 'absent_unjustified' | null;
}

export type Decision =
  | { billed: true; kind: LineKind; surcharge: Surcharge | null; surchargeReason: string }
  | { billed: false; reason: string };

const notBilled = (reason: string): Decision => ({ billed: false, reason });

/**
 * Whether a booking is billed and why (RULES.md, Prices; seeds 000/001). A booking that is billed costs what it
 * was booked at — a late add keeps its surcharge even when it ends in a late cancellation or an unjustified
 * absence — and a presence without booking costs the price plus the activity's penalty.
 */
export function decide(b: BillableBooking, s: ActivitySettings): Decision {
  const asBooked = (kind: LineKind): Decision =>
    b.late === 1
      ? { billed: true, kind, surcharge: s.lateAdd, surchargeReason: LATE_ADD_KEPT[kind] ?? LATE_ADD }
      : { billed: true, kind, surcharge: null, surchargeReason: '' };
  if (b.state === 'cancelled') {
    if (b.cancelLate !== 1) return notBilled('annulé dans les délais');
    return s.lateCancellationBilled
      ? asBooked('late_cancellation')
      : notBilled('annulation tardive non facturée pour cette activité');
  }
  // A flat fee (study) is owed for the booked period whatever the attendance (seed 000).
  if (s.flatFee) return asBooked('flat_fee');
  if (b.unbooked === 1) {
    return { billed: true, kind: 'unbooked', surcharge: s.unbookedPresence, surchargeReason: UNBOOKED };
  }
  switch (b.attendance) {
    case 'absent_justified':
      return notBilled('absence justifiée');
    case 'absent_unjustified':
      return s.unjustifiedAbsenceBilled
        ? asBooked('unjustified_absence')
        : notBilled('absence non facturée pour cette activité');
    case 'present':
    case null:
      // Not marked yet counts as booked: the town bills what was reserved (a correction goes by credit note).
      return asBooked(b.late === 1 ? 'late_add' : 'booked');
  }
}

/** The dated price tables of one activity unit, newest first. */
export interface DatedTariff {
  validFrom: string;
  validTo: string | null;
  data: TariffData;
}

export function tariffOn(tariffs: readonly DatedTariff[], date: string): TariffData | null {
  for (const t of tariffs)
    if (t.validFrom <= date && (t.validTo === null || date <= t.validTo)) return t.data;
  return null;
}

export interface Charge {
  quantity: number;
  unitPriceCents: number;
  amountCents: number;
  baseCents: number;
  surchargeCents: number;
  surchargeReason: string | null;
  qfValue: number | null;
  basis: string;
}

/**
 * Prices one billed service: the tariff in force on the service date, with the QF in force in the service's month
 * (`qfInForce`: never today's, so a new QF does not reprice the past), then the surcharge. Integer cents throughout;
 * a percent surcharge is rounded half up to the cent in `applySurcharge`, so the unit price is exact and a line is
 * quantity × unit price, and an invoice the sum of its lines.
 */
export function charge(
  decision: Extract<Decision, { billed: true }>,
  tariff: TariffData,
  qf: number | null,
  unit: UnitCode,
  quantity = 1,
  memo?: Map<string, PricedService>,
): Charge {
  const base = unitPrice(tariff, qf);
  // The surcharge depends on the base price only; a run meets the same few prices thousands of times.
  const key =
    memo &&
    `${base.cents}|${base.basis}|${unit}|${decision.surchargeReason}|${JSON.stringify(decision.surcharge)}`;
  let priced = key ? memo.get(key) : undefined;
  if (!priced) {
    priced = applySurcharge(base, decision.surcharge, unit, decision.surchargeReason);
    if (key) memo.set(key, priced);
  }
  return {
    quantity,
    unitPriceCents: priced.cents,
    amountCents: priced.cents * quantity,
    baseCents: priced.baseCents,
    surchargeCents: priced.surcharge?.cents ?? 0,
    surchargeReason: priced.surcharge?.reason ?? null,
    qfValue: qf,
    basis: priced.basis,
  };
}
