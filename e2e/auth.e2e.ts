import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { LEFEVRE, TEST_PASSWORD } from '../core/test/fixtures.ts';
import { RESULTS_DIR, startHarness, type Harness } from './harness.ts';

let h: Harness;
let page: Page;

beforeAll(async () => {
  h = await startHarness({ townName: 'Ville de Belleval' });
  await h.call('staff.save', {
    username: 'camille',
    displayName: 'Camille Durand',
    role: 'agent',
    password: TEST_PASSWORD,
  });
  await h.call('staff.save', {
    username: 'ines',
    displayName: 'Inès Bertin',
    role: 'alsh',
    password: TEST_PASSWORD,
  });
  await h.call('family.createHousehold', LEFEVRE);
  // The counter in the morning: nobody signed in.
  await h.call('auth.logout', {});
  page = await h.browser.newPage({ viewport: { width: 1366, height: 820 } });
  await page.goto(h.host.url);
});
afterAll(async () => {
  await h.close();
});

describe('staff sign-in, lock and roles in Chromium', () => {
  it('refuses a wrong password in French, then signs the agent in', async () => {
    await page.getByRole('heading', { name: 'Connexion' }).waitFor();
    await page.getByLabel('Identifiant').fill('camille');
    await page.getByLabel('Mot de passe').fill('pas le bon');
    await page.keyboard.press('Enter');
    await page.getByRole('alert').getByText('Identifiant ou mot de passe incorrect.').waitFor();
    await page.getByLabel('Mot de passe').fill(TEST_PASSWORD);
    await page.keyboard.press('Enter');
    await page.getByText('Camille Durand').waitFor();
    expect(await page.getByText('Agent d’accueil').isVisible()).toBe(true);
    // An agent at the counter has no settings screen and no attendance sheet.
    expect(await page.getByRole('button', { name: 'Paramètres' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /Pointage/ }).count()).toBe(0);
  });

  it('locks with Ctrl+L, keeps the data out of sight, and unlocks for the same agent', async () => {
    await page.keyboard.press('Control+l');
    await page.getByRole('heading', { name: 'Session verrouillée' }).waitFor();
    expect(await page.getByText('Lefèvre').count()).toBe(0);
    await page.screenshot({ path: `${RESULTS_DIR}/lock-screen.png` });
    await page.getByLabel('Mot de passe').fill('faux');
    await page.keyboard.press('Enter');
    await page.getByRole('alert').getByText('Mot de passe incorrect.').waitFor();
    await page.getByLabel('Mot de passe').fill(TEST_PASSWORD);
    await page.keyboard.press('Enter');
    // The counter waited behind the lock (hidden, with the agent's name in its top bar): it comes back as it was.
    await page.getByRole('heading', { name: 'Session verrouillée' }).waitFor({ state: 'detached' });
    expect(await page.getByText('Camille Durand').isVisible()).toBe(true);
  });

  it('switches agent in one step, and shows why the contract refuses what a role cannot do', async () => {
    await page.getByRole('button', { name: 'Changer d’agent' }).click();
    await page.getByRole('heading', { name: 'Connexion' }).waitFor();
    await page.getByLabel('Identifiant').fill('ines');
    await page.getByLabel('Mot de passe').fill(TEST_PASSWORD);
    await page.keyboard.press('Enter');
    await page.getByText('Inès Bertin').waitFor();
    // ALSH staff read files but do not edit them: no edit control at all, not even in the tab order.
    await page.keyboard.press('Control+k');
    await page.keyboard.type('lefevre');
    await page.keyboard.press('Enter');
    await page
      .getByRole('heading', { name: /Lefèvre/ })
      .first()
      .waitFor();
    expect(await page.getByRole('button', { name: /^Modifier/ }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /^Ajouter/ }).count()).toBe(0);
    // A shortcut the role may not use says why, in the core's words.
    await page.keyboard.press('Alt+f');
    await page
      .getByRole('alert')
      .getByText('Votre rôle (Animateur ALSH) ne permet pas de facturer et émettre des avoirs.')
      .waitFor();
    await page.screenshot({ path: `${RESULTS_DIR}/refused-by-role.png` });
  });
});
