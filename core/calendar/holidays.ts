import { addDaysTo } from './local-date.ts';
import type { LocalDate } from './local-date.ts';

export interface PublicHoliday {
  date: LocalDate;
  /** The name a family reads on the counter screen, in French. */
  name: string;
}

export interface HolidayOptions {
  /** Moselle, Bas-Rhin and Haut-Rhin keep Good Friday and 26 December from the local law. */
  alsaceMoselle?: boolean;
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** Easter Sunday by the anonymous Gregorian algorithm (Meeus/Jones/Butcher), valid for any Gregorian year. */
export function easterSunday(year: number): LocalDate {
  if (!Number.isInteger(year) || year < 1583) throw new RangeError(`Not a Gregorian year: ${year}`);
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return `${year}-${pad(month)}-${pad(day)}`;
}

// Built once per year and option: the working-day walks ask for the same year hundreds of times.
const cache = new Map<string, ReadonlyMap<LocalDate, string>>();

function holidayMap(year: number, alsaceMoselle: boolean): ReadonlyMap<LocalDate, string> {
  const key = `${year}:${alsaceMoselle}`;
  const known = cache.get(key);
  if (known) return known;
  const easter = easterSunday(year);
  // Code du travail L3133-1, in calendar order once sorted.
  const list: PublicHoliday[] = [
    { date: `${year}-01-01`, name: "Jour de l'an" },
    { date: addDaysTo(easter, 1), name: 'Lundi de Pâques' },
    { date: `${year}-05-01`, name: 'Fête du Travail' },
    { date: `${year}-05-08`, name: 'Victoire 1945' },
    { date: addDaysTo(easter, 39), name: 'Ascension' },
    { date: addDaysTo(easter, 50), name: 'Lundi de Pentecôte' },
    { date: `${year}-07-14`, name: 'Fête nationale' },
    { date: `${year}-08-15`, name: 'Assomption' },
    { date: `${year}-11-01`, name: 'Toussaint' },
    { date: `${year}-11-11`, name: 'Armistice' },
    { date: `${year}-12-25`, name: 'Noël' },
  ];
  if (alsaceMoselle) {
    list.push(
      { date: addDaysTo(easter, -2), name: 'Vendredi saint' },
      { date: `${year}-12-26`, name: 'Saint-Étienne' },
    );
  }
  list.sort((x, y) => x.date.localeCompare(y.date));
  const map = new Map(list.map((h) => [h.date, h.name]));
  cache.set(key, map);
  return map;
}

/** The public holidays of a calendar year, in date order. */
export function publicHolidays(year: number, options: HolidayOptions = {}): PublicHoliday[] {
  return [...holidayMap(year, options.alsaceMoselle ?? false)].map(([date, name]) => ({ date, name }));
}

export function publicHolidayOn(date: LocalDate, options: HolidayOptions = {}): PublicHoliday | undefined {
  const name = holidayMap(Number(date.slice(0, 4)), options.alsaceMoselle ?? false).get(date);
  return name === undefined ? undefined : { date, name };
}

export function isPublicHoliday(date: LocalDate, options: HolidayOptions = {}): boolean {
  return publicHolidayOn(date, options) !== undefined;
}
