import { band, BODY_BOTTOM, COLOR, LEFT, measure, put, rule, type Doc } from './page.ts';

export interface Column {
  title: string;
  width: number;
  align?: 'left' | 'right';
}

/**
 * A table that flows over pages: header band, rows with a thin rule, the header again on each new page. Cells are
 * one line each (numbers, names); a longer text is cut by pdfkit's wrapping inside its column.
 */
export function table(
  doc: Doc,
  y0: number,
  columns: readonly Column[],
  rows: readonly (readonly string[])[],
  continued: () => number,
  bold: ReadonlySet<number> = new Set(),
): number {
  const header = (y: number) => {
    band(doc, y, 16, COLOR.accent);
    // Each cell sits 4 points inside its column on both sides, so the last one ends inside the band.
    let x = LEFT;
    for (const c of columns) {
      put(doc, c.title, x + 4, y + 4, {
        font: 'B',
        size: 7.5,
        color: '#ffffff',
        width: c.width - 8,
        align: c.align ?? 'left',
      });
      x += c.width;
    }
    return y + 20;
  };
  let y = header(y0);
  rows.forEach((row, i) => {
    const font = bold.has(i) ? ('B' as const) : ('R' as const);
    const h =
      Math.max(
        ...row.map((cell, j) => measure(doc, cell, { font, size: 8, width: (columns[j]?.width ?? 40) - 8 })),
      ) + 3;
    if (y + h > BODY_BOTTOM) {
      doc.addPage();
      y = header(continued());
    }
    let x = LEFT;
    row.forEach((cell, j) => {
      const c = columns[j] as Column;
      put(doc, cell, x + 4, y, { font, size: 8, width: c.width - 8, align: c.align ?? 'left' });
      x += c.width;
    });
    y += h;
    rule(doc, y - 1.5, '#dddddd');
  });
  return y;
}

/** Moves to a new page when `height` no longer fits below `y`. */
export function ensure(doc: Doc, y: number, height: number, continued: () => number): number {
  if (y + height <= BODY_BOTTOM) return y;
  doc.addPage();
  return continued();
}
