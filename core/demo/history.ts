import type { Kysely } from 'kysely';
import type { DemoActivities } from './demo-town.ts';
import { lastDayOf, nextMonth } from '../billing/format.ts';
import {
  addDaysTo,
  eachLocalDate,
  isoWeekday,
  wallClockInstant,
  weekStartOf,
  type LocalDate,
} from '../calendar/local-date.ts';
import { loadSchoolCalendar } from '../calendar/school-calendar.ts';
import type { TownTimeZone } from '../calendar/time-zones.ts';
import { addWorkingDays, isWorkingDay, subtractWorkingDays } from '../calendar/working-days.ts';
import type { Database } from '../db/schema.ts';
import { DENOMINATIONS } from '../payments/modes.ts';
import type { Call } from './call.ts';
import type { DemoClock } from './clock.ts';
import type { DemoHousehold } from './generate.ts';
import { completeFile, isPupil, schoolSite } from './install.ts';
import { NEIGHBOUR_COMMUNES } from './names.ts';
import { createRng, type Rng } from './random.ts';

/**
 * The past of the demo town's school year, played day by day through the contract (see town.ts). Every choice
 * (who eats at the canteen on which days, who is ill when, who pays how and when) comes from a generator seeded with
 * the town's seed, drawn in a fixed order: the same seed and today give the same history.
 */

export interface HistoryAgents {
  accueil: Call;
  regie: Call;
  alsh: Call;
  /**
   * What families do online (bookings, cancellations, requests, online payments) reaches a counter through the
   * central server; the demo has none, so the administrator's session records it, with the portal as origin.
   */
  portal: Call;
}

export interface HistoryInput {
  agents: HistoryAgents;
  /** Read only: the school calendar, to know the holiday weeks of the holiday centre. */
  db: Kysely<Database>;
  clock: DemoClock;
  zone: TownTimeZone;
  /** The day the town is set up, the week before its past starts: files completed, enrolments, bookings. */
  setupDay: LocalDate;
  /** The first day of the past: the start of term, or a later month (town.ts, DEMO_PAST_MONTHS). */
  pastStart: LocalDate;
  schoolYear: string;
  /** The core's today: the history stops the evening before. */
  today: LocalDate;
  demo: DemoActivities;
  /** The families with a past. */
  households: { householdId: string; input: DemoHousehold }[];
  seed: number;
}

export interface HistorySummary {
  pupils: number;
  days: number;
  monthlyRuns: number;
  invoices: number;
  payments: number;
  creditNotes: number;
  tills: number;
  depositSlips: number;
  attendanceMarks: number;
  requests: number;
}

type Service = 'meal' | 'morning' | 'evening' | 'wednesday';
type PaymentMode = 'cash' | 'cheque' | 'card' | 'ancv' | 'cesu' | 'online';

interface Pupil {
  childId: string;
  householdId: string;
  firstName: string;
  classLevel: string;
  /** Canteen and before/after-school care. */
  siteId: string;
  /** Wednesdays and the holiday centre. */
  centreId: string;
  booked: Record<Service, Set<LocalDate>>;
  /** Days an absence, a cancellation or an extra day is already planned on: one story per day. */
  taken: Set<LocalDate>;
}

interface Family {
  householdId: string;
  input: DemoHousehold;
  pupils: Pupil[];
  habit: PaymentMode;
  /** Leaves most of its invoices unpaid: the same few families every month, as the unpaid list shows in a town. */
  defaulter: boolean;
}

/** A pupil of another commune's school eats and stays there: Belleval's services take only its own schools' pupils. */
const OTHER_TOWNS_SCHOOLS = new Set(NEIGHBOUR_COMMUNES.map((c) => c.school));

/** The hour each sheet is marked: morning care after the bell, the canteen after lunch, evening care at closing. */
const MARK_TIME: Record<Service, [number, number]> = {
  morning: [8, 50],
  meal: [13, 40],
  evening: [18, 40],
  wednesday: [17, 20],
};

const BANKS = [
  'Crédit Agricole Centre Loire',
  'La Banque Postale',
  'BNP Paribas',
  'Société Générale',
  'Caisse d’Épargne Loire-Centre',
  'LCL',
  'CIC Ouest',
  'Crédit Mutuel',
];

/** Who families ask the centre to let pick their children up. */
const PICKUP_PEOPLE = [
  ['Monique', 'grand-mère'],
  ['Françoise', 'grand-mère'],
  ['Gérard', 'grand-père'],
  ['Nathalie', 'tante'],
  ['Karima', 'tante'],
  ['Sylvie', 'voisine'],
] as const;

