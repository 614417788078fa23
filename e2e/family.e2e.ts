import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESULTS_DIR, startHarness, type Harness } from './harness.ts';

let h: Harness;
let page: Page;

/** What the input's aria-describedby points at: the message a screen reader reads with the field. */
async function messageBeside(field: Locator): Promise<string> {
  const ids = (await field.getAttribute('aria-describedby')) ?? '';
  const texts = await Promise.all(
    ids
      .split(' ')
      .filter(Boolean)
      .map((id) => page.locator(`[id="${id}"]`).innerText()),
  );
  return texts.join(' ');
}

const shot = (name: string) => page.screenshot({ path: join(RESULTS_DIR, name), fullPage: true });

beforeAll(async () => {
  await mkdir(RESULTS_DIR, { recursive: true });
  h = await startHarness({ now: new Date('2026-11-23T10:00:00Z') });
  // Other families, so the search has to pick the right one.
  for (const [name, first, child] of [
    ['Lefebvre', 'Marc', 'Jules'],
    ['Martin', 'Claire', 'Zoé'],
    ['Petit', 'Karim', 'Inès'],
  ] as const) {
    const r = await h.core.invoke('family.createHousehold', {
      name,
      city: 'Orléans',
      guardians: [{ rank: 1, civility: 'M.', lastName: name, firstName: first }],
      children: [{ lastName: name, firstName: child, birthDate: '2019-05-02', classLevel: 'CP' }],
    });
    if (!r.ok) throw new Error(r.error.message);
  }
  page = await h.openApp();
});

afterAll(async () => {
  await h?.close();
});

