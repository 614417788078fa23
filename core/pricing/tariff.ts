import { z } from 'zod';

const cents = z.int().min(0).max(10_000_000);

/**
 * A price table for one activity unit, from a date. QF brackets have inclusive bounds and the last one is open;
 * no QF (or a QF outside every bracket) pays `noQf`, the highest tariff. Linear: QF × rate, within floor and ceiling.
 */
export const tariffDataSchema = z.discriminatedUnion('mode', [
  z.object({
    mode: z.literal('brackets'),
    brackets: z.array(z.object({ min: z.int().min(0), max: z.int().min(0).nullable(), cents })).min(1),
    noQf: cents,
  }),
  z.object({
    mode: z.literal('linear'),
    /** Cents per QF point, in millionths of a cent so that 0.36 % of QF stays exact in integers. */
    microCentsPerQfPoint: z.int().min(0),
    floor: cents,
    ceiling: cents,
  }),
  z.object({ mode: z.literal('flat'), cents }),
]);
export type TariffData = z.infer<typeof tariffDataSchema>;

export interface UnitPrice {
  cents: number;
  /** « QF 400–699 », « sans QF (tarif maximal) », « QF 850 × 0,36 % » — printed on the invoice line. */
  basis: string;
}

const euros = (c: number) => (c / 100).toFixed(2).replace('.', ',');

/** Rounds a non-negative ratio n / d half up to the nearest integer, without floats. */
export function roundHalfUp(numerator: number, denominator: number): number {
  return Math.floor((2 * numerator + denominator) / (2 * denominator));
}

export function unitPrice(data: TariffData, qf: number | null): UnitPrice {
  switch (data.mode) {
    case 'flat':
      return { cents: data.cents, basis: 'tarif unique' };
    case 'brackets': {
      if (qf === null) return { cents: data.noQf, basis: 'sans QF (tarif maximal)' };
      const bracket = data.brackets.find((b) => qf >= b.min && (b.max === null || qf <= b.max));
      if (!bracket) return { cents: data.noQf, basis: `QF ${qf} hors tranches (tarif maximal)` };
      return {
        cents: bracket.cents,
        basis: bracket.max === null ? `QF ≥ ${bracket.min}` : `QF ${bracket.min}–${bracket.max}`,
      };
    }
    case 'linear': {
      if (qf === null) return { cents: data.ceiling, basis: 'sans QF (tarif maximal)' };
      const raw = roundHalfUp(qf * data.microCentsPerQfPoint, 1_000_000);
      const clamped = Math.min(data.ceiling, Math.max(data.floor, raw));
      const note =
        clamped === raw
          ? ''
          : clamped === data.floor
            ? ` (plancher ${euros(data.floor)} €)`
            : ` (plafond ${euros(data.ceiling)} €)`;
      return { cents: clamped, basis: `QF ${qf} × taux${note}` };
    }
  }
}
