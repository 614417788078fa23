import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOWN_TIME_ZONE_KEY } from '../calendar/time-zones.ts';
import { LOCAL_SETTING_PREFIXES } from '../sync/tables.ts';
import { TEST_PASSWORD } from '../test/fixtures.ts';
import { demoTown, type DemoTown } from '../test/town.ts';
import { readSetting } from '../db/settings.ts';

/*
 * An overseas town on a PC whose own zone is something else again: nothing the town sees may move. The process
 * zone is switched here (Node re-reads TZ when it is set), so these tests mean the same on any machine; CI also
 * runs the whole suite under Europe/Paris, America/Cayenne and Pacific/Kiritimati.
 */
let processZone: string | undefined;
const setProcessZone = (zone: string) => {
  process.env.TZ = zone;
};
beforeAll(() => {
  processZone = process.env.TZ;
});
afterAll(() => {
  if (processZone === undefined) delete process.env.TZ;
  else process.env.TZ = processZone;
});

const hasPdftotext = (() => {
  try {
    execFileSync('pdftotext', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

function receiptText(base64: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'gf-receipt-')), 'recu.pdf');
  writeFileSync(file, Buffer.from(base64, 'base64'));
  return execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).replace(
    /[\u00a0\u202f]/g,
    ' ',
  );
}

async function overseasTown(timeZone: 'Indian/Reunion' | 'America/Cayenne') {
  const t = await demoTown('2026-11-20T10:00:00Z');
  await t.call('admin.setTimeZone', { timeZone });
  await t.call('enrolment.enrol', {
    childId: t.zoe,
    activityId: t.demo.canteen.activityId,
    schoolYear: '2026-2027',
    siteId: null,
  });
  return t;
}

/** Monday 7 December 2026's meal, asked by the family on the portal. */
const mondayMeal = (t: DemoTown) => ({
  childId: t.zoe,
  activityId: t.demo.canteen.activityId,
  siteId: t.demo.sites.jaures,
  unitCodes: ['meal' as const],
  selection: { kind: 'days' as const, dates: ['2026-12-07'] },
  origin: 'portal' as const,
});

/** A cash payment of 10 € on a till opened at that instant, as the régisseur takes it. */
async function payAt(t: DemoTown, instant: string) {
  t.at(instant);
  await t.call('regie.openSession', { floatCents: 0 });
  const paid = await t.call('payment.record', {
    householdId: t.householdId,
    mode: 'cash',
    amountCents: 1000,
  });
  return { paid, detail: await t.call('payment.get', { paymentId: paid.paymentId }) };
}

