import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_PASSWORD } from '../core/test/fixtures.ts';
import { RESULTS_DIR, startHarness, type Harness } from './harness.ts';

/**
 * One basket for a family (issue 13 item 4), on the demo town on Friday 4 December 2026: Zoé and Noé Lefèvre
 * both eat at the canteen and go to after-school care at Jean Jaurès; the agent « accueil » books both for both
 * children in one basket, keeps it through a lock, and validates it once.
 */
const NOW = new Date('2026-12-04T09:00:00+01:00');

let h: Harness;
let page: Page;

const shot = (name: string) => page.screenshot({ path: join(RESULTS_DIR, name), fullPage: true });

beforeAll(async () => {
  await mkdir(RESULTS_DIR, { recursive: true });
  h = await startHarness({ clock: () => NOW, demo: true });
  await h.call('staff.save', {
    username: 'accueil',
    displayName: 'Camille Accueil',
    role: 'agent',
    password: TEST_PASSWORD,
  });
  const demo = h.demo!;
  for (const child of demo.children)
    for (const activity of [demo.activities.canteen, demo.activities.care])
      await h.call('enrolment.enrol', {
        childId: child.id,
        activityId: activity.activityId,
        schoolYear: demo.schoolYear,
        siteId: demo.activities.sites.jaures,
      });
  page = await h.openApp();
});

afterAll(async () => {
  await h?.close();
});

const grid = () => page.getByRole('grid');
const basket = () => page.getByRole('region', { name: /^Panier/ });

/** Moves to a cell with the keyboard from the grid's first cell, as a counter agent would, and presses Espace. */
async function pressCell(name: RegExp) {
  const cell = grid().getByRole('button', { name });
  await cell.focus();
  await page.keyboard.press('Space');
  await expect.poll(() => cell.getAttribute('aria-pressed')).toBe('true');
}

async function choose(label: 'Enfant' | 'Activité', option: string, caption: string) {
  await page.getByLabel(label, { exact: true }).selectOption({ label: option });
  const shown = page.getByRole('grid', { name: caption });
  await shown.waitFor();
  // The grid draws its frame at once and its days when they arrive: wait for them.
  await expect.poll(() => shown.getAttribute('aria-busy')).toBe('false');
}

