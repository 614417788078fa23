import { describe, expect, it } from 'vitest';
import { LEFEVRE, testCore } from '../test/fixtures.ts';
import { demoTown } from '../test/town.ts';

/** Zoé at the canteen of Jean Jaurès, booked on the Mondays and Tuesdays of 7 to 15 December 2026. */
async function zoeAtCanteen() {
  const t = await demoTown('2026-11-20T10:00:00+01:00');
  const { enrolmentId } = await t.call('enrolment.enrol', {
    childId: t.zoe,
    activityId: t.demo.canteen.activityId,
    schoolYear: '2026-2027',
    siteId: t.demo.sites.jaures,
  });
  const days = ['2026-12-07', '2026-12-08', '2026-12-14', '2026-12-15'];
  await t.call('booking.book', {
    childId: t.zoe,
    activityId: t.demo.canteen.activityId,
    siteId: t.demo.sites.jaures,
    unitCodes: ['meal'],
    selection: { kind: 'days', dates: days },
    origin: 'portal',
  });
  const bookings = () =>
    t.core.raw
      .prepare(
        `SELECT b.date, b.state, s.name AS site FROM bookings b JOIN sites s ON s.id = b.site_id
         WHERE b.child_id = ? ORDER BY b.date`,
      )
      .all(t.zoe) as { date: string; state: string; site: string }[];
  return { ...t, enrolmentId, bookings };
}

describe('ending an enrolment', () => {
  it('cancels the days booked after the last day, keeps those before, and refuses a booking after it', async () => {
    const t = await zoeAtCanteen();
    const preview = await t.call('enrolment.endPreview', {
      enrolmentId: t.enrolmentId,
      lastDay: '2026-12-08',
      reason: 'déménagement',
    });
    expect(preview.days.map((d) => d.date)).toEqual(['2026-12-14', '2026-12-15']);
    expect(preview.blocking).toEqual([]);
    await t.call('enrolment.end', {
      enrolmentId: t.enrolmentId,
      lastDay: '2026-12-08',
      reason: 'déménagement',
    });
    expect(t.bookings().map((b) => `${b.date} ${b.state}`)).toEqual([
      '2026-12-07 booked',
      '2026-12-08 booked',
      '2026-12-14 cancelled',
      '2026-12-15 cancelled',
    ]);
    const again = await t.call('booking.book', {
      childId: t.zoe,
      activityId: t.demo.canteen.activityId,
      siteId: t.demo.sites.jaures,
      unitCodes: ['meal'],
      selection: { kind: 'days', dates: ['2026-12-14'] },
      origin: 'counter',
    });
    expect(again.accepted).toEqual([]);
    expect(again.refused[0]).toMatchObject({ code: 'ENROLMENT_ENDED' });
    const listed = await t.call('enrolment.list', { householdId: t.householdId });
    expect(listed.enrolments[0]).toMatchObject({ endsOn: '2026-12-08', endReason: 'déménagement' });
  });

  it('refuses the whole end, in French and naming the day, when a day after it was already pointed', async () => {
    const t = await zoeAtCanteen();
    t.at('2026-12-07T13:00:00+01:00');
    await t.call('attendance.mark', {
      childId: t.zoe,
      activityId: t.demo.canteen.activityId,
      siteId: t.demo.sites.jaures,
      unitCode: 'meal',
      date: '2026-12-07',
      status: 'present',
    });
    const r = await t.invoke('enrolment.end', {
      enrolmentId: t.enrolmentId,
      lastDay: '2026-12-04',
      reason: 'déménagement',
    });
    expect(r).toMatchObject({ ok: false, error: { code: 'CONFLICT', field: 'lastDay' } });
    expect(!r.ok && r.error.message).toMatch(/refusée : 07\/12/);
    expect(t.bookings().every((b) => b.state === 'booked')).toBe(true);
  });
});

describe('changing an enrolment’s site', () => {
  it('moves the days booked from the date on to the new site, and the enrolment with them', async () => {
    const t = await zoeAtCanteen();
    await t.call('enrolment.changeSite', {
      enrolmentId: t.enrolmentId,
      siteId: t.demo.sites.curie,
      fromDate: '2026-12-14',
      reason: 'changement d’école',
    });
    expect(t.bookings().map((b) => `${b.date} ${b.site}`)).toEqual([
      '2026-12-07 Groupe scolaire Jean Jaurès',
      '2026-12-08 Groupe scolaire Jean Jaurès',
      '2026-12-14 École Marie Curie',
      '2026-12-15 École Marie Curie',
    ]);
    const listed = await t.call('enrolment.list', { householdId: t.householdId });
    expect(listed.enrolments[0]).toMatchObject({
      siteName: 'École Marie Curie',
      siteChanges: [{ fromDate: '2026-12-14', previousSiteName: 'Groupe scolaire Jean Jaurès' }],
    });
  });

  it('refuses a site that does not run the activity, naming the field, and moves nothing', async () => {
    const t = await zoeAtCanteen();
    const r = await t.invoke('enrolment.changeSite', {
      enrolmentId: t.enrolmentId,
      siteId: t.demo.sites.tilleuls,
      fromDate: '2026-12-14',
      reason: 'changement d’école',
    });
    expect(r).toMatchObject({ ok: false, error: { field: 'siteId' } });
    expect(new Set(t.bookings().map((b) => b.site))).toEqual(new Set(['Groupe scolaire Jean Jaurès']));
  });
});

describe('documents per child', () => {
  it('validates the enrolment of the child whose fiche sanitaire is in, and keeps the other’s pending', async () => {
    const { call } = await testCore();
    const demo = await import('../demo/demo-town.ts').then((m) => m.installDemoActivities(call));
    const { householdId } = await call('family.createHousehold', LEFEVRE);
    const [zoe, noe] = (await call('family.get', { householdId })).children;
    const check = (item: string, childId?: string) =>
      call('enrolment.checkDocument', { householdId, schoolYear: '2026-2027', item, childId, checked: true });
    await check('justificatif_domicile');
    await check('reglement');
    await check('assurance');
    await check('fiche_sanitaire', zoe!.id);
    const enrol = (childId: string) =>
      call('enrolment.enrol', { childId, activityId: demo.canteen.activityId, schoolYear: '2026-2027' });
    expect(await enrol(zoe!.id)).toMatchObject({ status: 'validated', missing: [] });
    const pending = await enrol(noe!.id);
    expect(pending.status).toBe('pending');
    expect(pending.missing).toEqual([
      expect.objectContaining({ code: 'fiche_sanitaire', per: 'child', childFirstName: 'Noé' }),
    ]);
    const household = await call('enrolment.checkDocument', {
      householdId,
      schoolYear: '2026-2027',
      item: 'reglement',
      childId: zoe!.id,
      checked: true,
    }).catch((e: Error) => e.message);
    expect(household).toMatch(/pièce du foyer/);
    await check('fiche_sanitaire', noe!.id);
    const listed = await call('enrolment.list', { householdId });
    expect(listed.enrolments.map((e) => `${e.childFirstName} ${e.status}`).sort()).toEqual([
      'Noé validated',
      'Zoé validated',
    ]);
  });
});
