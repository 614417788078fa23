/**
 * Amounts in French words, as a receipt or a cheque writes them: « cent vingt-trois euros et quarante-cinq
 * centimes ». Spelling: hyphens inside the tens, « et » included (« vingt-et-un », « soixante-et-onze », the 1990
 * recommendation), spaces around cent, mille, million and milliard (the form banks and receipts use). The rules:
 * - « et » joins un and onze to the tens 20–60 and 70 only: « vingt-et-un », « soixante-et-onze », but
 *   « quatre-vingt-un », « quatre-vingt-onze »;
 * - vingt (in quatre-vingts) and cent take an s when multiplied and ending the number: « quatre-vingts »,
 *   « deux cents », but « quatre-vingt-deux », « deux cent un », and « deux cent mille » (mille is an adjective),
 *   while « deux cents millions » keeps it (million is a noun);
 * - mille is invariable and never preceded by « un »: « mille », « deux mille »;
 * - million and milliard are nouns: plural with an s, and « d’euros » when nothing follows them: « un million
 *   d’euros », « deux millions deux cents euros »;
 * - « euro » and « centime » take an s from two: « un euro », « zéro euro » (written only for a zero amount),
 *   « un centime ».
 */

const UNITS = [
  'zéro',
  'un',
  'deux',
  'trois',
  'quatre',
  'cinq',
  'six',
  'sept',
  'huit',
  'neuf',
  'dix',
  'onze',
  'douze',
  'treize',
  'quatorze',
  'quinze',
  'seize',
  'dix-sept',
  'dix-huit',
  'dix-neuf',
];
const TENS = ['', '', 'vingt', 'trente', 'quarante', 'cinquante', 'soixante'];

/** 0–99. `final`: nothing but a noun follows (so « quatre-vingts » keeps its s). */
function belowHundred(n: number, final: boolean): string {
  if (n < 20) return UNITS[n] as string;
  const tens = Math.floor(n / 10);
  const unit = n % 10;
  if (tens < 7) {
    const base = TENS[tens] as string;
    if (unit === 0) return base;
    return unit === 1 ? `${base}-et-un` : `${base}-${UNITS[unit]}`;
  }
  if (tens === 7) return n === 71 ? 'soixante-et-onze' : `soixante-${UNITS[n - 60]}`;
  // 80–99: quatre-vingt(s), never with « et ».
  const rest = n - 80;
  if (rest === 0) return final ? 'quatre-vingts' : 'quatre-vingt';
  return `quatre-vingt-${UNITS[rest]}`;
}

/** 0–999, for a group followed by mille (`final` false), a noun (million, euros: `final` true). */
function belowThousand(n: number, final: boolean): string {
  const hundreds = Math.floor(n / 100);
  const rest = n % 100;
  const parts: string[] = [];
  if (hundreds === 1) parts.push('cent');
  else if (hundreds > 1) parts.push(`${UNITS[hundreds]} ${rest === 0 && final ? 'cents' : 'cent'}`);
  if (rest > 0 || hundreds === 0) parts.push(belowHundred(rest, final));
  return parts.join(' ');
}

/** A whole number in words (0 to 999 999 999 999), as it reads before a noun (euros, centimes). */
export function integerInWords(n: number): string {
  if (!Number.isSafeInteger(n) || n < 0 || n >= 1e12) throw new RangeError(`nombre hors limites : ${n}`);
  if (n === 0) return 'zéro';
  const milliards = Math.floor(n / 1e9);
  const millions = Math.floor((n % 1e9) / 1e6);
  const thousands = Math.floor((n % 1e6) / 1e3);
  const units = n % 1e3;
  const parts: string[] = [];
  // Before million(s) and milliard(s), nouns: vingt and cent keep their s.
  if (milliards) parts.push(`${belowThousand(milliards, true)} ${milliards > 1 ? 'milliards' : 'milliard'}`);
  if (millions) parts.push(`${belowThousand(millions, true)} ${millions > 1 ? 'millions' : 'million'}`);
  // Before mille, an adjective: no s (« quatre-vingt mille », « deux cent mille »), and no « un ».
  if (thousands) parts.push(thousands === 1 ? 'mille' : `${belowThousand(thousands, false)} mille`);
  if (units) parts.push(belowThousand(units, true));
  return parts.join(' ');
}

/** « d’euros » after a bare million or milliard: « un million d’euros », but « un million cent euros ». */
function eurosWord(euros: number): string {
  if (euros >= 1e6 && euros % 1e6 === 0) return 'd’euros';
  return euros >= 2 ? 'euros' : 'euro';
}

/** « cent vingt-trois euros et quarante-cinq centimes », « un euro », « cinquante centimes », « moins dix euros ». */
export function amountInWords(cents: number): string {
  if (!Number.isSafeInteger(cents)) throw new RangeError(`montant en centimes attendu : ${cents}`);
  if (cents < 0) return `moins ${amountInWords(-cents)}`;
  const euros = Math.floor(cents / 100);
  const c = cents % 100;
  const centimes = c === 0 ? '' : `${integerInWords(c)} ${c >= 2 ? 'centimes' : 'centime'}`;
  if (euros === 0) return centimes || 'zéro euro';
  const e = `${integerInWords(euros)} ${eurosWord(euros)}`;
  return centimes ? `${e} et ${centimes}` : e;
}
