import { formatEuros } from '../../shared/money.ts';
import type { Surcharge, UnitCode } from '../activities/settings.ts';
import { roundHalfUp, type UnitPrice } from './tariff.ts';

export interface PricedService {
  /** What the line costs, surcharge included. */
  cents: number;
  baseCents: number;
  basis: string;
  /** Present when the line costs more than its plain price, with the reason the agent reads out. */
  surcharge?: { reason: string; cents: number };
}

export function applySurcharge(
  base: UnitPrice,
  surcharge: Surcharge | null,
  unit: UnitCode,
  reason: string,
): PricedService {
  const plain: PricedService = { cents: base.cents, baseCents: base.cents, basis: base.basis };
  if (!surcharge) return plain;
  let extra: number;
  let label: string;
  switch (surcharge.kind) {
    case 'percent':
      extra = roundHalfUp(base.cents * surcharge.percent, 100);
      label = `${reason} : +${surcharge.percent} %`;
      break;
    case 'add':
      extra = surcharge.cents;
      label = `${reason} : +${formatEuros(surcharge.cents)}`;
      break;
    case 'price': {
      const price = surcharge.byUnit[unit];
      if (price === undefined) return plain;
      extra = price - base.cents;
      label = `${reason} : tarif majoré ${formatEuros(price)}`;
      break;
    }
  }
  return { ...plain, cents: base.cents + extra, surcharge: { reason: label, cents: extra } };
}
