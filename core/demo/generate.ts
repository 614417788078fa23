import type { InputOf } from '../contract.ts';
import { fold } from '../search/normalize.ts';
import {
  EMAIL_DOMAINS,
  GIVEN_NAMES,
  NEIGHBOUR_COMMUNES,
  NEIGHBOURHOODS,
  ORIGIN_WEIGHTS,
  PICKUP_RELATIONSHIPS,
  STREET_NAMES,
  STREET_TYPES,
  SURNAMES,
  TOWN,
  type Origin,
  type Sex,
} from './names.ts';
import { createRng, type Rng } from './random.ts';

export type DemoHousehold = InputOf<'family.createHousehold'>;
type DemoGuardian = DemoHousehold['guardians'][number];
type DemoChild = NonNullable<DemoHousehold['children']>[number];
type DemoPickup = NonNullable<DemoHousehold['pickupPersons']>[number];
type ClassLevel = NonNullable<DemoChild['classLevel']>;

export const DEMO_SEED = 2026;

/** The demo's school year starts in September of this year: classes follow from it, so they stay put over time. */
export const SCHOOL_YEAR_START = 2026;

/** Class of a child born in `year` for the school year starting SCHOOL_YEAR_START: CP = born six years before. */
export function classForBirthYear(year: number): {
  level: ClassLevel;
  stage: 'maternelle' | 'elementaire' | 'college';
} {
  const age = SCHOOL_YEAR_START - year;
  const primary: Record<number, ClassLevel> = { 2: 'TPS', 3: 'PS', 4: 'MS', 5: 'GS' };
  const elementary: Record<number, ClassLevel> = { 6: 'CP', 7: 'CE1', 8: 'CE2', 9: 'CM1', 10: 'CM2' };
  if (primary[age]) return { level: primary[age], stage: 'maternelle' };
  if (elementary[age]) return { level: elementary[age], stage: 'elementaire' };
  // 5e to 3e are not classes the town's services track: the school says enough.
  return { level: age === 11 ? '6e' : '', stage: 'college' };
}

/** Guardians, children and pickup persons: the people a household adds to the search index. */
export function personsIn(h: DemoHousehold): number {
  return h.guardians.length + (h.children?.length ?? 0) + (h.pickupPersons?.length ?? 0);
}

/** `count` households from `seed`: the same seed gives the same town, byte for byte. */
export function generateHouseholds(count: number, seed: number = DEMO_SEED): DemoHousehold[] {
  const next = createHouseholdGenerator(seed);
  return Array.from({ length: count }, () => next());
}

/** An endless stream of households, for callers that stop on another measure (a number of persons). */
export function createHouseholdGenerator(seed: number = DEMO_SEED): () => DemoHousehold {
  const rng = createRng(seed);
  return () => household(rng);
}

interface Person {
  sex: Sex;
  birthYear: number;
  lastName: string;
  firstName: string;
}

