/* Amounts in the fields an agent edits. Showing an amount is shared with the core (shared/money.ts). */

/** Integer cents → « 3,30 », for a field the agent edits (no currency sign, no grouping). */
export const centsToInput = (cents: number): string =>
  `${Math.trunc(cents / 100)},${String(Math.abs(cents) % 100).padStart(2, '0')}`;

/**
 * What the agent typed as an amount in euros → integer cents, read digit by digit (never through a float):
 * « 2,20 », « 2.2 », « 2 », « 1 234,50 € » are read; anything else, or more than two decimals, gives null.
 */
export function parseEuros(text: string): number | null {
  const t = text.replace(/[\s\u00a0\u202f€]/g, '');
  const m = /^(\d{1,9})(?:[,.](\d{1,2}))?$/.exec(t);
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}
