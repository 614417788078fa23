/**
 * CSV as French spreadsheets open it without an import dialog: semicolon-separated, decimal comma, UTF-8 with a
 * byte-order mark (so Excel reads the accents), CRLF line ends.
 */
export type Cell = string | number | null;

/** « 1234,56 », « -12,00 »: no thousands separator, so the cell stays a number once opened. */
export function csvAmount(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)},${String(abs % 100).padStart(2, '0')}`;
}

const cell = (c: Cell): string => {
  const s = c === null ? '' : String(c);
  return /[;"\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

export function toCsv(rows: readonly (readonly Cell[])[]): string {
  return `\uFEFF${rows.map((r) => r.map(cell).join(';')).join('\r\n')}\r\n`;
}
