import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { DomainError } from '../api/envelope.ts';
import { requiredText } from '../api/fields.ts';
import { command, query } from '../api/operation.ts';
import type { Database } from '../db/schema.ts';
import { readSetting } from '../db/settings.ts';
import { townDate, townTimeZone } from '../time.ts';
import { areaChoices } from './academies.ts';
import { parseSchoolCalendarFile } from './school-calendar-file.ts';
import { applyImport, CALENDAR_AREA_SETTING, planImport } from './school-calendar-import.ts';
import { holidayLabel, loadSchoolCalendar, nextSchoolYear, schoolYearOf } from './school-calendar.ts';

/**
 * The largest file taken: what the central server accepts in one request (4 MB). A counter's screen sends at most
 * a million characters per call; past that it keeps the lines of the chosen académie (renderer, fitToSend).
 */
export const MAX_CALENDAR_FILE_CHARS = 3_500_000;

const fileInput = z.object({
  fileText: z
    .string({ message: 'fichier attendu' })
    .min(1, { message: 'le fichier est vide' })
    .max(MAX_CALENDAR_FILE_CHARS, {
      message:
        'fichier trop volumineux : prenez l’export filtré sur votre académie ou le fichier ICS de votre zone',
    }),
  area: requiredText(60),
});

/** A counter linked to the server gets the calendar from it: imported here it would vanish at the next pull. */
async function refuseOnConnectedCounter(db: Kysely<Database>): Promise<void> {
  if (await readSetting(db, 'sync.serverUrl'))
    throw new DomainError(
      'FORBIDDEN',
      'Ce poste est relié au serveur central : le calendrier scolaire s’importe sur le serveur (node server/admin-cli.ts import-calendar <fichier> <académie>) et arrive ici à la synchronisation.',
    );
}

export const calendarOperations = {
  /** The town's stored calendar, year by year, and the school years a booking would find missing. */
  'admin.schoolCalendar': query({
    permission: 'admin',
    label: 'Calendrier scolaire',
    input: z.object({}),
    async run({ db, now }) {
      const calendar = await loadSchoolCalendar(db);
      const current = schoolYearOf(townDate(now, await townTimeZone(db)));
      return {
        area: (await readSetting<string>(db, CALENDAR_AREA_SETTING)) ?? null,
        connected: (await readSetting(db, 'sync.serverUrl')) !== undefined,
        years: calendar.years.map((schoolYear) => ({
          schoolYear,
          holidays: calendar.holidays
            .filter((h) => h.schoolYear === schoolYear)
            .map((h) => ({ ...h, label: holidayLabel(h.name) })),
        })),
        /** This school year and the next, when not imported: their days cannot be booked. */
        missing: [current, nextSchoolYear(current)].filter((y) => !calendar.years.includes(y)),
        areas: areaChoices(),
      };
    },
  }),

  /** What importing this file would add, change and remove: nothing is written. */
  'admin.previewSchoolCalendar': query({
    permission: 'admin',
    label: 'Aperçu d’un import du calendrier scolaire',
    input: fileInput,
    async run({ db }, input) {
      await refuseOnConnectedCounter(db);
      return (await planImport(db, parseSchoolCalendarFile(input.fileText, input.area))).preview;
    },
  }),

  /**
   * Imports the ministry's file (CSV export or ICS feed) for the town's académie or zone, as the preview showed it:
   * the school years the file gives replace the stored ones, in one transaction.
   */
  'admin.importSchoolCalendar': command({
    permission: 'admin',
    sync: 'local',
    label: 'Import du calendrier scolaire',
    input: fileInput.extend({
      /** The preview's fingerprint: if the stored calendar changed since, the import is refused, not guessed. */
      digest: z.string().max(64).optional(),
    }),
    // The file itself (up to a megabyte) stays out of the log: what it held is now in the table.
    logInput: ({ fileText, ...rest }) => ({
      ...rest,
      fileChars: fileText.length,
      fileSha256: createHash('sha256').update(fileText).digest('hex'),
    }),
    async run({ db, newId, now }, input) {
      await refuseOnConnectedCounter(db);
      const plan = await planImport(db, parseSchoolCalendarFile(input.fileText, input.area));
      if (input.digest !== undefined && input.digest !== plan.preview.digest)
        throw new DomainError(
          'CONFLICT',
          'Le calendrier enregistré a changé depuis l’aperçu (un autre import ?) : affichez de nouveau ce que l’import change avant d’importer.',
        );
      await applyImport(db, plan, { newId, now });
      return plan.preview;
    },
  }),
};
