import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { operations } from '../contract.ts';
import { describeField, fieldLabel, valueWord } from './labels.ts';

type Schema = z.core.$ZodType;

/** Schemas that only wrap another: the field they wrap is the same field. */
const WRAPPERS = new Set([
  'optional',
  'nullable',
  'default',
  'prefault',
  'nonoptional',
  'readonly',
  'catch',
  'success',
]);
/** Schemas that hold no fields of their own. */
const LEAVES = new Set([
  'string',
  'number',
  'int',
  'boolean',
  'bigint',
  'literal',
  'enum',
  'unknown',
  'any',
  'null',
  'undefined',
  'date',
  'nan',
  'template_literal',
  'transform',
  'custom',
  'never',
]);

/**
 * Every field path a schema can name in an issue, as zod names it: list items at position 0, the keys of a record
 * each (an enum's values) or a sample key. Throws on a schema kind it does not know, so a new kind cannot slip
 * past the check unwalked.
 */
function fieldPaths(schema: Schema, path: PropertyKey[] = [], seen = new Set<Schema>()): PropertyKey[][] {
  const def = schema._zod.def as unknown as Record<string, unknown> & { type: string };
  const walk = (s: unknown, p: PropertyKey[]) => fieldPaths(s as Schema, p, seen);
  if (WRAPPERS.has(def.type)) return walk(def.innerType, path);
  if (LEAVES.has(def.type)) return [];
  switch (def.type) {
    case 'object':
      return Object.entries(def.shape as Record<string, Schema>).flatMap(([key, field]) => [
        [...path, key],
        ...walk(field, [...path, key]),
      ]);
    case 'array':
      return [[...path, 0], ...walk(def.element, [...path, 0])];
    case 'union':
      return (def.options as Schema[]).flatMap((option) => walk(option, path));
    case 'intersection':
      return [...walk(def.left, path), ...walk(def.right, path)];
    case 'pipe':
      return [...walk(def.in, path), ...walk(def.out, path)];
    case 'record': {
      const keyDef = (def.keyType as Schema)._zod.def as unknown as { type: string; entries?: object };
      const keys = keyDef.type === 'enum' ? Object.values(keyDef.entries ?? {}).map(String) : ['clé'];
      return keys.flatMap((key) => [[...path, key], ...walk(def.valueType, [...path, key])]);
    }
    case 'lazy': {
      if (seen.has(schema)) return [];
      seen.add(schema);
      return walk((def.getter as () => Schema)(), path);
    }
    default:
      throw new Error(`schéma de type « ${def.type} » inconnu du test : à ajouter à fieldPaths`);
  }
}

const everyField = Object.entries(operations).flatMap(([name, op]) =>
  fieldPaths(op.input as Schema).map((path) => ({ name, path })),
);

/**
 * The text values a schema accepts from a list (enums, literals, discriminators) and words itself only through
 * « valeur attendue : … », having no message of its own.
 */
function listedValues(schema: Schema, seen = new Set<Schema>()): string[] {
  if (seen.has(schema)) return [];
  seen.add(schema);
  const def = schema._zod.def as unknown as Record<string, unknown> & { type: string; error?: unknown };
  const own = (values: unknown[]) =>
    def.error === undefined ? values.filter((v): v is string => typeof v === 'string') : [];
  if (def.type === 'enum') return own(Object.values(def.entries as object));
  if (def.type === 'literal') return own(def.values as unknown[]);
  const inner = ['innerType', 'element', 'in', 'out', 'left', 'right', 'keyType', 'valueType']
    .map((k) => def[k])
    .concat(
      Object.values((def.shape as object | undefined) ?? {}),
      (def.options as unknown[] | undefined) ?? [],
    );
  return inner.filter(Boolean).flatMap((s) => listedValues(s as Schema, seen));
}

describe('French labels of the input fields', () => {
  it('walks the registry’s schemas deep enough to mean something', () => {
    const names = new Set(everyField.map((f) => `${f.name} ${f.path.join('.')}`));
    // Nested objects, lists, discriminated unions, records keyed by an enum, pipes: each kind was reached.
    for (const reached of [
      'family.createHousehold children.0.birthDate',
      'payment.record cheque.drawer',
      'booking.book selection.weekStart',
      'request.submit details.fileName',
      'admin.saveActivity settings.lateAdd.byUnit.meal',
      'admin.saveActivity settings.bookingDeadline.byWeekday.1.weeksBefore',
      'admin.saveTariff data.brackets.0.max',
    ])
      expect(names, reached).toContain(reached);
  });

  it('gives every field of every operation a French label', () => {
    const missing = everyField
      .filter(({ name, path }) => fieldLabel(path, name) === undefined)
      .map(({ name, path }) => `${name} : ${path.join('.')}`);
    expect([...new Set(missing)]).toEqual([]);
  });

  it('has a French word for every listed value a refusal names', () => {
    const values = new Set(Object.values(operations).flatMap((op) => listedValues(op.input as Schema)));
    expect([...values].filter((v) => valueWord(v) === undefined)).toEqual([]);
    expect(values).toContain('atBooking');
  });

  it('names a key by what it means in its operation and its place', () => {
    expect(describeField(['name'], 'family.createHousehold')).toBe('nom du foyer');
    expect(describeField(['name'], 'admin.saveSite')).toBe('nom du site');
    expect(describeField(['name'], 'admin.saveActivity')).toBe('nom de l’activité'.replace('’', "'"));
    expect(describeField(['groups', 1, 'name'], 'admin.saveActivity')).toBe(
      'nom du groupe (groupes, deuxième)',
    );
    expect(describeField(['month'], 'billing.runMonth')).toBe('mois facturé');
    expect(describeField(['selection', 'month'], 'booking.book')).toBe('mois');
    expect(describeField(['status'], 'attendance.mark')).toBe('présence');
    expect(describeField(['kind'], 'request.submit')).toBe('type de demande');
    expect(describeField(['settings', 'lateAdd', 'kind'], 'admin.saveActivity')).toBe('type de majoration');
  });

  it('says where a field sits in lists and keyed settings', () => {
    expect(describeField(['children', 1, 'birthDate'], 'family.createHousehold')).toBe(
      'date de naissance (enfants, deuxième)',
    );
    expect(describeField(['pickupPersons', 0, 'phone'], 'family.createHousehold')).toBe(
      'téléphone (personnes autorisées, première)',
    );
    expect(describeField(['paymentIds', 2], 'regie.depositSlip.create')).toBe('chèques (troisième)');
    expect(describeField(['settings', 'lateAdd', 'byUnit', 'evening'], 'admin.saveActivity')).toBe(
      'tarif majoré (soir)',
    );
    expect(
      describeField(['settings', 'cancelDeadline', 'byWeekday', '4', 'weekday'], 'admin.saveActivity'),
    ).toBe('jour limite (jeudi)');
  });
});
