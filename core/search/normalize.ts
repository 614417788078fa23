/** Lower case without accents: « Lefèvre » and « lefevre » read the same to the search. */
export function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase();
}

/**
 * The words of a search as the index holds them: folded, split on anything but letters and digits. Digits
 * separated by spaces or dots (« 06 12 34 ») are joined, as phone numbers are indexed compact too.
 */
export function ftsWords(input: string): string[] {
  const folded = fold(input).trim();
  const phoneLike = /^[\d\s.+-]+$/.test(folded) && /\d/.test(folded);
  const raw = phoneLike
    ? [folded.replace(/\D/g, '').replace(/^33(?=\d{9}$)/, '0')]
    : folded.split(/[^\p{L}\p{N}]+/u);
  return raw.filter((w) => w.length > 0).slice(0, 8);
}

/**
 * Turns what the agent typed into an FTS5 query. Every word must match as a prefix; an exact word also scores,
 * so « martin » ranks Martin above Martinez. Words are quoted, so no input can inject FTS syntax.
 */
export function toFtsQuery(input: string): string | null {
  const words = ftsWords(input);
  if (words.length === 0) return null;
  return words.map((w) => `("${w}" OR "${w}"*)`).join(' AND ');
}

/** The digits of a phone number, so typing it without spaces finds it too. */
export const phoneDigits = (phone: string): string => phone.replace(/\D/g, '');
