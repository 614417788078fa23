import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_PASSWORD } from '../core/test/fixtures.ts';
import { RESULTS_DIR, startHarness, type Harness } from './harness.ts';

/**
 * The counter agent on Friday 4 December 2026: the Lefèvre family hands in Zoé's fiche sanitaire, Zoé changes
 * school (canteen at Marie Curie from Monday 14), then leaves town after that day. Zoé is booked at the canteen of
 * Jean Jaurès on Monday 14 and Tuesday 15 December.
 */
const NOW = new Date('2026-12-04T09:00:00+01:00');
let h: Harness;
let page: Page;

const live = () => page.getByTestId('live-region').innerText();
const bookings = () =>
  h.core.raw
    .prepare(
      `SELECT b.date, b.state, s.name AS site FROM bookings b JOIN sites s ON s.id = b.site_id ORDER BY b.date`,
    )
    .all()
    .map((b) => {
      const r = b as { date: string; state: string; site: string };
      return `${r.date} ${r.state} ${r.site}`;
    });

beforeAll(async () => {
  await mkdir(RESULTS_DIR, { recursive: true });
  h = await startHarness({ clock: () => NOW, demo: true });
  const demo = h.demo!;
  const zoe = demo.children[0]!.id;
  await h.call('enrolment.enrol', {
    childId: zoe,
    activityId: demo.activities.canteen.activityId,
    schoolYear: demo.schoolYear,
    siteId: demo.activities.sites.jaures,
  });
  await h.call('booking.book', {
    childId: zoe,
    activityId: demo.activities.canteen.activityId,
    siteId: demo.activities.sites.jaures,
    unitCodes: ['meal'],
    selection: { kind: 'days', dates: ['2026-12-14', '2026-12-15'] },
    origin: 'portal',
  });
  await h.call('staff.save', {
    username: 'camille',
    displayName: 'Camille Durand',
    role: 'agent',
    password: TEST_PASSWORD,
  });
  await h.call('auth.login', { username: 'camille', password: TEST_PASSWORD });
  page = await h.openApp();
  await page.keyboard.press('Control+K');
  await page.keyboard.type('lefevre');
  await page.getByRole('option', { name: /Lefèvre/ }).waitFor();
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Foyer Lefèvre' }).waitFor();
});

afterAll(async () => {
  await h?.close();
});

