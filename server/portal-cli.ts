import { parseArgs } from 'node:util';

/**
 * Plays a family booking online: `node server/portal-cli.ts --url http://127.0.0.1:8787 --household H --child C
 * --activity A --site S --unit evening --date 2026-09-21 [--cancel]` (portal token in GF_PORTAL_TOKEN).
 */
const { values } = parseArgs({
  options: {
    url: { type: 'string', default: 'http://127.0.0.1:8787' },
    household: { type: 'string' },
    child: { type: 'string' },
    activity: { type: 'string' },
    site: { type: 'string' },
    unit: { type: 'string', multiple: true },
    date: { type: 'string', multiple: true },
    cancel: { type: 'boolean', default: false },
  },
});
const res = await fetch(`${values.url}/portal/bookings`, {
  method: 'POST',
  headers: {
    authorization: `Bearer ${process.env.GF_PORTAL_TOKEN ?? ''}`,
    'content-type': 'application/json',
  },
  body: JSON.stringify({
    action: values.cancel ? 'cancel' : 'book',
    householdId: values.household,
    childId: values.child,
    activityId: values.activity,
    siteId: values.site,
    unitCodes: values.unit ?? [],
    selection: { kind: 'days', dates: values.date ?? [] },
  }),
});
console.log(res.status, JSON.stringify(await res.json(), null, 2));
process.exitCode = res.ok ? 0 : 1;
