import { z } from 'zod';
import { DomainError } from '../api/envelope.ts';
import { id, isoDate, optionalText, requiredText } from '../api/fields.ts';
import { command, query } from '../api/operation.ts';
import { zoneSchema } from '../calendar/school-calendar.ts';
import {
  TOWN_TIME_ZONE_KEY,
  TOWN_TIME_ZONES,
  timeZoneLabel,
  townTimeZoneSchema,
} from '../calendar/time-zones.ts';
import { townTimeZone } from '../time.ts';
import { tariffDataSchema } from '../pricing/tariff.ts';
import { writeSetting } from '../db/settings.ts';
import { ACTIVITY_KINDS, activitySettingsSchema, UNIT_CODES } from './settings.ts';

/** The administrator's commands: the town's rules are data, changed here without code. */
export const adminOperations = {
  'admin.setTownCalendar': command({
    permission: 'admin',
    sync: 'local',
    label: 'Calendrier de la commune',
    input: z.object({ townName: requiredText(80), zone: zoneSchema, alsaceMoselle: z.boolean() }),
    async run({ db }, input) {
      await writeSetting(db, 'town.name', input.townName);
      await writeSetting(db, 'town.zone', input.zone);
      await writeSetting(db, 'town.alsaceMoselle', input.alsaceMoselle);
      return input;
    },
  }),

  /** The zone the town hall's clocks are in, and the ones it may choose (metropolitan France and overseas). */
  'admin.townTimeZone': query({
    permission: 'admin',
    label: 'Fuseau horaire de la commune',
    input: z.object({}),
    async run({ db }) {
      const timeZone = await townTimeZone(db);
      return {
        timeZone,
        label: timeZoneLabel(timeZone),
        choices: TOWN_TIME_ZONES.map((z) => ({ value: z.id, label: z.label })),
      };
    },
  }),

  /**
   * Sets the town's zone. A town setting, so the central server's value reaches every counter with sync; dates
   * already recorded (payments, bookings) stay as they were, only what is dated from now on follows the new zone.
   */
  'admin.setTimeZone': command({
    permission: 'admin',
    sync: 'local',
    label: 'Changement de fuseau horaire',
    input: z.object({ timeZone: townTimeZoneSchema }),
    async run({ db }, input) {
      await writeSetting(db, TOWN_TIME_ZONE_KEY, input.timeZone);
      return { timeZone: input.timeZone, label: timeZoneLabel(input.timeZone) };
    },
  }),

  'admin.saveSite': command({
    permission: 'admin',
    sync: 'local',
    label: 'Enregistrement d’un site',
    input: z.object({ siteId: id().optional(), name: requiredText(80), address: optionalText(160) }),
    prepare: (input, ctx) => ({ ...input, siteId: input.siteId ?? ctx.newId() }),
    async run({ db }, input) {
      const siteId = input.siteId;
      await db
        .insertInto('sites')
        .values({ id: siteId, name: input.name, address: input.address })
        .onConflict((oc) => oc.column('id').doUpdateSet({ name: input.name, address: input.address }))
        .execute();
      return { siteId };
    },
  }),

  'admin.saveActivity': command({
    permission: 'admin',
    sync: 'local',
    label: 'Enregistrement d’une activité',
    input: z.object({
      activityId: id().optional(),
      code: z.string().regex(/^[a-z0-9_-]{2,30}$/, { message: 'code en minuscules, 2 à 30 caractères' }),
      name: requiredText(80),
      kind: z.enum(ACTIVITY_KINDS, { message: 'type d’activité inconnu' }),
      sort: z.int().min(0).max(999).default(0),
      settings: activitySettingsSchema,
      units: z
        .array(
          z.object({
            unitId: id().optional(),
            code: z.enum(UNIT_CODES, { message: 'unité inconnue' }),
            label: requiredText(40),
            weekdays: z.array(z.int().min(1).max(7)).min(1, { message: 'aucun jour' }),
          }),
        )
        .min(1, { message: 'au moins une unité' }),
      siteIds: z.array(id()).min(1, { message: 'au moins un site' }),
      groups: z
        .array(
          z.object({
            groupId: id().optional(),
            name: requiredText(80),
            places: z.int().min(1).nullable().default(null),
          }),
        )
        .default([]),
    }),
    prepare: (input, ctx) => ({
      ...input,
      activityId: input.activityId ?? ctx.newId(),
      units: input.units.map((u) => ({ ...u, unitId: u.unitId ?? ctx.newId() })),
      groups: input.groups.map((g) => ({ ...g, groupId: g.groupId ?? ctx.newId() })),
    }),
    async run({ db, now }, input) {
      const activityId = input.activityId;
      const codes = input.units.map((u) => u.code);
      if (new Set(codes).size !== codes.length)
        throw new DomainError('VALIDATION', 'Deux unités ont le même code.', 'units');
      const sameCode = await db
        .selectFrom('activities')
        .select('id')
        .where('code', '=', input.code)
        .executeTakeFirst();
      if (sameCode && sameCode.id !== activityId)
        throw new DomainError('CONFLICT', 'Une autre activité porte déjà ce code.', 'code');
      const sites = await db.selectFrom('sites').select('id').where('id', 'in', input.siteIds).execute();
      if (sites.length !== new Set(input.siteIds).size)
        throw new DomainError('NOT_FOUND', 'Site inconnu.', 'siteIds');
      const row = {
        code: input.code,
        name: input.name,
        kind: input.kind,
        settings: JSON.stringify(input.settings),
        sort: input.sort,
        updated_at: now.toISOString(),
      };
      await db
        .insertInto('activities')
        .values({ id: activityId, ...row })
        .onConflict((oc) => oc.column('id').doUpdateSet(row))
        .execute();
      for (const [i, u] of input.units.entries()) {
        const unitRow = {
          code: u.code,
          label: u.label,
          weekdays: JSON.stringify([...u.weekdays].sort()),
          sort: i,
        };
        await db
          .insertInto('units')
          .values({ id: u.unitId, activity_id: activityId, ...unitRow })
          .onConflict((oc) => oc.column('id').doUpdateSet(unitRow))
          .execute();
      }
      await db.deleteFrom('activity_sites').where('activity_id', '=', activityId).execute();
      await db
        .insertInto('activity_sites')
        .values([...new Set(input.siteIds)].map((siteId) => ({ activity_id: activityId, site_id: siteId })))
        .execute();
      for (const g of input.groups) {
        await db
          .insertInto('groups')
          .values({ id: g.groupId, activity_id: activityId, name: g.name, places: g.places })
          .onConflict((oc) => oc.column('id').doUpdateSet({ name: g.name, places: g.places }))
          .execute();
      }
      return {
        activityId,
        unitIds: Object.fromEntries(input.units.map((u) => [u.code, u.unitId])),
      };
    },
  }),

  'admin.setCapacity': command({
    permission: 'admin',
    sync: 'local',
    label: 'Capacité d’accueil',
    input: z.object({
      siteId: id(),
      unitId: id(),
      date: isoDate().nullable().default(null),
      places: z.int({ message: 'nombre entier attendu' }).min(0).max(10_000).nullable(),
    }),
    async run({ db, newId }, input) {
      const unit = await db
        .selectFrom('units')
        .select('id')
        .where('id', '=', input.unitId)
        .executeTakeFirst();
      if (!unit) throw new DomainError('NOT_FOUND', 'Unité introuvable.', 'unitId');
      const site = await db
        .selectFrom('sites')
        .select('id')
        .where('id', '=', input.siteId)
        .executeTakeFirst();
      if (!site) throw new DomainError('NOT_FOUND', 'Site introuvable.', 'siteId');
      let del = db
        .deleteFrom('capacities')
        .where('site_id', '=', input.siteId)
        .where('unit_id', '=', input.unitId);
      del = input.date === null ? del.where('date', 'is', null) : del.where('date', '=', input.date);
      await del.execute();
      if (input.places !== null) {
        await db
          .insertInto('capacities')
          .values({
            id: newId(),
            site_id: input.siteId,
            unit_id: input.unitId,
            date: input.date,
            places: input.places,
          })
          .execute();
      }
      return { places: input.places };
    },
  }),

  'admin.addClosure': command({
    permission: 'admin',
    sync: 'local',
    label: 'Ajout d’une fermeture',
    input: z
      .object({
        closureId: id().optional(),
        siteId: id().nullable().default(null),
        firstDay: isoDate(),
        lastDay: isoDate(),
        label: requiredText(80),
      })
      .refine((c) => c.firstDay <= c.lastDay, {
        message: 'le dernier jour précède le premier',
        path: ['lastDay'],
      }),
    prepare: (input, ctx) => ({ ...input, closureId: input.closureId ?? ctx.newId() }),
    async run({ db }, input) {
      await db
        .insertInto('closures')
        .values({
          id: input.closureId,
          site_id: input.siteId,
          first_day: input.firstDay,
          last_day: input.lastDay,
          label: input.label,
        })
        .execute();
      return { closureId: input.closureId };
    },
  }),

  'admin.saveTariff': command({
    permission: 'admin',
    sync: 'local',
    label: 'Enregistrement d’un tarif',
    input: z
      .object({
        tariffId: id().optional(),
        activityId: id(),
        unitCode: z.enum(UNIT_CODES),
        validFrom: isoDate(),
        validTo: isoDate().nullable().default(null),
        data: tariffDataSchema,
      })
      .refine((t) => t.validTo === null || t.validFrom <= t.validTo, {
        message: 'fin avant le début',
        path: ['validTo'],
      }),
    prepare: (input, ctx) => ({ ...input, tariffId: input.tariffId ?? ctx.newId() }),
    async run({ db }, input) {
      const activity = await db
        .selectFrom('activities')
        .select('id')
        .where('id', '=', input.activityId)
        .executeTakeFirst();
      if (!activity) throw new DomainError('NOT_FOUND', 'Activité introuvable.', 'activityId');
      await db
        .insertInto('tariffs')
        .values({
          id: input.tariffId,
          activity_id: input.activityId,
          unit_code: input.unitCode,
          valid_from: input.validFrom,
          valid_to: input.validTo,
          data: JSON.stringify(input.data),
        })
        .execute();
      return { tariffId: input.tariffId };
    },
  }),
};
