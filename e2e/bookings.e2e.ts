import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESULTS_DIR, startHarness, type Harness } from './harness.ts';

/**
 * Enrolment, bookings and attendance through the browser host, on the demo town (RULES.md) on Friday 4 December
 * 2026 at 9:00: the canteen's Monday 7 and Tuesday 8 December closed for families on Thursday 3 at 23:59, so
 * only the counter can add them, with a reason, at +50 %.
 */
const NOW = new Date('2026-12-04T09:00:00+01:00');

let h: Harness;
let page: Page;

const shot = (name: string) => page.screenshot({ path: join(RESULTS_DIR, name), fullPage: true });
const live = () => page.getByTestId('live-region').innerText();

beforeAll(async () => {
  await mkdir(RESULTS_DIR, { recursive: true });
  h = await startHarness({ clock: () => NOW, demo: true });
  // Another family, so the searches have to pick the right one.
  await h.call('family.createHousehold', {
    name: 'Martin',
    city: 'Belleval',
    guardians: [{ rank: 1, civility: 'Mme', lastName: 'Martin', firstName: 'Claire' }],
    children: [{ lastName: 'Martin', firstName: 'Zoé', birthDate: '2018-06-02', classLevel: 'CE1' }],
  });
  page = await h.openApp();
});

afterAll(async () => {
  await h?.close();
});

