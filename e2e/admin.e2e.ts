import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import * as core from '../core/auth/roles.ts';
import { countRows, LEFEVRE, TEST_PASSWORD } from '../core/test/fixtures.ts';
import { RESULTS_DIR, startHarness, type Harness } from './harness.ts';
import * as shared from '../shared/roles.ts';

const CALENDAR_CSV = fileURLToPath(
  new URL('../core/calendar/testdata/fr-en-calendrier-scolaire.csv', import.meta.url),
);

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
  it('says roles and permissions in the core’s own words (one table, shared/roles.ts)', () => {
    expect(core.ROLE_LABELS).toBe(shared.ROLE_LABELS);
    expect(core.PERMISSION_LABELS).toBe(shared.PERMISSION_LABELS);
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

describe('the school calendar in Chromium: the ministry’s file imported through the administration screen', () => {
  it('refuses a file that is not the calendar, saying which line and why', async () => {
    await page.getByRole('banner').getByRole('button', { name: 'Paramètres' }).click();
    await page.getByRole('button', { name: 'Calendrier scolaire' }).click();
    await page.getByText('Aucun calendrier importé : aucun jour ne peut être réservé.').waitFor();
    const form = page.getByRole('form', { name: 'Importer le calendrier scolaire' });
    await form.getByLabel('Fichier du ministère (CSV ou ICS)').setInputFiles({
      name: 'vacances.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('date;vacances_zone_b;nom_vacances\n2026-10-19;True;Toussaint\n'),
    });
    await form.getByLabel('Académie de la commune').selectOption({ label: 'Orléans-Tours (Zone B)' });
    await form.getByRole('button', { name: 'Voir ce que l’import change' }).click();
    await form.getByText(/^Ligne 1 : colonnes « Description », « Date de début »/).waitFor();
    expect(await page.getByTestId('calendar-preview').count()).toBe(0);
  });

  it('shows what the import adds, writes nothing until « Importer », then shows the calendar the bookings follow', async () => {
    const form = page.getByRole('form', { name: 'Importer le calendrier scolaire' });
    await form.getByLabel('Fichier du ministère (CSV ou ICS)').setInputFiles(CALENDAR_CSV);
    await form.getByRole('button', { name: 'Voir ce que l’import change' }).click();
    const preview = page.getByTestId('calendar-preview');
    await preview.getByText('12 périodes ajoutées, 0 modifiée, 0 supprimée, 0 inchangée.').waitFor();
    await preview
      .getByText('Non repris : 1 ligne pour les enseignants, 51 lignes d’autres académies.')
      .waitFor();
    const noel = preview
      .getByRole('table', { name: '2026-2027 : année nouvelle' })
      .getByRole('row', { name: /Vacances de Noël/ });
    expect(await noel.textContent()).toBe('Vacances de Noël20/12/202603/01/2027ajoutée');
    const summer = preview
      .getByRole('table', { name: '2026-2027 : année nouvelle' })
      .getByRole('row', { name: /Vacances d'Été/ });
    expect(await summer.textContent()).toBe("Vacances d'Été04/07/2027fin non publiéeajoutée");
    expect(await countRows(h.core, 'school_holidays')).toBe(0);
    await page.screenshot({ path: `${RESULTS_DIR}/admin-calendrier-apercu.png`, fullPage: true });

    await preview.getByRole('button', { name: 'Importer' }).click();
    await page
      .getByRole('status')
      .getByText(
        'Calendrier scolaire importé pour Orléans-Tours (2025-2026, 2026-2027) : 12 périodes ajoutées, 0 modifiée, 0 supprimée, 0 inchangée.',
      )
      .first()
      .waitFor();
    expect(await countRows(h.core, 'school_holidays')).toBe(12);
    await page.getByRole('heading', { name: 'Calendrier enregistré : Orléans-Tours' }).waitFor();
    const stored = page
      .getByTestId('calendar-2025-2026')
      .getByRole('row', { name: /Vacances de la Toussaint/ });
    expect(await stored.textContent()).toBe('Vacances de la Toussaint19/10/202502/11/2025');
    await page.screenshot({ path: `${RESULTS_DIR}/admin-calendrier.png`, fullPage: true });

    // The same file again changes nothing, and says so instead of offering to import.
    await form.getByRole('button', { name: 'Voir ce que l’import change' }).click();
    await preview.getByText('Rien à changer : le calendrier enregistré est déjà celui du fichier.').waitFor();
    expect(await preview.getByRole('button', { name: 'Importer' }).count()).toBe(0);
    expect(h.pageErrors).toEqual([]);
  });
});
