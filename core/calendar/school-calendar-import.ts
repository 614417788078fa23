import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { readSetting, writeSetting } from '../db/settings.ts';
import type { ParsedCalendar } from './school-calendar-file.ts';
import { holidayLabel, type SchoolHoliday } from './school-calendar.ts';

/** Where the town's académie (or zone) is remembered, for the next import. */
export const CALENDAR_AREA_SETTING = 'calendar.area';

export type PeriodChange = 'added' | 'changed' | 'removed' | 'unchanged';

export interface PeriodLine {
  name: string;
  /** « Noël », as the agent reads it in a refusal. */
  label: string;
  firstDay: string;
  lastDay: string | null;
  change: PeriodChange;
  /** The stored days a changed period had. */
  before: { firstDay: string; lastDay: string | null } | null;
}

export interface YearLine {
  schoolYear: string;
  /** « new »: nothing was stored for that year; « unchanged »: the import would write nothing. */
  status: 'new' | 'changed' | 'unchanged';
  periods: PeriodLine[];
}

/** What an import adds and changes, year by year: shown first, then applied as shown. */
export interface ImportPreview {
  format: 'csv' | 'ics';
  area: { name: string; zone: string; kind: 'academie' | 'zone' };
  years: YearLine[];
  counts: Record<PeriodChange, number>;
  ignored: ParsedCalendar['ignored'];
  /** Fingerprint of this preview: the import refuses to run if the store changed since it was shown. */
  digest: string;
}

interface StoredRow {
  id: string;
  school_year: string;
  name: string;
  first_day: string;
  last_day: string | null;
}

interface Plan {
  preview: ImportPreview;
  writes: { id: string | null; removed: boolean; holiday: SchoolHoliday }[];
}

/**
 * Compares the file's periods with the stored ones, school year by school year: a year the file gives replaces
 * what is stored for it; the other years stay. Periods are paired by name, in order, so moved dates read as a
 * change of that period rather than one removed and one added.
 */
export async function planImport(db: Kysely<Database>, parsed: ParsedCalendar): Promise<Plan> {
  const stored: StoredRow[] = await db
    .selectFrom('school_holidays')
    .select(['id', 'school_year', 'name', 'first_day', 'last_day'])
    .where('school_year', 'in', parsed.years)
    .orderBy('first_day')
    .orderBy('id')
    .execute();
  const years: YearLine[] = [];
  const writes: Plan['writes'] = [];
  const counts: Record<PeriodChange, number> = { added: 0, changed: 0, removed: 0, unchanged: 0 };
  for (const schoolYear of parsed.years) {
    const before = stored.filter((s) => s.school_year === schoolYear);
    const after = parsed.holidays.filter((h) => h.schoolYear === schoolYear);
    const periods: PeriodLine[] = [];
    const used = new Set<StoredRow>();
    for (const h of after) {
      const old = before.find((s) => s.name === h.name && !used.has(s));
      if (old) used.add(old);
      const same = old && old.first_day === h.firstDay && old.last_day === h.lastDay;
      const change: PeriodChange = !old ? 'added' : same ? 'unchanged' : 'changed';
      periods.push({
        name: h.name,
        label: holidayLabel(h.name),
        firstDay: h.firstDay,
        lastDay: h.lastDay,
        change,
        before: old && !same ? { firstDay: old.first_day, lastDay: old.last_day } : null,
      });
      if (change !== 'unchanged') writes.push({ id: old?.id ?? null, removed: false, holiday: h });
    }
    for (const old of before.filter((s) => !used.has(s))) {
      periods.push({
        name: old.name,
        label: holidayLabel(old.name),
        firstDay: old.first_day,
        lastDay: old.last_day,
        change: 'removed',
        before: null,
      });
      writes.push({
        id: old.id,
        removed: true,
        holiday: { schoolYear, name: old.name, firstDay: old.first_day, lastDay: old.last_day },
      });
    }
    periods.sort((a, b) => a.firstDay.localeCompare(b.firstDay));
    for (const p of periods) counts[p.change]++;
    years.push({
      schoolYear,
      status:
        before.length === 0
          ? 'new'
          : periods.every((p) => p.change === 'unchanged')
            ? 'unchanged'
            : 'changed',
      periods,
    });
  }
  const area = { name: parsed.area.name, zone: parsed.area.zone, kind: parsed.area.kind };
  const digest = createHash('sha256').update(JSON.stringify({ area, years })).digest('hex').slice(0, 32);
  return {
    preview: { format: parsed.format, area, years, counts, ignored: parsed.ignored, digest },
    writes,
  };
}

/**
 * Writes what the preview showed, and only that: an unchanged period is not rewritten, so a re-import of the same
 * file sends nothing to the counters.
 */
export async function applyImport(
  db: Kysely<Database>,
  plan: Plan,
  options: { newId: () => string; now: Date },
): Promise<void> {
  const area = plan.preview.area.name;
  const importedAt = options.now.toISOString();
  for (const w of plan.writes) {
    if (w.removed) {
      await db
        .deleteFrom('school_holidays')
        .where('id', '=', w.id as string)
        .execute();
      continue;
    }
    const row = {
      school_year: w.holiday.schoolYear,
      name: w.holiday.name,
      first_day: w.holiday.firstDay,
      last_day: w.holiday.lastDay,
      area,
      imported_at: importedAt,
    };
    if (w.id) await db.updateTable('school_holidays').set(row).where('id', '=', w.id).execute();
    else
      await db
        .insertInto('school_holidays')
        .values({ id: options.newId(), ...row })
        .execute();
  }
  if ((await readSetting(db, CALENDAR_AREA_SETTING)) !== area)
    await writeSetting(db, CALENDAR_AREA_SETTING, area);
}