describe('enrolment, bookings and attendance through the browser host', () => {
  it('opens the family and enrols Zoé in the canteen at her school', async () => {
    await page.keyboard.press('Control+K');
    await page.keyboard.type('lefevre');
    await page.getByRole('option', { name: /Lefèvre/ }).waitFor();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Foyer Lefèvre' }).waitFor();

    const tab = page.getByRole('tab', { name: 'Inscriptions' });
    await tab.click();
    expect(await tab.getAttribute('aria-selected')).toBe('true');
    const year = page.getByRole('region', { name: 'Année scolaire 2026-2027 (en cours)' });
    await year.getByText('Dossier complet').waitFor();
    expect(await year.getByRole('checkbox', { name: 'Fiche sanitaire de liaison de Zoé' }).isChecked()).toBe(
      true,
    );

    await page.getByRole('button', { name: 'Inscrire…' }).click();
    const form = page.getByRole('form', { name: 'Inscrire un enfant' });
    expect(await form.getByLabel('Enfant').inputValue()).toBe(h.demo!.children[0]!.id);
    await form.getByLabel('Activité').selectOption({ label: 'Restauration scolaire' });
    await form.getByLabel('Site').selectOption({ label: 'Groupe scolaire Jean Jaurès' });
    await form.getByRole('button', { name: 'Inscrire' }).click();

    const row = year.getByTestId('enrolment-row');
    await expect
      .poll(() => row.allInnerTexts())
      .toEqual([
        expect.stringMatching(/Zoé\s+Restauration scolaire\s+Groupe scolaire Jean Jaurès\s+[\s\S]*Validée/),
      ]);
    expect(await live()).toContain('Zoé : inscription à « Restauration scolaire » 2026-2027 validée.');
  });

  it('leaves an enrolment for next year pending until its file is complete', async () => {
    await page.getByRole('button', { name: 'Inscrire…' }).click();
    const form = page.getByRole('form', { name: 'Inscrire un enfant' });
    await form.getByLabel('Enfant').selectOption({ label: 'Noé Lefèvre' });
    await form.getByLabel('Année scolaire').selectOption('2027-2028');
    await form.getByLabel('Activité').selectOption({ label: 'Accueil périscolaire' });
    await form.getByRole('button', { name: 'Inscrire' }).click();

    const next = page.getByRole('region', { name: 'Année scolaire 2027-2028' });
    await next.getByText('En attente : dossier incomplet').waitFor();
    expect(await next.getByTestId('enrolment-row').innerText()).toContain(
      'manque : fiche sanitaire de liaison',
    );
    // Zoé's own documents, the family's, then Noé's: the last one validates Noé's enrolment.
    for (const name of [
      /Fiche sanitaire de liaison de Zoé/,
      /Attestation d’assurance.* de Zoé/,
      /Justificatif de domicile/,
      /Règlement/,
      /Fiche sanitaire de liaison de Noé/,
      /Attestation d’assurance.* de Noé/,
    ]) {
      const box = next.getByRole('checkbox', { name });
      await box.check();
      await expect.poll(() => box.isChecked()).toBe(true);
    }
    await next.getByText('Dossier complet').waitFor();
    await expect.poll(() => next.getByTestId('enrolment-row').innerText()).toContain('Validée');
    expect(await live()).toContain('1 inscription(s) validée(s)');
    await page.mouse.move(0, 0);
    await shot('enrolments.png');
  });

  it('books a period and a late day from the grid, asks a reason and shows the surcharge, then shows them booked', async () => {
    await page.getByRole('tab', { name: 'Réservations' }).click();
    const grid = page.getByRole('grid', { name: 'Zoé — Restauration scolaire, Groupe scolaire Jean Jaurès' });
    await grid.waitFor();
    expect(await page.getByLabel('Site').inputValue()).toBe(h.demo!.activities.sites.jaures);

    // Today, Friday 4 December, with the keyboard: Tab into the grid, End of the first week's line, Space.
    const friday = grid.getByRole('button', { name: /^Repas, vendredi 4 décembre 2026 : Hors délai/ });
    expect(await friday.innerText()).toMatch(/Hors délai\s+3,30\s€/);
    await grid.getByRole('button', { name: /^Repas, lundi 30 novembre 2026/ }).focus();
    await page.keyboard.press('End');
    await expect.poll(() => friday.evaluate((e) => e === document.activeElement)).toBe(true);
    expect(await page.getByTestId('cell-detail').innerText()).toContain(
      'réservation close depuis le lundi 30 novembre 2026 à 23 h 59',
    );
    await page.keyboard.press('Space');
    await expect.poll(() => friday.getAttribute('aria-pressed')).toBe('true');

    // The period view: every Monday, Tuesday, Thursday and Friday from 7 to 18 December.
    await page.getByRole('button', { name: 'Vue période' }).click();
    const period = page.getByRole('form', { name: 'Réserver une période' });
    await period.getByLabel('Du').fill('07/12/2026');
    await period.getByLabel('Au').fill('18/12/2026');
    await period.getByLabel('Au').press('Enter');

    const basket = page.getByRole('region', { name: /^Panier/ });
    const lines = basket.getByTestId('basket-line');
    await expect.poll(() => lines.count()).toBe(9);
    const texts = await lines.allInnerTexts();
    expect(texts[0]).toMatch(/ven\. 04\/12\s+Repas\s+3,30\s€\s+hors délai\s+ajout hors délai : \+50 %/);
    expect(texts[1]).toMatch(
      /lun\. 07\/12\s+Repas\s+3,30\s€\s+hors délai\s+ajout hors délai : \+50 % \(prix de base 2,20\s€\)/,
    );
    expect(texts[2]).toMatch(/mar\. 08\/12\s+Repas\s+3,30\s€\s+hors délai/);
    expect(texts[3]).toMatch(/jeu\. 10\/12\s+Repas\s+2,20\s€$/);
    expect(await basket.getByTestId('basket-summary').innerText()).toMatch(
      /À réserver : 9 jours, 23,10\s€ \(dont 3 hors délai, majorés\)/,
    );

    // Validating without a reason is refused beside the reason field.
    await page.keyboard.press('Alt+V');
    const reason = basket.getByRole('textbox', { name: 'Motif du hors délai' });
    await expect.poll(() => reason.getAttribute('aria-invalid')).toBe('true');
    expect(await reason.evaluate((e) => e === document.activeElement)).toBe(true);
    expect(await basket.innerText()).toContain('Motif obligatoire : 3 jours hors délai.');
    await page.keyboard.type('oubli signalé par la mère au guichet');
    await page.getByRole('button', { name: 'Vue semaine' }).click();
    await page.mouse.move(0, 0);
    await shot('reservations-basket.png');

    await basket.getByRole('button', { name: /Valider le panier/ }).click();
    const result = basket.getByTestId('basket-result');
    await expect
      .poll(() => result.innerText())
      .toContain('Panier validé : 9 réservations enregistrées (dont 3 hors délai).');
    await expect
      .poll(() => grid.getByRole('button', { name: /^Repas, lundi 7 décembre 2026 : Réservé/ }).count())
      .toBe(1);
    expect(await grid.getByRole('button', { name: /: Réservé/ }).count()).toBe(9);
    await page.mouse.move(0, 0);
    await shot('reservations-booked.png');

    const monday = grid.getByRole('button', { name: /^Repas, lundi 7 décembre 2026/ });
    await monday.hover();
    expect(await monday.getAttribute('title')).toContain(
      'réservé hors délai : oubli signalé par la mère au guichet',
    );
  });

  it('marks the day’s children on the attendance sheet, and one present without booking with the penalty', async () => {
    await page.keyboard.press('Alt+P');
    await page.getByRole('heading', { name: 'Feuille de pointage' }).waitFor();
    await page.getByLabel('Activité').selectOption({ label: 'Restauration scolaire' });
    await page.getByLabel('Site').selectOption({ label: 'Groupe scolaire Jean Jaurès' });
    expect(await page.getByLabel('Jour', { exact: true }).inputValue()).toBe('04/12/2026');

    const rows = page.getByTestId('sheet-row');
    await expect
      .poll(() => rows.allInnerTexts())
      .toEqual([expect.stringMatching(/^Zoé Lefèvre\s+CE1\s+—\s+Lefèvre\s+réservé hors délai/)]);
    const counts = page.getByTestId('attendance-counts');
    expect(await counts.innerText()).toMatch(
      /Réservés\s+1\s+Présents\s+0\s+Absents\s+0\s+Non pointés\s+1\s+Places\s+180 \(179 libres\)/,
    );

    const marks = page.getByRole('group', { name: 'Pointage de Zoé Lefèvre' });
    await marks.getByRole('button', { name: 'Présent' }).focus();
    await page.keyboard.press('p');
    await expect
      .poll(() => marks.getByRole('button', { name: 'Présent' }).getAttribute('aria-pressed'))
      .toBe('true');
    await expect.poll(() => counts.innerText()).toMatch(/Présents\s+1/);

    await page.getByRole('button', { name: 'Ajouter un enfant présent sans réservation' }).click();
    const adding = page.getByRole('group', { name: 'Ajouter un enfant présent sans réservation' });
    expect(await adding.innerText()).toContain(
      'Une présence sans réservation est facturée prix + 50 % (pénalité de présence sans réservation).',
    );
    await adding.getByLabel('Rechercher l’enfant (nom, prénom)').fill('noe');
    await adding.getByLabel('Rechercher l’enfant (nom, prénom)').press('Enter');
    await adding.getByRole('button', { name: 'Foyer Lefèvre' }).click();
    const noteNoe = adding.getByRole('button', { name: 'Noter Noé Lefèvre présent(e)' });
    await noteNoe.click();
    // Noé does not eat at the canteen: the sheet says so and what to do, and adds nobody.
    const refusal =
      'Pointage impossible le 4 décembre 2026 : Noé n’est pas inscrit(e) à « Restauration scolaire » pour 2026-2027. Inscrivez Noé à l’activité, puis pointez à nouveau.';
    await expect.poll(() => live()).toContain(refusal);
    expect(await page.locator('.form-error').innerText()).toBe(refusal);
    expect(await rows.count()).toBe(1);

    // Enrolled at another counter meanwhile, Noé is noted present.
    await h.call('enrolment.enrol', {
      childId: h.demo!.children[1]!.id,
      activityId: h.demo!.activities.canteen.activityId,
      schoolYear: h.demo!.schoolYear,
      siteId: null,
    });
    await noteNoe.click();

    await expect.poll(() => rows.count()).toBe(2);
    expect(await rows.nth(0).innerText()).toMatch(
      /^Noé Lefèvre\s+GS\s+—\s+Lefèvre\s+sans réservation\s*pénalité : prix \+ 50 %/,
    );
    expect(
      await page
        .getByRole('group', { name: 'Pointage de Noé Lefèvre' })
        .getByRole('button', { name: 'Présent' })
        .getAttribute('aria-pressed'),
    ).toBe('true');
    await expect.poll(() => counts.innerText()).toMatch(/Réservés\s+2\s+Présents\s+2/);
    expect(await live()).toContain('Noé Lefèvre : présent(e) sans réservation, facturée prix + 50 %');
    await page.mouse.move(0, 0);
    await shot('attendance.png');
  });

  it('shows the activities’ rules in words, and sets a capacity and a closure that the grid then shows', async () => {
    await page.getByRole('button', { name: 'Paramètres' }).click();
    await page.getByRole('heading', { name: 'Paramètres', level: 1 }).waitFor();
    const canteen = page.getByRole('region', { name: 'Restauration scolaire' });
    expect(await canteen.innerText()).toContain(
      'pour le lundi et le mardi : le jeudi précédent à 23 h 59 ; pour le jeudi et le vendredi : le lundi de la même semaine à 23 h 59',
    );
    expect(await page.getByRole('region', { name: 'Accueil périscolaire' }).innerText()).toContain(
      'tarif majoré : matin 4,00',
    );

    // A town counting working hours only (001): the rule changes without code, and reads back in words.
    const care = page.getByRole('region', { name: 'Accueil périscolaire' });
    await care.getByRole('button', { name: 'Modifier les délais de Accueil périscolaire' }).click();
    const rules = care.getByRole('form', { name: 'Délais de Accueil périscolaire' });
    expect(await rules.getByLabel('Règle', { exact: true }).inputValue()).toBe('hoursBefore');
    expect(await rules.getByLabel('Heures avant le jour').inputValue()).toBe('48');
    await rules.getByLabel('Heures ouvrées seulement').check();
    await page.mouse.move(0, 0);
    await shot('settings-deadlines.png');
    await page.keyboard.press('Control+Enter');
    await expect
      .poll(() => care.innerText())
      .toContain('48 h ouvrées avant le jour (week-ends et jours fériés non comptés)');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toContain('Modifier les délais');

    const capacity = page.getByRole('region', { name: 'Capacité d’accueil' });
    await capacity.getByRole('button', { name: 'Modifier une capacité' }).click();
    await expect.poll(() => capacity.getByTestId('capacity-in-force').innerText()).toContain('180 places');
    await capacity.getByLabel('Site').selectOption({ label: 'Groupe scolaire Jean Jaurès' });
    await capacity.getByLabel('Date (vide : tous les jours)').fill('17/12/2026');
    await capacity.getByLabel('Places (vide : sans limite)').fill('1');
    await capacity.getByRole('button', { name: 'Enregistrer la capacité' }).click();
    await expect
      .poll(() => live())
      .toContain('Restauration scolaire, Repas, Groupe scolaire Jean Jaurès le 17/12/2026 : 1 place.');

    const closures = page.getByRole('region', { name: 'Fermetures exceptionnelles' });
    await closures.getByRole('button', { name: 'Ajouter une fermeture' }).click();
    await closures.getByLabel('Premier jour').fill('14/01/2027');
    await closures.getByLabel('Motif').fill('Journée pédagogique');
    await closures.getByLabel('Motif').press('Enter');
    await expect
      .poll(() => closures.innerText())
      .toContain('Journée pédagogique : le 14/01/2027, tous les sites');
    await page.mouse.move(0, 0);
    await shot('settings.png');

    // Back to the family: the grid skips the closed day and says why.
    await page.keyboard.press('Control+K');
    await page.keyboard.type('lefevre');
    await page.getByRole('option', { name: /Lefèvre/ }).waitFor();
    await page.keyboard.press('Enter');
    await page.getByRole('tab', { name: 'Réservations' }).click();
    await page.getByLabel('Aller au').fill('14/01/2027');
    await page.getByLabel('Aller au').press('Enter');
    const closed = page.getByRole('button', { name: /^Repas, jeudi 14 janvier 2027 : Non réservable/ });
    expect(await closed.getAttribute('title')).toBe('fermeture : Journée pédagogique');
  });

  it('ran without a script error or a CSP violation', () => {
    expect(h.pageErrors).toEqual([]);
  });
});
