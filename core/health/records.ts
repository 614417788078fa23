import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { HealthMarks, MealPlan } from '../../shared/health.ts';

/** One version of a child's fiche sanitaire, as a role that may read it sees it. */
export interface HealthRecord {
  pai: boolean;
  allergies: string;
  meal: MealPlan;
  treatment: string;
  doctor: string;
  notes: string;
  /** Null for the notes written before the fiche had versions (migration 0012). */
  recordedAt: string | null;
  recordedByName: string | null;
  /** How many versions the child's fiche has had (0: only the notes of before). */
  versions: number;
}

/** The child's fiche: its newest version, or the notes of before versions existed; null for no fiche at all. */
export async function currentHealthRecord(
  db: Kysely<Database>,
  childId: string,
): Promise<HealthRecord | null> {
  const [versions, legacy] = await Promise.all([
    db
      .selectFrom('health_records')
      .selectAll()
      .where('child_id', '=', childId)
      .orderBy('recorded_at', 'desc')
      .orderBy('id', 'desc')
      .execute(),
    db.selectFrom('children').select('health_notes').where('id', '=', childId).executeTakeFirst(),
  ]);
  const newest = versions[0];
  if (newest)
    return {
      pai: newest.pai === 1,
      allergies: newest.allergies,
      meal: newest.meal,
      treatment: newest.treatment,
      doctor: newest.doctor,
      notes: newest.notes,
      recordedAt: newest.recorded_at,
      recordedByName: newest.recorded_by_name,
      versions: versions.length,
    };
  if (!legacy?.health_notes) return null;
  return {
    pai: false,
    allergies: '',
    meal: 'standard',
    treatment: '',
    doctor: '',
    notes: legacy.health_notes,
    recordedAt: null,
    recordedByName: null,
    versions: 0,
  };
}

const NO_MARKS: HealthMarks = { pai: false, allergy: false, meal: 'standard', other: false };

/** A child's current fiche as a sheet carries it: the marks, and the details a role with `health` may print. */
export interface SheetHealth {
  marks: HealthMarks;
  allergies: string;
  /** The treatment or protocol, or the notes of before versions existed. */
  treatment: string;
}

/**
 * The current fiche of each child, for sheets and counts: whether there is a PAI, an allergy, a meal other than
 * the standard one, or anything else to read. Children without a fiche are absent from the map.
 */
export async function sheetHealth(
  db: Kysely<Database>,
  childIds: readonly string[],
): Promise<Map<string, SheetHealth>> {
  const out = new Map<string, SheetHealth>();
  if (childIds.length === 0) return out;
  const ids = [...new Set(childIds)];
  const [versions, legacy] = await Promise.all([
    db
      .selectFrom('health_records')
      .select(['child_id', 'pai', 'allergies', 'meal', 'treatment', 'notes'])
      .where('child_id', 'in', ids)
      .orderBy('recorded_at', 'desc')
      .orderBy('id', 'desc')
      .execute(),
    db
      .selectFrom('children')
      .select(['id', 'health_notes'])
      .where('id', 'in', ids)
      .where('health_notes', '<>', '')
      .execute(),
  ]);
  for (const v of versions) {
    if (out.has(v.child_id)) continue;
    out.set(v.child_id, {
      marks: {
        pai: v.pai === 1,
        allergy: v.allergies !== '',
        meal: v.meal,
        other: v.treatment !== '' || v.notes !== '',
      },
      allergies: v.allergies,
      treatment: v.treatment,
    });
  }
  for (const l of legacy) {
    if (!out.has(l.id))
      out.set(l.id, { marks: { ...NO_MARKS, other: true }, allergies: '', treatment: l.health_notes });
  }
  return out;
}
