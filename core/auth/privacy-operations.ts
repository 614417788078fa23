import { z } from 'zod';
import { DomainError } from '../api/envelope.ts';
import { id, isoDate } from '../api/fields.ts';
import { command, query } from '../api/operation.ts';
import { loadHouseholdFile } from '../family/read.ts';
import { reindexHousehold } from '../search/index-household.ts';
import { readSetting } from '../db/settings.ts';
import { townDate, townMonth, townTimeZone } from '../time.ts';

/** CNIL (NS-058): a child's file is erased or anonymised at most 3 years after the child leaves; a town may set less. */
export const DEFAULT_RETENTION_YEARS = 3;

const retentionInput = z.object({
  dryRun: z.boolean({ message: 'oui ou non attendu' }),
  years: z.int({ message: 'nombre entier attendu' }).min(1, { message: '1 an au moins' }).max(10).optional(),
});

/**
 * Right of access and retention. Anonymising keeps the rows (invoices and receipts point at them and are kept
 * 10 years) but removes what identifies the child: names, birth day, school, health notes.
 */
export const privacyOperations = {
  'family.setChildLeft': command({
    permission: 'family.write',
    sync: 'request',
    label: 'Départ d’un enfant',
    input: z.object({ householdId: id(), childId: id(), leftOn: isoDate().nullable() }),
    async run({ db, now }, input) {
      const child = await db
        .selectFrom('children')
        .select('household_id')
        .where('id', '=', input.childId)
        .executeTakeFirst();
      if (!child || child.household_id !== input.householdId)
        throw new DomainError('NOT_FOUND', 'Enfant introuvable dans ce foyer.', 'childId');
      await db
        .updateTable('children')
        .set({ left_on: input.leftOn, updated_at: now.toISOString() })
        .where('id', '=', input.childId)
        .execute();
      return { childId: input.childId, leftOn: input.leftOn };
    },
  }),

  'privacy.exportHousehold': query({
    permission: 'admin',
    label: 'Export des données d’un foyer',
    input: z.object({ householdId: id() }),
    async run({ db, now }, input) {
      const file = await loadHouseholdFile(db, input.householdId, townMonth(now, await townTimeZone(db)));
      const [enrolments, bookings, invoices, health] = await Promise.all([
        db
          .selectFrom('enrolments')
          .innerJoin('activities', 'activities.id', 'enrolments.activity_id')
          .innerJoin('children', 'children.id', 'enrolments.child_id')
          .select([
            'children.first_name as enfant',
            'activities.name as activite',
            'enrolments.school_year as annee',
            'enrolments.status as statut',
          ])
          .where('children.household_id', '=', input.householdId)
          .execute(),
        db
          .selectFrom('bookings')
          .innerJoin('activities', 'activities.id', 'bookings.activity_id')
          .innerJoin('children', 'children.id', 'bookings.child_id')
          .select([
            'children.first_name as enfant',
            'activities.name as activite',
            'bookings.date',
            'bookings.state as etat',
            'bookings.attendance as presence',
          ])
          .where('bookings.household_id', '=', input.householdId)
          .orderBy('bookings.date')
          .execute(),
        db
          .selectFrom('invoices')
          .select(['number as numero', 'issue_date as date', 'total_cents as montant_centimes'])
          .where('household_id', '=', input.householdId)
          .execute(),
        db
          .selectFrom('children')
          .select(['first_name', 'health_notes'])
          .where('household_id', '=', input.householdId)
          .execute(),
      ]);
      const document = {
        exporte_le: now.toISOString(),
        objet: 'Données personnelles détenues par le service Enfance-Famille (droit d’accès, RGPD art. 15)',
        foyer: file,
        sante: health
          .filter((h) => h.health_notes)
          .map((h) => ({ enfant: h.first_name, informations: h.health_notes })),
        inscriptions: enrolments,
        reservations: bookings,
        factures: invoices,
      };
      return {
        fileName: `donnees-foyer-${file.name.replace(/[^\p{L}\p{N}]+/gu, '-').toLowerCase()}.json`,
        json: JSON.stringify(document, null, 2),
      };
    },
  }),

  'privacy.retention': command({
    permission: 'admin',
    sync: 'local',
    label: 'Anonymisation des dossiers anciens',
    input: retentionInput,
    async run({ db, now }, input) {
      const years =
        input.years ?? (await readSetting<number>(db, 'privacy.retentionYears')) ?? DEFAULT_RETENTION_YEARS;
      const today = townDate(now, await townTimeZone(db));
      // 29 February has no twin in most years: the day before stands for it.
      const monthDay = today.slice(4) === '-02-29' ? '-02-28' : today.slice(4);
      const limit = `${Number(today.slice(0, 4)) - years}${monthDay}`;
      const due = await db
        .selectFrom('children')
        .select(['id', 'household_id', 'first_name', 'last_name', 'left_on'])
        .where('left_on', 'is not', null)
        .where('left_on', '<=', limit)
        .where('anonymised_at', 'is', null)
        .orderBy('left_on')
        .execute();
      const children = due.map((c) => ({
        childId: c.id,
        name: `${c.first_name} ${c.last_name}`,
        leftOn: c.left_on as string,
      }));
      if (input.dryRun || due.length === 0)
        return { dryRun: input.dryRun, years, leftBefore: limit, children, anonymised: 0 };
      const at = now.toISOString();
      for (const c of due) {
        await db
          .updateTable('children')
          .set({
            first_name: 'Enfant',
            last_name: 'anonymisé',
            birth_date: `${c.left_on?.slice(0, 4) ?? '1900'}-01-01`,
            school: '',
            class_level: '',
            health_notes: '',
            anonymised_at: at,
            updated_at: at,
          })
          .where('id', '=', c.id)
          .execute();
        await db.deleteFrom('health_reads').where('child_id', '=', c.id).execute();
      }
      for (const householdId of new Set(due.map((c) => c.household_id)))
        await reindexHousehold(db, householdId);
      return { dryRun: false, years, leftBefore: limit, children, anonymised: due.length };
    },
  }),
};
