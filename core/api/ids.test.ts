import { v7 as uuidv7, validate, version } from 'uuid';
import { describe, expect, it } from 'vitest';
import { idsFor } from './ids.ts';

describe('ids derived from a command', () => {
  it('are the same on the counter and on the server, distinct within and across commands', () => {
    const a = uuidv7();
    const b = uuidv7();
    const counter = idsFor(a);
    const server = idsFor(a);
    const fromA = Array.from({ length: 200 }, () => counter());
    expect(Array.from({ length: 200 }, () => server())).toEqual(fromA);
    const fromB = Array.from({ length: 200 }, idsFor(b));
    expect(new Set([...fromA, ...fromB]).size).toBe(400);
    for (const id of [...fromA, ...fromB]) {
      expect(validate(id)).toBe(true);
      expect(version(id)).toBe(7);
    }
    // They sort with the command's time, like the ids a UUIDv7 generator hands out.
    expect(fromA[0]?.slice(0, 13)).toBe(a.slice(0, 13));
  });

  it('stay those every version derived: a counter and a server of different versions name a row the same', () => {
    const next = idsFor('01938a7c-2d4e-7f00-8abc-0123456789ab');
    expect([next(), next(), next()]).toEqual([
      '01938a7c-2d4e-756b-84b8-b33c4968ece8',
      '01938a7c-2d4e-72b8-b175-bd109a5a7f40',
      '01938a7c-2d4e-7156-b4b9-2a97e1f507db',
    ]);
  });
});