function household(rng: Rng): DemoHousehold {
  const origin = rng.weighted(ORIGIN_WEIGHTS);
  const single = rng.chance(0.2);
  const sameSex = !single && rng.chance(0.03);
  const sex1: Sex = single ? (rng.chance(0.85) ? 'F' : 'M') : rng.chance(0.7) ? 'F' : 'M';
  const sex2: Sex = sameSex ? sex1 : sex1 === 'F' ? 'M' : 'F';

  const year1 = clamp(Math.round(1986 + 5 * rng.normal()), 1975, 1995);
  const surname1 = surname(rng, origin);
  const parent1 = person(rng, sex1, year1, surname1, origin);
  const parents = [parent1];
  if (!single) {
    const shareSurname = !sameSex && rng.chance(0.6);
    const origin2 = rng.chance(0.8) ? origin : rng.weighted(ORIGIN_WEIGHTS);
    const surname2 = shareSurname ? surname1 : otherSurname(rng, origin2, surname1);
    const year2 = clamp(year1 + (sex2 === 'M' ? rng.int(-2, 6) : rng.int(-6, 2)), 1975, 1995);
    parents.push(person(rng, sex2, year2, surname2, origin2));
  }

  const address = rng.chance(0.9) ? residentAddress(rng) : neighbourAddress(rng);
  const children = childrenOf(rng, parents, origin, single, address.schools);
  const guardians = parents.map((p, i) => guardian(rng, p, (i + 1) as 1 | 2, single, sameSex));

  const payerRank: 1 | 2 = guardians.length === 2 && rng.chance(0.12) ? 2 : 1;
  const payer = guardians[payerRank - 1] as DemoGuardian;
  const email = payer.email && rng.chance(0.8) ? payer.email : '';
  const lastNames = [...new Set(parents.map((p) => p.lastName))];

  return {
    name: lastNames.join(' / '),
    addressLine1: address.line1,
    addressLine2: address.line2,
    postalCode: address.postalCode,
    city: address.city,
    email,
    phoneHome: rng.chance(0.25) ? landline(rng) : '',
    phoneMobile: payer.phoneMobile && rng.chance(0.6) ? payer.phoneMobile : '',
    payerRank,
    invoiceDelivery: email && rng.chance(0.55) ? 'email' : 'papier',
    guardians,
    children,
    pickupPersons: pickupPersons(rng, parents, origin),
    qf: rng.chance(0.1) ? null : qf(rng, single),
  };
}

function person(
  rng: Rng,
  sex: Sex,
  birthYear: number,
  lastName: string,
  origin: Origin,
  avoid: string[] = [],
): Person {
  let firstName = givenName(rng, sex, birthYear, origin);
  // Siblings do not share a first name; a few tries are enough with lists this long.
  for (let i = 0; i < 5 && avoid.includes(firstName); i++) firstName = givenName(rng, sex, birthYear, origin);
  return { sex, birthYear, lastName, firstName };
}

function givenName(rng: Rng, sex: Sex, year: number, origin: Origin): string {
  const fits = (o: Origin) =>
    GIVEN_NAMES.find((c) => c.sex === sex && c.origin === o && year >= c.from && year <= c.to);
  const own = origin === 'fr' ? undefined : fits(origin);
  const cohort = own && rng.chance(year < 2000 ? 0.75 : 0.55) ? own : fits('fr');
  if (!cohort) throw new Error(`Pas de prénoms pour ${sex} né en ${year}`);
  return rng.skewed(cohort.names, 1.4);
}

/** Flatter than first names: even Martin is about one family in a hundred. */
const surname = (rng: Rng, origin: Origin) => rng.skewed(SURNAMES[origin], 1.2);

function otherSurname(rng: Rng, origin: Origin, not: string): string {
  for (;;) {
    const name = surname(rng, origin);
    if (name !== not) return name;
  }
}

interface Schools {
  maternelle: string;
  elementaire: string;
  college: string;
}

interface Address {
  line1: string;
  line2: string;
  postalCode: string;
  city: string;
  schools: Schools;
}

function houseNumber(rng: Rng): string {
  const n = 1 + Math.floor(120 * rng.next() ** 2);
  return `${n}${rng.weighted([
    ['', 96],
    [' bis', 3],
    [' ter', 1],
  ] as const)}`;
}

function residentAddress(rng: Rng): Address {
  const quarter = rng.weighted(NEIGHBOURHOODS.map((n) => [n, n.weight] as const));
  const [type, name] = rng.pick(quarter.streets);
  const flat = quarter.buildings.length > 0 && rng.chance(0.5);
  return {
    line1: `${houseNumber(rng)} ${type} ${name}`,
    line2: flat ? `${rng.pick(quarter.buildings)}, appt ${rng.int(1, 64)}` : '',
    postalCode: TOWN.postalCode,
    city: TOWN.name,
    schools: { maternelle: quarter.maternelle, elementaire: quarter.elementaire, college: TOWN.college },
  };
}

