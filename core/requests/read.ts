import { sql, type Kysely } from 'kysely';
import { loadActivities, type Activity } from '../activities/config.ts';
import { DomainError } from '../api/envelope.ts';
import { planCancellation } from '../bookings/cancel.ts';
import { formatShortDate } from '../billing/format.ts';
import { loadBookingContext } from '../bookings/context.ts';
import type { TownTimeZone } from '../calendar/time-zones.ts';
import type { Database } from '../db/schema.ts';
import {
  cancellationDetails,
  documentDetails,
  otherDetails,
  pickupDetails,
  type CancellationDetails,
  type DocumentDetails,
  type PickupDetails,
} from './schemas.ts';
import { type FamilyRequestsTable, type RequestKind, type RequestState } from './table.ts';
import {
  describeDocument,
  describePickup,
  describeSelection,
  describeService,
  KIND_LABELS,
  referenceOf,
} from './words.ts';

interface RequestCommon {
  id: string;
  /** Six characters the family and the agent can read to each other. */
  reference: string;
  householdId: string;
  householdName: string;
  childId: string | null;
  childName: string | null;
  state: RequestState;
  /** One line saying what is asked, for the inbox (the child has a column of its own). */
  summary: string;
  message: string;
  receivedAt: string;
  reply: string;
  answeredAt: string | null;
  answeredByName: string | null;
}

type KindDetails =
  | { kind: 'cancellation'; details: CancellationDetails }
  | { kind: 'pickup'; details: PickupDetails }
  | { kind: 'document'; details: DocumentDetails }
  | { kind: 'other'; details: Record<string, never> };

export type RequestView = RequestCommon & KindDetails;

type Row = FamilyRequestsTable & {
  household_name: string;
  child_first: string | null;
  child_last: string | null;
};

const SCHEMAS = {
  cancellation: cancellationDetails,
  pickup: pickupDetails,
  document: documentDetails,
  other: otherDetails,
} as const;

const UNREADABLE =
  'Détails illisibles par cette version de Guichet Famille (demande venue d’une version plus récente du portail) : mettez l’application à jour.';

/** The details as the kind's schema reads them, or null for a shape this version does not know. */
function readDetails(kind: RequestKind, json: string): KindDetails['details'] | null {
  const parsed = SCHEMAS[kind].safeParse(JSON.parse(json));
  return parsed.success ? (parsed.data as KindDetails['details']) : null;
}

/** The details, for acting on them: a shape this version does not know is refused rather than guessed at. */
export function parseDetails(kind: RequestKind, json: string): KindDetails['details'] {
  const details = readDetails(kind, json);
  if (details === null) throw new DomainError('CONFLICT', UNREADABLE, 'requestId');
  return details;
}

/** The reason the cancelled bookings keep: which request they were cancelled for. */
export const cancellationReason = (r: { id: string; received_at: string }) =>
  `Demande de la famille (réf. ${referenceOf(r.id)}, reçue le ${formatShortDate(r.received_at.slice(0, 10))})`;

function summarise(view: KindDetails & { message: string }, activities: Map<string, Activity>): string {
  switch (view.kind) {
    case 'cancellation': {
      const d = view.details;
      return `${describeService(d, activities.get(d.activityId))} — ${describeSelection(d.selection)}`;
    }
    case 'pickup':
      return describePickup(view.details);
    case 'document':
      return describeDocument(view.details);
    case 'other': {
      const text = view.message.replace(/\s+/g, ' ').trim();
      return text.length > 90 ? `${text.slice(0, 89)}…` : text;
    }
  }
}

function toView(row: Row, activities: Map<string, Activity>): RequestView {
  const details = readDetails(row.kind, row.details);
  const kind = { kind: row.kind, details: details ?? JSON.parse(row.details) } as KindDetails;
  return {
    id: row.id,
    reference: referenceOf(row.id),
    householdId: row.household_id,
    householdName: row.household_name,
    childId: row.child_id,
    childName: row.child_first === null ? null : `${row.child_first} ${row.child_last ?? ''}`.trim(),
    state: row.state,
    message: row.message,
    receivedAt: row.received_at,
    reply: row.reply,
    answeredAt: row.answered_at,
    answeredByName: row.answered_by_name,
    summary: details === null ? UNREADABLE : summarise({ ...kind, message: row.message }, activities),
    ...kind,
  };
}

function selectRows(db: Kysely<Database>) {
  return db
    .selectFrom('family_requests as r')
    .innerJoin('households as h', 'h.id', 'r.household_id')
    .leftJoin('children as c', 'c.id', 'r.child_id')
    .selectAll('r')
    .select(['h.name as household_name', 'c.first_name as child_first', 'c.last_name as child_last']);
}

async function activitiesFor(db: Kysely<Database>, rows: Row[]): Promise<Map<string, Activity>> {
  if (!rows.some((r) => r.kind === 'cancellation')) return new Map();
  return new Map((await loadActivities(db)).map((a) => [a.id, a]));
}

export interface InboxFilter {
  state: RequestState | 'all';
  householdId?: string | undefined;
  limit: number;
}

/**
 * The counters' inbox: pending requests first, oldest first (they are answered in the order they came), then the
 * answered ones, latest answer first; with the count of each state for the same household filter.
 */