describe('one basket for several children and activities', () => {
  it('books canteen and after-school care for two children in one basket, through a lock, and shows them booked', async () => {
    await page.getByRole('button', { name: 'Changer d’agent' }).click();
    await page.getByLabel('Identifiant').fill('accueil');
    await page.getByLabel('Mot de passe').fill(TEST_PASSWORD);
    await page.keyboard.press('Enter');
    await page.getByText('Camille Accueil').waitFor();
    await page.keyboard.press('Control+K');
    await page.keyboard.type('lefevre');
    await page.getByRole('option', { name: /Lefèvre/ }).waitFor();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Foyer Lefèvre' }).waitFor();
    await page.getByRole('tab', { name: 'Réservations' }).click();

    const site = 'Groupe scolaire Jean Jaurès';
    await page.getByRole('grid', { name: `Zoé — Restauration scolaire, ${site}` }).waitFor();
    await pressCell(/^Repas, jeudi 10 décembre 2026 : Réservable/);
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Space');
    await expect
      .poll(() =>
        grid()
          .getByRole('button', { name: /^Repas, vendredi 11 décembre 2026/ })
          .getAttribute('aria-pressed'),
      )
      .toBe('true');

    await choose('Activité', 'Accueil périscolaire', `Zoé — Accueil périscolaire, ${site}`);
    await pressCell(/^Soir, jeudi 10 décembre 2026 : Réservable/);

    await choose('Enfant', 'Noé Lefèvre', `Noé — Restauration scolaire, ${site}`);
    // Noé's canteen grid does not show Zoé's days as asked for.
    expect(await grid().getByRole('button', { pressed: true }).count()).toBe(0);
    await pressCell(/^Repas, jeudi 10 décembre 2026 : Réservable/);
    // And the last two days before Christmas, which the school holidays refuse, each with its reason.
    await page.getByRole('button', { name: 'Vue période' }).click();
    const period = page.getByRole('form', { name: 'Réserver une période' });
    await period.getByLabel('Du').fill('24/12/2026');
    await period.getByLabel('Au').fill('25/12/2026');
    await period.getByLabel('Au').press('Enter');
    await choose('Activité', 'Accueil périscolaire', `Noé — Accueil périscolaire, ${site}`);
    await pressCell(/^Soir, jeudi 10 décembre 2026 : Réservable/);

    await expect.poll(() => basket().getByRole('heading', { level: 2 }).innerText()).toBe('Panier (6)');
    expect(await basket().getByRole('heading', { level: 3 }).allInnerTexts()).toEqual([
      `Zoé — Restauration scolaire, ${site}`,
      `Zoé — Accueil périscolaire, ${site}`,
      `Noé — Restauration scolaire, ${site}`,
      `Noé — Accueil périscolaire, ${site}`,
    ]);
    await expect.poll(() => basket().getByTestId('basket-line').count()).toBe(7);
    await expect
      .poll(() => basket().getByTestId('basket-summary').innerText())
      .toMatch(/À réserver : 5 jours, 10,80\s€\. Refusés : 2 jours\./);
    // Each refused day says why, in the basket, under the child and activity it was asked for.
    expect(
      await basket()
        .getByRole('list', { name: `Noé — Restauration scolaire, ${site}` })
        .innerText(),
    ).toMatch(
      /jeu\. 24\/12\s+Repas\s+refusé\s+vacances scolaires : Noël\s+ven\. 25\/12\s+Repas\s+refusé\s+jour férié : Noël/,
    );

    // Back to Zoé's canteen: her two days are still there, pressed.
    await choose('Enfant', 'Zoé Lefèvre', `Zoé — Restauration scolaire, ${site}`);
    expect(await grid().getByRole('button', { pressed: true }).count()).toBe(2);
    await page.mouse.move(0, 0);
    await page.setViewportSize({ width: 1366, height: 768 });
    await shot('family-basket.png');

    // A lock keeps the basket for the same agent.
    await page.keyboard.press('Control+l');
    await page.getByRole('heading', { name: 'Session verrouillée' }).waitFor();
    await page.getByLabel('Mot de passe').fill(TEST_PASSWORD);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Foyer Lefèvre' }).waitFor();
    expect(await basket().getByRole('heading', { level: 2 }).innerText()).toBe('Panier (6)');

    await page.keyboard.press('Alt+V');
    const result = basket().getByTestId('basket-result');
    await expect
      .poll(() => result.innerText())
      .toContain('Panier validé : 5 réservations enregistrées, 2 jours refusés.');
    expect(await result.getByTestId('result-group').allInnerTexts()).toEqual([
      `Zoé — Restauration scolaire, ${site} : 2 réservations enregistrées.`,
      `Zoé — Accueil périscolaire, ${site} : 1 réservation enregistrée.`,
      expect.stringMatching(
        new RegExp(
          `^Noé — Restauration scolaire, ${site} : 1 réservation enregistrée, 2 jours refusés\\.\\s+` +
            'jeu\\. 24/12\\s+Repas\\s+refusé\\s+vacances scolaires : Noël\\s+' +
            'ven\\. 25/12\\s+Repas\\s+refusé\\s+jour férié : Noël$',
        ),
      ),
      `Noé — Accueil périscolaire, ${site} : 1 réservation enregistrée.`,
    ]);
    expect(await basket().getByRole('heading', { level: 2 }).innerText()).toBe('Panier');

    // The grid on screen shows the days booked, and so does each of the others.
    await expect
      .poll(() =>
        grid()
          .getByRole('button', { name: /^Repas, jeudi 10 décembre 2026 : Réservé/ })
          .count(),
      )
      .toBe(1);
    expect(
      await grid()
        .getByRole('button', { name: /^Repas, vendredi 11 décembre 2026 : Réservé/ })
        .count(),
    ).toBe(1);
    await page.mouse.move(0, 0);
    await shot('family-basket-validated.png');
    await choose('Enfant', 'Noé Lefèvre', `Noé — Restauration scolaire, ${site}`);
    await choose('Activité', 'Accueil périscolaire', `Noé — Accueil périscolaire, ${site}`);
    await expect
      .poll(() =>
        grid()
          .getByRole('button', { name: /^Soir, jeudi 10 décembre 2026 : Réservé/ })
          .count(),
      )
      .toBe(1);
    expect(
      await grid()
        .getByRole('button', { name: /: Réservé/ })
        .count(),
    ).toBe(1);
    const demo = h.demo!;
    for (const [child, activity, days] of [
      [0, demo.activities.canteen, 2],
      [0, demo.activities.care, 1],
      [1, demo.activities.canteen, 1],
      [1, demo.activities.care, 1],
    ] as const) {
      const answer = await h.call('booking.grid', {
        childId: demo.children[child]!.id,
        activityId: activity.activityId,
        siteId: demo.activities.sites.jaures,
        from: '2026-12-07',
        to: '2026-12-11',
      });
      expect(answer.cells.filter((c) => c.state === 'booked')).toHaveLength(days);
    }
  });

  it('shows the family on one week, one grid per child × activity, and books from it with the keyboard', async () => {
    await page.getByRole('button', { name: 'Tout le foyer' }).click();
    await page.getByRole('button', { name: 'Semaine suivante ›' }).click();
    const site = 'Groupe scolaire Jean Jaurès';
    const grids = page.getByRole('grid');
    await expect.poll(() => grids.count()).toBe(4);
    const captions = [
      `Zoé — Restauration scolaire, ${site}`,
      `Zoé — Accueil périscolaire, ${site}`,
      `Noé — Restauration scolaire, ${site}`,
      `Noé — Accueil périscolaire, ${site}`,
    ];
    for (const caption of captions) {
      const one = page.getByRole('grid', { name: caption });
      await expect.poll(() => one.getAttribute('aria-busy')).toBe('false');
    }
    // The days booked before, each in its child's and activity's grid.
    const zoeCanteen = page.getByRole('grid', { name: captions[0] });
    expect(await zoeCanteen.getByRole('button', { name: /: Réservé/ }).count()).toBe(2);
    expect(
      await page
        .getByRole('grid', { name: captions[3] })
        .getByRole('button', { name: /: Réservé/ })
        .count(),
    ).toBe(1);
    // The week after: Noé's morning care on Monday 14 and Zoé's canteen on Thursday 17, arrows and Espace.
    await page.getByRole('button', { name: 'Semaine suivante ›' }).click();
    await expect
      .poll(() => zoeCanteen.getByRole('button', { name: /lundi 14 décembre 2026/ }).count())
      .toBe(1);
    const noeCare = page.getByRole('grid', { name: captions[3] });
    await noeCare.getByRole('button', { name: /^Matin, lundi 14 décembre 2026 : Réservable/ }).focus();
    await page.keyboard.press('Space');
    const zoeThursday = zoeCanteen.getByRole('button', {
      name: /^Repas, jeudi 17 décembre 2026 : Réservable/,
    });
    await zoeCanteen.getByRole('button', { name: /^Repas, lundi 14 décembre 2026/ }).focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => zoeThursday.evaluate((e) => e === document.activeElement)).toBe(true);
    await page.keyboard.press('Enter');
    await expect.poll(() => zoeThursday.getAttribute('aria-pressed')).toBe('true');
    await expect
      .poll(() => basket().getByRole('heading', { level: 3 }).allInnerTexts())
      .toEqual([captions[3], captions[0]]);
    await page.mouse.move(0, 0);
    await shot('family-basket-family-view.png');

    await page.keyboard.press('Alt+V');
    await expect
      .poll(() => basket().getByTestId('basket-result').innerText())
      .toContain('Panier validé : 2 réservations enregistrées.');
    await expect
      .poll(() =>
        zoeCanteen.getByRole('button', { name: /^Repas, jeudi 17 décembre 2026 : Réservé/ }).count(),
      )
      .toBe(1);
    // Each grid is asked again on its own.
    await expect
      .poll(() => noeCare.getByRole('button', { name: /^Matin, lundi 14 décembre 2026 : Réservé/ }).count())
      .toBe(1);
    await page.getByRole('button', { name: 'Un enfant' }).click();
  });

  it('keeps a basket only for its agent: « Changer d’agent » discards it', async () => {
    await pressCell(/^Soir, vendredi 11 décembre 2026 : Réservable/);
    expect(await basket().getByRole('heading', { level: 2 }).innerText()).toBe('Panier (1)');
    await page.keyboard.press('Control+l');
    await page.getByRole('heading', { name: 'Session verrouillée' }).waitFor();
    await page.getByRole('button', { name: 'Changer d’agent' }).click();
    await page.getByLabel('Identifiant').fill('accueil');
    await page.getByLabel('Mot de passe').fill(TEST_PASSWORD);
    await page.keyboard.press('Enter');
    await page.getByText('Camille Accueil').waitFor();
    await page.keyboard.press('Control+K');
    await page.keyboard.type('lefevre');
    await page.getByRole('option', { name: /Lefèvre/ }).waitFor();
    await page.keyboard.press('Enter');
    await page.getByRole('tab', { name: 'Réservations' }).click();
    await page.getByRole('grid', { name: /^Zoé — Restauration scolaire/ }).waitFor();
    expect(await basket().getByRole('heading', { level: 2 }).innerText()).toBe('Panier');
  });
});
