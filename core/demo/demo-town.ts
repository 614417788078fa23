import type { InputOf, OperationName, OutputOf } from '../contract.ts';
import { DEMO_DEADLINES } from '../calendar/demo-deadlines.ts';
import { DEMO_SCHOOL_CALENDAR_CSV } from './demo-school-calendar.ts';
import type { TariffData } from '../pricing/tariff.ts';
import type { ActivitySettings } from '../activities/settings.ts';

type Call = <N extends OperationName>(name: N, input: InputOf<N>) => Promise<OutputOf<N>>;

/** QF brackets of the demo town (inclusive bounds): 0–399, 400–699, 700–999, 1000–1499, ≥ 1500. */
const brackets = (...cents: [number, number, number, number, number]): TariffData => ({
  mode: 'brackets',
  brackets: [
    { min: 0, max: 399, cents: cents[0] },
    { min: 400, max: 699, cents: cents[1] },
    { min: 700, max: 999, cents: cents[2] },
    { min: 1000, max: 1499, cents: cents[3] },
    { min: 1500, max: null, cents: cents[4] },
  ],
  noQf: cents[4],
});

const SCHOOL_DAYS = [1, 2, 4, 5];
const billed = { lateCancellationBilled: true, unjustifiedAbsenceBilled: true };

/**
 * The demo town configured exactly as RULES.md's table, through the administrator's commands, so a town's own
 * set-up goes through the same door. Returns the ids the seed and the tests refer to.
 */