const CREDIT_REASONS = [
  'Absence justifiée : certificat médical remis après la facturation',
  'Repas non servi : sortie scolaire avec pique-nique fourni par l’école',
  'Erreur de pointage signalée par l’équipe d’animation',
];

/** A day's work, at its hour; a job may take a while (a family at the counter), the next one then waits. */
interface Entry {
  seconds: number;
  seq: number;
  job: () => Promise<void>;
}

interface Agenda {
  /** Schedules `job` at `hours:minutes` on `date`; what falls on today or later never happens. */
  at(date: LocalDate, hours: number, minutes: number, job: () => Promise<void>): void;
  /** Plays every day from `from` to the eve of today, each day's jobs in the order of their hour. */
  play(from: LocalDate): Promise<number>;
  /** The counter's minutes: the clock moves on while the agent serves a family. */
  pass(seconds: number): void;
}

/** Today belongs to whoever opens the demo: nothing is scheduled on `until` or after. */
function createAgenda(clock: DemoClock, zone: TownTimeZone, until: LocalDate): Agenda {
  const days = new Map<LocalDate, Entry[]>();
  let seq = 0;
  let playing: LocalDate | null = null;
  return {
    at(date, hours, minutes, job) {
      if (date >= until) return;
      if (playing && date < playing)
        throw new Error(`Démonstration : tâche prévue le ${date}, jour déjà passé (${playing}).`);
      const list = days.get(date) ?? [];
      list.push({ seconds: hours * 3600 + minutes * 60, seq: seq++, job });
      days.set(date, list);
    },
    async play(from) {
      let played = 0;
      for (const date of eachLocalDate(from, addDaysTo(until, -1))) {
        playing = date;
        const list = days.get(date) ?? [];
        while (list.length) {
          // A job may add work for later the same day (the month's run schedules its first payments).
          list.sort((a, b) => a.seconds - b.seconds || a.seq - b.seq);
          const entry = list.shift() as Entry;
          const at = wallClockInstant(
            date,
            zone,
            Math.floor(entry.seconds / 3600),
            Math.floor(entry.seconds / 60) % 60,
            entry.seconds % 60,
          );
          // A job that took long (a queue at the counter) delays the next one: the clock never goes back.
          clock.set(at > clock.now() ? at : clock.now());
          try {
            await entry.job();
          } catch (error) {
            throw new Error(
              `${(error as Error).message} (journée du ${date}, ${clock.now().toISOString()})`,
              {
                cause: error,
              },
            );
          }
        }
        days.delete(date);
        played++;
      }
      return played;
    },
    pass(seconds) {
      clock.set(new Date(clock.now().getTime() + seconds * 1000));
    },
  };
}

