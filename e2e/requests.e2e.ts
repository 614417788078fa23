import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESULTS_DIR, startHarness, type Harness } from './harness.ts';

/**
 * The « Demandes » screen, keyboard only, on Monday 14 September 2026 at 19:00: three requests came from the
 * portal (the harness's core stands in for the synced store: they are submitted as the server would run them),
 * among them the cancellation of Tuesday's evening care, past the 48 h a family has to cancel online.
 */
let now = new Date('2026-09-01T10:00:00+02:00');
let h: Harness;
let page: Page;
const ids: Record<'pickup' | 'cancel' | 'document', string> = { pickup: '', cancel: '', document: '' };

const live = () => page.getByTestId('live-region').innerText();
const focusedText = () => page.evaluate(() => document.activeElement?.textContent ?? '');

beforeAll(async () => {
  await mkdir(RESULTS_DIR, { recursive: true });
  h = await startHarness({ clock: () => now, demo: true });
  const { activities, householdId, children } = h.demo!;
  const zoe = children[0]!.id;
  const care = {
    activityId: activities.care.activityId,
    siteId: activities.sites.jaures,
    unitCodes: ['evening' as const],
    selection: { kind: 'days' as const, dates: ['2026-09-15', '2026-09-17'] },
  };
  await h.call('enrolment.enrol', {
    childId: zoe,
    activityId: care.activityId,
    schoolYear: '2026-2027',
    siteId: care.siteId,
  });
  await h.call('booking.book', { childId: zoe, ...care, origin: 'counter' });

  now = new Date('2026-09-14T17:10:00+02:00');
  ids.pickup = (
    await h.call('request.submit', {
      householdId,
      kind: 'pickup',
      details: { lastName: 'Martin', firstName: 'Jacques', relationship: 'grand-père', phone: '0611223344' },
      message: 'Il récupérera Zoé les mardis.',
    })
  ).requestId;
  now = new Date('2026-09-14T18:20:00+02:00');
  ids.cancel = (
    await h.call('request.submit', {
      householdId,
      kind: 'cancellation',
      childId: zoe,
      details: care,
      message: 'Zoé a de la fièvre, elle restera à la maison cette semaine.',
    })
  ).requestId;
  now = new Date('2026-09-14T18:45:00+02:00');
  ids.document = (
    await h.call('request.submit', {
      householdId,
      kind: 'document',
      details: { fileName: 'attestation-caf-2026.pdf', fileType: 'application/pdf' },
    })
  ).requestId;
  now = new Date('2026-09-14T19:00:00+02:00');
  page = await h.openApp();
});

afterAll(async () => {
  await h?.close();
});

