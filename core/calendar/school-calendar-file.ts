import { TZDate } from '@date-fns/tz';
import type * as DateFnsFormat from 'date-fns/format';
import { DomainError } from '../api/envelope.ts';
import { formatShortDate } from '../billing/format.ts';
import { findAcademie, findZone, placeKey, resolveArea, type CalendarArea } from './academies.ts';
import { addDaysTo, eachLocalDate, isCalendarDay, type LocalDate } from './local-date.ts';
import { schoolYearOf, type SchoolHoliday } from './school-calendar.ts';
import { commonjs } from '../commonjs.ts';

const { format } = commonjs.require('date-fns/format') as typeof DateFnsFormat;

/**
 * Reads the Ministry of Education's school calendar (open data « fr-en-calendrier-scolaire ») as the portal exports
 * it: the CSV (one row per holiday period and académie) or an ICS feed (one per zone), and keeps the periods of one
 * académie or zone. Both give, for each period, the day classes stop after (« le départ en vacances a lieu après la
 * classe des jours indiqués ») and the day they resume (« la reprise des cours s'effectue le matin des jours
 * indiqués »); what is kept is the days in between, the days without class.
 */

export interface ParsedCalendar {
  format: 'csv' | 'ics';
  area: CalendarArea;
  /** The school years the file gives for the area. */
  years: string[];
  holidays: SchoolHoliday[];
  ignored: {
    /** Rows for teachers only (« Enseignants », « prérentrée Enseignants »). */
    teachers: number;
    /** Rows of other académies or zones. */
    otherAreas: number;
    /** Rows for a part of the académie only (« Saint-Martin » in Guadeloupe's file), by population. */
    otherPopulations: { population: string; rows: number }[];
  };
}

/** A period longer than this is a typing error in the file (a year off), not a holiday. */
const LONGEST_PERIOD_DAYS = 120;

const fileError = (line: number | null, message: string): DomainError =>
  new DomainError('VALIDATION', line === null ? message : `Ligne ${line} : ${message}`, 'fileText');

/** One period of the file, for the area, before the days are worked out. */
interface RawPeriod {
  line: number;
  description: string;
  /** The académie the row names (CSV), to tell two académies of one zone apart. */
  source: string;
  /** The day classes stop after. */
  departure: LocalDate;
  /** The morning classes resume; null or the departure day itself when the file does not give it. */
  resumption: LocalDate | null;
  schoolYear: string;
}

interface Collected {
  raws: RawPeriod[];
  teachers: number;
  otherAreas: number;
  otherPopulations: Map<string, number>;
  /** What the file covers, to say so when it has nothing for the area. */
  areasSeen: Set<string>;
}

export function parseSchoolCalendarFile(text: string, areaName: string): ParsedCalendar {
  const area = resolveArea(areaName);
  const body = text.replace(/^\uFEFF/, '');
  const isIcs = /^\s*BEGIN:VCALENDAR/i.test(body);
  const collected = isIcs ? readIcs(body, area) : readCsv(body, area);
  if (collected.raws.length === 0) {
    const seen = [...collected.areasSeen].sort((a, b) => a.localeCompare(b, 'fr'));
    throw fileError(
      null,
      `Le fichier ne contient aucune période de vacances des élèves pour ${areaWords(area)}${
        seen.length ? ` : il couvre ${listWords(seen)}` : ''
      }. Choisissez une autre académie ou le fichier de votre zone.`,
    );
  }
  const holidays = toHolidays(collected.raws, area);
  return {
    format: isIcs ? 'ics' : 'csv',
    area,
    years: [...new Set(holidays.map((h) => h.schoolYear))].sort(),
    holidays,
    ignored: {
      teachers: collected.teachers,
      otherAreas: collected.otherAreas,
      otherPopulations: [...collected.otherPopulations]
        .map(([population, rows]) => ({ population, rows }))
        .sort((a, b) => a.population.localeCompare(b.population, 'fr')),
    },
  };
}

const areaWords = (area: CalendarArea) =>
  area.kind === 'academie' ? `l’académie « ${area.name} »` : `la ${area.name.replace(/^Zone/, 'zone')}`;

function listWords(items: string[], max = 8): string {
  const shown = items.slice(0, max).join(', ');
  return items.length > max ? `${shown}… (${items.length} en tout)` : shown;
}

// ---------------------------------------------------------------------------------------------------------------
// Days

