import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_PASSWORD } from '../core/test/fixtures.ts';
import { RESULTS_DIR, startHarness, type Harness } from './harness.ts';

/**
 * A counter agent's and a régisseur's first day (issue 13), on the demo town on Monday 5 October 2026: the accounts
 * « accueil » (agent) and « regie » (régisseur); the town's till float is 150,00 €; no till is open yet. Zoé
 * Lefèvre's September canteen (14 × 2,20 € = 30,80 €) was invoiced that morning, due on 25 October; the family's
 * file lacks its insurance certificate for 2026-2027.
 */
let now = new Date('2026-09-01T08:00:00+02:00');

let h: Harness;
let page: Page;

const shot = (name: string) => page.screenshot({ path: join(RESULTS_DIR, name), fullPage: true });

beforeAll(async () => {
  await mkdir(RESULTS_DIR, { recursive: true });
  h = await startHarness({ clock: () => now, demo: true });
  for (const [username, displayName, role] of [
    ['accueil', 'Camille Accueil', 'agent'],
    ['regie', 'Rémi Régisseur', 'regisseur'],
    ['alsh', 'Inès Animation', 'alsh'],
  ] as const)
    await h.call('staff.save', { username, displayName, role, password: TEST_PASSWORD });
  const demo = h.demo!;
  const { canteen, sites } = demo.activities;
  const zoe = demo.children[0]!.id;
  await h.call('enrolment.enrol', {
    childId: zoe,
    activityId: canteen.activityId,
    schoolYear: demo.schoolYear,
  });
  await h.call('booking.book', {
    childId: zoe,
    activityId: canteen.activityId,
    siteId: sites.jaures,
    unitCodes: ['meal'],
    selection: { kind: 'period', from: '2026-09-07', to: '2026-09-30', weekdays: [1, 2, 4, 5] },
    origin: 'portal',
  });
  await h.call('enrolment.checkDocument', {
    householdId: demo.householdId,
    schoolYear: demo.schoolYear,
    item: 'assurance',
    checked: false,
  });
  // Noé has a PAI, which only roles reading health data see flagged.
  await h.call('health.save', { childId: demo.children[1]!.id, pai: true, allergies: 'arachides' });
  now = new Date('2026-10-05T10:00:00+02:00');
  expect(await h.call('billing.runMonth', { month: '2026-09', issueDate: '2026-10-05' })).toMatchObject({
    totalCents: 3080,
  });
  const settings = await h.call('payment.settings', {});
  await h.call('regie.saveSettings', {
    modes: settings.modes.map((m) => m.mode),
    cashLimitCents: settings.cashLimitCents,
    cashLimitOverridable: settings.cashLimitOverridable,
    cashCeilingCents: settings.cashCeilingCents,
    floatCents: 15_000,
  });
  page = await h.openApp();
});

afterAll(async () => {
  await h?.close();
});

async function signInAs(username: string, displayName: string) {
  await page.getByRole('button', { name: 'Changer d’agent' }).click();
  await page.getByRole('heading', { name: 'Connexion' }).waitFor();
  await page.getByLabel('Identifiant').fill(username);
  await page.getByLabel('Mot de passe').fill(TEST_PASSWORD);
  await page.keyboard.press('Enter');
  await page.getByText(displayName).waitFor();
}

async function openFamily() {
  await page.keyboard.press('Control+K');
  await page.keyboard.type('lefevre');
  await page.getByRole('option', { name: /Lefèvre/ }).waitFor();
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Foyer Lefèvre' }).waitFor();
}

