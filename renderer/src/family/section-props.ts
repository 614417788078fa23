import type { HouseholdFile } from '../../../core/family/read.ts';

export interface SectionProps {
  file: HouseholdFile;
  /** Fetches the file again after a save; the page keeps showing the old one meanwhile. */
  reload: () => Promise<void>;
}

export const fullName = (p: { civility?: string; firstName: string; lastName: string }) =>
  [p.civility, p.firstName, p.lastName].filter(Boolean).join(' ');

/** Payer choices named after the guardians present. */
export function payerOptions(
  guardians: readonly { rank: 1 | 2; civility?: string; firstName: string; lastName: string }[],
) {
  return guardians.map((g) => ({
    value: g.rank === 2 ? ('2' as const) : ('1' as const),
    label: `Responsable ${g.rank}${g.firstName || g.lastName ? ` — ${fullName(g)}` : ''}`,
  }));
}