/**
 * The calendar day an instant of the file stands for. The export writes each day as the UTC instant of its local
 * midnight (2023-10-20T22:00:00+00:00 for 21 October in Paris), so the instant is read in the académie's zone: read
 * in UTC or on this PC's clock it would fall on the day before east of Greenwich. A row may also carry the Paris
 * midnight of its day whatever the académie: read in an overseas zone that instant falls on the evening before
 * (Antilles) or in the small hours (Réunion), so it is taken as the Paris day rather than shifted. Anything that is
 * neither is refused: a date the file does not state plainly would move a holiday by a day.
 */
function dayOf(value: string, timeZone: string, line: number, what: string): LocalDate {
  // ICS writes a date-time in the basic format: 20261017T000000Z.
  const v = value.trim().replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(Z?)$/, '$1-$2-$3T$4:$5:$6$7');
  if (/^\d{8}$/.test(v)) {
    const day = `${v.slice(0, 4)}-${v.slice(4, 6)}-${v.slice(6, 8)}`;
    if (isCalendarDay(day)) return day;
  } else if (/^\d{4}-\d{2}-\d{2}$/.test(v)) {
    if (isCalendarDay(v)) return v;
  } else {
    const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(v);
    if (m && isCalendarDay(m[1] as string)) {
      // Without an offset the time is the académie's own wall clock.
      if (!m[5]) {
        if (m[2] === '00' && m[3] === '00' && (m[4] ?? '00') === '00') return m[1] as string;
      } else {
        const instant = new Date(v.replace(' ', 'T').replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
        if (!Number.isNaN(instant.getTime())) {
          for (const zone of [timeZone, 'Europe/Paris']) {
            const local = new TZDate(instant.getTime(), zone);
            if (format(local, 'HH:mm:ss.SSS') === '00:00:00.000') return format(local, 'yyyy-MM-dd');
          }
        }
      }
    }
  }
  throw fileError(
    line,
    `date de ${what} « ${v} » illisible : une date (AAAA-MM-JJ) ou le minuit d’un jour attendu.`,
  );
}

// ---------------------------------------------------------------------------------------------------------------
// CSV

type Column = 'description' | 'population' | 'start' | 'end' | 'location' | 'zones' | 'schoolYear';

/** The export's column labels (« Date de début ») and the dataset's field names (start_date), as one key each. */
const HEADERS: Record<string, Column> = {
  description: 'description',
  population: 'population',
  datededebut: 'start',
  startdate: 'start',
  datedefin: 'end',
  enddate: 'end',
  academies: 'location',
  academie: 'location',
  location: 'location',
  zones: 'zones',
  zone: 'zones',
  anneescolaire: 'schoolYear',
};

const COLUMN_WORDS: Record<Column, string> = {
  description: 'Description',
  population: 'Population',
  start: 'Date de début',
  end: 'Date de fin',
  location: 'Académies',
  zones: 'Zones',
  schoolYear: 'annee_scolaire',
};

const headerKey = (s: string) =>
  s
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z]/g, '');

/**
 * Splits the text into records of fields, RFC 4180 style: a field in double quotes may hold the separator, a
 * line break or a doubled quote. Each record keeps the line it starts on, for the messages.
 */
function* csvRecords(text: string, separator: string): Generator<{ line: number; fields: string[] }> {
  let line = 1;
  let start = 1;
  let field = '';
  let fields: string[] = [];
  let quoted = false;
  let quoteLine = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else {
        if (c === '\n') line++;
        field += c;
      }
    } else if (c === '"' && field === '') {
      quoted = true;
      quoteLine = line;
    } else if (c === separator) {
      fields.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      fields.push(field);
      yield { line: start, fields };
      fields = [];
      field = '';
      line++;
      start = line;
    } else field += c;
  }
  if (quoted) throw fileError(quoteLine, 'guillemet ouvert jamais refermé.');
  if (field !== '' || fields.length) {
    fields.push(field);
    yield { line: start, fields };
  }
}

