import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import * as core from '../core/auth/roles.ts';
import { LEFEVRE, TEST_PASSWORD } from '../core/test/fixtures.ts';
import { PERMISSION_LABELS, ROLE_LABELS } from '../renderer/src/auth/role-labels.ts';
import { RESULTS_DIR, startHarness, type Harness } from './harness.ts';

let h: Harness;
let page: Page;
const NOTE = 'Allergie aux arachides — PAI, trousse au bureau';

async function signIn(username: string, name: string) {
  await page.getByRole('button', { name: 'Changer d’agent' }).click();
  await page.getByRole('heading', { name: 'Connexion' }).waitFor();
  await page.getByLabel('Identifiant').fill(username);
  await page.getByLabel('Mot de passe').fill(TEST_PASSWORD);
  await page.keyboard.press('Enter');
  await page.locator('.agent').getByText(name).waitFor();
}

async function openLefevre() {
  await page.keyboard.press('Control+k');
  await page.keyboard.type('lefevre');
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { level: 1, name: 'Foyer Lefèvre' }).waitFor();
}

beforeAll(async () => {
  h = await startHarness({ townName: 'Ville de Belleval' });
  const { householdId } = await h.call('family.createHousehold', LEFEVRE);
  const file = await h.call('family.get', { householdId });
  const zoe = file.children.find((c) => c.firstName === 'Zoé');
  await h.call('health.save', { childId: zoe!.id, notes: NOTE });
  page = await h.openApp();
});
afterAll(async () => {
  await h.close();
});

describe('administration in Chromium: accounts, health notes and their journal', () => {
  it('says roles and permissions in the core’s own words (the renderer keeps a copy)', () => {
    expect(ROLE_LABELS).toEqual(core.ROLE_LABELS);
    expect(PERMISSION_LABELS).toEqual(core.PERMISSION_LABELS);
  });

  it('lets the administrator create an ALSH account in « Comptes »', async () => {
    await page.getByRole('banner').getByRole('button', { name: 'Paramètres' }).click();
    await page.getByRole('button', { name: 'Comptes' }).click();
    await page.getByRole('button', { name: 'Créer un compte' }).click();
    const form = page.getByRole('form', { name: 'Créer un compte' });
    await form.getByLabel('Identifiant').fill('elodie');
    await form.getByLabel('Nom affiché').fill('Élodie Martin');
    await form.getByLabel('Rôle').selectOption({ label: 'Animateur ALSH' });
    await form.getByLabel('Mot de passe').fill('court');
    await form.getByRole('button', { name: 'Créer le compte' }).click();
    await form.getByText('8 caractères au moins.').waitFor();
    await form.getByLabel('Mot de passe').fill(TEST_PASSWORD);
    await form.getByRole('button', { name: 'Créer le compte' }).click();
    const row = page.getByRole('row', { name: /Élodie Martin/ });
    await row.waitFor();
    expect(await row.textContent()).toContain('Animateur ALSH');
    await page.screenshot({ path: `${RESULTS_DIR}/admin-comptes.png`, fullPage: true });
  });

  it('signs in as the new account, which reads a child’s health note only when asked', async () => {
    await signIn('elodie', 'Élodie Martin');
    expect(await page.getByRole('button', { name: 'Paramètres' }).count()).toBe(0);
    await openLefevre();
    const health = page.getByRole('region', { name: 'Santé / PAI' });
    await health.getByText('Cette consultation est enregistrée.', { exact: false }).waitFor();
    expect(await page.getByText(NOTE).count()).toBe(0);
    await health.getByRole('button', { name: 'Afficher les informations de santé de Zoé' }).click();
    await health.getByText(NOTE).waitFor();
    await page.screenshot({ path: `${RESULTS_DIR}/health-notes.png`, fullPage: true });
  });

  it('shows the administrator that read in the journal', async () => {
    await signIn('admin', 'Administrateur');
    await page.getByRole('banner').getByRole('button', { name: 'Paramètres' }).click();
    await page.getByRole('button', { name: 'Journal des consultations santé' }).click();
    const row = page.getByRole('row', { name: /Zoé Lefèvre/ });
    await row.waitFor();
    expect(await row.textContent()).toContain('Élodie Martin');
    await page.screenshot({ path: `${RESULTS_DIR}/admin-health-log.png`, fullPage: true });
  });

  it('shows the personal data and backup parts, and exports a household’s data', async () => {
    await page.getByRole('button', { name: 'Données personnelles' }).click();
    await page.getByRole('button', { name: 'Voir les enfants concernés' }).click();
    await page.getByTestId('retention-preview').getByText('Aucun enfant à anonymiser.').waitFor();
    await page.screenshot({ path: `${RESULTS_DIR}/admin-donnees.png`, fullPage: true });
    await page.getByRole('button', { name: 'Sauvegardes' }).click();
    await page.getByText('node scripts/restore.ts <fichier>').waitFor();
    await page.screenshot({ path: `${RESULTS_DIR}/admin-sauvegardes.png`, fullPage: true });

    await openLefevre();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Exporter les données du foyer' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('donnees-foyer-lefèvre.json');
    await page.getByRole('button', { name: 'Date de départ' }).click();
    await page.getByLabel('Date de départ', { exact: true }).fill('04/07/2022');
    await page.keyboard.press('Enter');
    await page.getByText('Zoé Lefèvre : départ le 04/07/2022', { exact: true }).waitFor();
    await page.screenshot({ path: `${RESULTS_DIR}/admin-family.png`, fullPage: true });
    await page.getByRole('banner').getByRole('button', { name: 'Paramètres' }).click();
    await page.getByRole('button', { name: 'Données personnelles' }).click();
    await page.getByRole('button', { name: 'Voir les enfants concernés' }).click();
    await page.getByRole('row', { name: /Zoé Lefèvre/ }).waitFor();
    await page.getByRole('button', { name: 'Anonymiser' }).click();
    await page.screenshot({ path: `${RESULTS_DIR}/admin-anonymiser.png`, fullPage: true });
    await page.getByRole('button', { name: 'Confirmer l’anonymisation' }).click();
    await page.getByRole('status').getByText('1 enfant anonymisé.').first().waitFor();
    expect(h.pageErrors).toEqual([]);
  });
});
