import type { Kysely } from 'kysely';
import { loadActivities, type Activity, type Unit } from '../activities/config.ts';
import { chunks } from '../db/chunks.ts';
import type { Database } from '../db/schema.ts';
import type { QfRecord } from '../family/qf.ts';
import { tariffDataSchema } from '../pricing/tariff.ts';
import type { DatedTariff } from './rules.ts';

/** What pricing reads about the town's set-up, loaded once per run rather than once per booking. */
export interface Catalogue {
  activities: Map<string, Activity>;
  units: Map<string, { activity: Activity; unit: Unit }>;
  tariffsOf(activityId: string, unitCode: string): readonly DatedTariff[];
}

export async function loadCatalogue(db: Kysely<Database>): Promise<Catalogue> {
  const [activities, tariffRows] = await Promise.all([
    loadActivities(db),
    db.selectFrom('tariffs').selectAll().orderBy('valid_from', 'desc').execute(),
  ]);
  const tariffs = new Map<string, DatedTariff[]>();
  for (const t of tariffRows) {
    const key = `${t.activity_id}|${t.unit_code}`;
    const list = tariffs.get(key) ?? [];
    list.push({
      validFrom: t.valid_from,
      validTo: t.valid_to,
      data: tariffDataSchema.parse(JSON.parse(t.data)),
    });
    tariffs.set(key, list);
  }
  const units = new Map<string, { activity: Activity; unit: Unit }>();
  for (const activity of activities)
    for (const unit of activity.units) units.set(unit.id, { activity, unit });
  return {
    activities: new Map(activities.map((a) => [a.id, a])),
    units,
    tariffsOf: (activityId, unitCode) => tariffs.get(`${activityId}|${unitCode}`) ?? [],
  };
}

export async function loadQfHistories(
  db: Kysely<Database>,
  householdIds: readonly string[],
): Promise<Map<string, QfRecord[]>> {
  const out = new Map<string, QfRecord[]>();
  for (const slice of chunks([...new Set(householdIds)], 5000)) {
    const rows = await db.selectFrom('qf_records').selectAll().where('household_id', 'in', slice).execute();
    for (const q of rows) {
      const list = out.get(q.household_id) ?? [];
      list.push({
        id: q.id,
        value: q.value,
        source: q.source,
        effectiveMonth: q.effective_month,
        endMonth: q.end_month,
        recordedAt: q.recorded_at,
      });
      out.set(q.household_id, list);
    }
  }
  return out;
}
