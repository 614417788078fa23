import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../db/schema.ts';
import { readSetting } from '../db/settings.ts';

/**
 * The documents of a school year's file. A family's own (proof of address, the rules signed) are checked once for
 * the household; a child's own (the fiche sanitaire, the school insurance) once per child. An enrolment is
 * validated when its child's file is complete: the family's documents and the child's own (004).
 */
export interface RequiredDocument {
  code: string;
  label: string;
  per: 'household' | 'child';
}

const requiredDocumentsSchema = z.array(
  z.object({
    code: z.string(),
    label: z.string(),
    // A town's list saved before documents could be a child's own names none: each was the household's.
    per: z.enum(['household', 'child']).default('household'),
  }),
);

export const DEFAULT_REQUIRED_DOCUMENTS: RequiredDocument[] = [
  { code: 'fiche_sanitaire', label: 'Fiche sanitaire de liaison', per: 'child' },
  { code: 'assurance', label: 'Attestation d’assurance scolaire et extrascolaire', per: 'child' },
  { code: 'justificatif_domicile', label: 'Justificatif de domicile de moins de 3 mois', per: 'household' },
  { code: 'reglement', label: 'Règlement intérieur signé', per: 'household' },
];

export async function requiredDocuments(db: Kysely<Database>): Promise<RequiredDocument[]> {
  const saved = await readSetting<unknown>(db, 'town.requiredDocuments');
  return saved === undefined ? DEFAULT_REQUIRED_DOCUMENTS : requiredDocumentsSchema.parse(saved);
}

/** A document missing from a year's file; a child's own names the child. */
export interface MissingDocument extends RequiredDocument {
  childId?: string;
  childFirstName?: string;
}

export interface ChildFile {
  childId: string;
  firstName: string;
  /** The child's own documents still missing; the family's are the year's `household`. */
  missing: RequiredDocument[];
}

export interface YearFile {
  schoolYear: string;
  required: RequiredDocument[];
  /** The family's own documents still missing. */
  household: RequiredDocument[];
  children: ChildFile[];
  /** Everything missing, the family's then each child's: empty means the file is complete. */
  missing: MissingDocument[];
}

/**
 * The children a year's file is about: those of the household who had not left before the year began, and whose
 * file is not anonymised.
 */
async function childrenOfYear(db: Kysely<Database>, householdId: string, schoolYear: string) {
  const start = `${schoolYear.slice(0, 4)}-09-01`;
  return db
    .selectFrom('children')
    .select(['id', 'first_name'])
    .where('household_id', '=', householdId)
    .where('anonymised_at', 'is', null)
    .where((eb) => eb.or([eb('left_on', 'is', null), eb('left_on', '>=', start)]))
    .orderBy('birth_date')
    .execute();
}

/** The state of a household's file for a school year: what the family and each child still have to hand in. */
export async function yearFile(
  db: Kysely<Database>,
  householdId: string,
  schoolYear: string,
  only?: { childId: string; firstName: string },
): Promise<YearFile> {
  const [required, children, householdChecks, childChecks] = await Promise.all([
    requiredDocuments(db),
    only ? [{ id: only.childId, first_name: only.firstName }] : childrenOfYear(db, householdId, schoolYear),
    db
      .selectFrom('file_checks')
      .select('item')
      .where('household_id', '=', householdId)
      .where('school_year', '=', schoolYear)
      .execute(),
    db
      .selectFrom('child_file_checks')
      .innerJoin('children', 'children.id', 'child_file_checks.child_id')
      .select(['child_file_checks.child_id', 'child_file_checks.item'])
      .where('children.household_id', '=', householdId)
      .where('child_file_checks.school_year', '=', schoolYear)
      .execute(),
  ]);
  // A child's document checked for the whole household before documents could be a child's own counts for each
  // child, until an agent ticks or unticks it for one of them (`checkDocument` then writes it child by child).
  const forHousehold = new Set(householdChecks.map((c) => c.item));
  const forChild = new Set(childChecks.map((c) => `${c.child_id}|${c.item}`));
  const household = required.filter((d) => d.per === 'household' && !forHousehold.has(d.code));
  const files: ChildFile[] = children.map((c) => ({
    childId: c.id,
    firstName: c.first_name,
    missing: required.filter(
      (d) => d.per === 'child' && !forHousehold.has(d.code) && !forChild.has(`${c.id}|${d.code}`),
    ),
  }));
  return {
    schoolYear,
    required,
    household,
    children: files,
    missing: [
      ...household,
      ...files.flatMap((f) =>
        f.missing.map((d) => ({ ...d, childId: f.childId, childFirstName: f.firstName })),
      ),
    ],
  };
}