function neighbourAddress(rng: Rng): Address {
  const commune = rng.weighted(NEIGHBOUR_COMMUNES.map((c) => [c, c.weight] as const));
  // Some non-resident children attend a Belleval school by dispensation (parents working in town).
  const quarter = rng.chance(0.5) ? rng.pick(NEIGHBOURHOODS) : null;
  return {
    line1: `${houseNumber(rng)} ${rng.weighted(STREET_TYPES)} ${rng.pick(STREET_NAMES)}`,
    line2: '',
    postalCode: commune.postalCode,
    city: commune.name,
    schools: {
      maternelle: quarter?.maternelle ?? commune.school,
      elementaire: quarter?.elementaire ?? commune.school,
      college: TOWN.college,
    },
  };
}

function childrenOf(
  rng: Rng,
  parents: Person[],
  origin: Origin,
  single: boolean,
  schools: Schools,
): DemoChild[] {
  const count = rng.weighted([
    [1, 40],
    [2, 38],
    [3, 16],
    [4, 6],
  ] as const);
  const youngest = Math.max(...parents.map((p) => p.birthYear));
  const eldest = Math.min(...parents.map((p) => p.birthYear));
  // Parents had their children between 21 and 45, within the demo's children range.
  const lo = Date.UTC(Math.max(2012, youngest + 21), 0, 1);
  const hi = Date.UTC(Math.min(2023, eldest + 45), 11, 31);
  const day = 86_400_000;
  // Leave room for the younger ones, then space births as families do: rarely less than a year, twins aside.
  const first = lo + rng.int(0, Math.max(0, Math.floor((hi - lo) / day) - 700 * (count - 1))) * day;
  const births = [first];
  while (births.length < count) {
    const gap = rng.chance(0.02) ? 0 : Math.round(365 * (1 + 4 * rng.next() ** 1.5));
    const next = (births.at(-1) as number) + gap * day;
    if (next > hi) break;
    births.push(next);
  }

  const surname = childSurname(rng, parents, origin, single);
  const children: DemoChild[] = [];
  for (const birth of births) {
    const birthDate = new Date(birth).toISOString().slice(0, 10);
    const year = Number(birthDate.slice(0, 4));
    const sex: Sex = rng.chance(0.5) ? 'F' : 'M';
    const child = person(
      rng,
      sex,
      year,
      surname,
      origin,
      children.map((c) => c.firstName),
    );
    const { level, stage } = classForBirthYear(year);
    children.push({
      lastName: child.lastName,
      firstName: child.firstName,
      birthDate,
      school: schools[stage],
      classLevel: level,
      imageConsent: rng.chance(0.75),
    });
  }
  return children;
}

function childSurname(rng: Rng, parents: Person[], origin: Origin, single: boolean): string {
  const [p1, p2] = parents as [Person, Person | undefined];
  // A single parent's children often carry the other parent's name, which is not on the file.
  if (!p2) return single && rng.chance(0.3) ? otherSurname(rng, origin, p1.lastName) : p1.lastName;
  if (p1.lastName === p2.lastName) return p1.lastName;
  const father = parents.find((p) => p.sex === 'M') ?? p1;
  const mother = parents.find((p) => p !== father) ?? p2;
  // Since 2005 a child may carry both names, joined by a space.
  return rng.weighted([
    [father.lastName, 55],
    [mother.lastName, 15],
    [`${father.lastName} ${mother.lastName}`, 30],
  ] as const);
}

function guardian(rng: Rng, p: Person, rank: 1 | 2, single: boolean, sameSex: boolean): DemoGuardian {
  const hasEmail = rng.chance(rank === 1 ? 0.9 : 0.7);
  return {
    rank,
    civility: p.sex === 'F' ? 'Mme' : 'M.',
    lastName: p.lastName,
    firstName: p.firstName,
    relationship: p.sex === 'F' ? 'mère' : 'père',
    phoneMobile: rng.chance(0.96) ? mobile(rng) : '',
    phoneWork: rng.chance(0.2) ? (rng.chance(0.6) ? landline(rng) : mobile(rng)) : '',
    email: hasEmail ? emailOf(rng, p) : '',
    // A separated parent may be barred from picking up by a court order; rare, but the counter must show it.
    mayPickUp: single || sameSex || rank === 1 || rng.chance(0.97),
  };
}

