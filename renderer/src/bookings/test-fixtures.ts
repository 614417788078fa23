import type { InputOf, OutputOf } from '../../../core/contract.ts';
import type { HouseholdFile } from '../../../core/family/read.ts';
import { addDaysTo, isoWeekday } from '../../../shared/calendar.ts';

/** Test data shaped like the demo town's canteen (Restauration scolaire) on Friday 4 December 2026. */

type Activity = OutputOf<'activities.list'>[number];
type Cell = OutputOf<'booking.grid'>['cells'][number];
type Plan = OutputOf<'booking.preview'>;

export const TODAY = '2026-12-04';
const SITE = '00000000-0000-4000-8000-00000000000a';

export const CANTEEN: Activity = {
  id: '00000000-0000-4000-8000-000000000001',
  code: 'cantine',
  name: 'Restauration scolaire',
  kind: 'canteen',
  settings: {
    calendar: 'school',
    granularity: 'day',
    bookingDeadline: { kind: 'none' },
    cancelDeadline: { kind: 'none' },
    payment: 'monthly',
    lateAdd: { kind: 'percent', percent: 50 },
    unbookedPresence: { kind: 'percent', percent: 50 },
    lateCancellationBilled: true,
    unjustifiedAbsenceBilled: true,
    flatFee: false,
    wholeWeekOneSite: false,
  },
  units: [
    { id: '00000000-0000-4000-8000-0000000000a1', code: 'meal', label: 'Repas', weekdays: [1, 2, 4, 5] },
  ],
  sites: [{ id: SITE, name: 'Groupe scolaire Jean Jaurès' }],
  groups: [],
  deadlines: {
    booking: 'pour le lundi et le mardi : le jeudi précédent à 23 h 59',
    cancel: 'pour le lundi et le mardi : le jeudi précédent à 23 h 59',
  },
};

export const FILE: HouseholdFile = {
  id: '00000000-0000-4000-8000-0000000000f1',
  name: 'Lefèvre',
  addressLine1: '',
  addressLine2: '',
  postalCode: '',
  city: '',
  email: '',
  phoneHome: '',
  phoneMobile: '',
  payerRank: 1,
  invoiceDelivery: 'papier',
  createdAt: '2026-01-05T09:00:00Z',
  updatedAt: '2026-01-05T09:00:00Z',
  guardians: [],
  children: [
    {
      id: '00000000-0000-4000-8000-0000000000c1',
      lastName: 'Lefèvre',
      firstName: 'Zoé',
      birthDate: '2018-03-14',
      school: '',
      classLevel: 'CE1',
      imageConsent: false,
    },
  ],
  pickupPersons: [],
  qfHistory: [],
  currentQf: null,
};

export const ENROLMENTS: OutputOf<'enrolment.list'> = {
  currentSchoolYear: '2026-2027',
  enrolments: [
    {
      id: '00000000-0000-4000-8000-0000000000e1',
      childId: FILE.children[0]!.id,
      childFirstName: 'Zoé',
      activityId: CANTEEN.id,
      activityName: CANTEEN.name,
      schoolYear: '2026-2027',
      siteId: SITE,
      siteName: 'Groupe scolaire Jean Jaurès',
      groupName: null,
      status: 'validated',
    },
  ],
  files: [{ schoolYear: '2026-2027', required: [], missing: [] }],
};

/** Meals up to Tuesday 8 December are past the families' deadline on the 4th; before today, closed. */
const LATE_UNTIL = '2026-12-08';
const price = (late: boolean) =>
  late
    ? {
        cents: 330,
        baseCents: 220,
        basis: 'QF 400–699',
        surcharge: { reason: 'ajout hors délai : +50 %', cents: 110 },
      }
    : { cents: 220, baseCents: 220, basis: 'QF 400–699' };

export function gridCells(from: string, to: string, booked: ReadonlySet<string> = new Set()): Cell[] {
  const cells: Cell[] = [];
  for (let d = from; d <= to; d = addDaysTo(d, 1)) {
    if (![1, 2, 4, 5].includes(isoWeekday(d))) continue;
    const base = { date: d, unitCode: 'meal', unitLabel: 'Repas' };
    if (booked.has(d)) {
      cells.push({
        ...base,
        state: 'booked',
        detail: 'réservé',
        modifiable: d > LATE_UNTIL,
        price: price(false),
        placesLeft: 170,
      });
    } else if (d < TODAY) {
      cells.push({
        ...base,
        state: 'closed',
        detail: 'jour passé',
        modifiable: false,
        price: null,
        placesLeft: null,
      });
    } else if (d <= LATE_UNTIL) {
      cells.push({
        ...base,
        state: 'late',
        detail: 'réservation close depuis le jeudi 3 décembre 2026 à 23 h 59 : hors délai, avec motif',
        modifiable: false,
        price: price(true),
        placesLeft: 3,
      });
    } else {
      cells.push({
        ...base,
        state: 'bookable',
        detail: 'réservable',
        modifiable: true,
        price: price(false),
        placesLeft: 170,
      });
    }
  }
  return cells;
}

/** booking.preview as the core answers a counter request: late days accepted with their surcharge. */
export function previewOf(input: InputOf<'booking.preview'>): Plan {
  const s = input.selection;
  const dates =
    s.kind === 'days'
      ? s.dates
      : s.kind === 'period'
        ? gridCells(s.from, s.to)
            .filter((c) => s.weekdays.includes(isoWeekday(c.date)))
            .map((c) => c.date)
        : [];
  const plan: Plan = { accepted: [], refused: [] };
  for (const date of dates) {
    if (date === '2026-12-25') {
      plan.refused.push({
        date,
        unitCode: 'meal',
        unitLabel: 'Repas',
        code: 'CLOSED',
        reason: 'jour férié : Noël',
      });
      continue;
    }
    const late = date <= LATE_UNTIL;
    plan.accepted.push({
      date,
      unitId: CANTEEN.units[0]!.id,
      unitCode: 'meal',
      unitLabel: 'Repas',
      late,
      deadline: '2026-12-03T22:59:59.999Z',
      price: price(late),
      placesLeft: 170,
    });
  }
  return plan;
}
