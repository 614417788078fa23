import { z } from 'zod';

/**
 * The time zones a town may be in, with the words an administrator chooses from. Metropolitan France and the
 * overseas départements the app serves; every date and deadline of the town is on its own wall clock, never on
 * the counter PC's (RULES.md, « Time, facts and calendars »).
 */
export const TOWN_TIME_ZONES = [
  { id: 'Europe/Paris', label: 'France métropolitaine (heure de Paris, UTC+1, UTC+2 en été)' },
  { id: 'Indian/Reunion', label: 'La Réunion (UTC+4)' },
  { id: 'America/Guadeloupe', label: 'Guadeloupe (UTC−4)' },
  { id: 'America/Martinique', label: 'Martinique (UTC−4)' },
  { id: 'America/Cayenne', label: 'Guyane (UTC−3)' },
  { id: 'Indian/Mayotte', label: 'Mayotte (UTC+3)' },
] as const;

export type TownTimeZone = (typeof TOWN_TIME_ZONES)[number]['id'];

/** A town that never chose: the metropolitan one, as every town was before the setting existed. */
export const DEFAULT_TOWN_TIME_ZONE: TownTimeZone = 'Europe/Paris';

/** The settings key; a town setting (not `device.`), so the central server's value reaches every counter. */
export const TOWN_TIME_ZONE_KEY = 'town.timeZone';

const ids = TOWN_TIME_ZONES.map((z) => z.id) as [TownTimeZone, ...TownTimeZone[]];

export const townTimeZoneSchema = z.enum(ids, {
  message:
    'fuseau horaire non pris en charge (métropole, La Réunion, Guadeloupe, Martinique, Guyane, Mayotte)',
});

export function timeZoneLabel(zone: TownTimeZone): string {
  return TOWN_TIME_ZONES.find((z) => z.id === zone)?.label ?? zone;
}

// « 18:05 » at an instant, on the town's clock: worded the same way on the screens.
export { timeOfDay } from '../../shared/wall-clock.ts';
