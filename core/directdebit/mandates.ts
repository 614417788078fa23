import { sql, type Kysely } from 'kysely';
import { DomainError } from '../api/envelope.ts';
import type { Actor } from '../api/operation.ts';
import { formatLongDate } from '../billing/format.ts';
import type { Database, SepaMandatesTable } from '../db/schema.ts';
import { maskedIban, type Sequence } from './sepa-rules.ts';

export interface MandateView {
  id: string;
  householdId: string;
  rum: string;
  debtorName: string;
  iban: string;
  ibanMasked: string;
  bic: string | null;
  signedOn: string;
  firstSequence: Sequence;
  /** The type the next debit on this mandate takes: FRST until one debit went through (not returned). */
  nextSequence: Sequence;
  /** The last collection that went through, or null. */
  lastCollection: string | null;
  revokedOn: string | null;
  revokedReason: string | null;
  createdAt: string;
}

/** A mandate's reference when the family's paper form carries none: the signature day and a part of its id. */
export const generatedRum = (mandateId: string, signedOn: string): string =>
  `GF-${signedOn.replace(/-/g, '')}-${mandateId.replace(/-/g, '').slice(-12).toUpperCase()}`;

/**
 * The SEPA rule of 36 months (EPC SDD Core rulebook 4.7.1): a mandate not used for 36 months after its last
 * collection — or after its signature, if it never served — lapses, and the family must sign a new one.
 */
export function lapsesOn(signedOn: string, lastCollection: string | null): string {
  const from = lastCollection ?? signedOn;
  return `${Number(from.slice(0, 4)) + 3}${from.slice(4)}`;
}

/**
 * The last collection on each mandate that went through (not returned by the bank). A mandate with none (or only
 * returned ones) is still to be debited FRST (EPC rulebook: a first collection returned before any other went
 * through leaves the next one a first collection again).
 */
async function usage(db: Kysely<Database>, mandateIds: readonly string[]) {
  if (mandateIds.length === 0) return new Map<string, string>();
  const rows = await db
    .selectFrom('direct_debits as d')
    .innerJoin('direct_debit_files as f', 'f.id', 'd.file_id')
    .leftJoin('direct_debit_rejections as r', 'r.debit_id', 'd.id')
    .select(['d.mandate_id as mandateId', sql<string>`max(f.collection_date)`.as('last')])
    .where('d.mandate_id', 'in', [...mandateIds])
    .where('r.debit_id', 'is', null)
    .groupBy('d.mandate_id')
    .execute();
  // A debit handed to the Trésorerie (ORMC) counts as gone through: its rejections are the Trésorerie's to handle.
  const viaPes = await db
    .selectFrom('titre_export_invoices')
    .select(['mandate_id as mandateId', sql<string>`max(collection_date)`.as('last')])
    .where('mandate_id', 'in', [...mandateIds])
    .groupBy('mandate_id')
    .execute();
  const last = new Map(rows.map((r) => [r.mandateId, r.last]));
  for (const r of viaPes)
    if (r.mandateId && r.last > (last.get(r.mandateId) ?? '')) last.set(r.mandateId, r.last);
  return last;
}

function view(m: SepaMandatesTable, last: string | null): MandateView {
  return {
    id: m.id,
    householdId: m.household_id,
    rum: m.rum,
    debtorName: m.debtor_name,
    iban: m.iban,
    ibanMasked: maskedIban(m.iban),
    bic: m.bic,
    signedOn: m.signed_on,
    firstSequence: m.first_sequence,
    nextSequence: last !== null || m.first_sequence === 'RCUR' ? 'RCUR' : 'FRST',
    lastCollection: last,
    revokedOn: m.revoked_on,
    revokedReason: m.revoked_reason,
    createdAt: m.created_at,
  };
}

export async function mandatesOf(db: Kysely<Database>, householdId: string): Promise<MandateView[]> {
  const rows = await db
    .selectFrom('sepa_mandates')
    .selectAll()
    .where('household_id', '=', householdId)
    .orderBy('created_at', 'desc')
    .execute();
  const last = await usage(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => view(r, last.get(r.id) ?? null));
}

