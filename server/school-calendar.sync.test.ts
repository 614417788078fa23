import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import type { InputOf, OperationName, OutputOf } from '../core/contract.ts';
import type { Core } from '../core/app.ts';
import { ADMIN_TOKEN, careEvening, STORES, townServer, type TownServer } from './harness.ts';

const run = promisify(execFile);
const cli = fileURLToPath(new URL('./admin-cli.ts', import.meta.url));
const SAMPLE = fileURLToPath(
  new URL('../core/calendar/testdata/fr-en-calendrier-scolaire.csv', import.meta.url),
);

const MISSING =
  'calendrier scolaire 2028-2029 non importé : l’administrateur l’importe dans Paramètres › Calendrier scolaire';
const NEXT_YEAR = [
  'Description;Population;Date de début;Date de fin;Académies;Zones;annee_scolaire',
  'Vacances de la Toussaint;-;2028-10-20T22:00:00+00:00;2028-11-05T23:00:00+00:00;Orléans-Tours;Zone B;2028-2029',
].join('\n');

/** A contract call on a counter, typed, throwing on a refusal. */
async function on<N extends OperationName>(core: Core, name: N, input: InputOf<N>): Promise<OutputOf<N>> {
  const r = await core.invoke(name, input);
  if (!r.ok) throw new Error(r.error.message);
  return r.data as OutputOf<N>;
}

let town: TownServer | null = null;
afterEach(async () => {
  await town?.close();
  town = null;
});

describe.each(STORES)('the school calendar on a %s server', { timeout: 60_000 }, (_label, storeOptions) => {
  it('reaches a counter at its pull: new years open their days, changed and removed periods follow', async () => {
    const t = (town = await townServer(storeOptions(), '2028-08-21T10:00:00+02:00'));
    const a = await t.counter('Guichet A');
    expect((await a.sync.syncOnce()).ok).toBe(true);
    // The demo town's calendar, imported on the server at set-up, is the counter's after its first pull.
    const first = await on(a.core, 'admin.schoolCalendar', {});
    expect(first.years.map((y) => y.schoolYear)).toEqual(['2025-2026', '2026-2027', '2027-2028']);
    const before = await on(a.core, 'booking.preview', careEvening(t, t.zoe, ['2028-09-05']));
    expect(before.refused).toEqual([
      expect.objectContaining({ date: '2028-09-05', code: 'CLOSED', reason: MISSING }),
    ]);

    await t.call('admin.importSchoolCalendar', { fileText: NEXT_YEAR, area: 'Orléans-Tours' });
    // The ministry's file: the 2027 summer without its end yet, and (here) no 2027 Ascension bridge.
    const ministry = readFileSync(SAMPLE, 'utf8')
      .split('\n')
      .filter((l) => !/^Pont de l'Ascension;-;2027.*Orléans-Tours/.test(l))
      .join('\n');
    const changed = await t.call('admin.importSchoolCalendar', { fileText: ministry, area: 'Orléans-Tours' });
    expect(changed.counts).toEqual({ added: 0, changed: 1, removed: 1, unchanged: 10 });

    expect((await a.sync.syncOnce()).ok).toBe(true);
    const after = await on(a.core, 'admin.schoolCalendar', {});
    expect(after.area).toBe('Orléans-Tours');
    expect(after.years.map((y) => [y.schoolYear, y.holidays.length])).toEqual([
      ['2025-2026', 6],
      ['2026-2027', 5],
      ['2027-2028', 6],
      ['2028-2029', 1],
    ]);
    const summer = after.years[1]?.holidays.at(-1);
    expect(summer).toMatchObject({ name: "Vacances d'Été", firstDay: '2027-07-04', lastDay: null });
    // 5 September 2028 is now a known school day: what stops the booking is the enrolment, not the calendar.
    const now = await on(a.core, 'booking.preview', careEvening(t, t.zoe, ['2028-09-05']));
    expect(now.refused).toEqual([expect.objectContaining({ code: 'NOT_ENROLLED' })]);
    // The counter's copy is the server's, row for row.
    const serverRows = await t.store.db
      .selectFrom('school_holidays')
      .select(['id', 'school_year', 'name', 'first_day', 'last_day'])
      .orderBy('id')
      .execute();
    expect(
      a.core.raw
        .prepare('SELECT id, school_year, name, first_day, last_day FROM school_holidays ORDER BY id')
        .all(),
    ).toEqual(serverRows);
  });
});

describe('the central administrator’s command line', { timeout: 60_000 }, () => {
  it('imports the ministry’s file for the town’s académie, and says why it refuses a bad one', async () => {
    const t = (town = await townServer({ sqlite: ':memory:' }));
    const env = { ...process.env, GF_ADMIN_TOKEN: ADMIN_TOKEN };
    const ok = await run(
      process.execPath,
      [cli, '--url', t.http.url, 'import-calendar', SAMPLE, 'Orléans-Tours'],
      {
        env,
      },
    );
    expect(ok.stdout).toContain(
      'Calendrier scolaire de Orléans-Tours importé (2025-2026, 2026-2027) : 0 période(s) ajoutée(s), 1 modifiée(s), 0 supprimée(s), 11 inchangée(s).',
    );
    await expect(
      run(process.execPath, [cli, '--url', t.http.url, 'import-calendar', SAMPLE, 'Bordeaux'], { env }),
    ).rejects.toMatchObject({
      stderr: expect.stringContaining('aucune période de vacances des élèves pour l’académie « Bordeaux »'),
    });
  });
});
