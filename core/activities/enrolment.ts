import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { readSetting } from '../db/settings.ts';

export interface RequiredDocument {
  code: string;
  label: string;
}

export const DEFAULT_REQUIRED_DOCUMENTS: RequiredDocument[] = [
  { code: 'fiche_sanitaire', label: 'Fiche sanitaire de liaison' },
  { code: 'assurance', label: 'Attestation d’assurance scolaire et extrascolaire' },
  { code: 'justificatif_domicile', label: 'Justificatif de domicile de moins de 3 mois' },
  { code: 'reglement', label: 'Règlement intérieur signé' },
];

export async function requiredDocuments(db: Kysely<Database>): Promise<RequiredDocument[]> {
  return (await readSetting<RequiredDocument[]>(db, 'town.requiredDocuments')) ?? DEFAULT_REQUIRED_DOCUMENTS;
}

/** The documents still missing from a household's file for a school year; empty means the file is complete. */
export async function missingDocuments(
  db: Kysely<Database>,
  householdId: string,
  schoolYear: string,
): Promise<RequiredDocument[]> {
  const [required, checked] = await Promise.all([
    requiredDocuments(db),
    db
      .selectFrom('file_checks')
      .select('item')
      .where('household_id', '=', householdId)
      .where('school_year', '=', schoolYear)
      .execute(),
  ]);
  const done = new Set(checked.map((c) => c.item));
  return required.filter((d) => !done.has(d.code));
}

/** Validates the household's pending enrolments of that year once its file is complete (004). */
export async function validatePendingEnrolments(
  db: Kysely<Database>,
  householdId: string,
  schoolYear: string,
  at: string,
): Promise<number> {
  if ((await missingDocuments(db, householdId, schoolYear)).length > 0) return 0;
  const r = await db
    .updateTable('enrolments')
    .set({ status: 'validated', updated_at: at })
    .where('status', '=', 'pending')
    .where('school_year', '=', schoolYear)
    .where('child_id', 'in', db.selectFrom('children').select('id').where('household_id', '=', householdId))
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}
