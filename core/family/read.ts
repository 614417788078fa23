import type { Kysely } from 'kysely';
import { DomainError } from '../api/envelope.ts';
import type { Database } from '../db/schema.ts';
import { qfInForce, qfValidUntil, type QfRecord } from './qf.ts';

export interface Guardian {
  id: string;
  rank: 1 | 2;
  civility: 'M.' | 'Mme';
  lastName: string;
  firstName: string;
  relationship: string;
  phoneMobile: string;
  phoneWork: string;
  email: string;
  mayPickUp: boolean;
}

export interface Child {
  id: string;
  lastName: string;
  firstName: string;
  birthDate: string;
  school: string;
  classLevel: string;
  imageConsent: boolean;
}

export interface PickupPerson {
  id: string;
  lastName: string;
  firstName: string;
  relationship: string;
  phone: string;
}

export interface QfView extends QfRecord {
  /** The last month it prices: its end, or the month before the next QF takes effect; null: no end yet. */
  validUntil: string | null;
}

export interface HouseholdFile {
  id: string;
  name: string;
  addressLine1: string;
  addressLine2: string;
  postalCode: string;
  city: string;
  email: string;
  phoneHome: string;
  phoneMobile: string;
  payerRank: 1 | 2;
  invoiceDelivery: 'papier' | 'email';
  /** The CAF allocataire number, '' when none. */
  cafNumber: string;
  createdAt: string;
  updatedAt: string;
  guardians: Guardian[];
  children: Child[];
  pickupPersons: PickupPerson[];
  /** Newest effective month first, each with the last month it prices (`qfValidUntil`). */
  qfHistory: QfView[];
  /** The QF pricing services of the current month, or null: highest tariff. */
  currentQf: QfView | null;
}

export async function loadHouseholdFile(
  db: Kysely<Database>,
  householdId: string,
  currentMonth: string,
): Promise<HouseholdFile> {
  const h = await db.selectFrom('households').selectAll().where('id', '=', householdId).executeTakeFirst();
  if (!h) throw new DomainError('NOT_FOUND', 'Ce foyer est introuvable.', 'householdId');
  const [guardians, children, pickups, qfs] = await Promise.all([
    db.selectFrom('guardians').selectAll().where('household_id', '=', householdId).orderBy('rank').execute(),
    db
      .selectFrom('children')
      // health_notes stays out until roles decide who may read it.
      .select(['id', 'last_name', 'first_name', 'birth_date', 'school', 'class_level', 'image_consent'])
      .where('household_id', '=', householdId)
      .orderBy('birth_date')
      .execute(),
    db
      .selectFrom('pickup_persons')
      .selectAll()
      .where('household_id', '=', householdId)
      .orderBy('last_name')
      .execute(),
    db
      .selectFrom('qf_records')
      .selectAll()
      .where('household_id', '=', householdId)
      .orderBy('effective_month', 'desc')
      .orderBy('recorded_at', 'desc')
      .execute(),
  ]);
  const records: QfRecord[] = qfs.map((q) => ({
    id: q.id,
    value: q.value,
    source: q.source,
    effectiveMonth: q.effective_month,
    endMonth: q.end_month,
    recordedAt: q.recorded_at,
    checkedVia: q.checked_via,
    checkedOn: q.checked_on,
    checkedBy: q.checked_by,
  }));
  const qfHistory: QfView[] = records.map((q) => ({ ...q, validUntil: qfValidUntil(records, q) }));
  return {
    id: h.id,
    name: h.name,
    addressLine1: h.address_line1,
    addressLine2: h.address_line2,
    postalCode: h.postal_code,
    city: h.city,
    email: h.email,
    phoneHome: h.phone_home,
    phoneMobile: h.phone_mobile,
    payerRank: h.payer_rank === 2 ? 2 : 1,
    invoiceDelivery: h.invoice_delivery === 'email' ? 'email' : 'papier',
    cafNumber: h.caf_number,
    createdAt: h.created_at,
    updatedAt: h.updated_at,
    guardians: guardians.map((g) => ({
      id: g.id,
      rank: g.rank === 2 ? 2 : 1,
      civility: g.civility === 'M.' ? 'M.' : 'Mme',
      lastName: g.last_name,
      firstName: g.first_name,
      relationship: g.relationship,
      phoneMobile: g.phone_mobile,
      phoneWork: g.phone_work,
      email: g.email,
      mayPickUp: g.may_pick_up === 1,
    })),
    children: children.map((c) => ({
      id: c.id,
      lastName: c.last_name,
      firstName: c.first_name,
      birthDate: c.birth_date,
      school: c.school,
      classLevel: c.class_level,
      imageConsent: c.image_consent === 1,
    })),
    pickupPersons: pickups.map((p) => ({
      id: p.id,
      lastName: p.last_name,
      firstName: p.first_name,
      relationship: p.relationship,
      phone: p.phone,
    })),
    qfHistory,
    currentQf: qfInForce(qfHistory, currentMonth),
  };
}