export async function playSchoolYear(input: HistoryInput): Promise<HistorySummary> {
  const { agents, clock, zone, setupDay, pastStart, schoolYear, today, demo } = input;
  // Its own stream, apart from the households': changing the history leaves the town's people as they were.
  const rng = createRng(input.seed * 7919 + 17);
  const agenda = createAgenda(clock, zone, today);
  const summary: HistorySummary = {
    pupils: 0,
    days: 0,
    monthlyRuns: 0,
    invoices: 0,
    payments: 0,
    creditNotes: 0,
    tills: 0,
    depositSlips: 0,
    attendanceMarks: 0,
    requests: 0,
  };
  const instant = (date: LocalDate, hours: number, minutes: number, seconds = 0) =>
    wallClockInstant(date, zone, hours, minutes, seconds);
  const past = (date: LocalDate) => date < today;
  const inDays = (from: LocalDate, to: LocalDate) => (from <= to ? eachLocalDate(from, to) : []);
  const workingDays = (from: LocalDate, to: LocalDate) => inDays(from, to).filter((d) => isWorkingDay(d));
  // Families have booked the coming four weeks, so the grids and the sheets ahead are filled.
  const bookUntil = addDaysTo(today > pastStart ? today : pastStart, 28);

  // ── Set-up week: the counter completes the files and enrols; in the evening, families book online. ──
  clock.set(instant(setupDay, 9, 0));
  const families: Family[] = [];
  for (const { householdId, input: household } of input.households) {
    await completeFile(agents.accueil, householdId, schoolYear);
    const file = await agents.accueil('family.get', { householdId });
    const pupils: Pupil[] = [];
    for (const child of file.children.filter((c) => isPupil(c) && !OTHER_TOWNS_SCHOOLS.has(c.school))) {
      const siteId = schoolSite(demo, child.school);
      const pupil: Pupil = {
        childId: child.id,
        householdId,
        firstName: child.firstName,
        classLevel: child.classLevel,
        siteId,
        centreId: siteId === demo.sites.curie ? demo.sites.parc : demo.sites.tilleuls,
        booked: { meal: new Set(), morning: new Set(), evening: new Set(), wednesday: new Set() },
        taken: new Set(),
      };
      for (const activity of [demo.canteen, demo.care])
        await agents.accueil('enrolment.enrol', {
          childId: child.id,
          activityId: activity.activityId,
          schoolYear,
          siteId,
        });
      pupils.push(pupil);
    }
    families.push({
      householdId,
      input: household,
      pupils,
      habit: habitOf(rng),
      defaulter: rng.chance(0.08),
    });
    clock.set(new Date(clock.now().getTime() + 40_000));
  }
  const pupils = families.flatMap((f) => f.pupils);
  summary.pupils = pupils.length;

  clock.set(instant(setupDay, 18, 0));
  const elementary = new Set(['CP', 'CE1', 'CE2', 'CM1', 'CM2']);
  const bookPeriod = async (
    pupil: Pupil,
    service: Service,
    activityId: string,
    siteId: string,
    unitCode: 'meal' | 'morning' | 'evening' | 'day',
    weekdays: number[],
  ) => {
    const r = await agents.portal('booking.book', {
      childId: pupil.childId,
      activityId,
      siteId,
      unitCodes: [unitCode],
      selection: { kind: 'period', from: pastStart, to: bookUntil, weekdays },
      origin: 'portal',
    });
    for (const d of r.accepted) pupil.booked[service].add(d.date);
    clock.set(new Date(clock.now().getTime() + 20_000));
  };
  for (const pupil of pupils) {
    if (rng.chance(0.72)) {
      const days = schoolWeek(rng);
      await bookPeriod(pupil, 'meal', demo.canteen.activityId, pupil.siteId, 'meal', days);
    }
    if (rng.chance(0.1))
      await bookPeriod(pupil, 'morning', demo.care.activityId, pupil.siteId, 'morning', schoolWeek(rng));
    if (rng.chance(0.2))
      await bookPeriod(pupil, 'evening', demo.care.activityId, pupil.siteId, 'evening', schoolWeek(rng));
    if (rng.chance(0.14)) {
      await agents.portal('enrolment.enrol', {
        childId: pupil.childId,
        activityId: demo.wednesday.activityId,
        schoolYear,
        siteId: pupil.centreId,
      });
      await bookPeriod(pupil, 'wednesday', demo.wednesday.activityId, pupil.centreId, 'day', [3]);
    }
    if (elementary.has(pupil.classLevel) && rng.chance(0.12)) {
      await agents.portal('enrolment.enrol', {
        childId: pupil.childId,
        activityId: demo.study.activityId,
        schoolYear,
        siteId: pupil.siteId,
      });
      for (let month = pastStart.slice(0, 7); month <= bookUntil.slice(0, 7); month = nextMonth(month))
        await agents.portal('booking.book', {
          childId: pupil.childId,
          activityId: demo.study.activityId,
          siteId: pupil.siteId,
          unitCodes: ['month'],
          selection: { kind: 'month', month },
          origin: 'portal',
        });
    }
  }

  // The days the canteen (and care) ran at each site: every day some pupil of that site was booked.
  const schoolDaysAt = new Map<string, LocalDate[]>();
  for (const siteId of [demo.sites.jaures, demo.sites.curie]) {
    const days = new Set<LocalDate>();
    for (const p of pupils) if (p.siteId === siteId) for (const d of p.booked.meal) days.add(d);
    schoolDaysAt.set(siteId, [...days].sort());
  }

  const activityOf: Record<
    Service,
    { activityId: string; unitCode: 'meal' | 'morning' | 'evening' | 'day' }
  > = {
    meal: { activityId: demo.canteen.activityId, unitCode: 'meal' },
    morning: { activityId: demo.care.activityId, unitCode: 'morning' },
    evening: { activityId: demo.care.activityId, unitCode: 'evening' },
    wednesday: { activityId: demo.wednesday.activityId, unitCode: 'day' },
  };
  const siteFor = (p: Pupil, s: Service) => (s === 'wednesday' ? p.centreId : p.siteId);
  const mark = (
    p: Pupil,
    service: Service,
    date: LocalDate,
    status: 'present' | 'absent_justified' | 'absent_unjustified',
  ) => {
    const [h, m] = MARK_TIME[service];
    agenda.at(date, h, m, async () => {
      await agents.alsh('attendance.mark', {
        childId: p.childId,
        activityId: activityOf[service].activityId,
        siteId: siteFor(p, service),
        unitCode: activityOf[service].unitCode,
        date,
        status,
      });
      summary.attendanceMarks++;
    });
  };
  const servicesOn = (p: Pupil, dates: LocalDate[]) =>
    (Object.keys(p.booked) as Service[])
      .map((s) => ({ service: s, dates: dates.filter((d) => p.booked[s].has(d)) }))
      .filter((x) => x.dates.length > 0);

  // ── Absences, cancellations, extra days: a few stories per pupil over the term. ──
  const earliestStory = addDaysTo(setupDay, 12);
  for (const p of pupils) {
    const all = [...new Set(Object.values(p.booked).flatMap((s) => [...s]))].sort();
    const episodes = rng.weighted([
      [0, 30],
      [1, 35],
      [2, 22],
      [3, 13],
    ] as const);
    for (let e = 0; e < episodes; e++) {
      const free = all.filter((d) => d >= earliestStory && d < addDaysTo(today, 14) && !p.taken.has(d));
      if (free.length === 0) break;
      const start = rng.pick(free);
      const length = rng.weighted([
        [1, 50],
        [2, 25],
        [3, 15],
        [4, 10],
      ] as const);
      const dates: LocalDate[] = [];
      for (const d of all.slice(all.indexOf(start))) {
        if (dates.length === length || p.taken.has(d)) break;
        dates.push(d);
      }
      for (const d of dates) p.taken.add(d);
      const kind = rng.weighted([
        ['cancelled', 40],
        ['justified', 28],
        ['unjustified', 14],
        ['lateCancelled', 18],
      ] as const);
      const first = dates[0] as LocalDate;
      if (kind === 'cancelled' || kind === 'lateCancelled') {
        const late = kind === 'lateCancelled';
        const day = late ? subtractWorkingDays(first, 1) : addDaysTo(first, -10);
        const [h, m] = late ? [10, rng.int(0, 50)] : [20, rng.int(0, 50)];
        agenda.at(day, h, m, async () => {
          for (const { service, dates: booked } of servicesOn(p, dates))
            await (late ? agents.accueil : agents.portal)('booking.cancel', {
              childId: p.childId,
              activityId: activityOf[service].activityId,
              siteId: siteFor(p, service),
              unitCodes: [activityOf[service].unitCode],
              selection: { kind: 'days', dates: booked },
              origin: late ? 'counter' : 'portal',
              overrideReason: late ? 'Annulation demandée par téléphone après le délai' : null,
            });
        });
      } else {
        const status = kind === 'justified' ? 'absent_justified' : 'absent_unjustified';
        for (const { service, dates: booked } of servicesOn(p, dates))
          for (const d of booked) if (past(d)) mark(p, service, d, status);
      }
    }
    // A pupil at the canteen without a booking (billed with the surcharge), or kept at evening care unbooked.
    const days = schoolDaysAt.get(p.siteId) ?? [];
    const unbookedDay = (service: Service) => {
      const free = days.filter((d) => past(d) && !p.booked[service].has(d) && !p.taken.has(d));
      if (free.length === 0) return null;
      const d = rng.pick(free);
      p.taken.add(d);
      return d;
    };
    if (p.booked.meal.size > 0 && rng.chance(0.25)) {
      const d = unbookedDay('meal');
      if (d) mark(p, 'meal', d, 'present');
    }
    if (rng.chance(0.08)) {
      const d = unbookedDay('evening');
      if (d) mark(p, 'evening', d, 'present');
    }
    // A meal added at the counter after the families' deadline: booked late, at the late rate.
    if (rng.chance(0.07)) {
      const d = unbookedDay('meal');
      if (d && d > addDaysTo(setupDay, 3)) {
        const before = subtractWorkingDays(d, 1);
        agenda.at(before, 11, rng.int(0, 50), async () => {
          await agents.accueil('booking.book', {
            childId: p.childId,
            activityId: demo.canteen.activityId,
            siteId: p.siteId,
            unitCodes: ['meal'],
            selection: { kind: 'days', dates: [d] },
            origin: 'counter',
            overrideReason: 'Ajout demandé par la famille au guichet, hors délai',
          });
        });
      }
    }
  }

  // Staff note the absences and the presences without booking every day (an unmarked booked day is billed as
  // booked); the last two school days' sheets were also marked in full, child by child, as a finished sheet looks.
  const lastSchoolDays = [...new Set(pupils.flatMap((p) => [...p.booked.meal].filter(past)))]
    .sort()
    .slice(-2);
  for (const p of pupils)
    for (const service of Object.keys(p.booked) as Service[])
      for (const d of lastSchoolDays)
        if (p.booked[service].has(d) && !p.taken.has(d)) mark(p, service, d, 'present');

  // ── Payments: how a family pays, at the counter or online. ──
  const payerOf = (f: Family) => {
    const g = f.input.guardians[(f.input.payerRank ?? 1) - 1] ?? f.input.guardians[0];
    return g ? `${g.civility} ${g.firstName} ${g.lastName}` : f.input.name;
  };
  const digits = (n: number) => Array.from({ length: n }, () => rng.int(0, 9)).join('');
  const counterAgent = () => (rng.chance(0.85) ? agents.accueil : agents.regie);

  /**
   * One visit (or one online payment) for `amountCents` on `invoiceId`. Vouchers do not give change: the rest of
   * the amount is paid in cash, as at a real counter.
   */
  const pay = async (
    f: Family,
    modeWanted: PaymentMode,
    amountCents: number,
    invoiceId: string,
    who: Call,
  ) => {
    let mode = modeWanted;
    if (mode === 'cash' && amountCents >= 30_000) mode = 'card';
    const voucherFace = mode === 'ancv' ? (amountCents >= 2000 ? 2000 : 1000) : mode === 'cesu' ? 1500 : 0;
    if (voucherFace && amountCents < voucherFace) mode = 'cash';
    const base = { householdId: f.householdId };
    const allocate = (cents: number) => [{ invoiceId, amountCents: cents }];
    if (mode === 'ancv' || mode === 'cesu') {
      const count = Math.floor(amountCents / voucherFace);
      const paid = count * voucherFace;
      await who('payment.record', {
        ...base,
        mode,
        amountCents: paid,
        vouchers: [{ faceValueCents: voucherFace, count }],
        allocations: allocate(paid),
      });
      summary.payments++;
      if (paid < amountCents) {
        agenda.pass(40);
        await who('payment.record', {
          ...base,
          mode: 'cash',
          amountCents: amountCents - paid,
          note: 'Complément des titres remis',
          allocations: allocate(amountCents - paid),
        });
        summary.payments++;
      }
      return;
    }
    const details =
      mode === 'cheque'
        ? {
            cheque: {
              number: digits(7),
              bank: rng.pick(BANKS),
              drawer: payerOf(f),
              payeeChecked: true as const,
            },
          }
        : mode === 'card'
          ? { card: { authorisation: `${digits(6)}`, last4: digits(4) } }
          : mode === 'online'
            ? { online: { reference: `PAYFIP-${clock.now().getTime().toString(36).toUpperCase()}` } }
            : {};
    await (mode === 'online' ? agents.portal : who)('payment.record', {
      ...base,
      mode,
      amountCents,
      ...details,
      allocations: allocate(amountCents),
    });
    summary.payments++;
  };
  const remainingOn = async (householdId: string, invoiceId: string) => {
    const balance = await agents.accueil('payment.familyBalance', { householdId });
    return balance.openInvoices.find((i) => i.invoiceId === invoiceId)?.remainingCents ?? 0;
  };
  /** A payment on a day: at the counter in opening hours, online in the evening (weekends too). */
  const schedulePayment = (f: Family, mode: PaymentMode, invoiceId: string, day: LocalDate, part: number) => {
    const online = mode === 'online';
    const [h, m] = online ? [rng.int(19, 22), rng.int(0, 59)] : [rng.int(8, 16), rng.int(35, 59)];
    const who = counterAgent();
    agenda.at(day, h, m, async () => {
      const left = await remainingOn(f.householdId, invoiceId);
      const amount = part >= 1 ? left : Math.floor((left * part) / 100) * 100;
      if (amount <= 0) return;
      await pay(f, mode, amount, invoiceId, who);
    });
  };
  const dayBetween = (from: LocalDate, to: LocalDate, online: boolean): LocalDate | null => {
    const days = online ? inDays(from, to) : workingDays(from, to);
    return days.length ? rng.pick(days) : null;
  };

  // ── The month's run, early the next month, then the families pay (or not). ──
  const familyOf = new Map(families.map((f) => [f.householdId, f]));
  for (let month = pastStart.slice(0, 7); month < today.slice(0, 7); month = nextMonth(month)) {
    const runDay = addWorkingDays(lastDayOf(month), 2);
    agenda.at(runDay, 8, 5, async () => {
      const run = await agents.regie('billing.runMonth', { month, issueDate: runDay });
      summary.monthlyRuns++;
      summary.invoices += run.invoices;
      const issued: { invoiceId: string; number: string; householdId: string }[] = [];
      for (const f of families) {
        const { invoices } = await agents.regie('billing.listInvoices', { householdId: f.householdId });
        for (const i of invoices)
          if (i.kind === 'monthly' && i.periodMonth === month)
            issued.push({ invoiceId: i.id, number: i.number, householdId: f.householdId });
      }
      issued.sort((a, b) => a.number.localeCompare(b.number));
      const due = run.dueDate;
      for (const invoice of issued) {
        const f = familyOf.get(invoice.householdId) as Family;
        // Part of the amount is paid at the counter (never online: the portal takes the invoice whole).
        const habit = rng.chance(0.8) ? f.habit : rng.pick(['card', 'cheque', 'cash'] as const);
        const behaviour = rng.weighted(
          f.defaulter
            ? ([
                ['never', 70],
                ['partial', 20],
                ['late', 10],
              ] as const)
            : ([
                ['onTime', 80],
                ['partial', 6],
                ['late', 12],
                ['never', 2],
              ] as const),
        );
        const mode = behaviour === 'partial' && habit === 'online' ? 'card' : habit;
        const online = mode === 'online';
        const early = dayBetween(addDaysTo(runDay, 1), addDaysTo(due, -1), online);
        const late = dayBetween(addDaysTo(due, 1), addDaysTo(due, 25), online);
        if (behaviour === 'onTime' && early) schedulePayment(f, mode, invoice.invoiceId, early, 1);
        if (behaviour === 'late' && late) schedulePayment(f, mode, invoice.invoiceId, late, 1);
        if (behaviour === 'partial' && early) {
          schedulePayment(f, mode, invoice.invoiceId, early, 0.5);
          if (late && rng.chance(0.4)) schedulePayment(f, mode, invoice.invoiceId, late, 1);
        }
      }
      // A few corrections once the families have read their invoices.
      for (const invoice of pickSome(rng, issued, 3)) {
        const day = addWorkingDays(runDay, rng.int(2, 8));
        const reason = rng.pick(CREDIT_REASONS);
        agenda.at(day, 15, rng.int(0, 50), async () => {
          const detail = await agents.regie('billing.getInvoice', { invoiceId: invoice.invoiceId });
          const line = detail.groups
            .flatMap((g) => g.lines)
            .find((l) => l.kind === 'booked' && l.services.length > 0 && l.creditedCents === 0);
          if (!line) return;
          await agents.regie('billing.creditNote', {
            invoiceId: invoice.invoiceId,
            reason,
            lines: [
              {
                invoiceLineId: line.id,
                amountCents: line.unitPriceCents,
                bookingId: line.services[0]?.bookingId ?? null,
              },
            ],
          });
          summary.creditNotes++;
        });
      }
    });
  }

  // ── Paid at booking: the holiday centre's weeks and the sports school, at the counter. ──
  const calendar = await loadSchoolCalendar(input.db);
  const holidayWeeks = calendar.holidays
    .filter((h) => h.schoolYear === schoolYear && h.lastDay !== null)
    .flatMap((h) => {
      const weeks: LocalDate[] = [];
      for (let monday = weekStartOf(addDaysTo(h.firstDay, 2)); ; monday = addDaysTo(monday, 7)) {
        if (monday < h.firstDay) continue;
        if (addDaysTo(monday, 4) > (h.lastDay as LocalDate)) break;
        weeks.push(monday);
      }
      return weeks;
    })
    .filter((monday) => monday > addDaysTo(setupDay, 21) && monday <= addDaysTo(today, 30));
  const holidayEnrolled = new Set<string>();
  const payAtCounter = async (f: Family, invoice: { invoiceId: string; totalCents: number } | null) => {
    if (!invoice) return;
    agenda.pass(90);
    const mode = rng.weighted([
      ['ancv', 40],
      ['cesu', 15],
      ['card', 30],
      ['cheque', 15],
    ] as const);
    await pay(f, mode, invoice.totalCents, invoice.invoiceId, agents.accueil);
  };
  for (const monday of holidayWeeks) {
    for (const p of pickSome(rng, pupils, rng.int(6, 10))) {
      const day = subtractWorkingDays(monday, rng.int(7, 15));
      if (day <= setupDay) continue;
      const f = familyOf.get(p.householdId) as Family;
      agenda.at(day, rng.int(9, 15), rng.int(0, 59), async () => {
        if (!holidayEnrolled.has(p.childId)) {
          await agents.accueil('enrolment.enrol', {
            childId: p.childId,
            activityId: demo.holidays.activityId,
            schoolYear,
            siteId: p.centreId,
          });
          holidayEnrolled.add(p.childId);
        }
        agenda.pass(60);
        const booked = await agents.accueil('booking.book', {
          childId: p.childId,
          activityId: demo.holidays.activityId,
          siteId: p.centreId,
          unitCodes: ['day'],
          selection: { kind: 'week', weekStart: monday },
          origin: 'counter',
        });
        await payAtCounter(f, booked.invoice);
      });
    }
  }
  const sports = (await agents.accueil('activities.list', {})).find((a) => a.id === demo.sports.activityId);
  const sportsPupils = pickSome(
    rng,
    pupils.filter((p) => elementary.has(p.classLevel)),
    8,
  );
  for (const p of sportsPupils) {
    const day = dayBetween(pastStart, addDaysTo(pastStart, 12), false);
    const younger = ['CP', 'CE1'].includes(p.classLevel);
    const group = sports?.groups.find((g) => g.name.startsWith(younger ? 'Multisport' : 'Natation'));
    if (!day || !group) continue;
    const f = familyOf.get(p.householdId) as Family;
    agenda.at(day, rng.int(9, 16), rng.int(0, 59), async () => {
      const enrolled = await agents.accueil('enrolment.enrol', {
        childId: p.childId,
        activityId: demo.sports.activityId,
        schoolYear,
        siteId: demo.sites.parc,
        groupId: group.id,
      });
      await payAtCounter(f, enrolled.invoice);
    });
  }

  // ── Families' requests: some answered over the term, a few waiting in the inbox this morning. ──
  const withPupils = families.filter((f) => f.pupils.some((p) => p.booked.meal.size > 0));
  const nextMeals = (p: Pupil, after: LocalDate, count: number) => {
    const days = [...p.booked.meal].filter((d) => d > after && !p.taken.has(d)).slice(0, count);
    for (const d of days) p.taken.add(d);
    return days;
  };
  const submitRequest = (
    f: Family,
    day: LocalDate,
    kind: 'cancellation' | 'pickup' | 'document' | 'other',
  ) => {
    const p = f.pupils.find((x) => x.booked.meal.size > 0) as Pupil;
    const mealDays = kind === 'cancellation' ? nextMeals(p, addDaysTo(day, 1), rng.int(1, 3)) : [];
    if (kind === 'cancellation' && mealDays.length === 0) return null;
    const [firstName, relationship] = rng.pick(PICKUP_PEOPLE);
    const submit = async () => {
      const common = { householdId: f.householdId };
      const r =
        kind === 'cancellation'
          ? await agents.portal('request.submit', {
              ...common,
              kind,
              childId: p.childId,
              message: `${p.firstName} sera absent(e) ces jours-là, merci d’annuler la cantine.`,
              details: {
                activityId: demo.canteen.activityId,
                siteId: p.siteId,
                unitCodes: ['meal'],
                selection: { kind: 'days', dates: mealDays },
              },
            })
          : kind === 'pickup'
            ? await agents.portal('request.submit', {
                ...common,
                kind,
                message: `Merci d’autoriser cette personne à récupérer ${p.firstName} à la sortie.`,
                details: {
                  lastName: f.input.guardians[0]?.lastName ?? f.input.name,
                  firstName,
                  relationship,
                  phone: `06 ${digits(2)} ${digits(2)} ${digits(2)} ${digits(2)}`,
                },
              })
            : kind === 'document'
              ? await agents.portal('request.submit', {
                  ...common,
                  kind,
                  message: 'Voici notre attestation de quotient familial de la CAF.',
                  details: { fileName: 'attestation-qf-caf.pdf', fileType: 'application/pdf' },
                })
              : await agents.portal('request.submit', {
                  ...common,
                  kind,
                  message: `Nous déménageons à ${rng.pick(NEIGHBOUR_COMMUNES).name} le mois prochain : ${p.firstName} peut-il (elle) rester inscrit(e) à la cantine ?`,
                });
      summary.requests++;
      return r.requestId;
    };
    return submit;
  };
  const answered = pickSome(rng, withPupils, 6);
  for (const f of answered) {
    const day = dayBetween(addDaysTo(pastStart, 7), addDaysTo(today, -6), true);
    if (!day) continue;
    const kind = rng.weighted([
      ['pickup', 40],
      ['document', 35],
      ['cancellation', 25],
    ] as const);
    const submit = submitRequest(f, day, kind);
    if (!submit) continue;
    let requestId = '';
    agenda.at(day, 20, rng.int(0, 50), async () => {
      requestId = await submit();
    });
    const answerDay = addWorkingDays(day, rng.int(1, 2));
    agenda.at(answerDay, 10, rng.int(0, 50), async () => {
      const who = kind === 'cancellation' ? agents.alsh : agents.accueil;
      if (kind === 'cancellation' && rng.chance(0.3))
        await who('request.refuse', {
          requestId,
          reply: 'Les repas sont commandés : l’annulation ne peut plus être prise en compte.',
        });
      else
        await who('request.accept', {
          requestId,
          reply: kind === 'document' ? 'Document reçu et vérifié, merci.' : 'C’est enregistré.',
        });
    });
  }
  const waiting = pickSome(
    rng,
    withPupils.filter((f) => !answered.includes(f)),
    5,
  );
  const waitingKinds = ['cancellation', 'pickup', 'document', 'cancellation', 'other'] as const;
  for (const [i, f] of waiting.entries()) {
    const day = addDaysTo(today, -1 - (i % 3));
    const submit = submitRequest(f, day, waitingKinds[i] ?? 'other');
    if (submit)
      agenda.at(day, 19 + (i % 3), rng.int(0, 59), async () => {
        await submit();
      });
  }

  // ── Every working day: the till, opened with its float, closed with the count; cheques to the bank twice a week. ──
  for (const day of workingDays(addDaysTo(setupDay, 1), addDaysTo(today, -1))) {
    let sessionId = '';
    agenda.at(day, 8, 25, async () => {
      const opened = await agents.regie('regie.openSession', { floatDenominations: FLOAT });
      sessionId = opened.id;
      summary.tills++;
    });
    const shortChange = rng.chance(0.05);
    agenda.at(day, 17, 30, async () => {
      const { session } = await agents.regie('regie.currentSession', {});
      if (!session || session.id !== sessionId)
        throw new Error(`Démonstration : caisse du ${day} introuvable.`);
      const difference = shortChange && session.cashOnHandCents > 200 ? -50 : 0;
      await agents.regie('regie.closeSession', {
        sessionId,
        counted: countOut(session.cashOnHandCents + difference),
        reason: difference ? 'Erreur de rendu de monnaie constatée à la clôture' : '',
      });
    });
    if (isoWeekday(day) === 2 || isoWeekday(day) === 5)
      agenda.at(day, 17, 40, async () => {
        const pending = await agents.regie('regie.pendingCheques', {});
        if (pending.count === 0) return;
        await agents.regie('regie.depositSlip.create', {});
        summary.depositSlips++;
      });
  }

  summary.days = await agenda.play(addDaysTo(setupDay, 1));
  return summary;
}

