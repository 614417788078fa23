import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, careEvening, PORTAL_TOKEN, townServer, type TownServer } from '../server/harness.ts';
import { RESULTS_DIR, startHarness, type Harness } from './harness.ts';

/**
 * A counter PC and the town's central server, on Monday 14 September 2026 at 10:00: the administrator connects
 * the PC through the app, which starts from an empty store and receives the town from the server (the same
 * households and children as the portal's); a family books online; another counter takes the last place of an
 * evening this counter also books; then the server goes away. Background rounds are 10 minutes apart here, so
 * what the grid shows changes when « Synchroniser maintenant » says so.
 */
const AT = '2026-09-14T10:00:00+02:00';
/** The header asks the core every few seconds: what it shows may take that long to change. */
const POLLED = { timeout: 10_000 };
const SHOTS = process.env.GF_SHOTS_DIR ?? RESULTS_DIR;

let t: TownServer;
let deviceId = '';
let h: Harness;
let page: Page;

const shot = (name: string) => page.screenshot({ path: join(SHOTS, name), fullPage: true });
const live = () => page.getByTestId('live-region').innerText();
const indicator = () => page.getByRole('group', { name: 'Synchronisation avec le serveur central' });
const syncState = () => page.getByTestId('sync-state').innerText();
const cell = (label: RegExp) =>
  page
    .getByRole('grid', { name: 'Zoé — Accueil périscolaire, Groupe scolaire Jean Jaurès' })
    .getByRole('button', {
      name: label,
    });

beforeAll(async () => {
  await mkdir(SHOTS, { recursive: true });
  t = await townServer({ sqlite: ':memory:' }, AT);
  // The evening of Tuesday 22 September has one place left.
  await t.call('admin.setCapacity', {
    siteId: t.demo.sites.jaures,
    unitId: t.demo.care.unitIds.evening as string,
    date: '2026-09-22',
    places: 1,
  });
  h = await startHarness({ clock: () => new Date(AT), sync: { intervalMs: 600_000 } });
  page = await h.openApp();
});

afterAll(async () => {
  await h?.close();
  await t?.close();
});

