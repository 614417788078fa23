import type PDFKitDocument from 'pdfkit';
import { commonjs } from '../commonjs.ts';
import { pdfFonts } from './fonts.ts';

/**
 * pdfkit is loaded by the first document, not with the core: with fontkit it unpacks its tables when loaded, some
 * 0.4 s of the counter's start-up on a busy PC, for documents printed later in the day if at all.
 */
let PDFDocument: typeof PDFKitDocument | null = null;

/** A4 in points, and the frame every document of the régie shares. */
export const A4 = { width: 595.28, height: 841.89 };
export const LEFT = 50;
export const RIGHT = A4.width - 50;
export const WIDTH = RIGHT - LEFT;
/** Body text stops here; below is the footer (page number, legal mentions). */
export const BODY_BOTTOM = A4.height - 70;

export const COLOR = {
  text: '#1a1a1a',
  muted: '#5a5a5a',
  rule: '#b8b8b8',
  band: '#ececec',
  accent: '#1f3a68',
  warn: '#8a3b00',
};

export type Doc = PDFKit.PDFDocument;

export interface DocInfo {
  title: string;
  author: string;
  subject: string;
  /** Fixed per document (its issue date), so a reprint is byte-identical to the first print. */
  creationDate: Date;
}

/**
 * Word layouts shared by every document. pdfkit caches the layout of each word (glyphs, advances, kerning) per
 * font per document, so every invoice laid out « Facture », the town's name and the table headings afresh: about a
 * third of its rendering time. A layout depends only on the font and the word, so documents can share it; the
 * cache starts over now and then, as words like invoice numbers and names never come back.
 */
let layoutCaches = new WeakMap<object, Record<string, unknown>>();
let documents = 0;
const LAYOUT_CACHE_DOCUMENTS = 1_000;

/** pdfkit's embedded font, as far as the layout cache goes (not in its types). */
interface EmbeddedFont {
  font: object;
  layoutCache?: Record<string, unknown>;
}

/**
 * A new A4 document with DejaVu embedded under the names 'R' and 'B'. Margins are zero because every block is
 * placed explicitly: pdfkit then never breaks a page on its own, and the page breaks are ours (see `Flow`).
 */
export function newDocument(info: DocInfo): Doc {
  const fonts = pdfFonts();
  if (++documents % LAYOUT_CACHE_DOCUMENTS === 0) layoutCaches = new WeakMap();
  PDFDocument ??= commonjs.require('pdfkit') as typeof PDFKitDocument;
  const doc = new PDFDocument({
    // No default font: pdfkit would parse Helvetica's metrics for every document, and DejaVu is set before any text.
    font: null as unknown as string,
    size: 'A4',
    margin: 0,
    bufferPages: true,
    autoFirstPage: false,
    lang: 'fr-FR',
    displayTitle: true,
    info: {
      Title: info.title,
      Author: info.author,
      Subject: info.subject,
      Creator: 'Guichet Famille',
      CreationDate: info.creationDate,
    },
  });
  // pdfkit accepts a parsed fontkit font where its types only list files and buffers.
  doc.registerFont('R', fonts.regular as unknown as Buffer);
  doc.registerFont('B', fonts.bold as unknown as Buffer);
  return doc;
}

export function toBuffer(doc: Doc): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    doc.on('data', (b: Buffer) => parts.push(b));
    doc.on('end', () => resolve(Buffer.concat(parts)));
    doc.on('error', reject);
    doc.end();
  });
}

export interface TextOptions {
  font?: 'R' | 'B';
  size?: number;
  color?: string;
  width?: number;
  align?: 'left' | 'right' | 'center';
}

/**
 * Writes text at a fixed place and returns its height, so callers stack blocks without pdfkit's cursor. Text that
 * fits on one line (most cells: amounts, quantities, labels) is placed directly, without pdfkit's line wrapper:
 * the wrapper lays every word out twice, and rendering speed is a requirement (issue 4: ≥ 100 invoices/s).
 */
export function put(doc: Doc, text: string, x: number, y: number, o: TextOptions = {}): number {
  setFont(doc, o.font ?? 'R')
    .fontSize(o.size ?? 9)
    .fillColor(o.color ?? COLOR.text);
  const width = o.width ?? WIDTH;
  const w = text.includes('\n') ? Infinity : doc.widthOfString(text);
  if (w <= width) {
    const dx = o.align === 'right' ? width - w : o.align === 'center' ? (width - w) / 2 : 0;
    doc.text(text, x + dx, y, { lineBreak: false });
    return doc.currentLineHeight(true) + LINE_GAP;
  }
  doc.text(text, x, y, { width, align: o.align ?? 'left', lineGap: LINE_GAP });
  return doc.y - y;
}

export function measure(doc: Doc, text: string, o: TextOptions = {}): number {
  setFont(doc, o.font ?? 'R').fontSize(o.size ?? 9);
  const width = o.width ?? WIDTH;
  if (!text.includes('\n') && doc.widthOfString(text) <= width) return doc.currentLineHeight(true) + LINE_GAP;
  return doc.heightOfString(text, { width, lineGap: LINE_GAP });
}

const LINE_GAP = 1;

function setFont(doc: Doc, name: 'R' | 'B'): Doc {
  doc.font(name);
  const font = (doc as unknown as { _font: EmbeddedFont })._font;
  // Without a cache of its own (the document's option `fontLayoutCache: false`) the font keeps laying out afresh.
  if (font.layoutCache) {
    let shared = layoutCaches.get(font.font);
    if (!shared) layoutCaches.set(font.font, (shared = Object.create(null) as Record<string, unknown>));
    if (font.layoutCache !== shared) font.layoutCache = shared;
  }
  return doc;
}

export function rule(doc: Doc, y: number, color: string = COLOR.rule, x0 = LEFT, x1 = RIGHT): void {
  doc.moveTo(x0, y).lineTo(x1, y).lineWidth(0.5).strokeColor(color).stroke();
}

export function band(doc: Doc, y: number, h: number, color: string = COLOR.band): void {
  doc.rect(LEFT, y, WIDTH, h).fillColor(color).fill();
}

/**
 * Writes the footer of every page once the body is laid out (page « n / total » needs the total), then returns.
 */
export function footers(doc: Doc, lines: (page: number, pages: number) => string[]): void {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    rule(doc, A4.height - 58);
    let y = A4.height - 53;
    for (const line of lines(i - range.start + 1, range.count)) {
      y += put(doc, line, LEFT, y, { size: 7, color: COLOR.muted, align: 'center' });
    }
  }
}
