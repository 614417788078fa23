import type { Kysely } from 'kysely';
import { localDateOf, type LocalDate } from './calendar/local-date.ts';
import {
  DEFAULT_TOWN_TIME_ZONE,
  TOWN_TIME_ZONE_KEY,
  townTimeZoneSchema,
  type TownTimeZone,
} from './calendar/time-zones.ts';
import type { Database } from './db/schema.ts';
import { readSetting } from './db/settings.ts';
import { setupCached } from './db/setup-cache.ts';

/**
 * The town's time zone, from its settings. An operation reads it once and hands it to the pure rules (deadlines,
 * « today »), so that no result depends on the zone of the machine the core runs on.
 */
export function townTimeZone(db: Kysely<Database>): Promise<TownTimeZone> {
  // Read once per push under its cache (core/db/setup-cache.ts), as the setting it comes from.
  return setupCached(db, 'town-time-zone', async () => {
    const parsed = townTimeZoneSchema.safeParse(await readSetting(db, TOWN_TIME_ZONE_KEY));
    return parsed.success ? parsed.data : DEFAULT_TOWN_TIME_ZONE;
  });
}

/** The town's day at `instant`, 'YYYY-MM-DD', whatever the machine's time zone. */
export const townDate = (instant: Date, zone: TownTimeZone): LocalDate => localDateOf(instant, zone);

/** The town's month at `instant`, 'YYYY-MM': the month whose QF and tariffs apply. */
export const townMonth = (instant: Date, zone: TownTimeZone): string =>
  localDateOf(instant, zone).slice(0, 7);
