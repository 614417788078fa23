import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESULTS_DIR, startHarness, type Harness } from './harness.ts';

/**
 * The administrator's settings in Chromium, on the demo town, on Friday 4 December 2026: a new canteen tariff from
 * 1 January (refused from a day already lived), the activity's accounting codes, the public holidays of the year
 * with the Alsace-Moselle option, and the régie's settings.
 */
const now = new Date('2026-12-04T10:00:00+01:00');

let h: Harness;
let page: Page;

const shot = (name: string) => page.screenshot({ path: join(RESULTS_DIR, name), fullPage: true });
const live = () => page.getByTestId('live-region').innerText();

async function part(name: string) {
  await page
    .getByRole('navigation', { name: 'Parties des paramètres' })
    .getByRole('button', { name })
    .click();
}

beforeAll(async () => {
  await mkdir(RESULTS_DIR, { recursive: true });
  h = await startHarness({ clock: () => now, demo: true });
  page = await h.openApp();
  await page.getByRole('banner').getByRole('button', { name: 'Paramètres' }).click();
  await page.getByRole('heading', { name: 'Paramètres', level: 1 }).waitFor();
});

afterAll(async () => {
  await h?.close();
});

describe('the administrator’s settings', () => {
  it('adds a canteen tariff from 1 January, never from a day already lived, and keeps the history', async () => {
    await part('Tarifs');
    await page.getByLabel('Activité').selectOption({ label: 'Restauration scolaire' });
    const history = page.getByTestId('tariff-history');
    await expect
      .poll(() => history.getByTestId('tariff-row').allInnerTexts())
      .toEqual([
        expect.stringMatching(
          /^Repas\s+01\/09\/2025\s+en vigueur\s+QF 0–399 : 1,00\s€ · QF 400–699 : 2,20\s€/,
        ),
      ]);

    await page.getByRole('button', { name: /Nouveau tarif/ }).click();
    const form = page.getByRole('form', { name: 'Nouveau tarif' });
    // Started from the tariff in force.
    expect(await form.getByLabel('Tranche 2 : prix (€)').inputValue()).toBe('2,20');
    expect(await form.getByTestId('bracket').count()).toBe(5);
    await form.getByLabel('Tranche 2 : prix (€)').fill('2,30');
    await form.getByLabel('À partir du').fill('01/12/2026');
    await form.getByRole('button', { name: 'Enregistrer le nouveau tarif' }).click();
    await expect.poll(() => form.getByLabel('À partir du').getAttribute('aria-invalid')).toBe('true');
    expect(await form.innerText()).toContain('à partir de demain au plus tôt');
    expect(await history.getByTestId('tariff-row').count()).toBe(1);

    await form.getByLabel('À partir du').fill('01/01/2027');
    await page.mouse.move(0, 0);
    await shot('admin-tariff-new.png');
    await form.getByRole('button', { name: 'Enregistrer le nouveau tarif' }).click();
    await expect
      .poll(() => live())
      .toBe('Nouveau tarif de Restauration scolaire (Repas) à partir du 01/01/2027.');
    await expect
      .poll(() => history.getByTestId('tariff-row').allInnerTexts())
      .toEqual([
        expect.stringMatching(/^Repas\s+01\/01\/2027\s+à venir\s+QF 0–399 : 1,00\s€ · QF 400–699 : 2,30\s€/),
        expect.stringMatching(
          /^Repas\s+01\/09\/2025\s+en vigueur\s+QF 0–399 : 1,00\s€ · QF 400–699 : 2,20\s€/,
        ),
      ]);
    await page.mouse.move(0, 0);
    await shot('admin-tariffs.png');
  });

  it('sets the canteen’s accounting codes, refusing characters a budget line has not', async () => {
    await part('Activités');
    const card = page.locator('section', {
      has: page.getByRole('heading', { name: 'Restauration scolaire' }),
    });
    await card.getByRole('button', { name: /Codes comptables/ }).click();
    const form = page.getByRole('form', { name: 'Codes comptables de Restauration scolaire' });
    await form.getByLabel('Imputation budgétaire').fill('7067;251');
    await form.getByRole('button', { name: 'Enregistrer les codes' }).click();
    await expect
      .poll(() => form.getByLabel('Imputation budgétaire').getAttribute('aria-invalid'))
      .toBe('true');
    await form.getByLabel('Imputation budgétaire').fill('7067-251');
    await form.getByLabel('Code produit').fill('SR.CANT');
    await form.getByRole('button', { name: 'Enregistrer les codes' }).click();
    await expect
      .poll(() => card.innerText())
      .toMatch(/Codes comptables\s+imputation 7067-251 · code produit SR\.CANT/);
    const canteen = (await h.call('activities.list', {})).find((a) => a.name === 'Restauration scolaire')!;
    expect(canteen.settings.accounting).toEqual({ imputation: '7067-251', productCode: 'SR.CANT' });
  });

  it('shows the year’s public holidays, with Alsace-Moselle’s two more, and leads to the school calendar', async () => {
    await part('Jours fériés');
    const table = page.getByTestId('public-holidays');
    await expect.poll(() => table.locator('tbody tr').count()).toBe(11);
    expect(await table.innerText()).toMatch(/lundi 6 avril 2026\s+Lundi de Pâques/);
    await page.getByRole('button', { name: '2027 →' }).click();
    await expect.poll(() => page.getByTestId('holidays-year').innerText()).toBe('Année 2027');
    // Saved at once (a town setting), then shown as the core answers it.
    await page.getByLabel(/Commune d’Alsace-Moselle/).click();
    await expect.poll(() => table.locator('tbody tr').count()).toBe(13);
    expect(await table.innerText()).toMatch(/vendredi 26 mars 2027\s+Vendredi saint/);
    expect(await table.innerText()).toMatch(/dimanche 26 décembre 2027\s+Saint-Étienne/);
    await page.mouse.move(0, 0);
    await shot('admin-holidays.png');
    await page.getByRole('button', { name: 'Importer le calendrier scolaire' }).click();
    expect(
      await page
        .getByRole('navigation', { name: 'Parties des paramètres' })
        .getByRole('button', { name: 'Calendrier scolaire' })
        .getAttribute('aria-current'),
    ).toBe('page');
  });

  it('sets the régie’s modes, cash limit and float; the next till proposes that float', async () => {
    await part('Régie');
    const facts = page.getByTestId('regie-settings');
    await expect.poll(() => facts.innerText()).toMatch(/Plafond d’un paiement en espèces\s+300,00\s€/);
    await page.getByRole('button', { name: 'Modifier les réglages de la régie' }).click();
    const form = page.getByRole('form', { name: 'Réglages de la régie' });
    await form.getByLabel('CESU').uncheck();
    await form.getByLabel('Encaisse maximale (€)').fill('mille');
    await form.getByLabel('Fonds de caisse (€)').fill('150,00');
    await form.getByRole('button', { name: 'Enregistrer les réglages' }).click();
    await expect
      .poll(() => form.getByLabel('Encaisse maximale (€)').getAttribute('aria-invalid'))
      .toBe('true');
    await form.getByLabel('Encaisse maximale (€)').fill('1 000,00');
    await page.mouse.move(0, 0);
    await shot('admin-regie.png');
    await form.getByRole('button', { name: 'Enregistrer les réglages' }).click();
    await expect.poll(() => live()).toBe('Réglages de la régie enregistrés.');
    await expect.poll(() => facts.innerText()).not.toContain('CESU');
    const text = await facts.innerText();
    expect(text).toMatch(/Encaisse maximale\s+1\s000,00\s€/);
    expect(text).toMatch(/Fonds de caisse\s+150,00\s€/);

    await page.keyboard.press('Alt+C');
    const open = page.getByRole('form', { name: 'Ouvrir la caisse' });
    await open.waitFor();
    expect(await open.getByLabel('Fonds de caisse (€)').inputValue()).toBe('150,00');
    expect(await open.getByTestId('float-origin').innerText()).toBe(
      'Proposé : le fonds de caisse fixé par la régie.',
    );
  });

  it('shows a unit’s opening month at a site with each closed day’s reason, and adds a site', async () => {
    const { sites } = h.demo!.activities;
    await h.call('admin.addClosure', {
      siteId: sites.jaures,
      firstDay: '2026-11-05',
      lastDay: '2026-11-06',
      label: 'travaux de la cuisine',
    });
    await page.getByRole('banner').getByRole('button', { name: 'Paramètres' }).click();
    await part('Sites et ouvertures');
    await page.getByLabel('Activité').selectOption({ label: 'Restauration scolaire' });
    await page.getByLabel('Site', { exact: true }).selectOption({ label: 'Groupe scolaire Jean Jaurès' });
    await expect.poll(() => page.getByTestId('opening-month').innerText()).toMatch(/^décembre 2026/);
    await page.getByRole('button', { name: '← Mois précédent' }).click();
    await expect
      .poll(() => page.getByTestId('opening-month').innerText())
      .toBe('novembre 2026 : 15 jours d’ouverture');
    const day = (date: string) =>
      page
        .getByTestId('opening-day')
        .and(page.locator(`[aria-label^="${date} "]`))
        .getAttribute('aria-label');
    expect(await day('02/11/2026')).toBe('02/11/2026 : ouvert');
    expect(await day('04/11/2026')).toBe('04/11/2026 : pas d’accueil ce jour');
    expect(await day('05/11/2026')).toBe('05/11/2026 : fermé, fermeture : travaux de la cuisine');
    // The other site's canteen stays open on those days.
    await page.getByLabel('Site', { exact: true }).selectOption({ label: 'École Marie Curie' });
    await expect
      .poll(() => page.getByTestId('opening-month').innerText())
      .toBe('novembre 2026 : 17 jours d’ouverture');
    await page.getByLabel('Site', { exact: true }).selectOption({ label: 'Groupe scolaire Jean Jaurès' });
    await expect.poll(() => page.getByTestId('opening-month').innerText()).toMatch(/15 jours/);
    expect(await page.getByTestId('closures').innerText()).toMatch(
      /du 05\/11\/2026 au 06\/11\/2026, Groupe scolaire Jean Jaurès : travaux de la cuisine/,
    );
    await page.mouse.move(0, 0);
    await shot('admin-openings.png');

    await page.getByRole('button', { name: 'Ajouter un site' }).click();
    const form = page.getByRole('form', { name: 'Ajouter un site' });
    await form.getByRole('button', { name: 'Enregistrer le site' }).click();
    await expect.poll(() => form.getByLabel('Nom du site').getAttribute('aria-invalid')).toBe('true');
    await form.getByLabel('Nom du site').fill('Gymnase Colette');
    await form.getByLabel('Adresse').fill('3 rue Colette, 45100 Belleval');
    await form.getByRole('button', { name: 'Enregistrer le site' }).click();
    await expect
      .poll(() => page.getByTestId('site').allInnerTexts())
      .toContainEqual(expect.stringMatching(/^Gymnase Colette — 3 rue Colette, 45100 Belleval/));
  });

  it('runs the canteen at the new site on Wednesdays too: units and sites of an activity', async () => {
    await part('Activités');
    const card = page.locator('section', {
      has: page.getByRole('heading', { name: 'Restauration scolaire' }),
    });
    await card.getByRole('button', { name: /Unités et sites/ }).click();
    const form = page.getByRole('form', { name: 'Unités et sites de Restauration scolaire' });
    await form.getByLabel('mercredi (Repas)').check();
    await form.getByLabel('Gymnase Colette').check();
    await form.getByRole('button', { name: 'Enregistrer' }).click();
    await expect.poll(() => card.innerText()).toMatch(/Unités\s+Repas \(lun\., mar\., mer\., jeu\., ven\.\)/);
    expect(await card.innerText()).toContain('Gymnase Colette');

    // The opening month follows: Wednesdays of term time are open now.
    await part('Sites et ouvertures');
    await page.getByLabel('Activité').selectOption({ label: 'Restauration scolaire' });
    await page.getByLabel('Site', { exact: true }).selectOption({ label: 'Gymnase Colette' });
    await page.getByRole('button', { name: '← Mois précédent' }).click();
    await expect
      .poll(() => page.getByTestId('opening-month').innerText())
      .toBe('novembre 2026 : 20 jours d’ouverture');
  });

  it('creates a « Stage multisport » on Wednesdays, gives it a tariff; Zoé is enrolled and booked on a Wednesday', async () => {
    await part('Activités');
    await page.getByRole('button', { name: 'Nouvelle activité' }).click();
    const form = page.getByRole('form', { name: 'Nouvelle activité' });
    // Keyboard first: the name takes the focus, and nothing is created while it is empty.
    await expect
      .poll(() => form.getByLabel('Nom', { exact: true }).evaluate((e) => e === document.activeElement))
      .toBe(true);
    await page.keyboard.press('Control+Enter');
    await expect
      .poll(() => form.getByLabel('Nom', { exact: true }).getAttribute('aria-invalid'))
      .toBe('true');
    expect(await form.innerText()).toContain('Cochez au moins un site.');
    await page.screenshot({ path: join(RESULTS_DIR, 'admin-new-activity-errors.png') });

    await page.keyboard.type('Stage multisport');
    expect(await form.getByLabel('Code').inputValue()).toBe('stage-multisport');
    // The code proposed from the name is no longer « Obligatoire. ».
    expect(await form.getByLabel('Code').getAttribute('aria-invalid')).toBeNull();
    // Started as the town's Wednesdays: a day on Wednesdays, 5 working days before.
    expect(await form.getByLabel('Type d’activité').inputValue()).toBe('wednesday');
    expect(await form.getByLabel('mercredi (unité 1)').isChecked()).toBe(true);
    expect(await form.getByLabel('Jours ouvrés avant').inputValue()).toBe('5');
    await form.getByLabel('Nom de l’unité 1').fill('Journée multisport');
    await form.getByLabel('Centre de loisirs Les Tilleuls').check();
    await page.mouse.move(0, 0);
    await shot('admin-new-activity.png');
    await page.screenshot({ path: join(RESULTS_DIR, 'admin-new-activity-1366x768.png') });
    await form.getByRole('button', { name: 'Créer l’activité' }).click();

    const card = page.locator('section', { has: page.getByRole('heading', { name: 'Stage multisport' }) });
    await expect.poll(() => card.innerText()).toMatch(/Unités\s+Journée multisport \(mer\.\)/);
    expect(await card.innerText()).toMatch(/Sites\s+Centre de loisirs Les Tilleuls/);
    expect(await live()).toBe('Activité « Stage multisport » créée. Donnez-lui un tarif dans « Tarifs ».');
    expect(await page.getByRole('heading', { name: /^Activités \(\d+\)$/ }).innerText()).toBe(
      'Activités (8)',
    );

    await part('Tarifs');
    await page.getByLabel('Activité').selectOption({ label: 'Stage multisport' });
    await page.getByRole('button', { name: /Nouveau tarif/ }).click();
    const tariff = page.getByRole('form', { name: 'Nouveau tarif' });
    await tariff.getByLabel('Calcul').selectOption({ label: 'Tarif unique' });
    await tariff.getByLabel('Prix (€)').fill('8,50');
    await tariff.getByLabel('À partir du').fill('05/12/2026');
    await tariff.getByRole('button', { name: 'Enregistrer le nouveau tarif' }).click();
    await expect
      .poll(() => live())
      .toBe('Nouveau tarif de Stage multisport (Journée multisport) à partir du 05/12/2026.');

    await page.keyboard.press('Control+K');
    await page.keyboard.type('lefevre');
    await page.getByRole('option', { name: /Lefèvre/ }).waitFor();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Foyer Lefèvre' }).waitFor();
    await page.getByRole('tab', { name: 'Inscriptions' }).click();
    await page.getByRole('button', { name: 'Inscrire…' }).click();
    const enrol = page.getByRole('form', { name: 'Inscrire un enfant' });
    await enrol.getByLabel('Activité').selectOption({ label: 'Stage multisport' });
    await enrol.getByLabel('Site').selectOption({ label: 'Centre de loisirs Les Tilleuls' });
    await enrol.getByRole('button', { name: 'Inscrire' }).click();
    await expect.poll(() => live()).toContain('inscription à « Stage multisport » 2026-2027 validée.');

    await page.getByRole('tab', { name: 'Réservations' }).click();
    await page.getByLabel('Activité').selectOption({ label: 'Stage multisport' });
    const grid = page.getByRole('grid', { name: /— Stage multisport, Centre de loisirs Les Tilleuls$/ });
    await grid.waitFor();
    const wednesday = grid.getByRole('button', { name: /^Journée multisport, mercredi 16 décembre 2026/ });
    await expect.poll(() => wednesday.getAttribute('aria-label')).toMatch(/Réservable/);
    await wednesday.click();
    const basket = page.getByRole('region', { name: /^Panier/ });
    await expect
      .poll(() => basket.getByTestId('basket-line').allInnerTexts())
      .toEqual([expect.stringMatching(/mer\. 16\/12\s+Journée multisport\s+8,50\s€/)]);
    await basket.getByRole('button', { name: /Valider le panier/ }).click();
    await expect.poll(() => basket.getByTestId('basket-result').innerText()).toContain('Panier validé');
    await expect.poll(() => wednesday.getAttribute('aria-label')).toMatch(/Réservé/);
    await page.mouse.move(0, 0);
    await shot('admin-new-activity-booked.png');
  });

  it('ran without a script error or a CSP violation', () => {
    expect(h.pageErrors).toEqual([]);
  });
});
