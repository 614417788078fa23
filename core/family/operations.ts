import type { Transaction } from 'kysely';
import { z } from 'zod';
import { DomainError } from '../api/envelope.ts';
import { describeField } from '../api/labels.ts';
import { id } from '../api/fields.ts';
import { command, query } from '../api/operation.ts';
import type { Database } from '../db/schema.ts';
import { reindexHousehold } from '../search/index-household.ts';
import { searchFamilies } from '../search/search-families.ts';
import { townDate, townMonth, townTimeZone } from '../time.ts';
import { touchHousehold } from './households.ts';
import { savePickupPerson } from './pickup-persons.ts';
import { loadHouseholdFile } from './read.ts';
import { childRow, guardianRow, householdRow, pickupPersonRow } from './rows.ts';
import {
  addQfInput,
  createHouseholdInput,
  removeGuardianInput,
  removePickupPersonInput,
  saveChildInput,
  saveGuardianInput,
  savePickupPersonInput,
  updateHouseholdInput,
  updateQfInput,
} from './schemas.ts';

/** Checks that a member row belongs to the household named in the command, so an id cannot reach another file. */
async function requireMember(
  trx: Transaction<Database>,
  table: 'guardians' | 'children' | 'pickup_persons' | 'qf_records',
  memberId: string,
  householdId: string,
  what: string,
  field: string,
): Promise<void> {
  const row = await trx
    .selectFrom(table)
    .select('household_id')
    .where('id', '=', memberId)
    .executeTakeFirst();
  if (!row || row.household_id !== householdId)
    throw new DomainError('NOT_FOUND', `${what} introuvable dans ce foyer.`, field);
}

/**
 * A child born after today is a typing slip. « Today » is the core's, in the town's zone: the PC's own date (or
 * UTC's, which is already tomorrow in the evening at La Réunion) would refuse a baby born this morning there.
 */
async function refuseFutureBirths(
  trx: Transaction<Database>,
  now: Date,
  children: readonly { birthDate: string }[],
  pathOf: (index: number) => (string | number)[],
): Promise<void> {
  if (children.length === 0) return;
  const today = townDate(now, await townTimeZone(trx));
  const index = children.findIndex((c) => c.birthDate > today);
  if (index < 0) return;
  const path = pathOf(index);
  throw new DomainError(
    'VALIDATION',
    `Champ « ${describeField(path)} » : date de naissance dans le futur.`,
    path.join('.'),
  );
}