describe('a counter agent’s enrolment changes, documents per child and the fiche sanitaire', () => {
  it('enters Zoé’s fiche sanitaire in an empty form, and is shown only that it was entered, by whom', async () => {
    const health = page.getByRole('region', { name: 'Santé / PAI' });
    const zoe = health.getByTestId(`health-${h.demo!.children[0]!.id}`);
    await zoe.getByText('Aucune fiche sanitaire saisie.').waitFor();
    expect(await health.getByRole('button', { name: /Afficher les informations de santé/ }).count()).toBe(0);
    await zoe.getByRole('button', { name: 'Saisir une nouvelle fiche sanitaire de Zoé' }).click();
    const form = zoe.getByRole('form', { name: 'Nouvelle fiche sanitaire de Zoé Lefèvre' });
    expect(await form.getByLabel('Allergies').inputValue()).toBe('');
    await form.getByLabel('Projet d’accueil individualisé (PAI)').check();
    await form.getByLabel('Allergies').fill('arachide');
    await form
      .getByLabel('Repas à la cantine')
      .selectOption({ label: 'Panier repas fourni par la famille (PAI)' });
    await form.getByLabel('Médecin traitant').fill('Dr Martin, Belleval');
    await page.mouse.move(0, 0);
    await page.screenshot({ path: join(RESULTS_DIR, 'health-write.png'), fullPage: true });
    await form.getByRole('button', { name: 'Enregistrer la fiche' }).click();
    await zoe.getByText('Fiche saisie le 04/12/2026 à 09:00 par Camille Durand.').waitFor();
    expect(await live()).toContain('Zoé : fiche sanitaire enregistrée.');
    // Nothing of what was entered is shown back to the agent.
    expect(await health.getByText('arachide').count()).toBe(0);
    expect(
      h.core.raw.prepare('SELECT pai, allergies, meal, recorded_by_name FROM health_records').all(),
    ).toEqual([{ pai: 1, allergies: 'arachide', meal: 'packed', recorded_by_name: 'Camille Durand' }]);
    expect(h.core.raw.prepare('SELECT count(*) AS n FROM health_reads').get()).toEqual({ n: 0 });
  });

  it('ticks the fiche sanitaire child by child, the family’s documents once', async () => {
    await page.getByRole('tab', { name: 'Inscriptions' }).click();
    const year = page.getByRole('region', { name: 'Année scolaire 2026-2027 (en cours)' });
    await year.getByText('Dossier complet').waitFor();
    const noe = year.getByRole('checkbox', { name: 'Fiche sanitaire de liaison de Noé' });
    await noe.uncheck();
    await year.getByText('Dossier incomplet : 1 pièce manquante').waitFor();
    expect(await year.getByRole('checkbox', { name: 'Fiche sanitaire de liaison de Zoé' }).isChecked()).toBe(
      true,
    );
    expect(await year.getByRole('checkbox', { name: /Justificatif de domicile/ }).count()).toBe(1);
    await noe.check();
    await year.getByText('Dossier complet').waitFor();
  });

  it('moves Zoé’s canteen to Marie Curie from Monday 14, after showing which days move', async () => {
    const year = page.getByRole('region', { name: 'Année scolaire 2026-2027 (en cours)' });
    await year.getByRole('button', { name: 'Changer de site… Zoé, Restauration scolaire' }).click();
    const form = year.getByRole('form', {
      name: 'Changer de site l’inscription de Zoé à « Restauration scolaire »',
    });
    await form.getByLabel('Nouveau site').selectOption({ label: 'École Marie Curie' });
    await form.getByLabel('À partir du').fill('14/12/2026');
    await form.getByLabel('Motif').fill('changement d’école');
    await form.getByRole('button', { name: 'Voir ce qui change' }).click();
    const confirm = year.getByTestId('enrolment-change');
    await confirm.getByText('2 jours réservés passeront à École Marie Curie :').waitFor();
    expect(await confirm.innerText()).toMatch(
      /lundi 14 décembre 2026, repas\s+mardi 15 décembre 2026, repas/,
    );
    await confirm.getByRole('button', { name: 'Confirmer le changement de site' }).click();
    await expect
      .poll(() => year.getByTestId('enrolment-row').innerText())
      .toMatch(/École Marie Curie\s*depuis le 14\/12\/2026 \(avant : Groupe scolaire Jean Jaurès\)/);
    expect(await live()).toContain('2 jours réservés déplacés');
    expect(bookings()).toEqual([
      '2026-12-14 booked École Marie Curie',
      '2026-12-15 booked École Marie Curie',
    ]);
  });

  it('ends the enrolment after Monday 14: Tuesday is cancelled, the enrolment says so', async () => {
    const year = page.getByRole('region', { name: 'Année scolaire 2026-2027 (en cours)' });
    await year.getByRole('button', { name: 'Terminer… Zoé, Restauration scolaire' }).click();
    const form = year.getByRole('form', {
      name: 'Terminer l’inscription de Zoé à « Restauration scolaire »',
    });
    await form.getByLabel('Dernier jour de l’enfant').fill('14/12/2026');
    await form.getByRole('button', { name: 'Voir ce qui change' }).click();
    // The reason is required, and said beside its field.
    await form.locator('.field-error').getByText('Obligatoire.').waitFor();
    expect(await form.getByLabel('Motif').getAttribute('aria-invalid')).toBe('true');
    expect(bookings()).toContain('2026-12-15 booked École Marie Curie');
    await form.getByLabel('Motif').fill('déménagement');
    await form.getByRole('button', { name: 'Voir ce qui change' }).click();
    const confirm = year.getByTestId('enrolment-change');
    await confirm.getByText('1 jour réservé sera annulé :').waitFor();
    expect(await confirm.innerText()).toContain('mardi 15 décembre 2026, repas');
    await page.mouse.move(0, 0);
    await page.screenshot({ path: join(RESULTS_DIR, 'enrolment-end.png'), fullPage: true });
    await confirm.getByRole('button', { name: 'Confirmer la fin d’inscription' }).click();
    await expect
      .poll(() => year.getByTestId('enrolment-row').innerText())
      .toMatch(/Terminée le 14\/12\/2026\s*déménagement/);
    expect(await live()).toContain(
      'inscription terminée après le lundi 14 décembre 2026 ; 1 jour réservé annulé.',
    );
    expect(bookings()).toEqual([
      '2026-12-14 booked École Marie Curie',
      '2026-12-15 cancelled École Marie Curie',
    ]);
    expect(await year.getByRole('button', { name: /Terminer…/ }).count()).toBe(0);
    expect(h.pageErrors).toEqual([]);
  });
});