function readCsv(text: string, area: CalendarArea): Collected {
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  const separator = [';', ',', '\t'].reduce((best, s) =>
    firstLine.split(s).length > firstLine.split(best).length ? s : best,
  );
  const collected: Collected = {
    raws: [],
    teachers: 0,
    otherAreas: 0,
    otherPopulations: new Map(),
    areasSeen: new Set(),
  };
  let columns: Map<Column, number> | null = null;
  let width = 0;
  for (const { line, fields } of csvRecords(text, separator)) {
    if (fields.every((f) => f.trim() === '')) continue;
    if (!columns) {
      columns = new Map();
      fields.forEach((f, i) => {
        const column = HEADERS[headerKey(f)];
        if (column && !columns?.has(column)) columns?.set(column, i);
      });
      const missing = (['description', 'start', 'end', 'schoolYear'] as Column[]).filter(
        (c) => !columns?.has(c),
      );
      if (!columns.has('location') && !columns.has('zones')) missing.push('location');
      if (missing.length)
        throw fileError(
          line,
          `colonne${missing.length > 1 ? 's' : ''} ${missing.map((c) => `« ${COLUMN_WORDS[c]} »`).join(', ')} absente${
            missing.length > 1 ? 's' : ''
          } : le fichier attendu est l’export CSV (séparateur « ; ») du jeu de données « fr-en-calendrier-scolaire » (colonnes Description, Population, Date de début, Date de fin, Académies, Zones, annee_scolaire), ou l’un de ses fichiers ICS.`,
        );
      width = fields.length;
      continue;
    }
    if (fields.length !== width)
      throw fileError(line, `${fields.length} colonne${fields.length > 1 ? 's' : ''} au lieu de ${width}.`);
    const get = (c: Column) => {
      const i = columns?.get(c);
      return i === undefined ? '' : (fields[i] ?? '').trim();
    };
    const location = get('location');
    const zones = get('zones');
    const locationAcademie = location ? findAcademie(location) : undefined;
    const rowZone = zones ? findZone(zones) : locationAcademie?.zone;
    const matches =
      area.kind === 'academie'
        ? location
          ? placeKey(location) === placeKey(area.name)
          : rowZone === area.zone
        : rowZone === area.zone;
    if (!matches) {
      collected.otherAreas++;
      const seen = location || zones;
      if (seen) collected.areasSeen.add(seen);
      continue;
    }
    const population = get('population');
    const who = headerKey(population);
    if (who.includes('enseignant')) {
      collected.teachers++;
      continue;
    }
    if (who !== '' && who !== 'eleves') {
      collected.otherPopulations.set(population, (collected.otherPopulations.get(population) ?? 0) + 1);
      continue;
    }
    const description = get('description');
    if (!description) throw fileError(line, 'description de la période vide.');
    const timeZone = locationAcademie?.timeZone ?? area.timeZone;
    const departure = dayOf(get('start'), timeZone, line, 'début');
    const end = get('end');
    const resumption = end === '' ? null : dayOf(end, timeZone, line, 'fin');
    const schoolYear = get('schoolYear');
    const years = /^(\d{4})-(\d{4})$/.exec(schoolYear);
    if (!years || Number(years[2]) !== Number(years[1]) + 1)
      throw fileError(
        line,
        `année scolaire « ${schoolYear} » illisible : attendu par exemple « 2026-2027 ».`,
      );
    collected.raws.push({
      line,
      description,
      source: location || zones,
      departure,
      resumption,
      schoolYear,
    });
  }
  if (!columns) throw fileError(null, 'Le fichier est vide.');
  return collected;
}

// ---------------------------------------------------------------------------------------------------------------
// ICS

interface IcsEvent {
  line: number;
  props: Map<string, { line: number; value: string }>;
}

/** Unfolds the lines (RFC 5545: a line starting with a space or a tab continues the one before). */
function icsLines(text: string): { line: number; text: string }[] {
  const out: { line: number; text: string }[] = [];
  text.split(/\r\n|\n|\r/).forEach((t, i) => {
    const last = out.at(-1);
    if ((t.startsWith(' ') || t.startsWith('\t')) && last) last.text += t.slice(1);
    else out.push({ line: i + 1, text: t });
  });
  return out;
}

const unescapeText = (s: string) =>
  s.replace(/\\([\\;,nN])/g, (_, c: string) => (c === 'n' || c === 'N' ? ' ' : c));

