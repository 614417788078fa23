import { DomainError } from '../api/envelope.ts';

/**
 * The académies as the ministry's calendar names them (column « Académies » / `location`), with their holiday zone
 * (column « Zones ») and the time zone their dates are written in. Corse and the overseas académies are zones of
 * their own with their own dates (RULES.md, REGIE.md § 4).
 */
export interface Academie {
  name: string;
  zone: string;
  timeZone: string;
}

const PARIS = 'Europe/Paris';
const metropolitan = (zone: string, names: string[]): Academie[] =>
  names.map((name) => ({ name, zone, timeZone: PARIS }));

export const ACADEMIES: readonly Academie[] = [
  ...metropolitan('Zone A', [
    'Besançon',
    'Bordeaux',
    'Clermont-Ferrand',
    'Dijon',
    'Grenoble',
    'Limoges',
    'Lyon',
    'Poitiers',
  ]),
  ...metropolitan('Zone B', [
    'Aix-Marseille',
    'Amiens',
    'Lille',
    'Nancy-Metz',
    'Nantes',
    'Nice',
    'Normandie',
    'Orléans-Tours',
    'Reims',
    'Rennes',
    'Strasbourg',
  ]),
  ...metropolitan('Zone C', ['Créteil', 'Montpellier', 'Paris', 'Toulouse', 'Versailles']),
  { name: 'Corse', zone: 'Corse', timeZone: PARIS },
  { name: 'Guadeloupe', zone: 'Guadeloupe', timeZone: 'America/Guadeloupe' },
  { name: 'Guyane', zone: 'Guyane', timeZone: 'America/Cayenne' },
  { name: 'Martinique', zone: 'Martinique', timeZone: 'America/Martinique' },
  { name: 'Mayotte', zone: 'Mayotte', timeZone: 'Indian/Mayotte' },
  { name: 'La Réunion', zone: 'Réunion', timeZone: 'Indian/Reunion' },
  { name: 'Nouvelle Calédonie', zone: 'Nouvelle Calédonie', timeZone: 'Pacific/Noumea' },
  { name: 'Polynésie', zone: 'Polynésie', timeZone: 'Pacific/Tahiti' },
  { name: 'Saint Pierre et Miquelon', zone: 'Saint Pierre et Miquelon', timeZone: 'America/Miquelon' },
  { name: 'Wallis et Futuna', zone: 'Wallis et Futuna', timeZone: 'Pacific/Wallis' },
];

/** Caen and Rouen merged into Normandie in 2020; older rows of the file still carry their names. */
const FORMER: readonly Academie[] = [
  { name: 'Caen', zone: 'Zone B', timeZone: PARIS },
  { name: 'Rouen', zone: 'Zone B', timeZone: PARIS },
];

export const METROPOLITAN_ZONES = ['Zone A', 'Zone B', 'Zone C'] as const;

/**
 * How a name compares: the file writes « La Réunion », « Réunion », « Saint-Pierre-et-Miquelon » or (in an ICS
 * identifier) « SaintPierreEtMiquelon » for the same place.
 */
export function placeKey(name: string): string {
  return name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .trim()
    .replace(/^academie\s+(de\s+la\s+|de\s+l'|de\s+l’|de\s+|d'|d’)/, '')
    .replace(/^(la\s+|l'|l’)/, '')
    .replace(/[^a-z0-9]/g, '');
}

const byKey = new Map([...ACADEMIES, ...FORMER].map((a) => [placeKey(a.name), a]));

export function findAcademie(name: string): Academie | undefined {
  return byKey.get(placeKey(name));
}

/** The zone a name stands for: « Zone B », « B », or an overseas zone (« Réunion »). */
export function findZone(name: string): string | undefined {
  const key = placeKey(name);
  const letter = /^(zone)?([abc])$/.exec(key)?.[2];
  if (letter) return `Zone ${letter.toUpperCase()}`;
  return ACADEMIES.find((a) => placeKey(a.zone) === key)?.zone;
}

/**
 * Where a town's calendar comes from: its académie, or a whole zone when every académie of it has the same dates
 * (the ICS feeds are per zone).
 */
export interface CalendarArea {
  kind: 'academie' | 'zone';
  /** « Orléans-Tours » or « Zone B ». */
  name: string;
  zone: string;
  /** The time zone of the area's dates: an instant of the file becomes a day there. */
  timeZone: string;
}

export function resolveArea(input: string): CalendarArea {
  const academie = findAcademie(input);
  if (academie) return { kind: 'academie', ...academie };
  const zone = findZone(input);
  if (zone) {
    const timeZone = ACADEMIES.find((a) => a.zone === zone)?.timeZone ?? PARIS;
    return { kind: 'zone', name: zone, zone, timeZone };
  }
  throw new DomainError(
    'VALIDATION',
    `Académie ou zone inconnue : « ${input} ». Choisissez l’académie de la commune (par exemple « Orléans-Tours ») ou sa zone (« Zone B »).`,
    'area',
  );
}

/** The choices an administrator picks from: each académie, then the three metropolitan zones as a whole. */
export function areaChoices(): { value: string; label: string }[] {
  return [
    ...ACADEMIES.map((a) => ({ value: a.name, label: `${a.name} (${a.zone})` })).sort((x, y) =>
      x.label.localeCompare(y.label, 'fr'),
    ),
    ...METROPOLITAN_ZONES.map((z) => ({ value: z, label: `${z} : toute la zone` })),
  ];
}
