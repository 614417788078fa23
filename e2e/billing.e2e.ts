import { execFileSync } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESULTS_DIR, startHarness, type Harness } from './harness.ts';

/**
 * Billing through the browser host, on the demo town (RULES.md). On Tuesday 1 September 2026 Zoé Lefèvre (QF 640,
 * bracket 400–699: a meal 2,20 €) is booked by her family for every canteen day from 7 to 30 September (14 meals)
 * and added by the counter, late, for Thursday 3 September (+50 %: 3,30 €). On Monday 5 October the régisseur
 * runs the September invoice from the Facturation screen: 14 × 2,20 + 3,30 = 34,10 €, due on 25 October.
 */
let now = new Date('2026-09-01T08:00:00+02:00');

let h: Harness;
let page: Page;

const shot = (name: string) => page.screenshot({ path: join(RESULTS_DIR, name), fullPage: true });
const live = () => page.getByTestId('live-region').innerText();

beforeAll(async () => {
  await mkdir(RESULTS_DIR, { recursive: true });
  h = await startHarness({ clock: () => now, demo: true });
  const demo = h.demo!;
  const zoe = demo.children[0]!.id;
  const { canteen, holidays, sites } = demo.activities;
  for (const activityId of [canteen.activityId, holidays.activityId])
    await h.call('enrolment.enrol', { childId: zoe, activityId, schoolYear: demo.schoolYear });
  const meals = {
    childId: zoe,
    activityId: canteen.activityId,
    siteId: sites.jaures,
    unitCodes: ['meal' as const],
  };
  const september = await h.call('booking.book', {
    ...meals,
    selection: { kind: 'period', from: '2026-09-07', to: '2026-09-30', weekdays: [1, 2, 4, 5] },
    origin: 'portal',
  });
  expect(september.accepted).toHaveLength(14);
  const late = await h.call('booking.book', {
    ...meals,
    selection: { kind: 'days', dates: ['2026-09-03'] },
    origin: 'counter',
    overrideReason: 'oubli de la famille, signalé au guichet',
  });
  expect(late.accepted.map((d) => d.late)).toEqual([true]);

  now = new Date('2026-10-05T10:00:00+02:00');
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

describe('billing through the browser host', () => {
  it('previews, then issues the September invoices from the Facturation screen', async () => {
    await page.keyboard.press('Alt+F');
    await page.getByRole('heading', { name: 'Facturation', level: 1 }).waitFor();
    const form = page.getByRole('form', { name: 'Facturation du mois' });
    // The month before today, issued today.
    expect(await form.getByLabel('Mois facturé').inputValue()).toBe('09/2026');
    expect(await form.getByLabel('Date d’émission').inputValue()).toBe('05/10/2026');

    await form.getByRole('button', { name: 'Aperçu' }).click();
    const preview = page.getByTestId('run-preview');
    await preview.waitFor();
    expect(await preview.getByTestId('preview-totals').innerText()).toMatch(
      /Factures\s+1\s+Lignes\s+2\s+Services\s+15\s+Total\s+34,10\s€/,
    );
    expect(await preview.getByTestId('preview-row').allInnerTexts()).toEqual([
      expect.stringMatching(/^Lefèvre\s+Mme Sophie Lefèvre\s+2\s+15\s+34,10\s€$/),
    ]);
    await page.mouse.move(0, 0);
    await shot('billing-preview.png');

    // The run is one request; held back here so that its progress indicator can be seen.
    await page.route('**/api/invoke', async (route) => {
      if (route.request().postData()?.includes('"billing.runMonth"'))
        await new Promise((r) => setTimeout(r, 700));
      await route.continue();
    });
    await form.getByRole('button', { name: 'Émettre les factures' }).click();
    const dialog = page.getByRole('dialog', { name: 'Émettre les factures ?' });
    expect(await dialog.getByTestId('run-confirmation').innerText()).toMatch(
      /^1 facture de septembre 2026, pour un total de 34,10\s€, datée du 05\/10\/2026\./,
    );
    await dialog.getByRole('button', { name: 'Émettre 1 facture' }).click();
    const progress = page.getByTestId('run-progress');
    await progress.waitFor();
    expect(await progress.innerText()).toContain('Facturation en cours…');
    await shot('billing-running.png');
    const result = page.getByTestId('run-result');
    await result.waitFor();
    expect(await progress.count()).toBe(0);
    expect(await result.innerText()).toMatch(
      /^1 facture émise pour septembre 2026 \(n° FAC-2026-000001\), total 34,10\s€, échéance le 25\/10\/2026\./,
    );
    await page.unroute('**/api/invoke');

    // The month's post under the run: the Lefèvre family chose « Papier », so its invoice is in the merged PDF.
    const post = page.getByTestId('month-post');
    await expect
      .poll(() => post.getByTestId('post-counts').innerText())
      .toMatch(/Par courrier\s+1\s+Par e-mail\s+0/);
    await page.mouse.move(0, 0);
    await shot('billing-month-post.png');
    const [pdf] = await Promise.all([
      page.context().waitForEvent('page'),
      post.getByRole('button', { name: 'Imprimer 1 facture papier (un seul PDF)' }).click(),
    ]);
    await pdf.waitForLoadState();
    expect(await pdf.evaluate(() => document.contentType)).toBe('application/pdf');
    await pdf.close();
    await expect
      .poll(() => live())
      .toContain('factures-2026-09-courrier-par-adresse.pdf ouvert dans un nouvel onglet');

    // A second run bills nothing twice.
    await form.getByRole('button', { name: 'Aperçu' }).click();
    await expect.poll(() => preview.innerText()).toContain('Rien à facturer');
  });

  it('shows the invoice in the family’s Factures tab, explains a line, and corrects it by a credit note', async () => {
    await openFamily();
    await page.getByRole('tab', { name: 'Factures' }).click();
    const rows = page.getByTestId('invoice-row');
    await expect
      .poll(() => rows.allInnerTexts())
      .toEqual([
        expect.stringMatching(
          /^FAC-2026-000001\s+05\/10\/2026\s+septembre 2026\s+25\/10\/2026\s+34,10\s€\s+—\s+34,10\s€\s+à payer$/,
        ),
      ]);

    await page.getByRole('button', { name: 'FAC-2026-000001' }).click();
    const detail = page.getByTestId('invoice-detail');
    await detail.getByRole('heading', { name: 'Facture FAC-2026-000001' }).waitFor();
    const lines = detail.getByTestId('invoice-line');
    expect(await lines.allInnerTexts()).toEqual([
      expect.stringMatching(
        /Repas\s+les 7, 8, 10.* et 29 sept\. 2026\s+14 × 2,20\s€\s+30,80\s€\s+QF 640 · tranche 400–699/,
      ),
      expect.stringMatching(
        /Repas — réservé hors délai\s+le 3 sept\. 2026\s+1 × 3,30\s€\s+3,30\s€\s+QF 640 · tranche 400–699\s+ajout hors délai : \+50 %/,
      ),
    ]);

    // One click on the line: the sentence that explains its amount, and the service behind it.
    await lines.nth(1).click();
    const explanation = detail.getByTestId('line-explanation');
    expect(await explanation.innerText()).toMatch(
      /^Repas — réservé hors délai \(le 3 sept\. 2026\), Restauration scolaire, Zoé Lefèvre — réservé hors délai\. QF 640, tranche 400–699 : 2,20\s€ ; ajout hors délai : \+50 % \(\+1,10\s€\) = 3,30\s€ l’unité\. Montant : 3,30\s€\./,
    );
    expect(await explanation.innerText()).toContain('jeudi 3 septembre 2026 — réservé hors délai');
    // And from the keyboard: ↑ to the meals line, Entrée.
    await detail.getByRole('button', { name: /Repas — réservé hors délai/ }).focus();
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Enter');
    await expect.poll(() => explanation.count()).toBe(2);
    expect(await explanation.first().innerText()).toContain('Les 14 services facturés :');
    await page.mouse.move(0, 0);
    await shot('factures-detail.png');

    await detail.getByRole('button', { name: 'Avoir…' }).click();
    const credit = page.getByRole('form', { name: 'Avoir sur la facture FAC-2026-000001' });
    await credit.getByRole('checkbox', { name: /^Repas — réservé hors délai/ }).check();
    expect(
      await credit
        .getByRole('textbox', { name: /^Montant de l’avoir en euros : Repas — réservé/ })
        .inputValue(),
    ).toBe('3,30');
    await credit.getByRole('button', { name: 'Émettre l’avoir' }).click();
    await expect
      .poll(() => credit.getByRole('textbox', { name: 'Motif de l’avoir' }).getAttribute('aria-invalid'))
      .toBe('true');
    await credit.getByRole('textbox', { name: 'Motif de l’avoir' }).fill('repas non servi : sortie scolaire');
    await page.mouse.move(0, 0);
    await shot('factures-credit-note.png');
    await credit.getByRole('button', { name: 'Émettre l’avoir' }).click();

    const done = detail.getByTestId('credit-result');
    await done.waitFor();
    expect(await done.innerText()).toMatch(/Avoir n° AV-2026-000001 émis : 3,30\s€\./);
    expect(await done.innerText()).toMatch(/Reste à payer sur la facture FAC-2026-000001 : 30,80\s€/);
    await expect.poll(() => detail.getByTestId('invoice-remaining').innerText()).toMatch(/^30,80\s€$/);
    await expect.poll(() => rows.first().innerText()).toMatch(/34,10\s€\s+− 3,30\s€\s+30,80\s€\s+à payer$/);
    expect(await page.getByTestId('credit-note-row').innerText()).toContain(
      'Avoir AV-2026-000001 du 05/10/2026 — repas non servi : sortie scolaire',
    );
    expect(await live()).toMatch(/Avoir AV-2026-000001 émis : 3,30\s€/);
    await page.mouse.move(0, 0);
    await shot('factures-credited.png');
  });

  it('opens the invoice’s PDF in a new tab to print it (browser host)', async () => {
    const detail = page.getByTestId('invoice-detail');
    const [pdf] = await Promise.all([
      page.context().waitForEvent('page'),
      detail.getByRole('button', { name: 'Imprimer', exact: true }).click(),
    ]);
    expect(pdf.url()).toMatch(/^blob:http:\/\/127\.0\.0\.1:\d+\//);
    await pdf.waitForLoadState();
    // Chromium's PDF viewer took the document (its print button prints it); headless shows no pixels of it.
    expect(await pdf.evaluate(() => document.contentType)).toBe('application/pdf');
    await pdf.close();
    await expect.poll(() => live()).toContain('facture-FAC-2026-000001.pdf ouvert dans un nouvel onglet');

    // The tab's blob is out of the test's reach (the page's CSP keeps fetch to 'self'): the same query the button
    // asked, on the same clock, gives the bytes it opened. After the credit note, the reprint says so and asks for
    // what is left, not the invoice's total.
    const invoiceId = (await h.call('billing.listInvoices', { householdId: h.demo!.householdId }))
      .invoices[0]!.id;
    const reprint = await h.call('billing.invoicePdf', { invoiceId });
    const file = join(RESULTS_DIR, 'factures-reprint.pdf');
    await writeFile(file, Buffer.from(reprint.base64, 'base64'));
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).replace(
      /[\u00a0\u202f]/g,
      ' ',
    );
    expect(text).toMatch(/Réimpression\s+situation au 5 octobre 2026/);
    expect(text).toMatch(/Total de la facture\s+34,10 €/);
    expect(text).toMatch(/Avoir AV-2026-000001 du 05\/10\/2026\s+-3,30 €/);
    expect(text).toMatch(/Reste à payer au 05\/10\/2026\s+30,80 €/);
    expect(text).not.toContain('Total à payer');
  });

  it('books a holiday-centre week in the Réservations tab and shows its invoice at once, to be paid now', async () => {
    await page.getByRole('tab', { name: 'Réservations' }).click();
    await page.getByLabel('Activité').selectOption({ label: 'Accueil de loisirs (vacances)' });
    const grid = page.getByRole('grid', { name: /^Zoé — Accueil de loisirs \(vacances\)/ });
    await grid.waitFor();
    await grid
      .getByRole('button', { name: /^Journée avec repas, lundi 19 octobre 2026 : Réservable/ })
      .click();
    const basket = page.getByRole('region', { name: /^Panier/ });
    await expect
      .poll(() => basket.getByTestId('basket-summary').innerText())
      .toMatch(/À réserver : 5 jours, 45,00\s€/);
    await basket.getByRole('button', { name: /Valider le panier/ }).click();

    const invoice = basket.getByTestId('issued-invoice');
    await invoice.waitFor();
    expect(await invoice.innerText()).toMatch(/^Facture n° GUI-2026-000001 — 45,00\s€ — à régler maintenant/);
    expect(await invoice.getByRole('button', { name: /Imprimer la facture/ }).count()).toBe(1);
    expect(await live()).toContain('Facture n° GUI-2026-000001');
    await page.mouse.move(0, 0);
    await shot('reservations-holiday-invoice.png');

    // The Factures tab has it too (same day: the monthly series first).
    await page.getByRole('tab', { name: 'Factures' }).click();
    await expect
      .poll(() => page.getByTestId('invoice-row').allInnerTexts())
      .toEqual([
        expect.stringMatching(/^FAC-2026-000001/),
        expect.stringMatching(
          /^GUI-2026-000001\s+05\/10\/2026\s+à la réservation\s+05\/10\/2026\s+45,00\s€\s+—\s+45,00\s€\s+à payer$/,
        ),
      ]);
  });

  it('lists the unpaid invoices after their due date and exports them for the public accountant', async () => {
    await page.keyboard.press('Alt+F');
    await page.getByRole('tab', { name: 'Impayés' }).click();
    const unpaid = page.getByRole('region', { name: /^Impayés au/ });
    await expect.poll(() => unpaid.innerText()).toContain('Aucune facture échue avant le 05/10/2026');
    await unpaid.getByLabel('Échues avant le').fill('26/10/2026');
    await unpaid.getByLabel('Échues avant le').press('Enter');
    await expect
      .poll(() => unpaid.getByTestId('unpaid-totals').innerText())
      .toMatch(/Débiteurs\s+1\s+Factures échues\s+2\s+Reste dû\s+75,80\s€/);
    expect(await unpaid.getByTestId('unpaid-invoice').allInnerTexts()).toEqual([
      expect.stringMatching(/^Facture GUI-2026-000001\s+05\/10\/2026\s+21 jours\s+45,00\s€\s+—\s+45,00\s€/),
      expect.stringMatching(
        /^Facture FAC-2026-000001\s+25\/10\/2026\s+1 jour\s+34,10\s€\s+− 3,30\s€\s+30,80\s€/,
      ),
    ]);
    await page.mouse.move(0, 0);
    await shot('billing-unpaid.png');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      unpaid.getByRole('button', { name: 'Exporter en CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('impayes-2026-10-26.csv');
    const csv = await readFile(await download.path(), 'utf8');
    const [header, ...rest] = csv
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(header).toContain('Débiteur (foyer);Payeur;Adresse du payeur;Facture;Émise le;Échéance');
    expect(rest).toEqual([
      'Lefèvre;Mme Sophie Lefèvre;12 rue des Tilleuls, 45000 Orléans;GUI-2026-000001;05/10/2026;05/10/2026;21;45,00;0,00;0,00;45,00;non;75,80;non',
      'Lefèvre;Mme Sophie Lefèvre;12 rue des Tilleuls, 45000 Orléans;FAC-2026-000001;05/10/2026;25/10/2026;1;34,10;3,30;0,00;30,80;non;75,80;non',
    ]);
  });

  it('offers the year’s tax certificates for the post, and says when no care was paid that year', async () => {
    await page.getByRole('tab', { name: 'Attestations fiscales' }).click();
    const card = page.getByTestId('year-tax-certificates');
    // In October 2026 the year offered first is 2025, when the Lefèvre family paid nothing for care.
    expect(await card.getByLabel('Année des frais de garde').inputValue()).toBe('2025');
    await card
      .getByRole('button', { name: 'Imprimer les attestations 2025 du courrier (un seul PDF)' })
      .click();
    await expect.poll(() => card.innerText()).toContain('Aucun frais de garde payé en 2025');
    await page.mouse.move(0, 0);
    await shot('billing-tax-certificates.png');
  });

  it('ran without a script error or a CSP violation', () => {
    expect(h.pageErrors).toEqual([]);
  });
});