function readIcs(text: string, area: CalendarArea): Collected {
  const events: IcsEvent[] = [];
  let current: IcsEvent | null = null;
  let depth = 0;
  for (const { line, text: t } of icsLines(text)) {
    if (t.trim() === '') continue;
    const colon = t.indexOf(':');
    if (colon < 0) throw fileError(line, `ligne ICS sans « : » (« ${t.slice(0, 40)} »).`);
    const name = (t.slice(0, colon).split(';')[0] ?? '').toUpperCase();
    const value = t.slice(colon + 1);
    if (name === 'BEGIN') {
      depth++;
      if (value.toUpperCase() === 'VEVENT') {
        if (current) throw fileError(line, 'BEGIN:VEVENT dans un autre événement.');
        current = { line, props: new Map() };
      }
    } else if (name === 'END') {
      depth--;
      if (depth < 0) throw fileError(line, `END:${value} sans BEGIN.`);
      if (value.toUpperCase() === 'VEVENT') {
        if (!current) throw fileError(line, 'END:VEVENT sans BEGIN:VEVENT.');
        events.push(current);
        current = null;
      }
    } else if (current && !current.props.has(name)) {
      current.props.set(name, { line, value });
    }
  }
  if (current) throw fileError(current.line, 'événement jamais refermé (END:VEVENT manquant).');

  const collected: Collected = {
    raws: [],
    teachers: 0,
    otherAreas: 0,
    otherPopulations: new Map(),
    areasSeen: new Set(),
  };
  for (const event of events) {
    const uid = event.props.get('UID')?.value ?? '';
    // The ministry's feeds name what they cover in each identifier: « …Z-Zone-A-B-C-Corse@data.education.gouv.fr ».
    const covered = coverageOfUid(uid);
    const location = unescapeText(event.props.get('LOCATION')?.value ?? '').trim();
    const inArea = covered ? covered.has(area.zone) : true;
    const here = location ? locationCovers(location, area) : inArea;
    if (!inArea || !here) {
      collected.otherAreas++;
      for (const z of covered ?? (location ? [location] : [])) collected.areasSeen.add(z);
      continue;
    }
    const summary = unescapeText(event.props.get('SUMMARY')?.value ?? '').trim();
    if (/enseignant/i.test(summary)) {
      collected.teachers++;
      continue;
    }
    const description = stripLocation(summary, location);
    if (!description) throw fileError(event.line, 'événement sans intitulé (SUMMARY).');
    const start = event.props.get('DTSTART');
    if (!start) throw fileError(event.line, `« ${description} » sans date de début (DTSTART).`);
    const departure = dayOf(start.value, area.timeZone, start.line, 'début');
    const end = event.props.get('DTEND');
    const resumption = end ? dayOf(end.value, area.timeZone, end.line, 'fin') : null;
    collected.raws.push({
      line: event.line,
      description,
      source: area.name,
      departure,
      resumption,
      // An ICS event has no school year: a period belongs to the one its departure falls in.
      schoolYear: schoolYearOf(departure),
    });
  }
  return collected;
}

/** The zones a feed's identifier names, or null when it names none. */
function coverageOfUid(uid: string): Set<string> | null {
  const m = /^\d{8}T\d{6}Z-(.+)@data\.education\.gouv\.fr$/i.exec(uid.trim());
  if (!m) return null;
  const what = m[1] as string;
  const zones = new Set<string>();
  if (/^Zone-/i.test(what)) {
    for (const part of what.slice(5).split('-')) {
      const zone = /^[ABC]$/i.test(part) ? `Zone ${part.toUpperCase()}` : findZone(part);
      if (zone) zones.add(zone);
    }
  } else {
    const zone = findZone(what) ?? findAcademie(what)?.zone;
    if (zone) zones.add(zone);
  }
  return zones.size ? zones : null;
}

/** Whether an event's LOCATION (« Zones A/B/C - Corse », « Zone B », « Réunion », a list of académies) is the area. */
function locationCovers(location: string, area: CalendarArea): boolean {
  for (const item of location.split(/\s+-\s+|,/)) {
    const letters = /^\s*zones?\s+([abc](?:\s*\/\s*[abc])*)\s*$/i.exec(item);
    if (letters) {
      const zones = (letters[1] as string).split('/').map((l) => `Zone ${l.trim().toUpperCase()}`);
      if (zones.includes(area.zone)) return true;
      continue;
    }
    const academie = findAcademie(item);
    if (academie) {
      if (
        area.kind === 'academie'
          ? placeKey(academie.name) === placeKey(area.name)
          : academie.zone === area.zone
      )
        return true;
      continue;
    }
    if (findZone(item) === area.zone) return true;
  }
  return false;
}

/** « Vacances de Noël - Zones A/B/C » → « Vacances de Noël »: the zone is the event's place, not its name. */
function stripLocation(summary: string, location: string): string {
  if (location && summary.endsWith(` - ${location}`)) return summary.slice(0, -(location.length + 3)).trim();
  return summary.replace(/\s+-\s+zones?\s+[abc](\s*\/\s*[abc])*(\s+-\s+corse)?$/i, '').trim();
}

// ---------------------------------------------------------------------------------------------------------------
// Periods

/** « Début des Vacances d'Été » names the summer whose end is not published: an open period. */
const OPENING = /^d[ée]but\s+des\s+/i;

