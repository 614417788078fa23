import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, chainHash, GENESIS_HASH } from './canonical.ts';

/** The reference the journal's format was defined by: keys sorted at every level, then plain JSON. */
function reference(value: unknown): string {
  const sortDeep = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sortDeep);
    if (v !== null && typeof v === 'object')
      return Object.fromEntries(
        Object.keys(v)
          .sort()
          .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
          .map((k) => [k, sortDeep((v as Record<string, unknown>)[k])]),
      );
    return v;
  };
  return JSON.stringify(sortDeep(value));
}

const json: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.string({ unit: 'binary' }),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(
      fc.string({ unit: 'binary', maxLength: 6 }),
      fc.oneof(tie('value'), fc.constant(undefined)),
      { maxKeys: 6 },
    ),
  ),
})).value;

describe('canonical JSON of the journal', () => {
  it('is the JSON of the value with its keys sorted, whatever order the keys come in', () => {
    fc.assert(
      fc.property(json, (v) => {
        expect(canonicalJson(v)).toBe(reference(v));
      }),
      { numRuns: 3000 },
    );
    expect(canonicalJson({ b: 1, a: [{ d: null, c: 'é\n"' }], z: undefined })).toBe(
      '{"a":[{"c":"é\\n\\"","d":null}],"b":1}',
    );
  });

  it('chains with sha256(previous hash + payload), a format that must never change', () => {
    expect(chainHash('ab', 'cd')).toBe(createHash('sha256').update('abcd').digest('hex'));
    expect(chainHash(GENESIS_HASH, '')).toBe(
      '60e05bd1b195af2f94112fa7197a5c88289058840ce7c6df9693756bc6250f55',
    );
  });
});