describe('the « Demandes » inbox', () => {
  it('shows the pending count in the nav and lists the oldest request first', async () => {
    // Its name says the count in words: « Demandes 3 en attente ».
    await page.getByRole('button', { name: 'Demandes 3 en attente Alt+D' }).waitFor();

    await page.keyboard.press('Alt+D');
    await page.getByRole('heading', { name: 'Demandes des familles' }).waitFor();
    expect(await page.getByRole('button', { name: 'En attente (3)' }).getAttribute('aria-pressed')).toBe(
      'true',
    );
    const rows = page.getByTestId('request-row');
    expect(await rows.allInnerTexts()).toEqual([
      expect.stringMatching(/^14\/09\/2026 à 17:10\s+Personne autorisée\s+Lefèvre\s+—\s+Jacques Martin/),
      expect.stringMatching(
        /^14\/09\/2026 à 18:20\s+Annulation\s+Lefèvre\s+Zoé Lefèvre\s+Accueil périscolaire \(soir\)/,
      ),
      expect.stringMatching(/^14\/09\/2026 à 18:45\s+Document\s+Lefèvre\s+—\s+attestation-caf-2026\.pdf/),
    ]);
  });

  it('accepts the pickup authorisation from the keyboard: the person joins the family file', async () => {
    // Heading → the filters (one stop) → the first request.
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect(await focusedText()).toBe('14/09/2026 à 17:10');
    await page.keyboard.press('Enter');
    const detail = page.getByTestId('request-detail');
    await detail.getByRole('heading', { name: 'Personne autorisée — foyer Lefèvre' }).waitFor();
    expect(await detail.innerText()).toContain('Il récupérera Zoé les mardis.');
    // The reply box has the focus: Alt+A accepts with the default reply.
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('TEXTAREA');
    await page.keyboard.press('Alt+A');
    await detail.getByTestId('request-answer').waitFor();
    expect(await detail.getByTestId('request-answer').innerText()).toContain(
      'Réponse à la famille : Jacques Martin est désormais autorisé(e) à venir chercher vos enfants.',
    );
    expect(await live()).toContain('Demande du foyer Lefèvre acceptée');
    const file = await h.call('family.get', { householdId: h.demo!.householdId });
    expect(file.pickupPersons.map((p) => `${p.firstName} ${p.lastName}`)).toEqual(['Jacques Martin']);
    // The count follows, and the focus is on the next request of the list.
    await page.getByRole('button', { name: 'Demandes 2 en attente Alt+D' }).waitFor();
    await expect.poll(focusedText).toBe('14/09/2026 à 18:20');
  });

  it('shows what accepting a late cancellation does, needs a reply to refuse, and accepts it', async () => {
    await page.keyboard.press('Enter');
    const detail = page.getByTestId('request-detail');
    await detail.getByRole('heading', { name: 'Annulation — foyer Lefèvre' }).waitFor();
    const preview = detail.getByTestId('cancel-preview');
    expect(await preview.innerText()).toMatch(
      /Annulé : 15\/09\/2026, soir\s*hors délai — reste facturé\s+Annulé : 17\/09\/2026, soir/,
    );
    await page.screenshot({ path: join(RESULTS_DIR, 'requests-cancellation.png'), fullPage: true });

    await page.keyboard.press('Alt+R');
    const reply = detail.getByLabel('Réponse à la famille');
    expect(await reply.getAttribute('aria-invalid')).toBe('true');
    expect(await detail.getByRole('alert').innerText()).toBe(
      'Un refus se motive : écrivez la réponse à la famille.',
    );
    await page.keyboard.type('Bon rétablissement à Zoé. Mardi reste facturé : annulé hors délai.');
    await page.keyboard.press('Alt+A');
    await detail.getByTestId('request-answer').waitFor();
    const bookings = h.core.raw
      .prepare('SELECT date, state, cancel_late FROM bookings WHERE child_id = ? ORDER BY date')
      .all(h.demo!.children[0]!.id);
    expect(bookings).toEqual([
      { date: '2026-09-15', state: 'cancelled', cancel_late: 1 },
      { date: '2026-09-17', state: 'cancelled', cancel_late: 0 },
    ]);
  });

  it('refuses the document with a reply; nothing is left waiting', async () => {
    await expect.poll(focusedText).toBe('14/09/2026 à 18:45');
    await page.keyboard.press('Enter');
    const detail = page.getByTestId('request-detail');
    await detail.getByRole('heading', { name: 'Document — foyer Lefèvre' }).waitFor();
    await page.keyboard.type('Attestation illisible : merci de la renvoyer en entier.');
    await page.keyboard.press('Alt+R');
    await detail.getByTestId('request-answer').waitFor();
    expect(await detail.getByTestId('request-answer').innerText()).toMatch(
      /^Refusée le 14\/09\/2026 à 19:00 par Administrateur\.\s+Réponse à la famille : Attestation illisible/,
    );
    await page.getByTestId('requests-empty').waitFor();
    await page.getByRole('button', { name: 'Demandes Alt+D', exact: true }).waitFor();

    // ← → on the filters: every request, with its state in words.
    await page.getByRole('button', { name: /^En attente/ }).focus();
    await page.keyboard.press('ArrowLeft');
    await expect
      .poll(() => page.getByTestId('request-row').allInnerTexts())
      .toEqual([
        expect.stringMatching(/Document.*Refusée$/s),
        expect.stringMatching(/Annulation.*Acceptée$/s),
        expect.stringMatching(/Personne autorisée.*Acceptée$/s),
      ]);
    await page.screenshot({ path: join(RESULTS_DIR, 'requests-all.png'), fullPage: true });
    expect(h.pageErrors).toEqual([]);
  });
});
