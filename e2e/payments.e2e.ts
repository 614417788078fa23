import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESULTS_DIR, startHarness, type Harness } from './harness.ts';

/**
 * Payments and the till through the browser host, on the demo town. On 1 September 2026 Zoé Lefèvre is booked for
 * the September canteen (14 meals × 2,20 € = 30,80 €) and for the holiday-centre week of 19 October, paid at booking
 * (GUI-2026-000001, 45,00 €). On Monday 5 October the September invoice is issued (FAC-2026-000001, 30,80 €); the
 * agent opens the till, takes 20,00 € in cash (receipt printed from the keyboard), then a cheque of 55,80 € that
 * settles both invoices, closes the till with a counted amount and prints the cheques' deposit slip.
 */
let now = new Date('2026-09-01T08:00:00+02:00');

let h: Harness;
let page: Page;
let householdId: string;

const shot = (name: string) => page.screenshot({ path: join(RESULTS_DIR, name), fullPage: true });
const live = () => page.getByTestId('live-region').innerText();

/** Waits for the PDF tab the browser host opens, checks it is a PDF, and closes it. */
async function pdfTab(action: () => Promise<void>) {
  const [pdf] = await Promise.all([page.context().waitForEvent('page'), action()]);
  expect(pdf.url()).toMatch(/^blob:http:\/\/127\.0\.0\.1:\d+\//);
  await pdf.waitForLoadState();
  expect(await pdf.evaluate(() => document.contentType)).toBe('application/pdf');
  await pdf.close();
}

beforeAll(async () => {
  await mkdir(RESULTS_DIR, { recursive: true });
  h = await startHarness({ clock: () => now, demo: true });
  const demo = h.demo!;
  householdId = demo.householdId;
  const zoe = demo.children[0]!.id;
  const { canteen, holidays, sites } = demo.activities;
  for (const activityId of [canteen.activityId, holidays.activityId])
    await h.call('enrolment.enrol', { childId: zoe, activityId, schoolYear: demo.schoolYear });
  const september = await h.call('booking.book', {
    childId: zoe,
    activityId: canteen.activityId,
    siteId: sites.jaures,
    unitCodes: ['meal'],
    selection: { kind: 'period', from: '2026-09-07', to: '2026-09-30', weekdays: [1, 2, 4, 5] },
    origin: 'portal',
  });
  expect(september.accepted).toHaveLength(14);
  const week = await h.call('booking.book', {
    childId: zoe,
    activityId: holidays.activityId,
    siteId: sites.tilleuls,
    unitCodes: ['day'],
    selection: { kind: 'week', weekStart: '2026-10-19' },
    origin: 'counter',
  });
  expect(week.invoice).toMatchObject({ number: 'GUI-2026-000001', totalCents: 4500 });

  now = new Date('2026-10-05T10:00:00+02:00');
  const run = await h.call('billing.runMonth', { month: '2026-09', issueDate: '2026-10-05' });
  expect(run).toMatchObject({ invoices: 1, totalCents: 3080 });
  page = await h.openApp();
});

afterAll(async () => {
  await h?.close();
});

async function openFamily() {
  await page.keyboard.press('Control+K');
  await page.keyboard.type('lefevre');
  await page.getByRole('option', { name: /Lefèvre/ }).waitFor();
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Foyer Lefèvre' }).waitFor();
}

describe('payments and the till through the browser host', () => {
  it('opens the till from the Caisse screen (Alt+C) with its float', async () => {
    await page.keyboard.press('Alt+C');
    await page.getByRole('heading', { name: 'Caisse', level: 1 }).waitFor();
    const open = page.getByRole('form', { name: 'Ouvrir la caisse' });
    await open.getByLabel('Fonds de caisse (€)').fill('150,00');
    await open.getByLabel('Fonds de caisse (€)').press('Enter');
    const session = page.getByTestId('till-session');
    await session.waitFor();
    expect(await session.getByRole('heading').first().innerText()).toBe('Caisse ouverte du 05/10/2026');
    expect(await session.getByTestId('till-totals').innerText()).toMatch(
      /Fonds de caisse\s+150,00\s€\s+Espèces en caisse\s+150,00\s€/,
    );
  });

  it('takes a cash payment and prints its receipt without the mouse', async () => {
    await openFamily();
    await page.keyboard.press('Alt+E');
    const form = page.getByRole('form', { name: 'Encaisser un paiement' });
    await form.waitFor();
    expect(await page.getByRole('tab', { name: 'Règlements' }).getAttribute('aria-selected')).toBe('true');
    await expect
      .poll(() => form.getByLabel('Montant reçu (€)').evaluate((el) => el === document.activeElement))
      .toBe(true);
    await page.keyboard.type('20,00');
    // Oldest first: the holiday week (issued 1 September) before the September canteen.
    const rows = form.getByTestId('allocation-row');
    await expect
      .poll(() => rows.allInnerTexts())
      .toEqual([
        expect.stringMatching(/^GUI-2026-000001\s+01\/09\/2026\s+45,00\s€/),
        expect.stringMatching(/^FAC-2026-000001\s+05\/10\/2026\s+30,80\s€/),
      ]);
    expect(await rows.first().getByRole('textbox').inputValue()).toBe('20,00');
    expect(await rows.nth(1).getByRole('textbox').inputValue()).toBe('0,00');
    expect(await form.getByTestId('allocation-summary').innerText()).toContain(
      'En toutes lettres : vingt euros',
    );
    await page.mouse.move(0, 0);
    await shot('payments-cash-form.png');

    await page.keyboard.press('Enter');
    const done = page.getByTestId('payment-done');
    await done.waitFor();
    expect(await done.getByRole('heading').innerText()).toMatch(/^Paiement enregistré — reçu n° REC-/);
    expect(await done.innerText()).toMatch(/Espèces : 20,00\s€ \(vingt euros\)/);
    expect(await done.innerText()).toMatch(/Facture GUI-2026-000001 : 20,00\s€ — reste 25,00\s€/);
    const print = done.getByRole('button', { name: 'Imprimer le reçu' });
    await expect.poll(() => print.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.mouse.move(0, 0);
    await shot('payments-cash-done.png');
    await pdfTab(() => page.keyboard.press('Enter'));
    await expect.poll(() => live()).toMatch(/recu-REC-.*\.pdf ouvert dans un nouvel onglet/);

    await expect
      .poll(() => page.getByTestId('payment-row').allInnerTexts())
      .toEqual([expect.stringMatching(/^REC-\S+\s+05\/10\/2026\s+Espèces\s+20,00\s€\s+GUI-2026-000001/)]);
    expect(await page.getByTestId('family-balance').innerText()).toMatch(/Reste dû\s+55,80\s€/);
  });

  it('takes a cheque that settles both invoices, from the keyboard', async () => {
    await page.keyboard.press('Alt+E');
    const form = page.getByRole('form', { name: 'Encaisser un paiement' });
    await form.waitFor();
    await expect
      .poll(() => form.getByLabel('Montant reçu (€)').evaluate((el) => el === document.activeElement))
      .toBe(true);
    await page.keyboard.type('55,80');
    await page.keyboard.press('Tab');
    await page.keyboard.press('ArrowDown'); // Espèces → Chèque
    expect(await form.getByLabel('Mode de paiement').inputValue()).toBe('cheque');
    await page.keyboard.press('Tab');
    await page.keyboard.type('0012345');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Crédit Agricole Centre Loire');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Sophie Lefèvre');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Space');
    expect(await form.getByRole('checkbox', { name: 'Ordre vérifié (Trésor public)' }).isChecked()).toBe(
      true,
    );
    await expect
      .poll(() =>
        form
          .getByTestId('allocation-row')
          .evaluateAll((rs) => rs.map((r) => r.querySelector('input')!.value)),
      )
      .toEqual(['25,00', '30,80']);
    await page.mouse.move(0, 0);
    await shot('payments-cheque-form.png');
    await page.keyboard.press('Enter');

    const done = page.getByTestId('payment-done');
    await done.waitFor();
    expect(await done.getByTestId('payment-allocations').innerText()).toMatch(
      /Facture GUI-2026-000001 : 25,00\s€ — soldée\s+Facture FAC-2026-000001 : 30,80\s€ — soldée/,
    );
    await pdfTab(() => page.keyboard.press('Enter'));
    await expect.poll(() => page.getByTestId('payment-row').count()).toBe(2);
    expect(await page.getByTestId('family-balance').innerText()).toMatch(/Reste dû\s+0,00\s€/);

    // Both invoices settled in the Factures tab.
    await page.getByRole('tab', { name: 'Factures' }).click();
    await expect
      .poll(() => page.getByTestId('invoice-row').allInnerTexts())
      .toEqual([expect.stringMatching(/0,00\s€\s+soldée$/), expect.stringMatching(/0,00\s€\s+soldée$/)]);

    // A reprint says DUPLICATA.
    const rows = await h.call('payment.listForHousehold', { householdId });
    const cheque = rows.payments.find((p) => p.mode === 'cheque')!;
    const receipt = await h.call('payment.receiptPdf', { paymentId: cheque.id, duplicate: true });
    const file = join(RESULTS_DIR, 'payments-receipt-duplicate.pdf');
    await writeFile(file, Buffer.from(receipt.base64, 'base64'));
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    expect(text).toContain('DUPLICATA');
    expect(text).toContain('cinquante-cinq euros et quatre-vingts centimes');
  });

  it('closes the till with its count, a difference needing a reason', async () => {
    await page.keyboard.press('Alt+C');
    const session = page.getByTestId('till-session');
    await session.waitFor();
    await expect
      .poll(() => session.getByTestId('till-mode').allInnerTexts())
      .toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^Espèces\s+1\s+20,00\s€\s+—\s+20,00\s€$/),
          expect.stringMatching(/^Chèque\s+1\s+55,80\s€\s+—\s+55,80\s€$/),
        ]),
      );
    expect(await session.getByTestId('till-totals').innerText()).toMatch(/Espèces en caisse\s+170,00\s€/);

    await page.getByRole('button', { name: 'Clôturer la caisse…' }).click();
    const count = page.getByRole('form', { name: 'Clôturer la caisse' });
    await count.getByLabel('Billet de 100,00 €').fill('1');
    await count.getByLabel('Billet de 50,00 €').fill('1');
    await count.getByLabel('Billet de 10,00 €').fill('1');
    await count.getByLabel('Billet de 5,00 €').fill('1');
    await count.getByLabel('Pièce de 2,00 €').fill('2');
    await count.getByLabel('Pièce de 0,50 €').fill('1');
    expect(await count.getByTestId('till-count').innerText()).toMatch(
      /Attendu\s+170,00\s€\s+Compté\s+169,50\s€\s+Écart\s+-0,50\s€/,
    );
    await count.getByRole('button', { name: 'Clôturer', exact: true }).click();
    await expect.poll(() => count.getByLabel('Motif de l’écart').getAttribute('aria-invalid')).toBe('true');
    await count.getByLabel('Motif de l’écart').fill('erreur de rendu de monnaie');
    await page.mouse.move(0, 0);
    await shot('till-closing.png');
    await count.getByLabel('Motif de l’écart').press('Enter');

    await session.getByTestId('till-locked').waitFor();
    expect(await session.getByRole('heading').first().innerText()).toBe(
      'Caisse clôturée du 05/10/2026 — verrouillée',
    );
    expect(await session.getByTestId('till-totals').innerText()).toMatch(
      /Compté\s+169,50\s€\s+Écart\s+-0,50\s€/,
    );
    expect(await page.getByRole('button', { name: 'Ouvrir la caisse' }).count()).toBe(1);
  });

  it('prints the deposit slip of the pending cheque, and checks the journal', async () => {
    const slip = page.getByTestId('deposit-slip');
    await expect
      .poll(() => slip.getByTestId('pending-cheques').innerText())
      .toMatch(/1 chèque en attente : 55,80\s€/);
    await slip.getByRole('checkbox', { name: 'Tout sélectionner' }).check();
    await slip.getByRole('button', { name: 'Créer le bordereau' }).click();
    const result = slip.getByTestId('slip-result');
    await result.waitFor();
    expect(await result.innerText()).toMatch(/^Bordereau n° \S+ : 1 chèque, 55,80\s€\./);
    await page.mouse.move(0, 0);
    await shot('till-closed.png');
    await pdfTab(() => result.getByRole('button', { name: 'Imprimer le bordereau' }).click());
    await expect
      .poll(() => slip.getByTestId('pending-cheques').innerText())
      .toBe('Aucun chèque en attente de remise.');

    await page.getByRole('button', { name: 'Vérifier le journal' }).click();
    await expect
      .poll(() => page.getByTestId('journal-result').innerText())
      .toMatch(/^Journal intègre : \d+ écritures/);
  });

  it('ran without a script error or a CSP violation', () => {
    expect(h.pageErrors).toEqual([]);
  });
});