describe('a counter PC synced with the central server, in Chromium', () => {
  it('is connected by the administrator in « Serveur central », and receives the town', async () => {
    await expect.poll(syncState).toBe('Non relié au serveur');
    await shot('sync-not-connected.png');
    const res = await fetch(`${t.http.url}/devices`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Guichet A' }),
    });
    const device = (await res.json()) as { deviceId: string; credential: string; seriesPrefix: string };
    deviceId = device.deviceId;

    await indicator().getByRole('button', { name: 'Relier ce poste' }).click();
    await page.getByRole('heading', { name: 'Serveur central' }).waitFor();
    const form = page.getByRole('form', { name: 'Relier ce poste au serveur central' });
    await form.getByLabel('Adresse du serveur').fill(t.http.url);
    await form.getByLabel('Identifiant du poste').fill(`${device.credential}x`);
    await form.getByRole('button', { name: 'Relier ce poste' }).click();
    await form.getByText('Poste non reconnu par le serveur : identifiant ou secret invalide.').waitFor();

    await form.getByLabel('Identifiant du poste').fill(device.credential);
    await form.getByLabel('Identifiant du poste').press('Enter');
    await expect
      .poll(() => page.getByTestId('connect-result').innerText())
      .toContain(`Poste relié au serveur central comme « Guichet A » (code ${device.seriesPrefix})`);
    await expect.poll(syncState, POLLED).toMatch(/^En ligne · à jour à 10 h 00$/);
    expect(await page.getByTestId('sync-pending').innerText()).toBe('Rien en attente d’envoi');
    expect(await page.locator('main').innerText()).not.toContain(device.credential.split('.')[1]);
    await page.mouse.move(0, 0);
    await shot('sync-connected.png');
  });

  it('shows a booking a family made on the portal once « Synchroniser maintenant » has run', async () => {
    await page.keyboard.press('Control+K');
    await page.keyboard.type('lefevre');
    await page.getByRole('option', { name: /Lefèvre/ }).waitFor();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Foyer Lefèvre' }).waitFor();
    await page.getByRole('tab', { name: 'Réservations' }).click();
    await page.getByLabel('Site').selectOption({ label: 'Groupe scolaire Jean Jaurès' });
    const monday = cell(/^Soir, lundi 21 septembre 2026 : /);
    await expect.poll(() => monday.getAttribute('aria-label')).toMatch(/: Réservable/);

    const portal = await fetch(`${t.http.url}/portal/bookings`, {
      method: 'POST',
      headers: { authorization: `Bearer ${PORTAL_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        action: 'book',
        householdId: t.householdId,
        ...careEvening(t, t.zoe, ['2026-09-21']),
      }),
    });
    expect(portal.status).toBe(200);
    // Nothing reaches the counter by itself before the next round.
    await page.waitForTimeout(1500);
    expect(await monday.getAttribute('aria-label')).toMatch(/: Réservable/);

    await indicator().getByRole('button', { name: 'Synchroniser maintenant' }).click();
    await expect.poll(() => monday.getAttribute('aria-label'), POLLED).toMatch(/: Réservé/);
    await expect.poll(live).toMatch(/^Synchronisé : 0 opération envoyée, \d+ changements? reçus?\.$/);
  });

  it('lists in « À régulariser » the evening another counter took first, until an agent has dealt with it', async () => {
    // Guichet B, offline from this counter's point of view, books Noé on the last place and sends it first.
    const b = await t.counter('Guichet B');
    expect((await b.sync.syncOnce()).ok).toBe(true);
    expect((await b.core.invoke('booking.book', careEvening(t, t.noe, ['2026-09-22']))).ok).toBe(true);
    expect((await b.sync.syncOnce()).pushed).toBe(1);

    // This counter still sees the place free, and books Zoé on it.
    const tuesday = cell(/^Soir, mardi 22 septembre 2026 : /);
    expect(await tuesday.getAttribute('aria-label')).toMatch(/: Réservable/);
    await tuesday.click();
    const basket = page.getByRole('region', { name: /^Panier/ });
    await basket.getByRole('button', { name: /Valider le panier/ }).click();
    await expect
      .poll(() => basket.getByTestId('basket-result').innerText())
      .toContain('Panier validé : 1 réservation enregistrée');
    await expect.poll(() => tuesday.getAttribute('aria-label')).toMatch(/: Réservé/);
    await expect
      .poll(() => page.getByTestId('sync-pending').innerText(), POLLED)
      .toBe('1 opération en attente d’envoi');

    await indicator().getByRole('button', { name: 'Synchroniser maintenant' }).click();
    const toSettle = indicator().getByRole('button', { name: '1 opération à régulariser' });
    await toSettle.waitFor();
    expect(await page.getByTestId('sync-pending').innerText()).toBe('Rien en attente d’envoi');
    // The counter's state is the server's again: the evening is Noé's, so full for Zoé.
    await expect.poll(() => tuesday.getAttribute('aria-label'), POLLED).toMatch(/: Complet/);
    await page.mouse.move(0, 0);
    await shot('sync-indicator-to-settle.png');

    await toSettle.click();
    await page.getByRole('heading', { level: 1, name: 'À régulariser' }).waitFor();
    const item = page.getByTestId('settle-item');
    await expect.poll(() => item.count()).toBe(1);
    const text = await item.innerText();
    expect(text).toContain('Réservation — Zoé Lefèvre — Accueil périscolaire — 22/09/2026');
    expect(text).toContain('Jours refusés');
    expect(text).toMatch(/Refusé par le serveur : 22\/09\/2026/);
    expect(text).toContain('Que faire : Complet : proposer un autre jour ou un autre site à la famille');
    expect(text).toMatch(/Saisi le 14\/09\/2026 à 10 h 00 par Administrateur/);
    await shot('sync-to-settle.png');

    // From the keyboard: the heading has the focus, Tab reaches the filter, then the button.
    const focused = () => page.evaluate(() => document.activeElement?.textContent ?? '');
    expect(await focused()).toBe('À régulariser');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect(await focused()).toBe(
      'J’ai traité : Réservation — Zoé Lefèvre — Accueil périscolaire — 22/09/2026',
    );
    await page.keyboard.press('Enter');
    await page.getByTestId('settle-empty').waitFor();
    await expect.poll(live).toBe('Traité : Réservation — Zoé Lefèvre — Accueil périscolaire — 22/09/2026.');
    await expect.poll(() => indicator().getByTestId('sync-to-settle').count(), POLLED).toBe(0);
    await page.mouse.move(0, 0);
    await shot('sync-settled.png');

    // Reachable from the navigation too, with the history.
    await page.getByRole('banner').getByRole('button', { name: 'À régulariser', exact: true }).click();
    await page.getByLabel('Afficher aussi les opérations déjà traitées').check();
    await expect
      .poll(() => item.innerText())
      .toMatch(/Traité le 14\/09\/2026 à 10 h 00 par Administrateur\./);
  });

  it('says so in the header when the server has revoked this PC', async () => {
    await fetch(`${t.http.url}/devices/${deviceId}/revoke`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    await indicator().getByRole('button', { name: 'Synchroniser maintenant' }).click();
    await expect
      .poll(() => indicator().getByRole('alert').innerText(), POLLED)
      .toBe('Poste révoqué : consultation seulement, plus aucun envoi au serveur.');
    await page.mouse.move(0, 0);
    await shot('sync-revoked.png');
  });

  it('says offline, and since when, once the server has gone away', async () => {
    await t.http.close();
    await indicator().getByRole('button', { name: 'Synchroniser maintenant' }).click();
    await expect.poll(syncState, POLLED).toBe('Hors ligne depuis 10 h 00');
    await expect
      .poll(live, POLLED)
      .toBe(
        'Serveur central injoignable : le guichet continue hors ligne, les opérations partiront au retour du réseau.',
      );
    await page.mouse.move(0, 0);
    await shot('sync-offline.png');
  });

  it('ran without a script error or a CSP violation', () => {
    expect(h.pageErrors).toEqual([]);
  });
});
