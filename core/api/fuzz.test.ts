import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { testCore } from '../test/fixtures.ts';
import { operations } from '../contract.ts';

/** Every row of every table, as one fingerprint: any write shows. */
function fingerprint(raw: Awaited<ReturnType<typeof testCore>>['core']['raw']): string {
  const tables = raw
    .prepare(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'search_fts%' ORDER BY name",
    )
    .all() as { name: string }[];
  return tables
    .map((t) => `${t.name}:${JSON.stringify(raw.prepare(`SELECT * FROM "${t.name}"`).all())}`)
    .join('\n');
}

/** Inputs shaped like the real ones but wrong somewhere: right keys with wrong values, or anything at all. */
const nearMiss = (keys: string[]) =>
  fc.oneof(
    fc.anything(),
    fc.dictionary(fc.constantFrom(...(keys.length ? keys : ['x'])), fc.anything(), {
      maxKeys: keys.length + 1,
    }),
    fc.record(
      Object.fromEntries(
        keys.map((k) => [
          k,
          fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.array(fc.anything(), { maxLength: 2 })),
        ]),
      ),
    ),
  );

describe('every operation of the registry under random invalid input', () => {
  it('answers a French validation error, writes nothing, and the core keeps working', async () => {
    const { core, call } = await testCore();
    const before = fingerprint(core.raw);
    for (const [name, op] of Object.entries(operations)) {
      const shape = (
        op.input as { shape?: Record<string, unknown>; def?: { in?: { shape?: Record<string, unknown> } } }
      ).shape;
      const keys = Object.keys(shape ?? {});
      await fc.assert(
        fc.asyncProperty(nearMiss(keys), async (input) => {
          fc.pre(!op.input.safeParse(input ?? {}).success);
          const r = await core.invoke(name, input);
          expect(r.ok, name).toBe(false);
          if (!r.ok) {
            expect(r.error.code, `${name} ${JSON.stringify(input)}`).toBe('VALIDATION');
            expect(r.error.message).toMatch(/^(Champ|\d+ champs à corriger —) « .+ » : .+\.$/);
            for (const f of r.error.fields ?? []) expect(f.label, `${name} ${f.field}`).not.toBe('');
          }
        }),
        { numRuns: 25 },
      );
    }
    expect(fingerprint(core.raw)).toBe(before);
    expect((await call('system.info', {})).households).toBe(0);
  });
});
