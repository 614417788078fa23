import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness.ts';

/** Friday 4 December 2026, 22:00 in Paris: already Saturday 5, 01:00, at La Réunion (UTC+4). */
const NOW = new Date('2026-12-04T21:00:00Z');

let h: Harness;
let page: Page;

// The browser's own clock is left alone: the screens must take « today » from the core and the town's zone.
beforeAll(async () => {
  h = await startHarness({ now: NOW, demo: true });
  page = await h.openApp();
});
afterAll(async () => {
  await h.close();
});

async function attendanceDay(): Promise<string> {
  await page.keyboard.press('Alt+P');
  await page.getByRole('heading', { name: 'Feuille de pointage' }).waitFor();
  return page.getByLabel('Jour', { exact: true }).inputValue();
}

describe('the town’s zone, set in Paramètres › Commune', () => {
  it('moves « today » on the screens to the town’s day at once', async () => {
    expect(await attendanceDay()).toBe('04/12/2026');

    await page.getByRole('banner').getByRole('button', { name: 'Paramètres' }).click();
    await page.getByRole('button', { name: 'Commune' }).click();
    expect(await page.getByTestId('town-time-zone').innerText()).toBe(
      'France métropolitaine (heure de Paris, UTC+1, UTC+2 en été)',
    );
    await page.getByRole('button', { name: 'Modifier le fuseau horaire' }).click();
    const form = page.getByRole('form', { name: 'Fuseau horaire de la commune' });
    await form.getByLabel('Fuseau horaire').selectOption({ label: 'La Réunion (UTC+4)' });
    await form.getByRole('button', { name: 'Enregistrer le fuseau horaire' }).click();
    await expect.poll(() => page.getByTestId('town-time-zone').innerText()).toBe('La Réunion (UTC+4)');
    expect(await page.getByTestId('live-region').innerText()).toBe(
      'Fuseau horaire de la commune : La Réunion (UTC+4).',
    );

    await expect.poll(attendanceDay).toBe('05/12/2026');
    expect(h.pageErrors).toEqual([]);
  });
});
