import type { Font } from 'fontkit';

/**
 * The TrueType subset pdfkit embeds in every document, built from cached per-glyph bytes instead of by fontkit's
 * encoder. fontkit decodes every glyph's outline and re-encodes the hinting tables through its generic structure
 * codec for each document: about half an invoice's rendering time, to copy bytes that never change. The output is
 * byte for byte fontkit's (same table order, offsets and contents), so a PDF is the same whichever builds it.
 */

/** The part of fontkit's internals the subset needs (fontkit ships no types; see fontkit.d.ts). */
interface FontInternals {
  loca: { offsets: number[]; version: number };
  _variationProcessor?: unknown;
  directory: { tables: Record<string, unknown> };
  _getTableStream(tag: string): { buffer: Uint8Array; pos: number };
  getGlyph(gid: number): {
    advanceWidth: number;
    _decode(): { numberOfContours: number; components?: { glyphID: number; pos: number }[] } | null;
    _getMetrics(): { leftBearing: number };
  };
  createSubset(): Subset;
}

/** fontkit's TTFSubset as pdfkit uses it: glyphs in order of first use, then `encode()` once per document. */
interface Subset {
  glyphs: number[];
  includeGlyph(gid: number): number;
  encode(): Uint8Array;
}

interface CachedGlyph {
  /** The glyph's `glyf` record as stored in the font (a view, never written to). */
  bytes: Uint8Array;
  /** For a composite glyph: where each component's glyph id sits in `bytes`, and which glyph it is. */
  components: { glyphID: number; pos: number }[] | null;
  advance: number;
  bearing: number;
}

/** What does not depend on the glyphs: table order and the bytes of the tables copied whole. */
interface Template {
  order: string[];
  fixed: Map<string, Uint8Array>;
}

/** Replaces `font.createSubset` so the subsets pdfkit takes from it encode through the cache; returns the font. */
export function withCachedSubsets(font: Font): Font {
  const f = font as unknown as FontInternals;
  // Variable fonts re-encode outlines and CFF fonts subset another way: those keep fontkit's encoder.
  if (f._variationProcessor || f.directory.tables['CFF '] || f.loca.version !== 1) return font;
  const original = f.createSubset.bind(f);
  const template = readTemplate(original());
  if (!template) return font;
  const glyf = f._getTableStream('glyf');
  const glyfBytes = glyf.buffer;
  const glyfStart = glyf.pos;
  const glyphs = new Map<number, CachedGlyph>();
  const glyph = (gid: number): CachedGlyph => {
    let g = glyphs.get(gid);
    if (!g) {
      const fk = f.getGlyph(gid);
      const decoded = fk._decode();
      const from = glyfStart + (f.loca.offsets[gid] as number);
      const to = glyfStart + (f.loca.offsets[gid + 1] as number);
      g = {
        bytes: glyfBytes.subarray(from, to),
        components: decoded && decoded.numberOfContours < 0 ? (decoded.components ?? []) : null,
        advance: fk.advanceWidth,
        bearing: fk._getMetrics().leftBearing,
      };
      glyphs.set(gid, g);
    }
    return g;
  };
  f.createSubset = () => {
    const subset = original();
    subset.encode = () => encodeSubset(subset, template, glyph);
    return subset;
  };
  return font;
}

/** The tables fontkit writes for a subset, read from one it encoded; null if its layout is not the one expected. */
function readTemplate(subset: Subset): Template | null {
  const out = subset.encode();
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  const count = view.getUint16(4);
  const order: string[] = [];
  const fixed = new Map<string, Uint8Array>();
  let expected = 12 + 16 * count;
  for (let i = 0; i < count; i++) {
    const at = 12 + 16 * i;
    const tag = String.fromCharCode(...out.subarray(at, at + 4));
    const offset = view.getUint32(at + 8);
    const length = view.getUint32(at + 12);
    // Tables follow the directory back to back, checksums left at zero: what `encodeSubset` writes too.
    if (offset !== expected || view.getUint32(at + 4) !== 0) return null;
    expected += length;
    order.push(tag);
    fixed.set(tag, new Uint8Array(out.subarray(offset, offset + length)));
  }
  const needed = ['head', 'hhea', 'maxp', 'loca', 'glyf', 'hmtx'];
  return expected === out.length && needed.every((t) => order.includes(t)) ? { order, fixed } : null;
}

function encodeSubset(subset: Subset, template: Template, glyph: (gid: number) => CachedGlyph): Uint8Array {
  const records: Uint8Array[] = [];
  const metrics: CachedGlyph[] = [];
  // Composite glyphs add their components to the subset as they are met, hence no for-of.
  for (let i = 0; i < subset.glyphs.length; i++) {
    const g = glyph(subset.glyphs[i] as number);
    let bytes = g.bytes;
    if (g.components) {
      bytes = new Uint8Array(bytes); // a copy: `bytes` views the font itself
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      for (const c of g.components) view.setUint16(c.pos, subset.includeGlyph(c.glyphID));
    }
    records.push(bytes);
    metrics.push(g);
  }
  const n = records.length;
  const glyfLength = records.reduce((s, r) => s + r.length, 0);
  const lengths = new Map<string, number>();
  for (const tag of template.order) {
    const fixed = template.fixed.get(tag) as Uint8Array;
    lengths.set(
      tag,
      tag === 'loca' ? 4 * (n + 1) : tag === 'glyf' ? glyfLength : tag === 'hmtx' ? 4 * n : fixed.length,
    );
  }
  const count = template.order.length;
  const total = template.order.reduce((s, t) => s + (lengths.get(t) as number), 12 + 16 * count);
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  // Directory as fontkit writes it: tag « true », binary-search fields from the table count.
  out.set([0x74, 0x72, 0x75, 0x65], 0);
  const selector = Math.floor(Math.log2(count));
  view.setUint16(4, count);
  view.setUint16(6, 2 ** selector * 16);
  view.setUint16(8, selector);
  view.setUint16(10, count * 16 - 2 ** selector * 16);
  let offset = 12 + 16 * count;
  template.order.forEach((tag, i) => {
    const at = 12 + 16 * i;
    const length = lengths.get(tag) as number;
    for (let k = 0; k < 4; k++) out[at + k] = tag.charCodeAt(k);
    view.setUint32(at + 8, offset);
    view.setUint32(at + 12, length);
    if (tag === 'loca') {
      let o = 0;
      for (let k = 0; k < n; k++) {
        view.setUint32(offset + 4 * k, o);
        o += (records[k] as Uint8Array).length;
      }
      view.setUint32(offset + 4 * n, o);
    } else if (tag === 'glyf') {
      let o = offset;
      for (const r of records) {
        out.set(r, o);
        o += r.length;
      }
    } else if (tag === 'hmtx') {
      metrics.forEach((m, k) => {
        view.setUint16(offset + 4 * k, m.advance);
        view.setInt16(offset + 4 * k + 2, m.bearing);
      });
    } else {
      out.set(template.fixed.get(tag) as Uint8Array, offset);
      // The glyph counts: maxp.numGlyphs and hhea.numberOfMetrics (every glyph of a subset has its own metrics).
      if (tag === 'maxp') view.setUint16(offset + 4, n);
      if (tag === 'hhea') view.setUint16(offset + 34, n);
    }
    offset += length;
  });
  return out;
}
