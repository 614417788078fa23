import { z } from 'zod';
import { id } from '../api/fields.ts';
import { query, type QueryContext } from '../api/operation.ts';
import { signedInMay } from '../auth/authorize.ts';
import type { Permission } from '../auth/roles.ts';
import { townDate, townTimeZone } from '../time.ts';
import { familyAlerts } from './family-alerts.ts';
import { invoicesToWatch, pendingRequests, tillGlance, toSettle } from './home.ts';
import { recentFamilies } from './recent-families.ts';

/** How many families the home page lists as recent. */
const RECENT = 6;

const may = (ctx: QueryContext, permission: Permission) => signedInMay(ctx.session, ctx.now, permission);

/**
 * What a role needs to see at a glance, in one answer each: the home page, and the header of a family's file. Each
 * part is there only for the roles that may read it (the rest is null), so the screen shows what it gets.
 */
export const overviewOperations = {
  'overview.home': query({
    permission: 'family.read',
    label: 'Accueil du guichet',
    input: z.object({}),
    async run(ctx) {
      const { db, actor, now } = ctx;
      const zone = await townTimeZone(db);
      const today = townDate(now, zone);
      const [till, invoices, requests, settle, recent] = await Promise.all([
        may(ctx, 'payment.take') || may(ctx, 'regie') ? tillGlance(db, actor.deviceId, now, zone) : null,
        may(ctx, 'billing.run') ? invoicesToWatch(db, today) : null,
        pendingRequests(db),
        toSettle(db),
        recentFamilies(db, actor.agentId, RECENT),
      ]);
      return {
        today,
        till,
        mayOpenTill: may(ctx, 'regie'),
        invoices,
        pendingRequests: requests,
        toSettle: settle,
        recentFamilies: recent,
      };
    },
  }),

  'overview.family': query({
    permission: 'family.read',
    label: 'En-tête d’un dossier famille',
    input: z.object({ householdId: id() }),
    async run(ctx, input) {
      const today = townDate(ctx.now, await townTimeZone(ctx.db));
      return familyAlerts(ctx.db, input.householdId, today, {
        billing: may(ctx, 'billing.read'),
        health: may(ctx, 'health'),
      });
    },
  }),
};