describe('the family file through the browser host', () => {
  it('takes the token out of the address bar', () => {
    expect(page.url()).not.toContain('token');
  });

  it('creates a household with two children, refusing a malformed entry beside its field', async () => {
    await page.keyboard.press('Alt+N');
    await page.getByRole('heading', { name: 'Nouveau foyer' }).waitFor();
    // The first field has the keyboard: the agent types and tabs along.
    await page.keyboard.type('Lefèvre');
    await page.keyboard.press('Tab');
    await page.keyboard.type('12 rue des Tilleuls');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.type('4500'); // one digit short
    await page.keyboard.press('Tab');
    await page.keyboard.type('Orléans');

    const g1 = page.getByRole('group', { name: 'Responsable 1' });
    await g1.getByLabel('Civilité').selectOption('Mme');
    // The names follow the household name as it was typed.
    expect(await g1.getByLabel('Nom', { exact: true }).inputValue()).toBe('Lefèvre');
    await g1.getByLabel('Prénom').fill('Sophie');
    await g1.getByLabel('Lien avec l’enfant').fill('mère');
    await g1.getByLabel('Téléphone portable').fill('0612345678');

    const child1 = page.getByRole('group', { name: 'Enfant 1' });
    expect(await child1.getByLabel('Nom', { exact: true }).inputValue()).toBe('Lefèvre');
    await child1.getByLabel('Prénom').fill('Zoé');
    await child1.getByLabel('Date de naissance').fill('14/03/2018');
    await child1.getByLabel('Classe').selectOption('CE1');
    await page.getByRole('button', { name: 'Ajouter un enfant' }).press('Enter');
    const child2 = page.getByRole('group', { name: 'Enfant 2' });
    // The new row takes the focus and already carries the family name.
    await expect
      .poll(() => child2.getByLabel('Prénom').evaluate((e) => e === document.activeElement))
      .toBe(true);
    expect(await child2.getByLabel('Nom', { exact: true }).inputValue()).toBe('Lefèvre');
    await page.keyboard.type('Noé');
    await child2.getByLabel('Date de naissance').fill('02/09/2030'); // in the future
    await child2.getByLabel('Classe').selectOption('GS');

    const qf = page.getByRole('group', { name: 'Quotient familial (facultatif)' });
    await qf.getByLabel('Quotient familial').fill('640');
    await qf.getByLabel('Mois d’effet').fill('01/2026');

    await page.keyboard.press('Control+Enter');
    const postalCode = page.getByLabel('Code postal');
    await expect.poll(() => messageBeside(postalCode)).toBe('Code postal invalide (5 chiffres).');
    expect(await postalCode.getAttribute('aria-invalid')).toBe('true');
    // Both mistakes at once, each beside its own field.
    const birth2 = child2.getByLabel('Date de naissance');
    expect(await messageBeside(birth2)).toBe('Date de naissance dans le futur.');
    expect(await messageBeside(child1.getByLabel('Date de naissance'))).toBe('');
    // The refusal moved the keyboard to the first field to fix, and nothing typed was lost.
    expect(await postalCode.evaluate((e) => e === document.activeElement)).toBe(true);
    expect(await page.getByTestId('live-region').innerText()).toContain('code postal invalide');
    expect(await page.getByLabel('Nom du foyer').inputValue()).toBe('Lefèvre');
    expect(await child2.getByLabel('Prénom').inputValue()).toBe('Noé');
    await shot('create-household-refused.png');

    await page.keyboard.type('5');
    await birth2.fill('02/09/2020');
    await page.keyboard.press('Control+Enter');
    await page.getByRole('heading', { name: 'Foyer Lefèvre' }).waitFor();
    expect(await page.getByTestId('qf-in-force').innerText()).toContain('QF en vigueur : 640');
    const children = page.getByRole('region', { name: /^Enfants/ });
    expect(await children.getByRole('rowheader').allInnerTexts()).toEqual(['Zoé Lefèvre', 'Noé Lefèvre']);
    expect(await children.getByRole('row', { name: /Noé/ }).innerText()).toContain('02/09/2020');
  });

  it('finds the family from an unaccented fragment with Ctrl+K, from anywhere', async () => {
    await page.getByRole('button', { name: /Guichet Famille/ }).click();
    await page.getByRole('heading', { name: 'Accueil du guichet' }).waitFor();

    await page.keyboard.press('Control+K');
    await page.keyboard.type('lefevre');
    const results = page.getByRole('listbox', { name: 'Foyers trouvés' });
    await expect
      .poll(() => results.getByRole('option').allInnerTexts())
      .toEqual([expect.stringContaining('Lefèvre')]);

    await page.keyboard.press('Control+K');
    await page.keyboard.type('zoe');
    await expect.poll(() => results.getByRole('option').count()).toBe(2);
    const options = await results.getByRole('option').allInnerTexts();
    expect(options.join('\n')).toContain('Zoé Lefèvre (CE1)');
    expect(options.join('\n')).toContain('Zoé Martin (CP)');
    await page.mouse.move(1000, 600);
    await shot('search-results.png');

    const lefevre = options.findIndex((t) => t.includes('Lefèvre'));
    for (let i = 0; i < lefevre; i++) await page.keyboard.press('ArrowDown');
    await expect.poll(() => results.locator('[aria-selected="true"]').innerText()).toContain('Lefèvre');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Foyer Lefèvre' }).waitFor();
  });

  it('corrects a QF and shows the new value in force', async () => {
    const qfSection = page.getByRole('region', { name: 'Quotient familial' });
    await qfSection.getByRole('button', { name: 'Corriger le QF de 01/2026' }).focus();
    await page.keyboard.press('Enter');
    const value = qfSection.getByRole('textbox', { name: 'Quotient familial' });
    await expect.poll(() => value.evaluate((e) => e === document.activeElement)).toBe(true);
    await value.fill('712');
    await page.keyboard.press('Enter');

    await expect.poll(() => page.getByTestId('qf-in-force').innerText()).toContain('QF en vigueur : 712');
    const inForce = qfSection.locator('tr.in-force');
    expect(await inForce.innerText()).toMatch(/712\s*En vigueur/);
    expect(await page.getByTestId('live-region').innerText()).toContain('Quotient familial corrigé.');
    // The focus went back to the button that opened the correction.
    expect(await page.evaluate(() => document.activeElement?.textContent)).toContain('Corriger');
  });

  it('adds a newer QF, which takes over from its effective month', async () => {
    const qfSection = page.getByRole('region', { name: 'Quotient familial' });
    await qfSection.getByRole('button', { name: 'Ajouter un QF' }).click();
    await qfSection.getByRole('textbox', { name: 'Quotient familial' }).fill('850');
    await qfSection.getByLabel('Source').selectOption('MSA');
    await qfSection.getByLabel('Mois d’effet').fill('11/2026');
    await qfSection.getByRole('button', { name: 'Enregistrer' }).click();

    await expect
      .poll(() => page.getByTestId('qf-in-force').innerText())
      .toContain('QF en vigueur : 850 (MSA, depuis 11/2026)');
    expect(await qfSection.getByTestId('qf-row').allInnerTexts()).toEqual([
      expect.stringMatching(/^850\s*En vigueur\s*MSA\s*11\/2026/),
      expect.stringMatching(/^712\s*CAF\s*01\/2026/),
    ]);
    await page.mouse.move(0, 0);
    await shot('family-page.png');
  });

  it('asks to confirm a QF taking effect before another, then shows each QF closed by the next', async () => {
    const qfSection = page.getByRole('region', { name: 'Quotient familial' });
    await qfSection.getByRole('button', { name: 'Ajouter un QF' }).click();
    await qfSection.getByRole('textbox', { name: 'Quotient familial' }).fill('500');
    await qfSection.getByLabel('Mois d’effet').fill('06/2026');
    await qfSection.getByRole('button', { name: 'Enregistrer' }).click();
    const warning =
      'Ce QF prend effet en 06/2026, avant le QF 850 (MSA) qui prend effet en 11/2026 : il ne s’appliquera que de 06/2026 à 10/2026. Confirmez pour l’enregistrer.';
    await qfSection.getByText(warning).waitFor();
    expect(await qfSection.getByTestId('qf-row').count()).toBe(2);
    await shot('family-qf-confirm.png');

    await qfSection.getByLabel('Je confirme ce QF, qui prend effet avant un QF déjà enregistré').check();
    await qfSection.getByRole('button', { name: 'Enregistrer' }).click();
    await expect.poll(() => qfSection.getByTestId('qf-row').count()).toBe(3);
    expect(await qfSection.getByTestId('qf-row').allInnerTexts()).toEqual([
      expect.stringMatching(/^850\s*En vigueur\s*MSA\s*11\/2026\s*sans fin/),
      expect.stringMatching(/^500\s*CAF\s*06\/2026\s*10\/2026 \(QF suivant\)/),
      expect.stringMatching(/^712\s*CAF\s*01\/2026\s*05\/2026 \(QF suivant\)/),
    ]);
    expect(await page.getByTestId('qf-in-force').innerText()).toContain('QF en vigueur : 850');
  });

  it('edits a section in place: Escape cancels, Enter saves', async () => {
    const household = page.getByRole('region', { name: 'Foyer', exact: true });
    await household.getByRole('button', { name: 'Modifier le foyer' }).click();
    const email = household.getByLabel('E-mail du foyer');
    await email.fill('pas-une-adresse');
    await page.keyboard.press('Escape');
    expect(await household.getByLabel('E-mail du foyer').count()).toBe(0);

    await household.getByRole('button', { name: 'Modifier le foyer' }).press('Enter');
    await household.getByLabel('E-mail du foyer').fill('pas-une-adresse');
    await household.getByLabel('E-mail du foyer').press('Enter');
    await expect
      .poll(() => messageBeside(household.getByLabel('E-mail du foyer')))
      .toBe('Adresse e-mail invalide.');
    const children = page.getByRole('region', { name: /^Enfants/ });
    await children.getByRole('button', { name: 'Modifier Noé' }).click();
    await shot('family-editing.png');
    await page.keyboard.press('Escape');

    await household.getByLabel('E-mail du foyer').fill('sophie.lefevre@exemple.fr');
    await page.keyboard.press('Enter');
    await expect.poll(() => household.innerText()).toContain('sophie.lefevre@exemple.fr');
  });

  it('adds and removes another person allowed to pick the children up', async () => {
    const section = page.getByRole('region', { name: /personnes autorisées/ });
    await section.getByRole('button', { name: 'Ajouter une personne' }).click();
    await page.keyboard.type('Durand');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Josette');
    await page.keyboard.press('Tab');
    await page.keyboard.type('grand-mère');
    await page.keyboard.press('Enter');
    await expect.poll(() => section.getByRole('rowheader').allInnerTexts()).toEqual(['Josette Durand']);

    await section.getByRole('button', { name: 'Retirer Josette' }).click();
    await section.getByRole('button', { name: 'Confirmer le retrait' }).click();
    await expect.poll(() => section.innerText()).toContain('Aucune autre personne autorisée.');
  });

  it('adds a second guardian, and refuses in French to remove the payer', async () => {
    const section = page.getByRole('region', { name: 'Responsables' });
    await section.getByRole('button', { name: 'Ajouter le responsable 2' }).click();
    const form = section.getByRole('form', { name: 'Ajouter le responsable 2' });
    await form.getByLabel('Civilité').selectOption('M.');
    expect(await form.getByLabel('Nom', { exact: true }).inputValue()).toBe('Lefèvre');
    await form.getByLabel('Prénom').fill('Éric');
    await form.getByLabel('Prénom').press('Enter');
    await expect.poll(() => section.innerText()).toContain('M. Éric Lefèvre');

    await section.getByRole('button', { name: 'Retirer le responsable 1' }).click();
    await section.getByRole('button', { name: 'Confirmer le retrait' }).click();
    await expect
      .poll(() => section.innerText())
      .toMatch(/Ce responsable est le payeur : désignez d.abord l.autre responsable comme payeur/);
    await page.keyboard.press('Escape');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toContain('Retirer');

    await section.getByRole('button', { name: 'Retirer le responsable 2' }).click();
    await section.getByRole('button', { name: 'Confirmer le retrait' }).click();
    await expect.poll(() => section.innerText()).toContain('Aucun responsable 2 enregistré.');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Ajouter le responsable 2');
  });

  it('shows the help with F1', async () => {
    await page.keyboard.press('F1');
    const help = page.getByRole('dialog', { name: 'Raccourcis clavier' });
    await help.waitFor();
    expect(await help.innerText()).toContain('Ctrl+K');
    await shot('help.png');
    await page.keyboard.press('Escape');
    await help.waitFor({ state: 'hidden' });

    // Ctrl+K reaches the search even from inside the help.
    await page.keyboard.press('F1');
    await help.waitFor();
    await page.keyboard.press('Control+K');
    await help.waitFor({ state: 'hidden' });
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('global-search');
  });

  it('shows a new household’s five mistakes after one click, then creates it once they are corrected', async () => {
    await page
      .getByRole('button', { name: /^Nouveau foyer/ })
      .first()
      .click();
    const form = page.getByRole('form', { name: 'Nouveau foyer' });
    await form.waitFor();
    const household = form.getByRole('group', { name: 'Foyer' });
    const g1 = form.getByRole('group', { name: 'Responsable 1' });
    const child = form.getByRole('group', { name: 'Enfant 1' });
    const fields = {
      name: household.getByLabel('Nom du foyer'),
      postalCode: household.getByLabel('Code postal'),
      email: household.getByLabel('E-mail du foyer'),
      phone: household.getByLabel('Téléphone portable'),
      birth: child.getByLabel('Date de naissance'),
    };
    // The household's name left empty; four more mistakes, three of which only the core knows.
    await fields.postalCode.fill('4500');
    await fields.email.fill('paul.bernard@');
    await fields.phone.fill('06 12 34');
    await g1.getByLabel('Civilité').selectOption('M.');
    await g1.getByLabel('Nom', { exact: true }).fill('Bernard');
    await g1.getByLabel('Prénom').fill('Paul');
    await child.getByLabel('Prénom').fill('Léo');
    await child.getByLabel('Nom', { exact: true }).fill('Bernard');
    await fields.birth.fill('30/02/2019');

    await form.getByRole('button', { name: 'Créer le foyer' }).click();
    await expect.poll(() => messageBeside(fields.postalCode)).toBe('Code postal invalide (5 chiffres).');
    expect(await messageBeside(fields.name)).toBe('Obligatoire.');
    expect(await messageBeside(fields.email)).toBe('Adresse e-mail invalide.');
    expect(await messageBeside(fields.phone)).toBe('Numéro de téléphone invalide (10 chiffres).');
    expect(await messageBeside(fields.birth)).toBe('Date invalide : saisissez jj/mm/aaaa.');
    for (const field of Object.values(fields)) expect(await field.getAttribute('aria-invalid')).toBe('true');
    expect(await form.locator('[aria-invalid="true"]').count()).toBe(5);
    expect(await form.locator('.form-error').innerText()).toBe('Saisie à compléter : 5 champs à corriger.');
    expect(await fields.name.evaluate((e) => e === document.activeElement)).toBe(true);
    await shot('create-household-five-mistakes.png');

    // Each correction clears its own message, and only its own.
    await fields.name.fill('Bernard');
    expect(await messageBeside(fields.name)).toBe('');
    expect(await messageBeside(fields.postalCode)).toBe('Code postal invalide (5 chiffres).');
    await fields.postalCode.fill('45000');
    await fields.email.fill('paul.bernard@exemple.fr');
    await fields.phone.fill('06 98 76 54 32');
    await fields.birth.fill('28/02/2019');
    expect(await form.locator('[aria-invalid="true"]').count()).toBe(0);

    await form.getByRole('button', { name: 'Créer le foyer' }).click();
    await page.getByRole('heading', { name: 'Foyer Bernard' }).waitFor();
    const children = page.getByRole('region', { name: /^Enfants/ });
    expect(await children.getByRole('row', { name: /Léo/ }).innerText()).toContain('28/02/2019');
    const found = await h.call('family.search', { text: 'bernard' });
    expect(found.map((f) => f.householdName)).toEqual(['Bernard']);
  });

  it('ran without a script error or a CSP violation', () => {
    expect(h.pageErrors).toEqual([]);
  });

  it('says in French that a wrong token cannot reach the counter', async () => {
    const intruder = await h.browser.newPage();
    try {
      await intruder.goto(`${h.host.origin}/#token=faux`);
      const alert = intruder.getByRole('alert');
      await alert.waitFor();
      expect(await alert.innerText()).toContain('Jeton de session invalide');
      await intruder.screenshot({ path: join(RESULTS_DIR, 'wrong-token.png') });
      const answer = await intruder.evaluate(async () => {
        const r = await fetch('/api/invoke', {
          method: 'POST',
          headers: { authorization: 'Bearer faux', 'content-type': 'application/json' },
          body: JSON.stringify({ name: 'family.search', input: { text: 'lefevre' } }),
        });
        return { status: r.status, body: (await r.json()) as unknown };
      });
      expect(answer).toEqual({
        status: 401,
        body: {
          ok: false,
          error: { code: 'UNAUTHORIZED', message: expect.stringContaining('Jeton de session invalide') },
        },
      });
    } finally {
      await intruder.close();
    }
  });
});