describe('the town’s zone is a setting', () => {
  it('defaults to Paris, is set by the administrator only, to a zone of the table, and travels with sync', async () => {
    const t = await demoTown('2026-12-04T09:00:00Z');
    expect(await t.call('system.clock', {})).toEqual({
      now: '2026-12-04T09:00:00.000Z',
      today: '2026-12-04',
      timeZone: 'Europe/Paris',
      timeZoneLabel: 'France métropolitaine (heure de Paris, UTC+1, UTC+2 en été)',
    });

    // @ts-expect-error -- a zone no French town is in, which the schema refuses
    expect(await t.invoke('admin.setTimeZone', { timeZone: 'Pacific/Kiritimati' })).toMatchObject({
      ok: false,
      error: {
        code: 'VALIDATION',
        field: 'timeZone',
        message: expect.stringMatching(/^Champ « fuseau horaire » : fuseau horaire non pris en charge/),
      },
    });
    await t.call('staff.save', {
      username: 'accueil',
      displayName: 'Camille',
      role: 'agent',
      password: TEST_PASSWORD,
    });
    await t.call('auth.login', { username: 'accueil', password: TEST_PASSWORD });
    expect(await t.invoke('admin.setTimeZone', { timeZone: 'Indian/Reunion' })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    await t.call('auth.login', { username: 'admin', password: TEST_PASSWORD });

    expect(await t.call('admin.setTimeZone', { timeZone: 'Indian/Mayotte' })).toEqual({
      timeZone: 'Indian/Mayotte',
      label: 'Mayotte (UTC+3)',
    });
    expect(await t.call('admin.townTimeZone', {})).toMatchObject({
      timeZone: 'Indian/Mayotte',
      choices: expect.arrayContaining([{ value: 'America/Cayenne', label: 'Guyane (UTC−3)' }]),
    });
    expect(await readSetting(t.core.db, TOWN_TIME_ZONE_KEY)).toBe('Indian/Mayotte');
    // A town setting, not one of this PC's: the central server's value reaches every counter.
    expect(LOCAL_SETTING_PREFIXES.some((p) => TOWN_TIME_ZONE_KEY.startsWith(p))).toBe(false);
  });
});

describe('a town at La Réunion (UTC+4), on a PC set to Kiritimati (UTC+14)', () => {
  it('closes Monday’s meal at the end of Thursday on La Réunion’s clock, and says so in its hour', async () => {
    setProcessZone('Pacific/Kiritimati');
    expect(new Date('2026-12-03T20:00:00Z').getTimezoneOffset()).toBe(-840);
    const t = await overseasTown('Indian/Reunion');

    // 23:59 on Thursday 3 December at La Réunion; it is only 20:59 in Paris, already Friday on the PC.
    t.at('2026-12-03T19:59:00Z');
    const open = await t.call('booking.preview', mondayMeal(t));
    expect(open.accepted).toEqual([
      expect.objectContaining({ date: '2026-12-07', late: false, deadline: '2026-12-03T19:59:59.999Z' }),
    ]);
    const grid = await t.call('booking.grid', {
      childId: t.zoe,
      activityId: t.demo.canteen.activityId,
      siteId: t.demo.sites.jaures,
      from: '2026-12-07',
      to: '2026-12-07',
    });
    expect(grid.cells[0]).toMatchObject({
      state: 'bookable',
      detail: 'réservable jusqu’au jeudi 3 décembre 2026 à 23 h 59',
    });

    // Midnight at La Réunion, 21:00 in Paris: the family can no longer book it.
    t.at('2026-12-03T20:00:00Z');
    const closed = await t.call('booking.book', mondayMeal(t));
    expect(closed.accepted).toEqual([]);
    expect(closed.refused).toEqual([
      expect.objectContaining({
        code: 'DEADLINE_PASSED',
        reason: 'Réservation close depuis le jeudi 3 décembre 2026 à 23 h 59',
      }),
    ]);
  });

  it('dates a payment taken just after midnight at La Réunion on the new day, receipt and till alike', async () => {
    setProcessZone('Pacific/Kiritimati');
    const t = await overseasTown('Indian/Reunion');
    // 00:30 on Saturday 5 December at La Réunion; still Friday 4 in UTC and in Paris (21:30).
    const { paid, detail } = await payAt(t, '2026-12-04T20:30:00Z');
    expect(detail).toMatchObject({ date: '2026-12-05', receivedAt: '2026-12-04T20:30:00.000Z' });
    expect((await t.call('regie.currentSession', {})).session).toMatchObject({ openDate: '2026-12-05' });
    expect(await t.call('system.clock', {})).toMatchObject({
      today: '2026-12-05',
      timeZone: 'Indian/Reunion',
    });
    if (hasPdftotext) {
      const receipt = await t.call('payment.receiptPdf', { paymentId: paid.paymentId });
      expect(receiptText(receipt.base64)).toMatch(/Date\s+5 décembre 2026 à 00:30/);
    }
  });

  it('takes a baby born this morning at La Réunion, while UTC still says yesterday', async () => {
    setProcessZone('Pacific/Kiritimati');
    const t = await overseasTown('Indian/Reunion');
    t.at('2026-12-04T21:00:00Z'); // 01:00 on 5 December at La Réunion
    const baby = {
      householdId: t.householdId,
      lastName: 'Lefèvre',
      firstName: 'Léa',
      birthDate: '2026-12-05',
    };
    expect(await t.call('family.saveChild', baby)).toMatchObject({ childId: expect.any(String) });
    expect(await t.invoke('family.saveChild', { ...baby, birthDate: '2026-12-06' })).toMatchObject({
      ok: false,
      error: {
        code: 'VALIDATION',
        field: 'birthDate',
        message: 'Champ « date de naissance » : date de naissance dans le futur.',
      },
    });
  });
});

describe('a town in Guyane (UTC−3), on a PC set to Paris', () => {
  it('keeps Monday’s meal open on Thursday evening in Cayenne, when Paris is already on Friday', async () => {
    setProcessZone('Europe/Paris');
    const t = await overseasTown('America/Cayenne');
    // 23:59 on Thursday 3 December in Cayenne = 03:59 on Friday in Paris, past the Paris deadline.
    t.at('2026-12-04T02:59:00Z');
    const open = await t.call('booking.preview', mondayMeal(t));
    expect(open.accepted).toEqual([
      expect.objectContaining({ date: '2026-12-07', late: false, deadline: '2026-12-04T02:59:59.999Z' }),
    ]);
    t.at('2026-12-04T03:00:00Z');
    expect((await t.call('booking.preview', mondayMeal(t))).refused).toEqual([
      expect.objectContaining({
        code: 'DEADLINE_PASSED',
        reason: 'Réservation close depuis le jeudi 3 décembre 2026 à 23 h 59',
      }),
    ]);
  });

  it('dates a payment taken at 23:30 in Cayenne on that day, though Paris and UTC are on the next', async () => {
    setProcessZone('Europe/Paris');
    const t = await overseasTown('America/Cayenne');
    const { paid, detail } = await payAt(t, '2026-12-05T02:30:00Z');
    expect(detail).toMatchObject({ date: '2026-12-04' });
    expect((await t.call('regie.currentSession', {})).session).toMatchObject({ openDate: '2026-12-04' });
    if (hasPdftotext) {
      const receipt = await t.call('payment.receiptPdf', { paymentId: paid.paymentId });
      expect(receiptText(receipt.base64)).toMatch(/Date\s+4 décembre 2026 à 23:30/);
    }
  });

  it('refuses a birth date of tomorrow in Cayenne even when UTC has reached it', async () => {
    setProcessZone('Europe/Paris');
    const t = await overseasTown('America/Cayenne');
    t.at('2026-12-05T01:00:00Z'); // 22:00 on 4 December in Cayenne
    const baby = {
      householdId: t.householdId,
      lastName: 'Lefèvre',
      firstName: 'Léa',
      birthDate: '2026-12-05',
    };
    expect(await t.invoke('family.saveChild', baby)).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', field: 'birthDate' },
    });
  });
});