describe('the first cash payment, with no till open', () => {
  it('tells the agent on the payment form as it opens, and who may open the till', async () => {
    await signInAs('accueil', 'Camille Accueil');
    await openFamily();
    await page.keyboard.press('Alt+E');
    const form = page.getByRole('region', { name: 'Encaisser un paiement' });
    const notice = form.getByTestId('till-notice');
    await notice.waitFor();
    expect(await notice.innerText()).toMatch(
      /Aucune caisse n’est ouverte sur ce poste : ouvrez la caisse \(fonds de caisse\) avant d’encaisser\.\s+Seul le régisseur peut l’ouvrir/,
    );
    // An agent cannot open it: no button that the core would refuse.
    expect(await form.getByRole('button', { name: 'Ouvrir la caisse' }).count()).toBe(0);
    await page.mouse.move(0, 0);
    await shot('first-day-no-till-agent.png');
  });

  it('lets the régisseur open it from the form in one step, the town’s float proposed, then take the payment', async () => {
    await signInAs('regie', 'Rémi Régisseur');
    await openFamily();
    await page.keyboard.press('Alt+E');
    const form = page.getByRole('region', { name: 'Encaisser un paiement' });
    const notice = form.getByTestId('till-notice');
    await notice.waitFor();
    expect(await notice.getByLabel('Fonds de caisse (€)').inputValue()).toBe('150,00');
    await page.mouse.move(0, 0);
    await shot('first-day-no-till-regie.png');
    await notice.getByRole('button', { name: 'Ouvrir la caisse' }).click();
    await notice.waitFor({ state: 'detached' });
    expect((await h.call('regie.currentSession', {})).session).toMatchObject({ floatCents: 15_000 });

    await form.getByLabel('Montant reçu (€)').fill('20,00');
    await form.getByLabel('Montant reçu (€)').press('Enter');
    await page.getByTestId('payment-done').waitFor();
    expect(await page.getByTestId('payment-done').innerText()).toMatch(/Espèces : 20,00\s€/);
    await page.getByRole('button', { name: 'Terminer' }).click();
  });
});

describe('cash handed over, the family credit and a reversal', () => {
  it('proposes what is due, takes the note handed over and says the change to give back', async () => {
    await page.keyboard.press('Alt+E');
    const form = page.getByRole('form', { name: 'Encaisser un paiement' });
    const amount = form.getByLabel('Montant reçu (€)');
    await expect.poll(() => amount.inputValue()).toBe('10,80');
    // Selected as the form opens: the 50 € note typed replaces the amount proposed.
    await page.keyboard.type('50');
    const summary = form.getByTestId('allocation-summary');
    await expect
      .poll(() => summary.innerText())
      .toMatch(/Encaissé : 10,80\s€ — monnaie à rendre : 39,20\s€\./);
    const toCredit = form.getByRole('checkbox', {
      name: /^Verser l’excédent de 39,20\s€ au crédit de la famille/,
    });
    expect(await toCredit.isChecked()).toBe(false);
    await page.mouse.move(0, 0);
    await shot('first-day-cash-change.png');
    await amount.press('Enter');
    const done = page.getByTestId('payment-done');
    await done.waitFor();
    expect(await done.innerText()).toMatch(/Espèces : 10,80\s€/);
    expect(await done.getByTestId('change-given').innerText()).toMatch(/^Monnaie à rendre : 39,20\s€$/);
    expect(await done.innerText()).not.toContain('crédit');
    await done.getByRole('button', { name: 'Terminer' }).click();
    await expect.poll(() => page.getByTestId('family-balance').innerText()).toMatch(/Reste dû\s+0,00\s€/);
    // The file's header follows the money at once.
    await expect.poll(() => page.getByTestId('family-money').innerText()).toMatch(/^Solde dû : 0,00\s€$/);
  });

  it('lets the régisseur reverse a payment with a reason', async () => {
    const last = page.getByTestId('payment-row').first();
    expect(await last.innerText()).toMatch(/Espèces\s+10,80\s€/);
    await last.getByRole('button', { name: /^Annuler le paiement REC-/ }).click();
    const reverse = page.getByRole('form', { name: /^Annuler le paiement REC-/ });
    await reverse.getByRole('button', { name: /^Annuler le paiement de 10,80\s€$/ }).click();
    await reverse.getByText('Saisissez le motif de l’annulation.').waitFor();
    await reverse.getByLabel(/^Motif de l’annulation/).fill('montant saisi sur la mauvaise famille');
    await page.mouse.move(0, 0);
    await shot('first-day-reverse.png');
    await reverse.getByRole('button', { name: /^Annuler le paiement de 10,80\s€$/ }).click();
    await expect
      .poll(() => page.getByTestId('payment-row').first().innerText())
      .toContain('annulé : montant saisi sur la mauvaise famille');
    await expect.poll(() => page.getByTestId('family-balance').innerText()).toMatch(/Reste dû\s+10,80\s€/);
    await expect.poll(() => page.getByTestId('family-money').innerText()).toMatch(/^Solde dû : 10,80\s€$/);
  });

  it('uses the family’s credit on its invoice from the screen', async () => {
    // 5,00 € left as credit (a cheque given without allocation), shown when the tab is opened again.
    await h.call('payment.record', {
      householdId: h.demo!.householdId,
      mode: 'cheque',
      amountCents: 500,
      allocations: [],
      cheque: { number: '0012345', bank: 'Banque', drawer: 'Sophie Lefèvre', payeeChecked: true },
    });
    await page.getByRole('tab', { name: 'Factures' }).click();
    await page.getByRole('tab', { name: 'Règlements' }).click();
    const use = page.getByRole('button', { name: /^Utiliser le crédit sur les factures \(5,00\s€\)$/ });
    await use.click();
    await expect
      .poll(() => page.getByTestId('credit-used').innerText())
      .toMatch(/^Crédit de 5,00\s€ affecté : facture FAC-2026-000001 5,00\s€\. Crédit restant : 0,00\s€\.$/);
    await expect
      .poll(() => page.getByTestId('family-balance').innerText())
      .toMatch(/Reste dû\s+5,80\s€\s+Crédit de la famille\s+0,00\s€/);
  });
});

