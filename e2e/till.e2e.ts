import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESULTS_DIR, startHarness, type Harness } from './harness.ts';

/**
 * The régisseur's day at the till, in Chromium, on the demo town. On Monday 5 October 2026 the Lefèvre family owes
 * the September canteen; the till was opened with 100 € and took 60 € cash, two cheques (12,00 € and 18,80 €) and
 * 25,00 € by card. The régisseur reviews the till's payments and reprints a receipt, pays 120 € in to the Trésor,
 * closes with the terminal's batch, prints the Z, deposits one of the two cheques, and the next day finds the float
 * proposed and yesterday's till in the history.
 */
let now = new Date('2026-09-01T08:00:00+02:00');

let h: Harness;
let page: Page;

const shot = (name: string) => page.screenshot({ path: join(RESULTS_DIR, name), fullPage: true });
const live = () => page.getByTestId('live-region').innerText();

/**
 * Clicks, waits for the PDF tab the browser host opens, and answers the PDF's text (pdftotext) as the core sent it
 * for operation `name` (the blob itself is out of the page's reach: its CSP allows no blob: fetch).
 */
async function pdfText(name: string, file: string, action: () => Promise<void>): Promise<string> {
  const [pdf, response] = await Promise.all([
    page.context().waitForEvent('page'),
    page.waitForResponse(
      (r) => r.url().endsWith('/api/invoke') && (r.request().postData() ?? '').includes(`"name":"${name}"`),
    ),
    action(),
  ]);
  await pdf.waitForLoadState();
  expect(await pdf.evaluate(() => document.contentType)).toBe('application/pdf');
  await pdf.close();
  const body = (await response.json()) as { ok: boolean; data: { base64: string } };
  expect(body.ok).toBe(true);
  const path = join(RESULTS_DIR, file);
  await writeFile(path, Buffer.from(body.data.base64, 'base64'));
  return execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', path, '-'], { encoding: 'utf8' }).replace(
    /\s+/g,
    ' ',
  );
}

beforeAll(async () => {
  await mkdir(RESULTS_DIR, { recursive: true });
  h = await startHarness({ clock: () => now, demo: true });
  const demo = h.demo!;
  const zoe = demo.children[0]!.id;
  const { canteen, sites } = demo.activities;
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
  await h.call('admin.setActivityAccounting', {
    activityId: canteen.activityId,
    accounting: { imputation: '7067-251', productCode: 'SR.CANT' },
  });
  now = new Date('2026-10-05T08:30:00+02:00');
  await h.call('billing.runMonth', { month: '2026-09', issueDate: '2026-10-05' });
  await h.call('regie.openSession', { floatCents: 10000 });
  const householdId = demo.householdId;
  now = new Date('2026-10-05T09:10:00+02:00');
  await h.call('payment.record', { householdId, mode: 'cash', amountCents: 6000 });
  for (const [number, amountCents] of [
    ['0000101', 1200],
    ['0000102', 1880],
  ] as const)
    await h.call('payment.record', {
      householdId,
      mode: 'cheque',
      amountCents,
      cheque: { number, bank: 'Banque Populaire', drawer: 'Sophie Lefèvre', payeeChecked: true },
    });
  await h.call('payment.record', {
    householdId,
    mode: 'card',
    amountCents: 2500,
    card: { authorisation: 'A12345' },
  });
  now = new Date('2026-10-05T17:30:00+02:00');
  page = await h.openApp();
  await page.keyboard.press('Alt+C');
  await page.getByRole('heading', { name: 'Caisse', level: 1 }).waitFor();
});

afterAll(async () => {
  await h?.close();
});