/**
 * From the ministry's dates to days without class. « Début des Vacances d'Été » (departure only) is the summer of
 * the last published year: open-ended. A row whose two dates are one day (« Lundi de Pentecôte », a local holiday)
 * marks that day. A period given several times (by each académie of a zone, or cut by a feed where the zones
 * overlap, the second piece departing the day the first resumes) is one period.
 */
function toHolidays(raws: RawPeriod[], area: CalendarArea): SchoolHoliday[] {
  const named = raws.map((raw) => {
    const opening = OPENING.exec(raw.description);
    const open = opening !== null || raw.resumption === null;
    return {
      ...raw,
      name: opening ? capitalise(raw.description.slice(opening[0].length)) : raw.description,
      open,
      // A one-day row marks that day; it merges only with its twin.
      marker: !open && raw.resumption === raw.departure,
    };
  });
  for (const r of named) {
    const what = `« ${r.description} » ${r.schoolYear}`;
    const [y1, y2] = r.schoolYear.split('-');
    if (r.departure < `${y1}-08-01` || r.departure > `${y2}-08-31`)
      throw fileError(
        r.line,
        `${what} : le départ (${formatShortDate(r.departure)}) n’est pas dans l’année scolaire ${r.schoolYear}.`,
      );
    if (!r.open && (r.resumption as LocalDate) < r.departure)
      throw fileError(
        r.line,
        `${what} : la reprise (${formatShortDate(r.resumption as LocalDate)}) précède le départ (${formatShortDate(r.departure)}).`,
      );
  }
  if (area.kind === 'zone') checkZoneAgrees(named);

  named.sort((a, b) => a.departure.localeCompare(b.departure) || a.line - b.line);
  const merged: typeof named = [];
  for (const r of named) {
    const same = merged.find(
      (m) =>
        m.schoolYear === r.schoolYear &&
        m.name === r.name &&
        m.marker === r.marker &&
        (m.marker ? m.departure === r.departure : m.open || r.departure <= (m.resumption as LocalDate)),
    );
    if (!same) merged.push({ ...r });
    else if (r.open) same.open = true;
    else if (!same.open && (r.resumption as LocalDate) > (same.resumption as LocalDate))
      same.resumption = r.resumption;
  }

  const holidays: SchoolHoliday[] = [];
  for (const r of merged) {
    const base = { schoolYear: r.schoolYear, name: r.name };
    if (r.marker) {
      holidays.push({ ...base, firstDay: r.departure, lastDay: r.departure });
      continue;
    }
    const firstDay = addDaysTo(r.departure, 1);
    if (r.open) {
      holidays.push({ ...base, firstDay, lastDay: null });
      continue;
    }
    const lastDay = addDaysTo(r.resumption as LocalDate, -1);
    // Classes stopping one evening and resuming the next morning leave no day without school.
    if (lastDay < firstDay) continue;
    const days = eachLocalDate(firstDay, lastDay).length;
    if (days > LONGEST_PERIOD_DAYS)
      throw fileError(
        r.line,
        `« ${r.description} » ${r.schoolYear} : ${days} jours sans classe, du ${formatShortDate(firstDay)} au ${formatShortDate(lastDay)} : vérifiez les dates.`,
      );
    holidays.push({ ...base, firstDay, lastDay });
  }
  return holidays.sort((a, b) => a.firstDay.localeCompare(b.firstDay) || a.name.localeCompare(b.name, 'fr'));
}

/** A zone is one calendar only if its académies agree; otherwise the town must name its académie. */
function checkZoneAgrees(rows: (RawPeriod & { name: string })[]): void {
  const groups = new Map<string, Map<string, { dates: string[]; line: number }>>();
  for (const r of rows) {
    const key = `${r.schoolYear}|${r.name}`;
    const bySource = groups.get(key) ?? new Map<string, { dates: string[]; line: number }>();
    groups.set(key, bySource);
    const had = bySource.get(r.source) ?? { dates: [], line: r.line };
    had.dates.push(`${r.departure}…${r.resumption ?? ''}`);
    bySource.set(r.source, had);
  }
  for (const [key, bySource] of groups) {
    const sources = [...bySource.entries()].map(([source, v]) => ({
      source,
      line: v.line,
      dates: [...new Set(v.dates)].sort().join(' '),
    }));
    const first = sources[0];
    const other = sources.find((x) => x.dates !== first?.dates);
    if (!first || !other) continue;
    const [year, name] = key.split('|');
    throw fileError(
      null,
      `Lignes ${first.line} et ${other.line} : les académies de la zone n’ont pas les mêmes dates pour « ${name} » ${year} (${first.source} et ${other.source}). Choisissez l’académie de la commune plutôt que la zone.`,
    );
  }
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
