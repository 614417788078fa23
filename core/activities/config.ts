import type { Kysely } from 'kysely';
import { DomainError } from '../api/envelope.ts';
import type { Weekday } from '../calendar/local-date.ts';
import type { OpeningCalendar } from '../calendar/openings.ts';
import { loadSchoolCalendar } from '../calendar/school-calendar.ts';
import type { Database } from '../db/schema.ts';
import { readSetting } from '../db/settings.ts';
import { setupCached } from '../db/setup-cache.ts';
import {
  activitySettingsSchema,
  type ActivityKind,
  type ActivitySettings,
  type UnitCode,
} from './settings.ts';

export interface Unit {
  id: string;
  code: UnitCode;
  label: string;
  weekdays: Weekday[];
}

export interface Activity {
  id: string;
  code: string;
  name: string;
  kind: ActivityKind;
  settings: ActivitySettings;
  units: Unit[];
  sites: { id: string; name: string }[];
  groups: { id: string; name: string; places: number | null }[];
}

export function loadActivities(db: Kysely<Database>): Promise<Activity[]> {
  return setupCached(db, 'activities', () => readActivities(db));
}

async function readActivities(db: Kysely<Database>): Promise<Activity[]> {
  const [activities, units, sites, groups] = await Promise.all([
    db.selectFrom('activities').selectAll().orderBy('sort').execute(),
    db.selectFrom('units').selectAll().orderBy('sort').execute(),
    db
      .selectFrom('activity_sites')
      .innerJoin('sites', 'sites.id', 'activity_sites.site_id')
      .select(['activity_sites.activity_id', 'sites.id', 'sites.name'])
      .orderBy('sites.name')
      .execute(),
    db.selectFrom('groups').selectAll().orderBy('name').execute(),
  ]);
  return activities.map((a) => ({
    id: a.id,
    code: a.code,
    name: a.name,
    kind: a.kind as ActivityKind,
    settings: activitySettingsSchema.parse(JSON.parse(a.settings)),
    units: units
      .filter((u) => u.activity_id === a.id)
      .map((u) => ({
        id: u.id,
        code: u.code as UnitCode,
        label: u.label,
        weekdays: JSON.parse(u.weekdays) as Weekday[],
      })),
    sites: sites.filter((s) => s.activity_id === a.id).map((s) => ({ id: s.id, name: s.name })),
    groups: groups
      .filter((g) => g.activity_id === a.id)
      .map((g) => ({ id: g.id, name: g.name, places: g.places })),
  }));
}

export async function loadActivity(db: Kysely<Database>, activityId: string): Promise<Activity> {
  const activity = (await loadActivities(db)).find((a) => a.id === activityId);
  if (!activity) throw new DomainError('NOT_FOUND', 'Activité introuvable.', 'activityId');
  return activity;
}

/**
 * The town's calendar as the opening rules need it: the imported school calendar, the closures of one site and the
 * town-wide ones.
 */
export function loadOpeningCalendar(db: Kysely<Database>, siteId: string): Promise<OpeningCalendar> {
  return setupCached(db, `openings:${siteId}`, () => readOpeningCalendar(db, siteId));
}

async function readOpeningCalendar(db: Kysely<Database>, siteId: string): Promise<OpeningCalendar> {
  const [school, alsaceMoselle, closures] = await Promise.all([
    loadSchoolCalendar(db),
    readSetting<boolean>(db, 'town.alsaceMoselle'),
    db
      .selectFrom('closures')
      .select(['first_day', 'last_day', 'label'])
      .where((eb) => eb.or([eb('site_id', 'is', null), eb('site_id', '=', siteId)]))
      .execute(),
  ]);
  return {
    school,
    alsaceMoselle: alsaceMoselle ?? false,
    closures: closures.map((c) => ({ firstDay: c.first_day, lastDay: c.last_day, label: c.label })),
  };
}