export const familyOperations = {
  'family.createHousehold': command({
    permission: 'family.write',
    sync: 'request',
    label: 'Création d’un dossier famille',
    input: createHouseholdInput,
    prepare: (input, ctx) => ({
      ...input,
      householdId: input.householdId ?? ctx.newId(),
      guardians: input.guardians.map((g) => ({ ...g, guardianId: g.guardianId ?? ctx.newId() })),
      children: input.children.map((c) => ({ ...c, childId: c.childId ?? ctx.newId() })),
      pickupPersons: input.pickupPersons.map((p) => ({
        ...p,
        pickupPersonId: p.pickupPersonId ?? ctx.newId(),
      })),
      qf: input.qf && { ...input.qf, qfId: input.qf.qfId ?? ctx.newId() },
    }),
    async run({ db, now }, input) {
      await refuseFutureBirths(db, now, input.children, (i) => ['children', i, 'birthDate']);
      const at = now.toISOString();
      const householdId = input.householdId;
      const exists = await db
        .selectFrom('households')
        .select('id')
        .where('id', '=', householdId)
        .executeTakeFirst();
      if (exists) throw new DomainError('CONFLICT', 'Ce foyer existe déjà.', 'householdId');
      await db
        .insertInto('households')
        .values({ id: householdId, ...householdRow(input), created_at: at, updated_at: at })
        .execute();
      for (const g of input.guardians) {
        await db
          .insertInto('guardians')
          .values({
            id: g.guardianId,
            household_id: householdId,
            ...guardianRow(g),
            updated_at: at,
          })
          .execute();
      }
      for (const c of input.children) {
        await db
          .insertInto('children')
          .values({ id: c.childId, household_id: householdId, ...childRow(c), updated_at: at })
          .execute();
      }
      for (const p of input.pickupPersons) {
        await db
          .insertInto('pickup_persons')
          .values({
            id: p.pickupPersonId,
            household_id: householdId,
            ...pickupPersonRow(p),
            updated_at: at,
          })
          .execute();
      }
      if (input.qf) {
        await db
          .insertInto('qf_records')
          .values({
            id: input.qf.qfId,
            household_id: householdId,
            value: input.qf.value,
            source: input.qf.source,
            effective_month: input.qf.effectiveMonth,
            end_month: input.qf.endMonth,
            recorded_at: at,
            updated_at: at,
          })
          .execute();
      }
      await reindexHousehold(db, householdId);
      return { householdId };
    },
  }),

  'family.updateHousehold': command({
    permission: 'family.write',
    sync: 'request',
    label: 'Modification du foyer',
    input: updateHouseholdInput,
    async run({ db, now }, input) {
      const guardianRanks = await db
        .selectFrom('guardians')
        .select('rank')
        .where('household_id', '=', input.householdId)
        .execute();
      if (guardianRanks.length && !guardianRanks.some((g) => g.rank === input.payerRank)) {
        throw new DomainError(
          'VALIDATION',
          `Le payeur doit être un responsable du foyer (responsable ${input.payerRank} absent).`,
          'payerRank',
        );
      }
      const r = await db
        .updateTable('households')
        .set({ ...householdRow(input), updated_at: now.toISOString() })
        .where('id', '=', input.householdId)
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) === 0)
        throw new DomainError('NOT_FOUND', 'Ce foyer est introuvable.', 'householdId');
      await reindexHousehold(db, input.householdId);
      return { householdId: input.householdId };
    },
  }),

  'family.saveGuardian': command({
    permission: 'family.write',
    sync: 'request',
    label: 'Enregistrement d’un responsable',
    input: saveGuardianInput,
    prepare: (input, ctx) => ({ ...input, guardianId: input.guardianId ?? ctx.newId() }),
    async run({ db, now }, input) {
      const at = now.toISOString();
      await touchHousehold(db, input.householdId, at);
      const guardianId = input.guardianId;
      const sameRank = await db
        .selectFrom('guardians')
        .select('id')
        .where('household_id', '=', input.householdId)
        .where('rank', '=', input.rank)
        .executeTakeFirst();
      if (sameRank && sameRank.id !== guardianId) {
        throw new DomainError('CONFLICT', `Ce foyer a déjà un responsable ${input.rank}.`, 'rank');
      }
      const existing = await db
        .selectFrom('guardians')
        .select('household_id')
        .where('id', '=', guardianId)
        .executeTakeFirst();
      if (existing && existing.household_id !== input.householdId) {
        throw new DomainError('NOT_FOUND', 'Responsable introuvable dans ce foyer.', 'guardianId');
      }
      if (existing) {
        await db
          .updateTable('guardians')
          .set({ ...guardianRow(input), updated_at: at })
          .where('id', '=', guardianId)
          .execute();
      } else {
        await db
          .insertInto('guardians')
          .values({ id: guardianId, household_id: input.householdId, ...guardianRow(input), updated_at: at })
          .execute();
      }
      await reindexHousehold(db, input.householdId);
      return { guardianId };
    },
  }),

  'family.removeGuardian': command({
    permission: 'family.write',
    sync: 'request',
    label: 'Retrait d’un responsable',
    input: removeGuardianInput,
    async run({ db, now }, input) {
      await touchHousehold(db, input.householdId, now.toISOString());
      await requireMember(db, 'guardians', input.guardianId, input.householdId, 'Responsable', 'guardianId');
      const count = await db
        .selectFrom('guardians')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('household_id', '=', input.householdId)
        .executeTakeFirstOrThrow();
      if (Number(count.n) <= 1)
        throw new DomainError('CONFLICT', 'Un foyer garde au moins un responsable.', 'guardianId');
      const removed = await db
        .selectFrom('guardians')
        .select('rank')
        .where('id', '=', input.guardianId)
        .executeTakeFirstOrThrow();
      const household = await db
        .selectFrom('households')
        .select('payer_rank')
        .where('id', '=', input.householdId)
        .executeTakeFirstOrThrow();
      if (household.payer_rank === removed.rank) {
        throw new DomainError(
          'CONFLICT',
          "Ce responsable est le payeur : désignez d'abord l'autre responsable comme payeur.",
          'guardianId',
        );
      }
      await db.deleteFrom('guardians').where('id', '=', input.guardianId).execute();
      await reindexHousehold(db, input.householdId);
      return { householdId: input.householdId };
    },
  }),

  'family.saveChild': command({
    permission: 'family.write',
    sync: 'request',
    label: 'Enregistrement d’un enfant',
    input: saveChildInput,
    prepare: (input, ctx) => ({ ...input, childId: input.childId ?? ctx.newId() }),
    async run({ db, now }, input) {
      await refuseFutureBirths(db, now, [input], () => ['birthDate']);
      const at = now.toISOString();
      await touchHousehold(db, input.householdId, at);
      const childId = input.childId;
      const existing = await db
        .selectFrom('children')
        .select('household_id')
        .where('id', '=', childId)
        .executeTakeFirst();
      if (existing && existing.household_id !== input.householdId) {
        throw new DomainError('NOT_FOUND', 'Enfant introuvable dans ce foyer.', 'childId');
      }
      if (existing) {
        await db
          .updateTable('children')
          .set({ ...childRow(input), updated_at: at })
          .where('id', '=', childId)
          .execute();
      } else {
        await db
          .insertInto('children')
          .values({ id: childId, household_id: input.householdId, ...childRow(input), updated_at: at })
          .execute();
      }
      await reindexHousehold(db, input.householdId);
      return { childId };
    },
  }),

  'family.savePickupPerson': command({
    permission: 'family.write',
    sync: 'request',
    label: 'Enregistrement d’une personne autorisée',
    input: savePickupPersonInput,
    prepare: (input, ctx) => ({ ...input, pickupPersonId: input.pickupPersonId ?? ctx.newId() }),
    run: ({ db, now }, input) => savePickupPerson(db, input, now),
  }),

  'family.removePickupPerson': command({
    permission: 'family.write',
    sync: 'request',
    label: 'Retrait d’une personne autorisée',
    input: removePickupPersonInput,
    async run({ db, now }, input) {
      await touchHousehold(db, input.householdId, now.toISOString());
      await requireMember(
        db,
        'pickup_persons',
        input.pickupPersonId,
        input.householdId,
        'Personne autorisée',
        'pickupPersonId',
      );
      await db.deleteFrom('pickup_persons').where('id', '=', input.pickupPersonId).execute();
      await reindexHousehold(db, input.householdId);
      return { householdId: input.householdId };
    },
  }),

  'family.addQf': command({
    permission: 'family.write',
    sync: 'request',
    label: 'Ajout d’un quotient familial',
    input: addQfInput,
    prepare: (input, ctx) => ({ ...input, qfId: input.qfId ?? ctx.newId() }),
    async run({ db, now }, input) {
      const at = now.toISOString();
      await touchHousehold(db, input.householdId, at);
      const qfId = input.qfId;
      await db
        .insertInto('qf_records')
        .values({
          id: qfId,
          household_id: input.householdId,
          value: input.value,
          source: input.source,
          effective_month: input.effectiveMonth,
          end_month: input.endMonth,
          recorded_at: at,
          updated_at: at,
        })
        .execute();
      return { qfId };
    },
  }),

  'family.updateQf': command({
    permission: 'family.write',
    sync: 'request',
    label: 'Modification d’un quotient familial',
    input: updateQfInput,
    async run({ db, now }, input) {
      const at = now.toISOString();
      await touchHousehold(db, input.householdId, at);
      await requireMember(db, 'qf_records', input.qfId, input.householdId, 'Quotient familial', 'qfId');
      await db
        .updateTable('qf_records')
        .set({
          value: input.value,
          source: input.source,
          effective_month: input.effectiveMonth,
          end_month: input.endMonth,
          updated_at: at,
        })
        .where('id', '=', input.qfId)
        .execute();
      return { qfId: input.qfId };
    },
  }),

  'family.get': query({
    permission: 'family.read',
    label: 'Consultation d’un dossier famille',
    input: z.object({ householdId: id() }),
    run: async ({ db, now }, input) =>
      loadHouseholdFile(db, input.householdId, townMonth(now, await townTimeZone(db))),
  }),

  'family.search': query({
    permission: 'family.read',
    label: 'Recherche de familles',
    input: z.object({
      text: z.string({ message: 'texte attendu' }).max(100, { message: '100 caractères au plus' }),
      limit: z.number().int().min(1).max(50).default(20),
    }),
    run: ({ db }, input) => searchFamilies(db, input.text, input.limit),
  }),
};
