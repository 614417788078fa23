import { z } from 'zod';
import { DomainError } from '../api/envelope.ts';
import { bool, id, isoDate, optionalText } from '../api/fields.ts';
import { command, query } from '../api/operation.ts';
import { MEAL_PLANS } from '../../shared/health.ts';
import { currentHealthRecord } from './records.ts';

/**
 * The fiche sanitaire (RULES.md: health notes and PAI are restricted, only roles that need them see them, every read
 * logged). The policy:
 *
 * - Reading is `health` (holiday-centre staff, who care for the children; the administrator). Each read of a
 *   child's fiche is a command that writes who read it and when (`health_reads`, shown to the administrator); no
 *   query answers a fiche's content, and `family.get` leaves it out.
 * - Writing is `health.write`, which the counter agents who receive the paper fiche hold without `health`: for them
 *   the form opens empty and saving appends a whole new version (the parents fill in a new fiche each year, and the
 *   paper is the source). The answer says which version was saved, never what the previous one held; what they
 *   may know of a child's fiche is that one exists, when and by whom it was entered (`health.status`).
 * - Versions are never edited or deleted (the newest is the child's fiche), except by the retention's anonymisation.
 * - Attendance sheets show a mark (PAI, allergy, meal) to whoever takes attendance, not the details; the printed
 *   sheet carries the details only for a role with `health`, each child's logged as a read (core/bookings).
 * - The kitchen's counts carry numbers only.
 */

const fiche = {
  childId: id(),
  pai: bool().default(false),
  allergies: optionalText(500),
  meal: z.enum(MEAL_PLANS, { message: 'menu inconnu' }).default('standard'),
  treatment: optionalText(1000),
  doctor: optionalText(200),
  notes: optionalText(2000),
  // Fixed where the fiche was entered: the central server knows no counter's staff names.
  recordedByName: z.string().trim().max(120).optional(),
};

export const healthOperations = {
  'health.read': command({
    permission: 'health',
    sync: 'local',
    label: 'Lecture d’une fiche sanitaire',
    input: z.object({ childId: id() }),
    async run({ db, now, actor, newId }, input) {
      const child = await db
        .selectFrom('children')
        .select('id')
        .where('id', '=', input.childId)
        .executeTakeFirst();
      if (!child) throw new DomainError('NOT_FOUND', 'Enfant introuvable.', 'childId');
      await db
        .insertInto('health_reads')
        .values({ id: newId(), child_id: input.childId, agent_id: actor.agentId, at: now.toISOString() })
        .execute();
      const record = await currentHealthRecord(db, input.childId);
      return {
        childId: input.childId,
        record,
        // The whole fiche in one text, for a screen or an export that shows it as such.
        notes: record ? ficheText(record) : '',
      };
    },
  }),

  'health.save': command({
    permission: 'health.write',
    sync: 'request',
    label: 'Fiche sanitaire',
    input: z.object(fiche),
    prepare: (input, ctx) => ({ ...input, recordedByName: input.recordedByName || ctx.actor.agentName }),
    async run({ db, now, actor, newId }, input) {
      const child = await db
        .selectFrom('children')
        .select(['id', 'anonymised_at'])
        .where('id', '=', input.childId)
        .executeTakeFirst();
      if (!child) throw new DomainError('NOT_FOUND', 'Enfant introuvable.', 'childId');
      if (child.anonymised_at)
        throw new DomainError(
          'CONFLICT',
          'Ce dossier est anonymisé : plus aucune fiche ne s’y ajoute.',
          'childId',
        );
      const recordId = newId();
      await db
        .insertInto('health_records')
        .values({
          id: recordId,
          child_id: input.childId,
          pai: input.pai ? 1 : 0,
          allergies: input.allergies,
          meal: input.meal,
          treatment: input.treatment,
          doctor: input.doctor,
          notes: input.notes,
          recorded_at: now.toISOString(),
          recorded_by: actor.agentId,
          recorded_by_name: input.recordedByName ?? actor.agentName,
        })
        .execute();
      const versions = await db
        .selectFrom('health_records')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('child_id', '=', input.childId)
        .executeTakeFirstOrThrow();
      return { childId: input.childId, recordId, version: Number(versions.n) };
    },
  }),

  /** What a role that may write a fiche may know of it: that it exists, when and by whom, never its content. */
  'health.status': query({
    permission: 'health.write',
    label: 'Fiches sanitaires d’un foyer',
    input: z.object({ householdId: id() }),
    async run({ db }, input) {
      const rows = await db
        .selectFrom('children')
        .leftJoin('health_records', 'health_records.child_id', 'children.id')
        .select([
          'children.id as childId',
          'children.health_notes as legacy',
          'health_records.recorded_at as recordedAt',
          'health_records.recorded_by_name as recordedByName',
        ])
        .where('children.household_id', '=', input.householdId)
        .orderBy('health_records.recorded_at', 'desc')
        .execute();
      const byChild = new Map<
        string,
        {
          childId: string;
          versions: number;
          lastRecordedAt: string | null;
          lastRecordedBy: string | null;
          earlierNotes: boolean;
        }
      >();
      for (const r of rows) {
        const c = byChild.get(r.childId) ?? {
          childId: r.childId,
          versions: 0,
          lastRecordedAt: null,
          lastRecordedBy: null,
          // Notes written before the fiche had versions: a fiche exists, of unknown date.
          earlierNotes: r.legacy !== '',
        };
        if (r.recordedAt) {
          c.versions += 1;
          if (!c.lastRecordedAt) {
            c.lastRecordedAt = r.recordedAt;
            c.lastRecordedBy = r.recordedByName;
          }
        }
        byChild.set(r.childId, c);
      }
      return [...byChild.values()];
    },
  }),

  'health.readLog': query({
    permission: 'admin',
    label: 'Journal des lectures de fiches sanitaires',
    input: z.object({ childId: id().optional(), since: isoDate().optional() }),
    async run({ db }, input) {
      let q = db
        .selectFrom('health_reads')
        .innerJoin('children', 'children.id', 'health_reads.child_id')
        .leftJoin('staff', 'staff.id', 'health_reads.agent_id')
        .select([
          'health_reads.at',
          'health_reads.child_id as childId',
          'children.first_name as childFirstName',
          'children.last_name as childLastName',
          'staff.display_name as agentName',
          'health_reads.agent_id as agentId',
        ])
        .orderBy('health_reads.at', 'desc')
        .limit(500);
      if (input.childId) q = q.where('health_reads.child_id', '=', input.childId);
      if (input.since) q = q.where('health_reads.at', '>=', input.since);
      return q.execute();
    },
  }),
};

/** The fiche in a few lines of French, its empty parts left out. */
export function ficheText(r: {
  pai: boolean;
  allergies: string;
  meal: string;
  treatment: string;
  doctor: string;
  notes: string;
}): string {
  return [
    r.pai ? 'PAI en place' : '',
    r.allergies ? `Allergies : ${r.allergies}` : '',
    r.treatment ? `Traitement, conduite à tenir : ${r.treatment}` : '',
    r.doctor ? `Médecin : ${r.doctor}` : '',
    r.notes,
  ]
    .filter((l) => l !== '')
    .join('\n');
}
