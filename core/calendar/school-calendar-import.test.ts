import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEMO_SCHOOL_CALENDAR_CSV } from '../demo/demo-school-calendar.ts';
import { writeSetting } from '../db/settings.ts';
import { countRows, testCore, TEST_PASSWORD } from '../test/fixtures.ts';

const CSV = readFileSync(new URL('./testdata/fr-en-calendrier-scolaire.csv', import.meta.url), 'utf8');
const rows = (t: Awaited<ReturnType<typeof testCore>>) =>
  t.core.raw
    .prepare(
      'SELECT school_year, name, first_day, last_day, area, imported_at FROM school_holidays ORDER BY first_day',
    )
    .all() as {
    school_year: string;
    name: string;
    first_day: string;
    last_day: string | null;
    imported_at: string;
  }[];

describe('importing the ministry’s school calendar', () => {
  it('shows first what the import adds, writing nothing, then applies exactly that', async () => {
    const t = await testCore(new Date('2026-12-04T09:00:00+01:00'));
    const before = await t.call('admin.schoolCalendar', {});
    expect(before).toMatchObject({ area: null, years: [], missing: ['2026-2027', '2027-2028'] });

    const preview = await t.call('admin.previewSchoolCalendar', { fileText: CSV, area: 'Orléans-Tours' });
    expect(preview.area).toEqual({ name: 'Orléans-Tours', zone: 'Zone B', kind: 'academie' });
    expect(preview.counts).toEqual({ added: 12, changed: 0, removed: 0, unchanged: 0 });
    expect(preview.years.map((y) => [y.schoolYear, y.status])).toEqual([
      ['2025-2026', 'new'],
      ['2026-2027', 'new'],
    ]);
    expect(preview.years[1]?.periods[1]).toEqual({
      name: 'Vacances de Noël',
      label: 'Noël',
      firstDay: '2026-12-20',
      lastDay: '2027-01-03',
      change: 'added',
      before: null,
    });
    expect(await countRows(t.core, 'school_holidays')).toBe(0);

    const applied = await t.call('admin.importSchoolCalendar', {
      fileText: CSV,
      area: 'Orléans-Tours',
      digest: preview.digest,
    });
    expect(applied).toEqual(preview);
    expect(await countRows(t.core, 'school_holidays')).toBe(12);
    const after = await t.call('admin.schoolCalendar', {});
    expect(after.area).toBe('Orléans-Tours');
    expect(after.missing).toEqual(['2027-2028']);
    expect(after.years.map((y) => y.holidays.map((h) => h.label))).toEqual([
      ['Toussaint', 'Noël', 'Hiver', 'Printemps', "Pont de l'Ascension", 'Été'],
      ['Toussaint', 'Noël', 'Hiver', 'Printemps', "Pont de l'Ascension", 'Été'],
    ]);
    // The log keeps what was imported, not the file.
    const log = t.core.raw
      .prepare("SELECT input FROM command_log WHERE name = 'admin.importSchoolCalendar'")
      .get() as { input: string };
    expect(JSON.parse(log.input)).toEqual({
      area: 'Orléans-Tours',
      digest: preview.digest,
      fileChars: CSV.length,
      fileSha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
  });

  it('imports the same file again as a no-op, rewriting no row (nothing travels to the counters)', async () => {
    let now = new Date('2026-12-04T09:00:00+01:00');
    const t = await testCore(() => now);
    await t.call('admin.importSchoolCalendar', { fileText: CSV, area: 'Orléans-Tours' });
    const first = rows(t);
    now = new Date('2026-12-05T09:00:00+01:00');
    const again = await t.call('admin.importSchoolCalendar', { fileText: CSV, area: 'Orléans-Tours' });
    expect(again.counts).toEqual({ added: 0, changed: 0, removed: 0, unchanged: 12 });
    expect(again.years.map((y) => y.status)).toEqual(['unchanged', 'unchanged']);
    expect(rows(t)).toEqual(first);
  });

  it('replaces the school years the file gives, period by period, and keeps the others', async () => {
    const t = await testCore(new Date('2026-12-04T09:00:00+01:00'));
    await t.call('admin.importSchoolCalendar', { fileText: DEMO_SCHOOL_CALENDAR_CSV, area: 'Orléans-Tours' });
    // The ministry's file has no end for the 2027 summer yet, and (here) no Ascension bridge in 2027.
    const file = CSV.split('\n')
      .filter((l) => !/^Pont de l'Ascension;-;2027.*Orléans-Tours/.test(l))
      .join('\n');
    const preview = await t.call('admin.previewSchoolCalendar', { fileText: file, area: 'Orléans-Tours' });
    expect(preview.counts).toEqual({ added: 0, changed: 1, removed: 1, unchanged: 10 });
    const y2027 = preview.years.find((y) => y.schoolYear === '2026-2027');
    expect(y2027?.status).toBe('changed');
    expect(y2027?.periods.filter((p) => p.change !== 'unchanged')).toEqual([
      {
        name: "Pont de l'Ascension",
        label: "Pont de l'Ascension",
        firstDay: '2027-05-07',
        lastDay: '2027-05-09',
        change: 'removed',
        before: null,
      },
      {
        name: "Vacances d'Été",
        label: 'Été',
        firstDay: '2027-07-04',
        lastDay: null,
        change: 'changed',
        before: { firstDay: '2027-07-04', lastDay: '2027-09-01' },
      },
    ]);
    await t.call('admin.importSchoolCalendar', {
      fileText: file,
      area: 'Orléans-Tours',
      digest: preview.digest,
    });
    const stored = await t.call('admin.schoolCalendar', {});
    // 2027-2028 was not in the file: it stays as it was.
    expect(stored.years.map((y) => [y.schoolYear, y.holidays.length])).toEqual([
      ['2025-2026', 6],
      ['2026-2027', 5],
      ['2027-2028', 6],
    ]);
  });

  it('refuses an import whose preview is out of date, and a bad file, writing nothing', async () => {
    const t = await testCore(new Date('2026-12-04T09:00:00+01:00'));
    const preview = await t.call('admin.previewSchoolCalendar', { fileText: CSV, area: 'Orléans-Tours' });
    await t.call('admin.importSchoolCalendar', { fileText: DEMO_SCHOOL_CALENDAR_CSV, area: 'Orléans-Tours' });
    const stale = await t.invoke('admin.importSchoolCalendar', {
      fileText: CSV,
      area: 'Orléans-Tours',
      digest: preview.digest,
    });
    expect(stale).toEqual({
      ok: false,
      error: {
        code: 'CONFLICT',
        message:
          'Le calendrier enregistré a changé depuis l’aperçu (un autre import ?) : affichez de nouveau ce que l’import change avant d’importer.',
      },
    });

    const broken = CSV.replace('2026-12-19T04:00:00+00:00', '2026-12-19T04:00:00+00:00;');
    const line = broken.split('\n').findIndex((l) => l.includes(';Guadeloupe;')) + 1;
    const r = await t.invoke('admin.importSchoolCalendar', { fileText: broken, area: 'Guadeloupe' });
    expect(r).toEqual({
      ok: false,
      error: { code: 'VALIDATION', message: `Ligne ${line} : 8 colonnes au lieu de 7.`, field: 'fileText' },
    });
    expect(await t.invoke('admin.previewSchoolCalendar', { fileText: '', area: 'Lyon' })).toMatchObject({
      ok: false,
      error: {
        code: 'VALIDATION',
        message: 'Champ « fichier du calendrier scolaire » : le fichier est vide.',
      },
    });
    expect(await countRows(t.core, 'school_holidays')).toBe(18);
  });

  it('is refused on a counter linked to the central server, where the calendar comes from the server', async () => {
    const t = await testCore(new Date('2026-12-04T09:00:00+01:00'));
    await writeSetting(t.core.db, 'sync.serverUrl', 'http://127.0.0.1:8787');
    expect((await t.call('admin.schoolCalendar', {})).connected).toBe(true);
    const r = await t.invoke('admin.previewSchoolCalendar', { fileText: CSV, area: 'Lyon' });
    expect(r).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(!r.ok && r.error.message).toMatch(
      /^Ce poste est relié au serveur central : le calendrier scolaire s’importe sur le serveur/,
    );
  });

  it('is the administrator’s: an agent at the counter may neither preview nor import', async () => {
    const t = await testCore(new Date('2026-12-04T09:00:00+01:00'));
    await t.call('staff.save', {
      username: 'accueil',
      displayName: 'Accueil',
      role: 'agent',
      password: TEST_PASSWORD,
    });
    await t.call('auth.login', { username: 'accueil', password: TEST_PASSWORD });
    for (const name of ['admin.previewSchoolCalendar', 'admin.importSchoolCalendar'] as const) {
      const r = await t.invoke(name, { fileText: CSV, area: 'Lyon' });
      expect(r).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    }
    expect(await countRows(t.core, 'school_holidays')).toBe(0);
  });
});
