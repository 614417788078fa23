import type { Kysely } from 'kysely';
import { loadActivities } from '../activities/config.ts';
import { mealUnitCodes } from '../activities/settings.ts';
import type { LocalDate } from '../calendar/local-date.ts';
import { chunks } from '../db/chunks.ts';
import type { Database } from '../db/schema.ts';
import { sheetHealth, type SheetHealth } from '../health/records.ts';

/** The meals a site's kitchen prepares on a day, with what the fiches sanitaires ask of them. */
export interface SiteMeals {
  siteId: string;
  siteName: string;
  /** Every meal booked (or noted present without booking): what the kitchen serves. */
  meals: number;
  byActivity: { activityName: string; unitLabel: string; meals: number }[];
  withoutMeat: number;
  /** A menu without the allergen the child's fiche names. */
  adapted: number;
  /** The family brings the meal (PAI): counted, not cooked. */
  packed: number;
  /** Children with a PAI among them, whatever their meal. */
  pai: number;
}

export interface DayMeals {
  date: LocalDate;
  meals: number;
  sites: SiteMeals[];
}

/**
 * The kitchen's counts, site by site and day by day: the meals booked of every unit that includes one (the canteen's
 * « repas », a holiday centre's « journée avec repas »), and of them how many are meatless, adapted, brought by the
 * family, and how many children have a PAI. Numbers only: no name leaves with them. Days without a meal are left
 * out.
 */
export async function mealCounts(
  db: Kysely<Database>,
  req: { from: LocalDate; to: LocalDate; siteId?: string },
): Promise<DayMeals[]> {
  const activities = await loadActivities(db);
  const mealUnits = activities.flatMap((a) =>
    a.units
      .filter((u) => mealUnitCodes(a.settings).includes(u.code))
      .map((u) => ({ unitId: u.id, unitLabel: u.label, activityName: a.name })),
  );
  if (mealUnits.length === 0) return [];
  let q = db
    .selectFrom('bookings')
    .innerJoin('sites', 'sites.id', 'bookings.site_id')
    .select([
      'bookings.date',
      'bookings.site_id',
      'sites.name as siteName',
      'bookings.unit_id',
      'bookings.child_id',
    ])
    .where(
      'bookings.unit_id',
      'in',
      mealUnits.map((u) => u.unitId),
    )
    .where('bookings.state', '=', 'booked')
    .where('bookings.date', '>=', req.from)
    .where('bookings.date', '<=', req.to)
    // An absence noted (the day has come) is a meal the kitchen no longer serves.
    .where((eb) => eb.or([eb('bookings.attendance', 'is', null), eb('bookings.attendance', '=', 'present')]));
  if (req.siteId) q = q.where('bookings.site_id', '=', req.siteId);
  const rows = await q.orderBy('bookings.date').orderBy('sites.name').execute();
  const health = new Map<string, SheetHealth>();
  for (const slice of chunks([...new Set(rows.map((r) => r.child_id))], 5_000))
    for (const [id, h] of await sheetHealth(db, slice)) health.set(id, h);

  const days = new Map<LocalDate, Map<string, SiteMeals>>();
  for (const r of rows) {
    const sites = days.get(r.date) ?? new Map<string, SiteMeals>();
    days.set(r.date, sites);
    const site = sites.get(r.site_id) ?? {
      siteId: r.site_id,
      siteName: r.siteName,
      meals: 0,
      byActivity: [],
      withoutMeat: 0,
      adapted: 0,
      packed: 0,
      pai: 0,
    };
    sites.set(r.site_id, site);
    const unit = mealUnits.find((u) => u.unitId === r.unit_id)!;
    let line = site.byActivity.find(
      (l) => l.activityName === unit.activityName && l.unitLabel === unit.unitLabel,
    );
    if (!line) {
      line = { activityName: unit.activityName, unitLabel: unit.unitLabel, meals: 0 };
      site.byActivity.push(line);
    }
    line.meals += 1;
    site.meals += 1;
    const marks = health.get(r.child_id)?.marks;
    if (marks?.meal === 'without_meat') site.withoutMeat += 1;
    if (marks?.meal === 'adapted') site.adapted += 1;
    if (marks?.meal === 'packed') site.packed += 1;
    if (marks?.pai) site.pai += 1;
  }
  return [...days].map(([date, sites]) => {
    const list = [...sites.values()];
    return { date, meals: list.reduce((n, s) => n + s.meals, 0), sites: list };
  });
}