describe('the home page and the family header', () => {
  const home = async () => {
    await page.getByRole('button', { name: /^Guichet Famille/ }).click();
    await page.getByRole('heading', { name: 'Accueil du guichet' }).waitFor();
    return page.getByTestId('home-glance');
  };

  it('shows the régisseur the till and its cash, what is due and the family just served, each a way there', async () => {
    const glance = await home();
    await expect
      .poll(() => glance.getByTestId('glance-till').innerText())
      .toMatch(/^Caisse ouverte — 170,00\s€ en espèces$/);
    expect(await glance.getByTestId('glance-past-due').innerText()).toBe(
      'Aucune facture impayée après échéance',
    );
    expect(await glance.getByTestId('glance-requests').innerText()).toBe(
      'Aucune demande des familles en attente',
    );
    expect(await glance.getByTestId('recent-families').innerText()).toBe('Foyer Lefèvre');
    await page.mouse.move(0, 0);
    await shot('first-day-home-regie.png');

    await glance.getByRole('button', { name: 'Foyer Lefèvre' }).click();
    await page.getByRole('heading', { name: 'Foyer Lefèvre' }).waitFor();
    const alerts = page.getByTestId('family-alerts');
    await expect.poll(() => alerts.innerText()).toMatch(/Solde dû : 5,80\s€/);
    expect(await alerts.innerText()).toContain(
      'Dossier 2026-2027 incomplet : Attestation d’assurance scolaire et extrascolaire',
    );
    expect(await alerts.innerText()).not.toContain('Impayé');
    expect(await alerts.innerText()).not.toContain('PAI');
  });

  it('after the due date, says what is unpaid and that yesterday’s till is still open', async () => {
    now = new Date('2026-10-26T09:00:00+01:00');
    const glance = await home();
    await expect
      .poll(() => glance.getByTestId('glance-past-due').innerText())
      .toMatch(/^1 facture impayée après échéance : 5,80\s€$/);
    expect(await glance.getByTestId('glance-till').innerText()).toBe(
      'Caisse du 05/10/2026 non fermée : à clôturer',
    );
    await page.mouse.move(0, 0);
    await shot('first-day-home-past-due.png');
    await glance.getByTestId('glance-till').getByRole('button').click();
    await page.getByRole('heading', { name: 'Caisse', level: 1 }).waitFor();

    await glance.page().keyboard.press('Control+K');
    await page.keyboard.type('lefevre');
    await page.getByRole('option', { name: /Lefèvre/ }).waitFor();
    await page.keyboard.press('Enter');
    const alerts = page.getByTestId('family-alerts');
    await expect.poll(() => alerts.innerText()).toMatch(/Impayé après échéance : 5,80\s€ \(1 facture\)/);
    await page.mouse.move(0, 0);
    await shot('first-day-family-header.png');
  });
});

