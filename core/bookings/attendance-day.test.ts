import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROLE_PERMISSIONS } from '../auth/roles.ts';
import { TEST_PASSWORD } from '../test/fixtures.ts';
import { demoTown } from '../test/town.ts';

const dir = mkdtempSync(join(tmpdir(), 'gf-attendance-pdf-'));
function pdfText(name: string, base64: string): string {
  const file = join(dir, name);
  writeFileSync(file, Buffer.from(base64, 'base64'));
  return execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
}

/**
 * Zoé and Noé booked at the canteen of Jean Jaurès on Monday 7 and Tuesday 8 December 2026; Zoé's fiche sanitaire
 * has a PAI (peanut allergy, her meal brought by the family).
 */
async function canteenWeek() {
  const t = await demoTown('2026-11-20T10:00:00+01:00');
  for (const childId of [t.zoe, t.noe]) {
    await t.call('enrolment.enrol', {
      childId,
      activityId: t.demo.canteen.activityId,
      schoolYear: '2026-2027',
      siteId: t.demo.sites.jaures,
    });
    await t.call('booking.book', {
      childId,
      activityId: t.demo.canteen.activityId,
      siteId: t.demo.sites.jaures,
      unitCodes: ['meal'],
      selection: { kind: 'days', dates: ['2026-12-07', '2026-12-08'] },
      origin: 'portal',
    });
  }
  await t.call('health.save', {
    childId: t.zoe,
    pai: true,
    allergies: 'arachide',
    meal: 'packed',
    treatment: 'trousse PAI dans le cartable',
  });
  const day = {
    activityId: t.demo.canteen.activityId,
    siteId: t.demo.sites.jaures,
    unitCode: 'meal' as const,
    date: '2026-12-07',
  };
  return { ...t, day };
}

describe('« tous présents »', () => {
  it('marks every booked child still unmarked, leaves an absence already noted as it is, and says how many', async () => {
    const t = await canteenWeek();
    t.at('2026-12-07T12:30:00+01:00');
    await t.call('attendance.mark', { ...t.day, childId: t.noe, status: 'absent_justified' });
    const r = await t.call('attendance.markAllPresent', t.day);
    expect(r).toEqual({ marked: 1, alreadyMarked: 1, skipped: [] });
    const sheet = await t.call('attendance.sheet', t.day);
    expect(sheet.children.map((c) => `${c.firstName} ${c.attendance}`)).toEqual([
      'Noé absent_justified',
      'Zoé present',
    ]);
    expect(await t.call('attendance.markAllPresent', t.day)).toEqual({
      marked: 0,
      alreadyMarked: 2,
      skipped: [],
    });
  });

  it('skips, saying why, a child the attendance rules refuse, and still marks the others', async () => {
    const t = await canteenWeek();
    // Noé's enrolment names Marie Curie (changed on another counter) while his booking at Jean Jaurès stands: the
    // sheet lists him, the rules refuse him there.
    t.core.raw.prepare('UPDATE enrolments SET site_id = ? WHERE child_id = ?').run(t.demo.sites.curie, t.noe);
    t.at('2026-12-07T12:30:00+01:00');
    const r = await t.call('attendance.markAllPresent', t.day);
    expect(r.marked).toBe(1);
    expect(r.skipped).toEqual([
      expect.objectContaining({
        childId: t.noe,
        message: expect.stringMatching(/Noé : inscrit\(e\) sur un autre site/),
      }),
    ]);
    const sheet = await t.call('attendance.sheet', t.day);
    expect(sheet.children.map((c) => `${c.firstName} ${c.attendance}`)).toEqual(['Noé null', 'Zoé present']);
  });

  it('refuses a day still to come as the single mark does, and marks nothing', async () => {
    const t = await canteenWeek();
    t.at('2026-12-07T12:30:00+01:00');
    const r = await t.invoke('attendance.markAllPresent', { ...t.day, date: '2026-12-08' });
    expect(r).toMatchObject({ ok: false, error: { field: 'date' } });
    expect(!r.ok && r.error.message).toMatch(/8 décembre 2026/);
    const marked = t.core.raw
      .prepare('SELECT count(*) AS n FROM bookings WHERE attendance IS NOT NULL')
      .get();
    expect(marked).toEqual({ n: 0 });
  });
});