/** The float the till opens with every morning: 150 €, counted note by note. */
const FLOAT = [
  { denominationCents: 2000, count: 2 },
  { denominationCents: 1000, count: 4 },
  { denominationCents: 500, count: 6 },
  { denominationCents: 200, count: 10 },
  { denominationCents: 100, count: 20 },
];

/** The cash in the drawer, counted the way a régisseur stacks it: largest notes and coins first. */
function countOut(cents: number): { denominationCents: number; count: number }[] {
  const counted = [];
  let left = cents;
  for (const d of DENOMINATIONS) {
    const count = Math.floor(left / d);
    if (count > 0) counted.push({ denominationCents: d, count });
    left -= count * d;
  }
  return counted;
}

/** A family's usual way to pay; vouchers are what some employers give (CESU for childcare, ANCV for leisure). */
function habitOf(rng: Rng): PaymentMode {
  return rng.weighted([
    ['card', 34],
    ['cheque', 24],
    ['online', 16],
    ['cash', 12],
    ['ancv', 6],
    ['cesu', 8],
  ] as const);
}

/** Which canteen days a family books: most the four, some leave one out, a few two. */
function schoolWeek(rng: Rng): number[] {
  return rng.weighted([
    [[1, 2, 4, 5], 65],
    [[1, 2, 4], 7],
    [[1, 4, 5], 6],
    [[2, 4, 5], 6],
    [[1, 2, 5], 6],
    [[1, 4], 5],
    [[2, 5], 5],
  ] as const) as number[];
}

/** `count` distinct items, in the list's order (stable for the same draws). */
function pickSome<T>(rng: Rng, items: readonly T[], count: number): T[] {
  const chosen = new Set<number>();
  const want = Math.min(count, items.length);
  while (chosen.size < want) chosen.add(rng.int(0, items.length - 1));
  return [...chosen].sort((a, b) => a - b).map((i) => items[i] as T);
}