describe('locking keeps the screen for the same agent, and only for them', () => {
  it('unlocks to the same family, tab and typed amount, hidden while locked', async () => {
    await page.getByRole('tab', { name: 'Règlements' }).click();
    await page.keyboard.press('Alt+E');
    const amount = page.getByRole('form', { name: 'Encaisser un paiement' }).getByLabel('Montant reçu (€)');
    await expect.poll(() => amount.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.type('12,34');

    await page.keyboard.press('Control+l');
    await page.getByRole('heading', { name: 'Session verrouillée' }).waitFor();
    // Out of sight and out of the accessibility tree; a shortcut pressed now moves nothing behind the lock.
    expect(await page.getByRole('heading', { name: 'Foyer Lefèvre' }).count()).toBe(0);
    expect(await page.getByText('Lefèvre').first().isVisible()).toBe(false);
    await page.keyboard.press('Alt+N');
    await page.mouse.move(0, 0);
    await shot('first-day-locked.png');

    await page.getByLabel('Mot de passe').fill(TEST_PASSWORD);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Foyer Lefèvre' }).waitFor();
    expect(await page.getByRole('tab', { name: 'Règlements' }).getAttribute('aria-selected')).toBe('true');
    expect(await amount.inputValue()).toBe('12,34');
    expect(await page.getByRole('heading', { name: 'Nouveau foyer' }).count()).toBe(0);
  });

  it('gives another agent coming in from the lock screen a fresh counter, without the previous drafts', async () => {
    await page.keyboard.press('Control+l');
    await page.getByRole('heading', { name: 'Session verrouillée' }).waitFor();
    await page.getByRole('button', { name: 'Changer d’agent' }).click();
    await page.getByRole('heading', { name: 'Connexion' }).waitFor();
    await page.getByLabel('Identifiant').fill('accueil');
    await page.getByLabel('Mot de passe').fill(TEST_PASSWORD);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Accueil du guichet' }).waitFor();
    expect(await page.getByRole('heading', { name: 'Foyer Lefèvre' }).count()).toBe(0);
    expect(await page.getByLabel('Montant reçu (€)').count()).toBe(0);
    expect(await page.getByText('12,34').count()).toBe(0);
  });
});

describe('the holiday-centre staff’s first day', () => {
  it('shows holiday-centre staff the requests waiting and a PAI, and neither the till nor the money', async () => {
    await h.call('request.submit', {
      householdId: h.demo!.householdId,
      kind: 'other',
      message: 'Noé sera récupéré par sa tante vendredi.',
    });
    await signInAs('alsh', 'Inès Animation');
    const glance = page.getByTestId('home-glance');
    await expect
      .poll(() => glance.getByTestId('glance-requests').innerText())
      .toBe('1 demande des familles en attente');
    expect(await glance.getByTestId('glance-till').count()).toBe(0);
    expect(await glance.getByTestId('glance-past-due').count()).toBe(0);
    await page.mouse.move(0, 0);
    await shot('first-day-home-alsh.png');
    await glance.getByTestId('glance-requests').getByRole('button').click();
    await page.getByRole('heading', { name: /^Demandes/, level: 1 }).waitFor();

    await openFamily();
    const alerts = page.getByTestId('family-alerts');
    await expect.poll(() => alerts.innerText()).toContain('PAI : Noé');
    expect(await alerts.innerText()).not.toContain('Solde');
  });
});
