import type { InputOf } from '../../../core/contract.ts';

type Input = InputOf<'admin.saveActivity'>;
export type ActivityKind = Input['kind'];
export type Settings = Input['settings'];
export type UnitCode = Input['units'][number]['code'];

/** What a new activity of a kind starts from: units, settings and a group when the kind books by enrolment. */
export interface KindDefaults {
  settings: Settings;
  units: { code: UnitCode; label: string; weekdays: number[] }[];
  groups: { name: string; places: number | null }[];
}

const SCHOOL_DAYS = [1, 2, 4, 5];
const MONDAY_TO_FRIDAY = [1, 2, 3, 4, 5];

/** The canteen's weekday rule (the demo town's): Monday and Tuesday by the Thursday before, Thursday and Friday by Monday. */
const CANTEEN_DEADLINE = {
  kind: 'weekdayOfPreviousWeek',
  byWeekday: {
    '1': { weekday: 4, weeksBefore: 1 },
    '2': { weekday: 4, weeksBefore: 1 },
    '4': { weekday: 1, weeksBefore: 0 },
    '5': { weekday: 1, weeksBefore: 0 },
  },
} as const;

const base = {
  calendar: 'school',
  granularity: 'day',
  payment: 'monthly',
  lateAdd: null,
  unbookedPresence: null,
  lateCancellationBilled: true,
  unjustifiedAbsenceBilled: true,
  flatFee: false,
  wholeWeekOneSite: false,
} as const;

const both = <R extends Settings['bookingDeadline']>(rule: R) => ({
  bookingDeadline: rule,
  cancelDeadline: rule,
});

/**
 * Each kind's settings as the demo town runs it (core/demo/demo-town.ts, RULES.md's table): the renderer may not
 * import the core's values, so they are restated here, and a new « accueil du soir » starts like the town's
 * accueil périscolaire; the administrator changes only what differs.
 */
export const KIND_DEFAULTS: Record<ActivityKind, KindDefaults> = {
  canteen: {
    settings: {
      ...base,
      ...both(CANTEEN_DEADLINE),
      lateAdd: { kind: 'percent', percent: 50 },
      unbookedPresence: { kind: 'percent', percent: 50 },
    },
    units: [{ code: 'meal', label: 'Repas', weekdays: SCHOOL_DAYS }],
    groups: [],
  },
  care: {
    settings: {
      ...base,
      ...both({ kind: 'hoursBefore', hours: 48 }),
      lateAdd: { kind: 'price', byUnit: { morning: 400, evening: 1000 } },
      unbookedPresence: { kind: 'add', cents: 1000 },
    },
    units: [
      { code: 'morning', label: 'Matin', weekdays: SCHOOL_DAYS },
      { code: 'evening', label: 'Soir', weekdays: SCHOOL_DAYS },
    ],
    groups: [],
  },
  wednesday: {
    settings: {
      ...base,
      ...both({ kind: 'workingDaysBefore', days: 5 }),
      lateAdd: { kind: 'add', cents: 300 },
      unbookedPresence: { kind: 'add', cents: 1000 },
    },
    units: [{ code: 'day', label: 'Journée', weekdays: [3] }],
    groups: [],
  },
  holiday_centre: {
    settings: {
      ...base,
      ...both({ kind: 'beforePeriodStart', period: 'week', workingDays: 5 }),
      calendar: 'holidays',
      granularity: 'week',
      payment: 'atBooking',
      lateAdd: { kind: 'add', cents: 300 },
      wholeWeekOneSite: true,
      mealUnits: ['day'],
    },
    units: [{ code: 'day', label: 'Journée avec repas', weekdays: MONDAY_TO_FRIDAY }],
    groups: [],
  },
  study: {
    settings: {
      ...base,
      ...both({ kind: 'beforePeriodStart', period: 'month' }),
      granularity: 'month',
      flatFee: true,
    },
    units: [{ code: 'month', label: 'Mois', weekdays: SCHOOL_DAYS }],
    groups: [],
  },
  class_trip: {
    settings: {
      ...base,
      ...both({ kind: 'none' }),
      calendar: 'none',
      granularity: 'enrolment',
      lateCancellationBilled: false,
      unjustifiedAbsenceBilled: false,
    },
    units: [{ code: 'meal', label: 'Repas', weekdays: MONDAY_TO_FRIDAY }],
    groups: [{ name: '', places: null }],
  },
  sports_school: {
    settings: {
      ...base,
      ...both({ kind: 'none' }),
      calendar: 'none',
      granularity: 'enrolment',
      payment: 'atBooking',
      lateCancellationBilled: false,
      unjustifiedAbsenceBilled: false,
      flatFee: true,
    },
    units: [{ code: 'day', label: 'Séance', weekdays: [3] }],
    groups: [{ name: '', places: null }],
  },
};

/**
 * The code an activity is stored and exported under, proposed from its name: « Stage multisport d’été » →
 * « stage-multisport-d-ete » (lower-case letters, digits and dashes, 30 characters at most, as the core asks).
 */
export function codeFromName(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+/, '')
    .slice(0, 30)
    .replace(/-+$/, '');
}