function pickupPersons(rng: Rng, parents: Person[], origin: Origin): DemoPickup[] {
  const count = rng.weighted([
    [0, 50],
    [1, 32],
    [2, 15],
    [3, 3],
  ] as const);
  const list: DemoPickup[] = [];
  for (let i = 0; i < count; i++) {
    const relationship = rng.weighted(PICKUP_RELATIONSHIPS);
    const grandparent = relationship.startsWith('grand-');
    const family = grandparent || relationship === 'tante' || relationship === 'oncle';
    const sex: Sex = relationship === 'grand-père' || relationship === 'oncle' ? 'M' : 'F';
    const lastName = family ? rng.pick(parents).lastName : surname(rng, rng.weighted(ORIGIN_WEIGHTS));
    const year = grandparent ? rng.int(1948, 1966) : rng.int(1975, 1995);
    const p = person(
      rng,
      sex,
      year,
      lastName,
      family ? origin : 'fr',
      list.map((x) => x.firstName),
    );
    list.push({
      lastName: p.lastName,
      firstName: p.firstName,
      relationship,
      phone: rng.chance(grandparent ? 0.5 : 0.15) ? landline(rng) : mobile(rng),
    });
  }
  return list;
}

function qf(rng: Rng, single: boolean): NonNullable<DemoHousehold['qf']> {
  // Log-normal around what CAF computes for such households: most between 300 and 2,000, a tail above.
  const median = single ? 620 : 950;
  const value = clamp(Math.round(median * Math.exp(0.5 * rng.normal())), 60, 4500);
  const source = rng.weighted([
    ['CAF', 84],
    ['MSA', 5],
    ['avis_imposition', 11],
  ] as const);
  const month = rng.chance(0.65) ? 1 : rng.int(2, 11);
  return {
    value,
    source,
    effectiveMonth: `2026-${String(month).padStart(2, '0')}`,
    // A tax notice is taken for the calendar year; CAF and MSA values run until the next one comes in.
    endMonth: source === 'avis_imposition' && rng.chance(0.5) ? '2026-12' : null,
  };
}

const pair = (rng: Rng) => String(rng.int(0, 99)).padStart(2, '0');

/** Mostly written the way the agent reads it, sometimes typed compact or dotted: the command normalises all three. */
function formatPhone(rng: Rng, digits: string[]): string {
  return digits.join(
    rng.weighted([
      [' ', 80],
      ['', 15],
      ['.', 5],
    ] as const),
  );
}

function mobile(rng: Rng): string {
  return formatPhone(rng, [rng.chance(0.7) ? '06' : '07', pair(rng), pair(rng), pair(rng), pair(rng)]);
}

function landline(rng: Rng): string {
  return formatPhone(rng, ['02', '38', pair(rng), pair(rng), pair(rng)]);
}

/** « Lefèvre » → « lefevre », « N'Diaye » → « ndiaye », « Le Goff » → « legoff »: how people spell their addresses. */
const slug = (s: string) => fold(s).replace(/[^a-z0-9-]+/g, '');

function emailOf(rng: Rng, p: Person): string {
  const f = slug(p.firstName);
  const l = slug(p.lastName);
  const local = rng.weighted([
    [`${f}.${l}`, 50],
    [`${f}${l}`, 15],
    [`${f.charAt(0)}.${l}`, 10],
    [`${f}.${l}${pair(rng)}`, 15],
    [`${l}.${f}`, 10],
  ] as const);
  return `${local}@${rng.weighted(EMAIL_DOMAINS)}`;
}

const clamp = (n: number, min: number, max: number) => Math.min(max, Math.max(min, n));
