import type { TariffData } from '../../../core/pricing/tariff.ts';
import { formatEuros } from '../../../shared/money.ts';

/** A tariff's grid in words, as the administrator and the counter agent read it. */
export function tariffWords(data: TariffData): string {
  switch (data.mode) {
    case 'flat':
      return `${formatEuros(data.cents)} (tarif unique)`;
    case 'linear':
      return `${rateText(data.microCentsPerQfPoint)} % du QF, plancher ${formatEuros(data.floor)}, plafond ${formatEuros(data.ceiling)} ; sans QF : plafond`;
    case 'brackets':
      return [
        ...data.brackets.map(
          (b) => `QF ${b.max === null ? `≥ ${b.min}` : `${b.min}–${b.max}`} : ${formatEuros(b.cents)}`,
        ),
        `sans QF : ${formatEuros(data.noQf)}`,
      ].join(' · ');
  }
}

/** Millionths of a cent per QF point → the rate in % of the QF (« 0,36 »): 1 cent per point is 1 %. */
export function rateText(micro: number): string {
  const whole = Math.trunc(micro / 1_000_000);
  const frac = String(micro % 1_000_000)
    .padStart(6, '0')
    .replace(/0+$/, '');
  return frac ? `${whole},${frac}` : String(whole);
}

/** « 0,36 » (% of the QF) → millionths of a cent per QF point, read digit by digit; null when unreadable. */
export function parseRate(text: string): number | null {
  const m = /^(\d{1,3})(?:[,.](\d{1,6}))?$/.exec(text.trim());
  if (!m) return null;
  return Number(m[1]) * 1_000_000 + Number((m[2] ?? '').padEnd(6, '0'));
}