describe('the régisseur at the till', () => {
  it('lists the till’s payments with their receipts, and reprints one as a DUPLICATA', async () => {
    const payments = page.getByTestId('till-payments');
    await expect.poll(() => payments.getByTestId('till-payment').count()).toBe(4);
    const rows = await payments.getByTestId('till-payment').allInnerTexts();
    expect(rows[0]).toMatch(/^REC-\S+\s+09:10\s+.*Espèces.*60,00\s€/);
    expect(rows[1]).toMatch(/Chèque\s+n° 0000101 — Banque Populaire — Sophie Lefèvre\s+12,00\s€/);
    expect(rows[3]).toMatch(/Carte bancaire\s+autorisation A12345\s+25,00\s€/);
    const text = await pdfText('payment.receiptPdf', 'till-receipt-duplicata.pdf', () =>
      payments
        .getByTestId('till-payment')
        .first()
        .getByRole('button', { name: /Duplicata/ })
        .click(),
    );
    expect(text).toContain('DUPLICATA');
    expect(text).toContain('soixante euros');
  });

  it('pays cash in to the Trésor: the till expects that much less', async () => {
    const totals = page.getByTestId('till-totals');
    expect(await totals.innerText()).toMatch(/Espèces en caisse\s+160,00\s€/);
    await page.getByRole('button', { name: 'Verser au comptable…' }).click();
    const form = page.getByRole('form', { name: 'Versement au comptable' });
    await form.getByLabel('Montant versé (€)').fill('200,00');
    await form.getByLabel('Référence du reçu du comptable').fill('Quittance T-2026-114');
    await form.getByRole('button', { name: 'Enregistrer le versement' }).click();
    expect(await form.getByLabel('Montant versé (€)').getAttribute('aria-invalid')).toBe('true');
    expect(await form.innerText()).toContain('Plus que les espèces en caisse (160,00');
    await form.getByLabel('Montant versé (€)').fill('120,00');
    await page.mouse.move(0, 0);
    await shot('till-payin-form.png');
    await form.getByRole('button', { name: 'Enregistrer le versement' }).click();
    await expect.poll(() => live()).toMatch(/Versement de 120,00\s€ au comptable enregistré/);
    await expect
      .poll(() => totals.innerText())
      .toMatch(/Espèces en caisse\s+40,00\s€[\s\S]*Versé au comptable\s+120,00\s€/);
    await expect
      .poll(() => page.getByTestId('till-payins').innerText())
      .toMatch(/120,00\s€ versés le 05\/10\/2026 17:30, référence Quittance T-2026-114/);
  });

  it('closes with the terminal’s batch, and prints the closing report (Z)', async () => {
    await page.getByRole('button', { name: 'Clôturer la caisse…' }).click();
    const count = page.getByRole('form', { name: 'Clôturer la caisse' });
    await count.getByLabel('Billet de 20,00 €').fill('2');
    expect(await count.getByTestId('card-batch').innerText()).toMatch(
      /Cartes enregistrées : 1 paiement, 25,00\s€\./,
    );
    await count.getByLabel('Total de la télécollecte du terminal (€)').fill('25,00');
    expect(await count.getByTestId('card-batch').innerText()).toMatch(/écart avec le terminal : 0,00\s€/);
    expect(await count.getByTestId('till-count').innerText()).toMatch(
      /Attendu\s+40,00\s€\s+Compté\s+40,00\s€\s+Écart\s+0,00\s€/,
    );
    await page.mouse.move(0, 0);
    await shot('till-close-batch.png');
    await count.getByRole('button', { name: 'Clôturer', exact: true }).click();

    const session = page.getByTestId('till-session');
    await session.getByTestId('till-locked').waitFor();
    expect(await session.getByTestId('till-card-batch').innerText()).toMatch(
      /Télécollecte du terminal : 25,00\s€ pour 25,00\s€ de paiements par carte enregistrés — concordant\./,
    );
    const z = await pdfText('regie.sessionReportPdf', 'till-z.pdf', () =>
      page.getByRole('button', { name: 'Imprimer le rapport de clôture (Z)' }).click(),
    );
    expect(z).toMatch(/Fonds de caisse/);
    expect(z).toContain('Quittance T-2026-114');
    expect(z).toContain('0000101');
    expect(z).toMatch(/télécollecte du terminal : 25,00 € — écart : 0,00 €/);
    expect(z).not.toContain('DUPLICATA');
  });

  it('deposits the cheques ticked one by one, and reprints a past slip as a DUPLICATA', async () => {
    const slip = page.getByTestId('deposit-slip');
    await expect
      .poll(() => slip.getByTestId('pending-cheques').innerText())
      .toMatch(/2 chèques en attente : 30,80\s€/);
    await slip.getByRole('button', { name: 'Créer le bordereau' }).click();
    expect(await slip.locator('.form-error').innerText()).toBe('Cochez les chèques remis à la banque.');
    await slip.getByRole('checkbox', { name: 'Tout sélectionner' }).check();
    expect(await slip.getByTestId('slip-selection').innerText()).toMatch(/Choisis : 2 chèques, 30,80\s€/);
    await slip.getByRole('checkbox', { name: /Chèque n° 0000101/ }).uncheck();
    expect(await slip.getByTestId('slip-selection').innerText()).toMatch(/Choisis : 1 chèque, 18,80\s€/);
    expect(await slip.getByRole('checkbox', { name: 'Tout sélectionner' }).isChecked()).toBe(false);
    await page.mouse.move(0, 0);
    await shot('till-slip-choice.png');
    await slip.getByRole('button', { name: 'Créer le bordereau' }).click();
    await expect
      .poll(() => slip.getByTestId('slip-result').innerText())
      .toMatch(/^Bordereau n° \S+ : 1 chèque, 18,80\s€\./);
    // The cheque kept back stays pending, alone.
    await expect
      .poll(() => slip.getByTestId('pending-cheques').innerText())
      .toMatch(/1 chèque en attente : 12,00\s€/);
    expect(await slip.getByTestId('past-slip').allInnerTexts()).toEqual([
      expect.stringMatching(/05\/10\/2026\s+1\s+18,80\s€/),
    ]);
    const text = await pdfText('regie.depositSlipPdf', 'till-slip-duplicata.pdf', () =>
      slip
        .getByTestId('past-slip')
        .first()
        .getByRole('button', { name: /Réimprimer/ })
        .click(),
    );
    expect(text).toContain('DUPLICATA');
    expect(text).toContain('0000102');
    expect(text).not.toContain('0000101');
  });

  it('proposes the next float, and shows yesterday’s till read-only with its Z', async () => {
    now = new Date('2026-10-06T08:15:00+02:00');
    await page.reload();
    await page.getByText('Ville de Belleval').first().waitFor();
    await page.keyboard.press('Alt+C');
    const open = page.getByRole('form', { name: 'Ouvrir la caisse' });
    await open.waitFor();
    expect(await open.getByLabel('Fonds de caisse (€)').inputValue()).toBe('40,00');
    expect(await open.getByTestId('float-origin').innerText()).toBe(
      'Proposé : les espèces comptées à la clôture du 05/10/2026.',
    );

    const history = page.getByTestId('till-history');
    await expect.poll(() => history.getByTestId('history-row').count()).toBe(1);
    expect(await history.getByTestId('history-row').first().innerText()).toMatch(
      /^05\/10\/2026\s+\S+\s+05\/10\/2026 08:30, .+\s+05\/10\/2026 17:30, .+\s+115,80\s€\s+0,00\s€/,
    );
    await history.getByRole('button', { name: /Consulter/ }).click();
    const past = history.getByTestId('till-past');
    await past.waitFor();
    expect(await past.getByTestId('till-locked').innerText()).toBe('verrouillée');
    expect(await past.getByTestId('till-payment').count()).toBe(4);
    expect(await past.getByRole('button', { name: /Clôturer/ }).count()).toBe(0);
    await page.mouse.move(0, 0);
    await shot('till-history.png');
    const z = await pdfText('regie.sessionReportPdf', 'till-z-reprint.pdf', () =>
      past.getByRole('button', { name: 'Réimprimer le rapport de clôture (Z)' }).click(),
    );
    expect(z).toContain('Quittance T-2026-114');
  });

  it('shows the collection report with the canteen’s accounting codes, and exports it for the Trésorerie', async () => {
    const form = page.getByRole('form', { name: 'État récapitulatif' });
    await form.getByLabel('Du').fill('05/10/2026');
    await form.getByLabel('Au').fill('05/10/2026');
    await form.getByRole('button', { name: 'Afficher' }).click();
    const report = page.getByTestId('collection-report');
    await expect
      .poll(() => report.getByTestId('report-activities').innerText())
      .toMatch(/Restauration scolaire\s+7067-251\s+SR\.CANT\s+30,80\s€/);
    await page.mouse.move(0, 0);
    await shot('till-report.png');
    const pdf = await pdfText('regie.collectionReportPdf', 'till-report.pdf', () =>
      report.getByRole('button', { name: 'Imprimer (PDF)' }).click(),
    );
    expect(pdf).toMatch(/Restauration scolaire 7067-251 SR\.CANT 30,80 €/);
    expect(pdf).not.toMatch(/-0,00/);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      report.getByRole('button', { name: 'Exporter en CSV' }).click(),
    ]);
    const csvPath = join(RESULTS_DIR, 'till-report.csv');
    await download.saveAs(csvPath);
    const csv = readFileSync(csvPath, 'utf8');
    expect(csv).toMatch(/^Activité;Restauration scolaire;7067-251;SR\.CANT;;;;30,80\r?$/m);
    expect(csv).not.toMatch(/-0,00/);
  });

  it('ran without a script error or a CSP violation', () => {
    expect(h.pageErrors).toEqual([]);
  });
});
