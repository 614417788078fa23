import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { create, type Font } from 'fontkit';
import { describe, expect, it } from 'vitest';
import { withCachedSubsets } from './font-subset.ts';
import { withoutTables } from './fonts.ts';

/** fontkit's internals the comparison drives, as pdfkit drives them (fontkit ships no types). */
interface TestFont {
  numGlyphs: number;
  glyphForCodePoint(cp: number): { id: number };
  createSubset(): { glyphs: number[]; includeGlyph(gid: number): number; encode(): Uint8Array };
}

function open(file: string): TestFont & Font {
  const path = fileURLToPath(new URL(`./fonts/${file}`, import.meta.url));
  return create(withoutTables(readFileSync(path), new Set(['GSUB', 'GPOS', 'GDEF']))) as unknown as TestFont &
    Font;
}

/** What pdfkit embeds for a document that used these glyphs, in this order. */
function subset(font: TestFont, gids: number[]): { bytes: Buffer; glyphs: number[] } {
  const s = font.createSubset();
  for (const gid of gids) s.includeGlyph(gid);
  const bytes = Buffer.from(s.encode());
  return { bytes, glyphs: [...s.glyphs] };
}

// An invoice's characters: accents (some drawn as composite glyphs), €, the no-break spaces of French amounts.
const TEXT =
  'Facture FAC-2026-000123 — Zoé Lefèvre, 12 rue de l’Église : 1\u202f234,56\u00a0€ (À payer, ç, ô, ï, ù) « Qté »';

describe.each(['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'])('the embedded subset of %s', (file) => {
  const reference = open(file);
  const cached = withCachedSubsets(open(file)) as TestFont & Font;
  const textGlyphs = [...TEXT].map((c) => reference.glyphForCodePoint(c.codePointAt(0) as number).id);

  it('is byte for byte the font fontkit itself would embed, composite glyphs included', () => {
    const expected = subset(reference, textGlyphs);
    const actual = subset(cached, textGlyphs);
    expect(actual.glyphs).toEqual(expected.glyphs);
    expect(actual.bytes.equals(expected.bytes)).toBe(true);
  });

  it('stays so document after document, whatever glyphs and order each one uses', () => {
    let seed = 7;
    const random = () => (seed = (seed * 48_271) % 2_147_483_647) / 2_147_483_647;
    let components = 0;
    for (let doc = 0; doc < 40; doc++) {
      const gids = Array.from({ length: 1 + Math.floor(random() * 120) }, () =>
        Math.floor(random() * reference.numGlyphs),
      );
      const expected = subset(reference, [...gids, ...textGlyphs]);
      const actual = subset(cached, [...gids, ...textGlyphs]);
      expect(actual.bytes.equals(expected.bytes)).toBe(true);
      components += expected.glyphs.length - new Set([0, ...gids, ...textGlyphs]).size;
    }
    // The random draws did meet composite glyphs, whose components the subset adds and renumbers.
    expect(components).toBeGreaterThan(0);
    expect(subset(cached, textGlyphs).bytes.equals(subset(reference, textGlyphs).bytes)).toBe(true);
  });
});
