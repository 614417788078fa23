import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type * as Fontkit from 'fontkit';
import type { Font } from 'fontkit';
import { commonjs } from '../commonjs.ts';
import { withCachedSubsets } from './font-subset.ts';

/**
 * DejaVu Sans, embedded in every PDF: the 14 standard PDF fonts cannot draw the narrow no-break space (U+202F) that
 * French amounts use (« 1 234,56 € »), and the town's PC may not have the font. The files ship next to this module
 * (core/pdf/fonts/, Bitstream Vera licence); Debian's copy is the fallback when running from an unusual layout.
 */
export interface PdfFonts {
  regular: Font;
  bold: Font;
}

const FILES = { regular: 'DejaVuSans.ttf', bold: 'DejaVuSans-Bold.ttf' } as const;
const SYSTEM_DIR = '/usr/share/fonts/truetype/dejavu';

let cached: PdfFonts | null = null;

function load(file: string): Font {
  // Loaded with the first document's fonts, as pdfkit is (see page.ts): the same copy of fontkit as pdfkit's.
  const { create } = commonjs.require('fontkit') as typeof Fontkit;
  const candidates = [fileURLToPath(new URL(`./fonts/${file}`, import.meta.url)), `${SYSTEM_DIR}/${file}`];
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error(`Police ${file} introuvable (cherchée dans ${candidates.join(', ')})`);
  return withCachedSubsets(create(withoutTables(readFileSync(found), SHAPING_TABLES)));
}

/**
 * Parsed once per process and shared by every document: parsing a TTF costs far more than laying out an invoice
 * (about 60 ms against 5 ms), and pdfkit takes a parsed font as is, subsetting it afresh for each document.
 */
export function pdfFonts(): PdfFonts {
  cached ??= { regular: load(FILES.regular), bold: load(FILES.bold) };
  return cached;
}

/**
 * The OpenType shaping tables (substitutions, positioning and their definitions). Latin text in precomposed Unicode
 * needs none of them, and without them fontkit lays a word out by the character map and the `kern` table alone:
 * kerning stays, and shaping (a third of an invoice's rendering time) becomes a table lookup.
 */
const SHAPING_TABLES = new Set(['GSUB', 'GPOS', 'GDEF']);

/** A TrueType file without the given tables: the table directory rewritten, each table copied as is, 4-byte aligned. */
export function withoutTables(font: Buffer, drop: ReadonlySet<string>): Buffer {
  const count = font.readUInt16BE(4);
  const tables: { tag: string; data: Buffer }[] = [];
  for (let i = 0; i < count; i++) {
    const at = 12 + 16 * i;
    const tag = font.toString('latin1', at, at + 4);
    const offset = font.readUInt32BE(at + 8);
    const length = font.readUInt32BE(at + 12);
    if (!drop.has(tag)) tables.push({ tag, data: font.subarray(offset, offset + length) });
  }
  const headerSize = 12 + 16 * tables.length;
  const padded = (n: number) => (n + 3) & ~3;
  const out = Buffer.alloc(headerSize + tables.reduce((s, t) => s + padded(t.data.length), 0));
  font.copy(out, 0, 0, 4); // sfnt version
  const entrySelector = Math.floor(Math.log2(tables.length));
  const searchRange = 2 ** entrySelector * 16;
  out.writeUInt16BE(tables.length, 4);
  out.writeUInt16BE(searchRange, 6);
  out.writeUInt16BE(entrySelector, 8);
  out.writeUInt16BE(tables.length * 16 - searchRange, 10);
  let offset = headerSize;
  tables.forEach((t, i) => {
    const at = 12 + 16 * i;
    out.write(t.tag, at, 'latin1');
    t.data.copy(out, offset);
    out.writeUInt32BE(checksum(out.subarray(offset, offset + padded(t.data.length))), at + 4);
    out.writeUInt32BE(offset, at + 8);
    out.writeUInt32BE(t.data.length, at + 12);
    offset += padded(t.data.length);
  });
  return out;
}

function checksum(data: Buffer): number {
  let sum = 0;
  for (let i = 0; i < data.length; i += 4) sum = (sum + data.readUInt32BE(i)) >>> 0;
  return sum;
}