export async function installDemoActivities(call: Call) {
  await call('admin.setTownCalendar', { townName: 'Ville de Belleval', zone: 'B', alsaceMoselle: false });
  await call('admin.importSchoolCalendar', { fileText: DEMO_SCHOOL_CALENDAR_CSV, area: 'Orléans-Tours' });
  const site = async (name: string, address: string) =>
    (await call('admin.saveSite', { name, address })).siteId;
  const jaures = await site('Groupe scolaire Jean Jaurès', '2 rue de l’École, 45100 Belleval');
  const curie = await site('École Marie Curie', '15 avenue des Lilas, 45100 Belleval');
  const tilleuls = await site('Centre de loisirs Les Tilleuls', '8 chemin des Tilleuls, 45100 Belleval');
  const parc = await site('Centre de loisirs du Parc', '1 allée du Parc, 45100 Belleval');

  const activity = async (
    code: string,
    name: string,
    kind: InputOf<'admin.saveActivity'>['kind'],
    settings: ActivitySettings,
    units: {
      code: InputOf<'admin.saveActivity'>['units'][number]['code'];
      label: string;
      weekdays: number[];
      places?: number;
      tariff: TariffData;
    }[],
    siteIds: string[],
    groups: { name: string; places: number | null }[] = [],
  ) => {
    const sort = ++order;
    const { activityId, unitIds } = await call('admin.saveActivity', {
      code,
      name,
      kind,
      sort,
      settings,
      units: units.map(({ code: c, label, weekdays }) => ({ code: c, label, weekdays })),
      siteIds,
      groups,
    });
    for (const u of units) {
      await call('admin.saveTariff', {
        activityId,
        unitCode: u.code,
        validFrom: '2025-09-01',
        data: u.tariff,
      });
      if (u.places !== undefined) {
        for (const siteId of siteIds)
          await call('admin.setCapacity', { siteId, unitId: unitIds[u.code] as string, places: u.places });
      }
    }
    return { activityId, unitIds };
  };
  let order = 0;

  const canteen = await activity(
    'cantine',
    'Restauration scolaire',
    'canteen',
    {
      calendar: 'school',
      granularity: 'day',
      bookingDeadline: DEMO_DEADLINES.canteen,
      cancelDeadline: DEMO_DEADLINES.canteen,
      payment: 'monthly',
      lateAdd: { kind: 'percent', percent: 50 },
      unbookedPresence: { kind: 'percent', percent: 50 },
      ...billed,
      flatFee: false,
      wholeWeekOneSite: false,
    },
    [
      {
        code: 'meal',
        label: 'Repas',
        weekdays: SCHOOL_DAYS,
        places: 180,
        tariff: brackets(100, 220, 330, 410, 480),
      },
    ],
    [jaures, curie],
  );
  const care = await activity(
    'periscolaire',
    'Accueil périscolaire',
    'care',
    {
      calendar: 'school',
      granularity: 'day',
      bookingDeadline: DEMO_DEADLINES.beforeAfterSchoolCare,
      cancelDeadline: DEMO_DEADLINES.beforeAfterSchoolCare,
      payment: 'monthly',
      lateAdd: { kind: 'price', byUnit: { morning: 400, evening: 1000 } },
      unbookedPresence: { kind: 'add', cents: 1000 },
      ...billed,
      flatFee: false,
      wholeWeekOneSite: false,
    },
    [
      {
        code: 'morning',
        label: 'Matin',
        weekdays: SCHOOL_DAYS,
        places: 40,
        tariff: brackets(90, 130, 170, 210, 250),
      },
      {
        code: 'evening',
        label: 'Soir',
        weekdays: SCHOOL_DAYS,
        places: 60,
        tariff: brackets(140, 210, 280, 350, 420),
      },
    ],
    [jaures, curie],
  );
  const wednesday = await activity(
    'mercredis',
    'Mercredis récréatifs',
    'wednesday',
    {
      calendar: 'school',
      granularity: 'day',
      bookingDeadline: DEMO_DEADLINES.wednesdays,
      cancelDeadline: DEMO_DEADLINES.wednesdays,
      payment: 'monthly',
      lateAdd: { kind: 'add', cents: 300 },
      unbookedPresence: { kind: 'add', cents: 1000 },
      ...billed,
      flatFee: false,
      wholeWeekOneSite: false,
    },
    [
      {
        code: 'day',
        label: 'Journée',
        weekdays: [3],
        places: 48,
        tariff: brackets(500, 800, 1100, 1400, 1700),
      },
    ],
    [tilleuls, parc],
  );
  const holidays = await activity(
    'alsh-vacances',
    'Accueil de loisirs (vacances)',
    'holiday_centre',
    {
      calendar: 'holidays',
      granularity: 'week',
      bookingDeadline: DEMO_DEADLINES.holidayCentre,
      cancelDeadline: DEMO_DEADLINES.holidayCentre,
      payment: 'atBooking',
      lateAdd: { kind: 'add', cents: 300 },
      unbookedPresence: null,
      ...billed,
      flatFee: false,
      wholeWeekOneSite: true,
    },
    [
      {
        code: 'day',
        label: 'Journée avec repas',
        weekdays: [1, 2, 3, 4, 5],
        places: 60,
        tariff: brackets(600, 900, 1200, 1500, 1800),
      },
    ],
    [tilleuls, parc],
  );
  const study = await activity(
    'etude',
    'Étude surveillée',
    'study',
    {
      calendar: 'school',
      granularity: 'month',
      bookingDeadline: DEMO_DEADLINES.study,
      cancelDeadline: DEMO_DEADLINES.study,
      payment: 'monthly',
      lateAdd: null,
      unbookedPresence: null,
      lateCancellationBilled: true,
      unjustifiedAbsenceBilled: true,
      flatFee: true,
      wholeWeekOneSite: false,
    },
    [
      {
        code: 'month',
        label: 'Mois',
        weekdays: SCHOOL_DAYS,
        places: 25,
        tariff: brackets(1500, 2000, 2500, 3000, 3500),
      },
    ],
    [jaures, curie],
  );
  const classTrip = await activity(
    'classe-decouverte',
    'Classe de découverte',
    'class_trip',
    {
      calendar: 'none',
      granularity: 'enrolment',
      bookingDeadline: DEMO_DEADLINES.classTrip,
      cancelDeadline: DEMO_DEADLINES.classTrip,
      payment: 'monthly',
      lateAdd: null,
      unbookedPresence: null,
      lateCancellationBilled: false,
      unjustifiedAbsenceBilled: false,
      flatFee: false,
      wholeWeekOneSite: false,
    },
    [{ code: 'meal', label: 'Repas', weekdays: [1, 2, 3, 4, 5], tariff: brackets(100, 220, 330, 410, 480) }],
    [jaures, curie],
    [{ name: 'CM2 — classe de neige, 8 au 12 mars 2027', places: 28 }],
  );
  const sports = await activity(
    'ecole-sports',
    'École municipale des sports',
    'sports_school',
    {
      calendar: 'none',
      granularity: 'enrolment',
      bookingDeadline: DEMO_DEADLINES.sportsSchool,
      cancelDeadline: DEMO_DEADLINES.sportsSchool,
      payment: 'atBooking',
      lateAdd: null,
      unbookedPresence: null,
      lateCancellationBilled: false,
      unjustifiedAbsenceBilled: false,
      flatFee: true,
      wholeWeekOneSite: false,
    },
    [{ code: 'day', label: 'Séance', weekdays: [3], tariff: { mode: 'flat', cents: 6000 } }],
    [parc],
    [
      { name: 'Multisport 6–8 ans (mercredi 10 h)', places: 20 },
      { name: 'Natation 8–10 ans (mercredi 14 h)', places: 16 },
    ],
  );
  await call('admin.addClosure', {
    siteId: null,
    firstDay: '2027-05-07',
    lastDay: '2027-05-07',
    label: 'pont de l’Ascension',
  });
  return {
    sites: { jaures, curie, tilleuls, parc },
    canteen,
    care,
    wednesday,
    holidays,
    study,
    classTrip,
    sports,
  };
}
export type DemoActivities = Awaited<ReturnType<typeof installDemoActivities>>;