/** The mandates in force, by household: those a direct-debit file debits. */
export async function activeMandates(
  db: Kysely<Database>,
  householdIds: readonly string[],
): Promise<Map<string, MandateView>> {
  if (householdIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('sepa_mandates')
    .selectAll()
    .where('household_id', 'in', [...householdIds])
    .where('revoked_on', 'is', null)
    .execute();
  const last = await usage(
    db,
    rows.map((r) => r.id),
  );
  return new Map(rows.map((r) => [r.household_id, view(r, last.get(r.id) ?? null)]));
}

export interface NewMandate {
  mandateId: string;
  householdId: string;
  rum: string | null;
  debtorName: string;
  iban: string;
  bic: string | null;
  signedOn: string;
  firstSequence: Sequence;
}

export async function createMandate(
  db: Kysely<Database>,
  input: NewMandate,
  ctx: { actor: Actor; now: Date; today: string },
): Promise<MandateView> {
  const household = await db
    .selectFrom('households')
    .select('id')
    .where('id', '=', input.householdId)
    .executeTakeFirst();
  if (!household) throw new DomainError('NOT_FOUND', 'Ce foyer est introuvable.', 'householdId');
  if (input.signedOn > ctx.today)
    throw new DomainError('VALIDATION', 'Un mandat ne se date pas dans le futur.', 'signedOn');
  const active = await db
    .selectFrom('sepa_mandates')
    .select('rum')
    .where('household_id', '=', input.householdId)
    .where('revoked_on', 'is', null)
    .executeTakeFirst();
  if (active)
    throw new DomainError(
      'CONFLICT',
      `Ce foyer a déjà un mandat en vigueur (RUM ${active.rum}) : révoquez-le d’abord (un nouveau compte est un nouveau mandat).`,
      'householdId',
    );
  const rum = input.rum ?? generatedRum(input.mandateId, input.signedOn);
  const taken = await db.selectFrom('sepa_mandates').select('id').where('rum', '=', rum).executeTakeFirst();
  if (taken)
    throw new DomainError(
      'CONFLICT',
      `La référence de mandat ${rum} est déjà celle d’un autre mandat : une RUM est unique pour la commune.`,
      'rum',
    );
  const row: SepaMandatesTable = {
    id: input.mandateId,
    household_id: input.householdId,
    rum,
    debtor_name: input.debtorName,
    iban: input.iban,
    bic: input.bic,
    signed_on: input.signedOn,
    first_sequence: input.firstSequence,
    created_at: ctx.now.toISOString(),
    agent_id: ctx.actor.agentId,
    revoked_on: null,
    revoked_reason: null,
  };
  await db.insertInto('sepa_mandates').values(row).execute();
  return view(row, null);
}

export async function revokeMandate(
  db: Kysely<Database>,
  input: { mandateId: string; revokedOn: string; reason: string },
  ctx: { today: string },
): Promise<MandateView> {
  const m = await db
    .selectFrom('sepa_mandates')
    .selectAll()
    .where('id', '=', input.mandateId)
    .executeTakeFirst();
  if (!m) throw new DomainError('NOT_FOUND', 'Mandat introuvable.', 'mandateId');
  if (m.revoked_on)
    throw new DomainError(
      'CONFLICT',
      `Ce mandat est déjà révoqué depuis le ${formatLongDate(m.revoked_on)}.`,
      'mandateId',
    );
  if (input.revokedOn < m.signed_on)
    throw new DomainError(
      'VALIDATION',
      `Un mandat ne se révoque pas avant sa signature (${formatLongDate(m.signed_on)}).`,
      'revokedOn',
    );
  if (input.revokedOn > ctx.today)
    throw new DomainError('VALIDATION', 'Une révocation ne se date pas dans le futur.', 'revokedOn');
  await db
    .updateTable('sepa_mandates')
    .set({ revoked_on: input.revokedOn, revoked_reason: input.reason })
    .where('id', '=', m.id)
    .execute();
  const [updated] = (await mandatesOf(db, m.household_id)).filter((x) => x.id === m.id);
  if (!updated) throw new DomainError('NOT_FOUND', 'Mandat introuvable.', 'mandateId');
  return updated;
}
