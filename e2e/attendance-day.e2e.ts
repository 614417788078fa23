import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_PASSWORD } from '../core/test/fixtures.ts';
import { RESULTS_DIR, startHarness, type Harness } from './harness.ts';

/**
 * A holiday-centre animator's Monday 7 December 2026 at the canteen of Jean Jaurès: Zoé (a PAI, peanut allergy, her
 * meal brought by the family) and Noé booked on Monday and Tuesday; Noé already noted absent this morning.
 */
let now = new Date('2026-11-20T10:00:00+01:00');
let h: Harness;
let page: Page;

const live = () => page.getByTestId('live-region').innerText();

/**
 * The PDF the page opens in a tab, as text (pdftotext), and kept as a file to look at. The bytes are read from the
 * Blob the page hands to the tab (the viewer's tab cannot be read back).
 */
async function pdfFromTab(name: string, action: () => Promise<void>): Promise<string> {
  await page.evaluate(() => {
    const w = window as unknown as { lastBlob?: Blob; keepsBlobs?: boolean };
    if (w.keepsBlobs) return;
    w.keepsBlobs = true;
    const create = URL.createObjectURL.bind(URL);
    URL.createObjectURL = (blob: Blob | MediaSource) => {
      if (blob instanceof Blob) w.lastBlob = blob;
      return create(blob);
    };
  });
  const [tab] = await Promise.all([page.context().waitForEvent('page'), action()]);
  await tab.waitForLoadState();
  expect(await tab.evaluate(() => document.contentType)).toBe('application/pdf');
  await tab.close();
  const bytes = await page.evaluate(async () => {
    const blob = (window as unknown as { lastBlob: Blob }).lastBlob;
    return Array.from(new Uint8Array(await blob.arrayBuffer()));
  });
  const file = join(RESULTS_DIR, name);
  await writeFile(file, Buffer.from(bytes));
  return execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
}

beforeAll(async () => {
  await mkdir(RESULTS_DIR, { recursive: true });
  h = await startHarness({ clock: () => now, demo: true });
  const demo = h.demo!;
  const { canteen, sites } = demo.activities;
  for (const child of demo.children) {
    await h.call('enrolment.enrol', {
      childId: child.id,
      activityId: canteen.activityId,
      schoolYear: demo.schoolYear,
      siteId: sites.jaures,
    });
    await h.call('booking.book', {
      childId: child.id,
      activityId: canteen.activityId,
      siteId: sites.jaures,
      unitCodes: ['meal'],
      selection: { kind: 'days', dates: ['2026-12-07', '2026-12-08'] },
      origin: 'portal',
    });
  }
  await h.call('health.save', {
    childId: demo.children[0]!.id,
    pai: true,
    allergies: 'arachide',
    meal: 'packed',
    treatment: 'trousse PAI dans le cartable',
  });
  await h.call('staff.save', {
    username: 'ines',
    displayName: 'Inès Bertin',
    role: 'alsh',
    password: TEST_PASSWORD,
  });
  now = new Date('2026-12-07T11:30:00+01:00');
  await h.call('attendance.mark', {
    childId: demo.children[1]!.id,
    activityId: canteen.activityId,
    siteId: sites.jaures,
    unitCode: 'meal',
    date: '2026-12-07',
    status: 'absent_justified',
  });
  await h.call('auth.login', { username: 'ines', password: TEST_PASSWORD });
  page = await h.openApp();
  await page.keyboard.press('Alt+P');
  await page.getByRole('heading', { name: 'Feuille de pointage' }).waitFor();
  await page.getByLabel('Activité').selectOption({ label: 'Restauration scolaire' });
  await page.getByLabel('Site', { exact: true }).selectOption({ label: 'Groupe scolaire Jean Jaurès' });
});

afterAll(async () => {
  await h?.close();
});

describe('the day’s attendance sheet and the kitchen’s counts', () => {
  it('shows the PAI mark on the sheet, and « Tous présents » marks the unmarked child only, saying so', async () => {
    const rows = page.getByTestId('sheet-row');
    await expect
      .poll(() => rows.allInnerTexts())
      .toEqual([
        expect.stringMatching(/^Noé Lefèvre\s+GS/),
        expect.stringMatching(/^Zoé Lefèvre\s+CE1\s+—\s+Lefèvre\s+PAI\s+allergie\s+panier repas/),
      ]);
    await page.getByRole('button', { name: 'Tous présents' }).click();
    await page
      .getByTestId('all-present')
      .getByText('1 enfant noté présent, 1 déjà pointé laissé tel quel.')
      .waitFor();
    expect(await live()).toContain('1 enfant noté présent, 1 déjà pointé laissé tel quel.');
    const counts = page.getByTestId('attendance-counts');
    await expect.poll(() => counts.innerText()).toMatch(/Présents\s+1\s+Absents\s+1\s+Non pointés\s+0/);
    expect(
      await page
        .getByRole('group', { name: 'Pointage de Noé Lefèvre' })
        .getByRole('button', { name: 'Absent justifié' })
        .getAttribute('aria-pressed'),
    ).toBe('true');
    await page.mouse.move(0, 0);
    await page.screenshot({ path: join(RESULTS_DIR, 'attendance-day.png'), fullPage: true });
  });

  it('prints the sheet from the page, with the PAI, the allergy for staff who may read it, and the read logged', async () => {
    const text = await pdfFromTab('attendance-sheet.pdf', () =>
      page.getByRole('button', { name: 'Imprimer la feuille' }).click(),
    );
    expect(text).toMatch(/lundi 7 décembre 2026/);
    expect(text).toMatch(/Restauration scolaire — Repas/);
    expect(text).toMatch(/LEFÈVRE Noé[\s\S]*LEFÈVRE Zoé/);
    expect(text).toMatch(/PAI · allergie · panier repas/);
    expect(text).toMatch(/Allergies : arachide/);
    expect(text).toMatch(/par Inès Bertin/);
    const reads = h.core.raw.prepare('SELECT count(*) AS n FROM health_reads').get();
    expect(reads).toEqual({ n: 1 });
  });

  it('shows the meals to prepare today and the next days, with the packed meal and the PAI, and prints them', async () => {
    const table = page.getByTestId('meal-counts');
    await expect
      .poll(() => table.locator('tbody tr').allInnerTexts())
      .toEqual([
        // Noé noted absent: one meal today.
        expect.stringMatching(
          /lundi 7 décembre 2026 \(aujourd’hui\)\s+Groupe scolaire Jean Jaurès\s+1\s+—\s+—\s+1\s+0\s+1/,
        ),
        expect.stringMatching(/mardi 8 décembre 2026\s+Groupe scolaire Jean Jaurès\s+2\s+—\s+—\s+1\s+1\s+1/),
      ]);
    const text = await pdfFromTab('meal-counts.pdf', () =>
      page.getByRole('button', { name: 'Imprimer les effectifs repas' }).click(),
    );
    expect(text).toMatch(/mardi 8 décembre 2026/);
    expect(text).toMatch(/mardi 8 décembre 2026 — 2 repas/);
    // Two meals on Tuesday: Zoé's brought by the family, one to prepare; one PAI.
    expect(text).toMatch(/Groupe scolaire Jean\s+Restauration scolaire\s+2\s+0\s+0\s+1\s+1\s+1/);
    expect(text).not.toMatch(/Zoé|Noé/);
    expect(h.pageErrors).toEqual([]);
  });
});