describe('the printed attendance sheet', () => {
  it('lists the children with the PAI mark; the allergy itself only for a role that may read health data, logged', async () => {
    const t = await canteenWeek();
    t.at('2026-12-07T08:00:00+01:00');
    const withHealth = await t.call('attendance.sheetPdf', { siteId: t.day.siteId, date: t.day.date });
    expect(withHealth.fileName).toBe('presences-2026-12-07.pdf');
    const full = pdfText('full.pdf', withHealth.base64);
    expect(full).toMatch(/Jean Jaurès/);
    expect(full).toMatch(/lundi 7 décembre 2026/i);
    expect(full).toMatch(/Restauration scolaire/);
    expect(full).toMatch(/LEFÈVRE\s+Noé/);
    expect(full).toMatch(/PAI/);
    expect(full).toMatch(/arachide/);
    const reads = t.core.raw.prepare('SELECT child_id FROM health_reads').all();
    expect(reads).toEqual([{ child_id: t.zoe }]);

    // A role that takes attendance without reading health data: the marks, not the details.
    const shipped = ROLE_PERMISSIONS.alsh;
    ROLE_PERMISSIONS.alsh = shipped.filter((p) => p !== 'health');
    try {
      await t.call('staff.save', {
        username: 'anim',
        displayName: 'Animateur',
        role: 'alsh',
        password: TEST_PASSWORD,
      });
      await t.call('auth.login', { username: 'anim', password: TEST_PASSWORD });
      const marks = pdfText(
        'marks.pdf',
        (await t.call('attendance.sheetPdf', { siteId: t.day.siteId, date: t.day.date })).base64,
      );
      expect(marks).toMatch(/LEFÈVRE\s+Zoé/);
      expect(marks).toMatch(/PAI/);
      expect(marks).toMatch(/panier repas/);
      expect(marks).not.toMatch(/arachide/);
      expect(marks).not.toMatch(/cartable/);
      expect(t.core.raw.prepare('SELECT count(*) AS n FROM health_reads').get()).toEqual({ n: 1 });
    } finally {
      ROLE_PERMISSIONS.alsh = shipped;
    }
  });

  it('is refused to a role without the attendance permission', async () => {
    const t = await canteenWeek();
    await t.call('staff.save', {
      username: 'accueil',
      displayName: 'Accueil',
      role: 'agent',
      password: TEST_PASSWORD,
    });
    await t.call('auth.login', { username: 'accueil', password: TEST_PASSWORD });
    const r = await t.invoke('attendance.sheetPdf', { siteId: t.day.siteId, date: t.day.date });
    expect(r).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });
});

describe('the kitchen’s meal counts', () => {
  it('counts the meals booked per site and day, with the PAI and the packed meal, and a cancellation taken off', async () => {
    const t = await canteenWeek();
    await t.call('booking.cancel', {
      childId: t.noe,
      activityId: t.demo.canteen.activityId,
      siteId: t.demo.sites.jaures,
      unitCodes: ['meal'],
      selection: { kind: 'days', dates: ['2026-12-08'] },
      origin: 'portal',
    });
    const days = await t.call('meals.counts', { from: '2026-12-07', to: '2026-12-09' });
    expect(
      days.map((d) => ({
        date: d.date,
        meals: d.meals,
        sites: d.sites.map((s) => [s.siteName, s.meals, s.packed, s.pai, s.adapted]),
      })),
    ).toEqual([
      { date: '2026-12-07', meals: 2, sites: [['Groupe scolaire Jean Jaurès', 2, 1, 1, 0]] },
      { date: '2026-12-08', meals: 1, sites: [['Groupe scolaire Jean Jaurès', 1, 1, 1, 0]] },
    ]);
    const pdf = pdfText(
      'meals.pdf',
      (await t.call('meals.countsPdf', { from: '2026-12-07', to: '2026-12-09' })).base64,
    );
    expect(pdf).toMatch(/lundi 7 décembre 2026/i);
    expect(pdf).toMatch(/PAI/);
    expect(pdf).not.toMatch(/Zoé|LEFÈVRE|Lefèvre/);
  });

  it('refuses a range ending before it starts, naming the field', async () => {
    const t = await canteenWeek();
    const r = await t.invoke('meals.counts', { from: '2026-12-09', to: '2026-12-07' });
    expect(r).toMatchObject({ ok: false, error: { field: 'to' } });
  });
});
