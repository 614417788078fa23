import type { InputOf, OutputOf } from '../../core/contract.ts';
import type { SearchKind } from '../../core/search/index-household.ts';
import { weekdayName } from '../../shared/dates.ts';
import { formatEuros } from '../../shared/money.ts';

// Records keyed by the contract's own unions: a value added to the core without a French label fails the typecheck.

export type ClassLevel = NonNullable<InputOf<'family.saveChild'>['classLevel']>;
export type QfSource = InputOf<'family.addQf'>['source'];
export type Civility = InputOf<'family.saveGuardian'>['civility'];
export type InvoiceDelivery = NonNullable<InputOf<'family.updateHousehold'>['invoiceDelivery']>;
export type QfCheck = NonNullable<InputOf<'family.addQf'>['checkedVia']>;

const CLASS_LEVELS: Record<ClassLevel, string> = {
  '': 'Non renseignée',
  TPS: 'TPS',
  PS: 'PS',
  MS: 'MS',
  GS: 'GS',
  CP: 'CP',
  CE1: 'CE1',
  CE2: 'CE2',
  CM1: 'CM1',
  CM2: 'CM2',
  '6e': '6e',
};

const QF_SOURCES: Record<QfSource, string> = { CAF: 'CAF', MSA: 'MSA', avis_imposition: 'Avis d’imposition' };

const QF_CHECKS: Record<QfCheck, string> = {
  cdap: 'CDAP (CAF)',
  api_particulier: 'API Particulier',
  document: 'Pièce justificative',
};

const CIVILITIES: Record<Civility, string> = { 'M.': 'M.', Mme: 'Mme' };

const INVOICE_DELIVERIES: Record<InvoiceDelivery, string> = { papier: 'Papier', email: 'E-mail' };

export const SEARCH_KINDS: Record<SearchKind, string> = {
  household: 'foyer',
  guardian: 'responsable',
  child: 'enfant',
  pickup: 'personne autorisée',
};

const optionsOf = <V extends string>(labels: Record<V, string>) =>
  (Object.keys(labels) as V[]).map((value) => ({ value, label: labels[value] }));

export const classLevelOptions = optionsOf(CLASS_LEVELS);
export const qfSourceOptions = optionsOf(QF_SOURCES);
export const qfCheckOptions = [{ value: '' as const, label: 'Non renseigné' }, ...optionsOf(QF_CHECKS)];
export const civilityOptions = optionsOf(CIVILITIES);
export const invoiceDeliveryOptions = optionsOf(INVOICE_DELIVERIES);

const labelOf = (labels: Record<string, string>, value: string): string =>
  Object.hasOwn(labels, value) ? (labels[value] ?? value) : value;

export const classLevelLabel = (v: string) => (v === '' ? '—' : labelOf(CLASS_LEVELS, v));
export const qfSourceLabel = (v: string) => labelOf(QF_SOURCES, v);
export const qfCheckLabel = (v: string) => labelOf(QF_CHECKS, v);
export const invoiceDeliveryLabel = (v: string) => labelOf(INVOICE_DELIVERIES, v);
export const yesNo = (b: boolean) => (b ? 'Oui' : 'Non');

type Activity = OutputOf<'activities.list'>[number];
export type CellState = OutputOf<'booking.grid'>['cells'][number]['state'];
export type AttendanceStatus = NonNullable<InputOf<'attendance.mark'>['status']>;
type Granularity = Activity['settings']['granularity'];
type Payment = Activity['settings']['payment'];
type Surcharge = NonNullable<Activity['settings']['lateAdd']>;
type ActivityKind = Activity['kind'];

/** What a booking cell says in words, so its colour is never the only clue (seed 001's legend). */
export const CELL_STATES: Record<CellState, string> = {
  present: 'Présent',
  absent: 'Absent',
  booked: 'Réservé',
  bookable: 'Réservable',
  late: 'Hors délai',
  full: 'Complet',
  closed: 'Non réservable',
};

export const ATTENDANCE: Record<AttendanceStatus, string> = {
  present: 'Présent',
  absent_justified: 'Absent justifié',
  absent_unjustified: 'Absent non justifié',
};

const GRANULARITIES: Record<Granularity, string> = {
  day: 'À la journée ou par période',
  week: 'À la semaine entière, sur un seul site',
  month: 'Au mois',
  enrolment: 'Inscription seule, avec un groupe',
};

const PAYMENTS: Record<Payment, string> = {
  monthly: 'Facture mensuelle',
  atBooking: 'Payé à la réservation',
};

const ACTIVITY_KINDS: Record<ActivityKind, string> = {
  canteen: 'Restauration scolaire',
  care: 'Accueil périscolaire',
  wednesday: 'Mercredis',
  holiday_centre: 'Accueil de loisirs (vacances)',
  study: 'Étude',
  class_trip: 'Classe de découverte',
  sports_school: 'École des sports',
};

const ENROLMENT_STATUSES: Record<string, string> = {
  validated: 'Validée',
  pending: 'En attente : dossier incomplet',
};

/** « lun., mar., jeu., ven. » */
export const weekdaysShort = (days: readonly number[]): string =>
  days.map((d) => `${weekdayName(d).slice(0, 3)}.`).join(', ');

export const granularityLabel = (v: string) => labelOf(GRANULARITIES, v);
export const paymentLabel = (v: string) => labelOf(PAYMENTS, v);
export const activityKindLabel = (v: string) => labelOf(ACTIVITY_KINDS, v);
export const enrolmentStatusLabel = (v: string) => labelOf(ENROLMENT_STATUSES, v);

/** A surcharge as the agent explains it: « +50 % », « +3,00 € », « tarif majoré : matin 4,00 €, soir 10,00 € ». */
export function surchargeLabel(
  s: Surcharge | null,
  units: readonly { code: string; label: string }[] = [],
): string {
  if (!s) return 'aucune majoration';
  switch (s.kind) {
    case 'percent':
      return `prix + ${s.percent} %`;
    case 'add':
      return `prix + ${formatEuros(s.cents)}`;
    case 'price': {
      const prices = Object.entries(s.byUnit).map(([code, cents]) => {
        const label = units.find((u) => u.code === code)?.label ?? code;
        return `${label.toLowerCase()} ${formatEuros(cents ?? 0)}`;
      });
      return `tarif majoré : ${prices.join(', ')}`;
    }
  }
}

type UnitCode = Activity['units'][number]['code'];

/** The kind of period a unit books, as the administrator chooses it for a new unit. */
const UNIT_CODES: Record<UnitCode, string> = {
  meal: 'Repas',
  morning: 'Matin',
  evening: 'Soir',
  day: 'Journée',
  half_day: 'Demi-journée',
  week: 'Semaine',
  month: 'Mois',
};

export const unitCodeOptions = optionsOf(UNIT_CODES);
export const activityKindOptions = optionsOf(ACTIVITY_KINDS);
export const granularityOptions = optionsOf(GRANULARITIES);
export const paymentOptions = optionsOf(PAYMENTS);
