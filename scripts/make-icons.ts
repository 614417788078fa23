/**
 * Draws the app's icon and writes build/icon.png (512 × 512, Linux and the source electron-builder falls back on)
 * and build/icon.ico (16 to 256 px, Windows: installer, shortcuts, the taskbar):
 *   node scripts/make-icons.ts
 * A stand-in until the town supplies its own: replace both files (see build/README.md). Drawn here, with no image
 * tool, so that any machine with Node redraws the same files; each size is drawn at its own size rather than
 * scaled down from the large one, so the small ones stay sharp.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { crc32, deflateSync } from 'node:zlib';

type Rgb = readonly [number, number, number];
const BLUE: Rgb = [0x00, 0x00, 0x91];
const WHITE: Rgb = [0xff, 0xff, 0xff];

/** Shapes in a 512-unit square: `inside(x, y)` for a point. */
type Shape = (x: number, y: number) => boolean;

const roundedSquare =
  (size: number, r: number): Shape =>
  (x, y) => {
    const cx = Math.min(Math.max(x, r), size - r);
    const cy = Math.min(Math.max(y, r), size - r);
    return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
  };
const circle =
  (cx: number, cy: number, r: number): Shape =>
  (x, y) =>
    (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
/** A body: a half-disc on a rectangle (shoulders on a trunk). */
const body =
  (cx: number, top: number, width: number, bottom: number): Shape =>
  (x, y) => {
    const r = width / 2;
    if (y >= top + r) return Math.abs(x - cx) <= r && y <= bottom;
    return (x - cx) ** 2 + (y - top - r) ** 2 <= r * r;
  };
const union =
  (...shapes: Shape[]): Shape =>
  (x, y) =>
    shapes.some((s) => s(x, y));

// An adult and a child side by side, on the blue of the tile: the family at the counter.
const TILE = roundedSquare(512, 104);
const FIGURES = union(
  circle(196, 160, 58),
  body(196, 238, 148, 404),
  circle(336, 236, 42),
  body(336, 292, 108, 404),
);

/** RGBA pixels of the icon at `size` px, each pixel the average of `samples`² points. */
function draw(size: number): Buffer {
  const samples = size <= 64 ? 8 : 4;
  const out = Buffer.alloc(size * size * 4);
  const scale = 512 / size;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let tile = 0;
      let figure = 0;
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const x = (px + (sx + 0.5) / samples) * scale;
          const y = (py + (sy + 0.5) / samples) * scale;
          if (!TILE(x, y)) continue;
          tile++;
          if (FIGURES(x, y)) figure++;
        }
      }
      const n = samples * samples;
      const alpha = tile / n;
      const white = tile ? figure / tile : 0;
      const at = (py * size + px) * 4;
      for (let c = 0; c < 3; c++)
        out[at + c] = Math.round((BLUE[c] as number) * (1 - white) + (WHITE[c] as number) * white);
      out[at + 3] = Math.round(alpha * 255);
    }
  }
  return out;
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** An 8-bit RGBA PNG, no filtering (the icon compresses well as is). */
export function png(size: number): Buffer {
  const pixels = draw(size);
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) pixels.copy(rows, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A Windows icon holding one PNG per size (the form Windows reads since Vista; 256 is written as 0). */
export function ico(sizes: readonly number[]): Buffer {
  const images = sizes.map((s) => png(s));
  const header = Buffer.alloc(6 + 16 * sizes.length);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(sizes.length, 4);
  let offset = header.length;
  sizes.forEach((size, i) => {
    const at = 6 + 16 * i;
    header[at] = size >= 256 ? 0 : size;
    header[at + 1] = size >= 256 ? 0 : size;
    header.writeUInt16LE(1, at + 4); // colour planes
    header.writeUInt16LE(32, at + 6); // bits per pixel
    header.writeUInt32LE((images[i] as Buffer).length, at + 8);
    header.writeUInt32LE(offset, at + 12);
    offset += (images[i] as Buffer).length;
  });
  return Buffer.concat([header, ...images]);
}

export const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256] as const;

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const build = (name: string) => fileURLToPath(new URL(`../build/${name}`, import.meta.url));
  writeFileSync(build('icon.png'), png(512));
  writeFileSync(build('icon.ico'), ico(ICO_SIZES));
  console.log(`Icônes écrites : ${build('icon.png')}, ${build('icon.ico')}`);
}