export async function requestInbox(db: Kysely<Database>, filter: InboxFilter) {
  let q = selectRows(db);
  if (filter.state !== 'all') q = q.where('r.state', '=', filter.state);
  if (filter.householdId) q = q.where('r.household_id', '=', filter.householdId);
  const rows = (await q
    .orderBy(sql`CASE WHEN r.state = 'pending' THEN 0 ELSE 1 END`)
    .orderBy(sql`CASE WHEN r.state = 'pending' THEN r.received_at END`)
    .orderBy('r.answered_at', 'desc')
    .orderBy('r.received_at', 'desc')
    .orderBy('r.id')
    .limit(filter.limit)
    .execute()) as Row[];

  let c = db
    .selectFrom('family_requests')
    .select(['state', (eb) => eb.fn.countAll<number | string>().as('n')])
    .groupBy('state');
  if (filter.householdId) c = c.where('household_id', '=', filter.householdId);
  const counts = { pending: 0, accepted: 0, refused: 0 } satisfies Record<RequestState, number>;
  for (const r of await c.execute()) counts[r.state] = Number(r.n);

  const activities = await activitiesFor(db, rows);
  return { counts, requests: rows.map((r) => toView(r, activities)) };
}

/** A family's own requests, newest first, as the portal shows them: what was asked, where it stands, the reply. */
export async function householdRequests(db: Kysely<Database>, householdId: string) {
  const rows = (await selectRows(db)
    .where('r.household_id', '=', householdId)
    .orderBy('r.received_at', 'desc')
    .orderBy('r.id', 'desc')
    .limit(500)
    .execute()) as Row[];
  const activities = await activitiesFor(db, rows);
  return rows.map((r) => {
    const v = toView(r, activities);
    return {
      id: v.id,
      reference: v.reference,
      kind: v.kind,
      kindLabel: KIND_LABELS[v.kind],
      childId: v.childId,
      childName: v.childName,
      summary: v.summary,
      details: v.details,
      message: v.message,
      receivedAt: v.receivedAt,
      state: v.state,
      reply: v.reply,
      answeredAt: v.answeredAt,
    };
  });
}

export async function loadRequestRow(db: Kysely<Database>, requestId: string): Promise<Row> {
  const row = (await selectRows(db).where('r.id', '=', requestId).executeTakeFirst()) as Row | undefined;
  if (!row) throw new DomainError('NOT_FOUND', 'Cette demande est introuvable.', 'requestId');
  return row;
}

interface PreviewDay {
  date: string;
  unitLabel: string;
}

/**
 * One request with what the agent needs to answer it: the family's contacts; for a cancellation, what accepting
 * would cancel now (late days flagged, and whether they stay billed) and what it could not; for a pickup
 * authorisation, the person already on the file under that name, whose entry accepting updates.
 */
export async function requestDetail(db: Kysely<Database>, requestId: string, now: Date, zone: TownTimeZone) {
  const row = await loadRequestRow(db, requestId);
  const view = toView(row, await activitiesFor(db, [row]));
  const household = await db
    .selectFrom('households')
    .select(['phone_mobile', 'phone_home', 'email'])
    .where('id', '=', row.household_id)
    .executeTakeFirstOrThrow();

  let cancellation: {
    willCancel: (PreviewDay & { late: boolean; billed: boolean })[];
    cannotCancel: (PreviewDay & { reason: string })[];
    problem: string | null;
  } | null = null;
  if (view.kind === 'cancellation' && view.state === 'pending' && row.child_id) {
    try {
      const d = parseDetails('cancellation', row.details) as CancellationDetails;
      const ctx = await loadBookingContext(db, row.child_id, d.activityId, d.siteId);
      const plan = await planCancellation(db, ctx, {
        unitCodes: d.unitCodes,
        selection: d.selection,
        origin: 'counter',
        overrideReason: cancellationReason(row),
        // What accepting would do, and only a role that may go past the deadline may accept (request.accept).
        mayOverride: true,
        now,
        timeZone: zone,
      });
      cancellation = {
        willCancel: plan.accepted.map((a) => ({
          date: a.date,
          unitLabel: a.unitLabel,
          late: a.late,
          billed: a.billed,
        })),
        cannotCancel: plan.refused.map((r) => ({ date: r.date, unitLabel: r.unitLabel, reason: r.reason })),
        problem: null,
      };
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      cancellation = { willCancel: [], cannotCancel: [], problem: error.message };
    }
  }

  const pickup = view.kind === 'pickup' ? readDetails('pickup', row.details) : null;
  const existingPickup = pickup
    ? await samePickupPerson(db, row.household_id, pickup as PickupDetails)
    : null;

  return {
    ...view,
    contact: { phoneMobile: household.phone_mobile, phoneHome: household.phone_home, email: household.email },
    cancellation,
    existingPickup,
  };
}

const fold = (s: string) =>
  s
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z]+/g, ' ')
    .trim();

/** The person of the family file with the same first and last name (accents and case aside), if any. */
export async function samePickupPerson(db: Kysely<Database>, householdId: string, p: PickupDetails) {
  const people = await db
    .selectFrom('pickup_persons')
    .select(['id', 'first_name', 'last_name', 'relationship', 'phone'])
    .where('household_id', '=', householdId)
    .execute();
  const match = people.find(
    (x) => fold(x.first_name) === fold(p.firstName) && fold(x.last_name) === fold(p.lastName),
  );
  return match
    ? {
        id: match.id,
        firstName: match.first_name,
        lastName: match.last_name,
        name: `${match.first_name} ${match.last_name}`,
        relationship: match.relationship,
        phone: match.phone,
      }
    : null;
}
