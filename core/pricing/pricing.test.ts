import { describe, expect, it } from 'vitest';
import { applySurcharge } from './surcharge.ts';
import { roundHalfUp, unitPrice, type TariffData } from './tariff.ts';

/**
 * Prices by QF (RULES.md « Prices »; REGIE.md 3): brackets with inclusive bounds, or linear in QF within a floor
 * and a ceiling (e.g. 0,36 % × QF, 2,60 € to 4,50 €); no QF pays the highest tariff; each line rounded to the cent.
 */

const brackets: TariffData = {
  mode: 'brackets',
  brackets: [
    { min: 0, max: 399, cents: 100 },
    { min: 400, max: 699, cents: 220 },
    { min: 1500, max: null, cents: 480 },
  ],
  noQf: 500,
};

/** 0,36 % of the QF in euros: 0,36 cent per QF point, in millionths of a cent. */
const linear: TariffData = { mode: 'linear', microCentsPerQfPoint: 360_000, floor: 260, ceiling: 450 };

describe('a tariff by QF brackets', () => {
  it('takes both bounds of a bracket into it, and the last bracket open-ended', () => {
    expect(unitPrice(brackets, 0)).toEqual({ cents: 100, basis: 'QF 0–399' });
    expect(unitPrice(brackets, 399)).toEqual({ cents: 100, basis: 'QF 0–399' });
    expect(unitPrice(brackets, 400)).toEqual({ cents: 220, basis: 'QF 400–699' });
    expect(unitPrice(brackets, 699)).toEqual({ cents: 220, basis: 'QF 400–699' });
    expect(unitPrice(brackets, 1500)).toEqual({ cents: 480, basis: 'QF ≥ 1500' });
    expect(unitPrice(brackets, 4000)).toEqual({ cents: 480, basis: 'QF ≥ 1500' });
  });

  it('charges the highest tariff without a QF, or for a QF no bracket holds, and says so', () => {
    expect(unitPrice(brackets, null)).toEqual({ cents: 500, basis: 'sans QF (tarif maximal)' });
    expect(unitPrice(brackets, 700)).toEqual({ cents: 500, basis: 'QF 700 hors tranches (tarif maximal)' });
  });
});

describe('a tariff linear in QF', () => {
  it('is QF × rate rounded to the cent, within the floor and the ceiling, which the line names', () => {
    expect(unitPrice(linear, 850)).toEqual({ cents: 306, basis: 'QF 850 × taux' });
    // 0,36 % × 849 = 3,0564 € → 3,06 €; × 846 = 3,0456 € → 3,05 €.
    expect(unitPrice(linear, 849).cents).toBe(306);
    expect(unitPrice(linear, 846).cents).toBe(305);
    expect(unitPrice(linear, 500)).toEqual({ cents: 260, basis: 'QF 500 × taux (plancher 2,60 €)' });
    expect(unitPrice(linear, 1500)).toEqual({ cents: 450, basis: 'QF 1500 × taux (plafond 4,50 €)' });
    // Exactly at the floor or the ceiling, nothing to explain.
    expect(unitPrice({ ...linear, floor: 306 }, 850)).toEqual({ cents: 306, basis: 'QF 850 × taux' });
    expect(unitPrice({ ...linear, ceiling: 306 }, 850)).toEqual({ cents: 306, basis: 'QF 850 × taux' });
  });

  it('charges the ceiling without a QF', () => {
    expect(unitPrice(linear, null)).toEqual({ cents: 450, basis: 'sans QF (tarif maximal)' });
  });
});

describe('rounding and surcharges', () => {
  it('rounds half up, to the nearest integer, without floats', () => {
    expect([
      roundHalfUp(5, 2),
      roundHalfUp(3, 2),
      roundHalfUp(7, 4),
      roundHalfUp(5, 4),
      roundHalfUp(0, 3),
    ]).toEqual([3, 2, 2, 1, 0]);
  });

  it('adds a percentage rounded to the cent, a fixed amount, or a price set per unit', () => {
    const base = { cents: 215, basis: 'QF 400–699' };
    // 50 % of 2,15 € = 1,075 € → 1,08 €.
    expect(applySurcharge(base, { kind: 'percent', percent: 50 }, 'meal', 'ajout hors délai')).toEqual({
      cents: 323,
      baseCents: 215,
      basis: 'QF 400–699',
      surcharge: { reason: 'ajout hors délai : +50 %', cents: 108 },
    });
    expect(applySurcharge(base, { kind: 'add', cents: 300 }, 'day', 'ajout hors délai')).toMatchObject({
      cents: 515,
      surcharge: { reason: 'ajout hors délai : +3,00\u00a0€', cents: 300 },
    });
    const perUnit = { kind: 'price' as const, byUnit: { morning: 400, evening: 1000 } };
    expect(applySurcharge(base, perUnit, 'evening', 'ajout hors délai')).toMatchObject({
      cents: 1000,
      surcharge: { reason: 'ajout hors délai : tarif majoré 10,00\u00a0€', cents: 785 },
    });
    // A unit the town set no late price for keeps its plain price.
    expect(applySurcharge(base, perUnit, 'meal', 'ajout hors délai')).toEqual({
      cents: 215,
      baseCents: 215,
      basis: 'QF 400–699',
    });
    expect(applySurcharge(base, null, 'meal', 'ajout hors délai')).toEqual({
      cents: 215,
      baseCents: 215,
      basis: 'QF 400–699',
    });
  });
});