describe('names typed by the agent in a new household', () => {
  it('keeps a surname the agent typed when the household name changes; a prefilled one follows it', async () => {
    await page.keyboard.press('Alt+N');
    await page.getByRole('heading', { name: 'Nouveau foyer' }).waitFor();
    const form = page.getByRole('form', { name: 'Nouveau foyer' });
    const householdName = form.getByRole('group', { name: 'Foyer' }).getByLabel('Nom du foyer');
    await householdName.fill('Testeur');
    const g1 = form.getByRole('group', { name: 'Responsable 1' });
    const child1 = form.getByRole('group', { name: 'Enfant 1' });
    // The agent types both surnames over the prefilled ones, key by key, the same as the household's for now.
    for (const group of [g1, child1]) {
      const field = group.getByLabel('Nom', { exact: true });
      await field.selectText();
      await field.pressSequentially('Testeur');
      expect(await field.inputValue()).toBe('Testeur');
    }
    await form.getByRole('button', { name: 'Ajouter un enfant' }).click();
    const child2 = form.getByRole('group', { name: 'Enfant 2' });
    expect(await child2.getByLabel('Nom', { exact: true }).inputValue()).toBe('Testeur');

    await householdName.fill('Testeur / Martin');
    expect(await g1.getByLabel('Nom', { exact: true }).inputValue()).toBe('Testeur');
    expect(await child1.getByLabel('Nom', { exact: true }).inputValue()).toBe('Testeur');
    // Only prefilled, never typed in: it still follows the household name.
    expect(await child2.getByLabel('Nom', { exact: true }).inputValue()).toBe('Testeur / Martin');
    await form.getByRole('button', { name: 'Annuler' }).click();
    await page.getByRole('heading', { name: 'Nouveau foyer' }).waitFor({ state: 'detached' });
  });
});