/** What a child's enrolment of that year still waits for: the family's documents and the child's own. */
export async function missingDocumentsFor(
  db: Kysely<Database>,
  child: { id: string; householdId: string; firstName: string },
  schoolYear: string,
): Promise<MissingDocument[]> {
  const file = await yearFile(db, child.householdId, schoolYear, {
    childId: child.id,
    firstName: child.firstName,
  });
  return file.missing;
}

/**
 * Ticks or unticks a document of a year's file: the family's for the household, a child's own for that child, or
 * for each child of the year when none is named (a family handing in all its children's fiches at once).
 */
export async function checkDocument(
  db: Kysely<Database>,
  check: {
    householdId: string;
    schoolYear: string;
    document: RequiredDocument;
    childIds: readonly string[] | null;
    checked: boolean;
    at: string;
    agentId: string;
  },
): Promise<void> {
  const { householdId, schoolYear, document, checked } = check;
  const item = document.code;
  if (document.per === 'household') {
    if (checked)
      await db
        .insertInto('file_checks')
        .values({
          household_id: householdId,
          school_year: schoolYear,
          item,
          checked_at: check.at,
          agent_id: check.agentId,
        })
        .onConflict((oc) => oc.doNothing())
        .execute();
    else
      await db
        .deleteFrom('file_checks')
        .where('household_id', '=', householdId)
        .where('school_year', '=', schoolYear)
        .where('item', '=', item)
        .execute();
    return;
  }
  const children = (await childrenOfYear(db, householdId, schoolYear)).map((c) => c.id);
  // A check of the whole household from before becomes one per child, so that one of them can be unticked alone.
  const legacy = await db
    .deleteFrom('file_checks')
    .where('household_id', '=', householdId)
    .where('school_year', '=', schoolYear)
    .where('item', '=', item)
    .executeTakeFirst();
  if (Number(legacy.numDeletedRows) > 0) await tick(db, children, schoolYear, item, check);
  const asked = check.childIds ?? children;
  if (checked) await tick(db, asked, schoolYear, item, check);
  else if (asked.length > 0)
    await db
      .deleteFrom('child_file_checks')
      .where('child_id', 'in', asked)
      .where('school_year', '=', schoolYear)
      .where('item', '=', item)
      .execute();
}

async function tick(
  db: Kysely<Database>,
  childIds: readonly string[],
  schoolYear: string,
  item: string,
  by: { at: string; agentId: string },
): Promise<void> {
  if (childIds.length === 0) return;
  await db
    .insertInto('child_file_checks')
    .values(
      childIds.map((childId) => ({
        child_id: childId,
        school_year: schoolYear,
        item,
        checked_at: by.at,
        agent_id: by.agentId,
      })),
    )
    .onConflict((oc) => oc.doNothing())
    .execute();
}

/** Validates the pending enrolments of that year whose child's file is now complete (004); returns how many. */
export async function validatePendingEnrolments(
  db: Kysely<Database>,
  householdId: string,
  schoolYear: string,
  at: string,
): Promise<number> {
  const file = await yearFile(db, householdId, schoolYear);
  if (file.household.length > 0) return 0;
  const complete = file.children.filter((c) => c.missing.length === 0).map((c) => c.childId);
  if (complete.length === 0) return 0;
  const r = await db
    .updateTable('enrolments')
    .set({ status: 'validated', updated_at: at })
    .where('status', '=', 'pending')
    .where('school_year', '=', schoolYear)
    .where('child_id', 'in', complete)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}
