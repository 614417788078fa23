import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { draftLine, issueTestInvoice } from '../core/payments/fixtures.ts';
import { schemaProblems } from '../core/test/xml.ts';
import { RESULTS_DIR, startHarness, type Harness } from './harness.ts';

/**
 * The month’s paperwork leaving the régie, through the browser host, on the demo town: the administrator gives the
 * town's creditor identifier, the counter enters the Lefèvre family's signed mandate, and after the September run
 * (14 canteen meals, 30,80 €) the régisseur makes the October file, saves it for the bank, then enters the debit the
 * bank returned; in November the invoice, unpaid, goes to the Trésorerie (PES V2), and PayFiP payments are imported.
 */
let now = new Date('2026-09-01T08:00:00+02:00');
const XSD = fileURLToPath(new URL('../core/directdebit/testdata/pain.008.001.02.xsd', import.meta.url));

let h: Harness;
let page: Page;

const shot = (name: string) => page.screenshot({ path: join(RESULTS_DIR, name), fullPage: true });
const live = () => page.getByTestId('live-region').innerText();

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
  const september = await h.call('booking.book', {
    childId: zoe,
    activityId: canteen.activityId,
    siteId: sites.jaures,
    unitCodes: ['meal'],
    selection: { kind: 'period', from: '2026-09-07', to: '2026-09-30', weekdays: [1, 2, 4, 5] },
    origin: 'portal',
  });
  expect(september.accepted).toHaveLength(14);
  now = new Date('2026-10-05T10:00:00+02:00');
  await h.call('billing.runMonth', { month: '2026-09', issueDate: '2026-10-05' });
  page = await h.openApp();
});

afterAll(async () => {
  await h?.close();
});

describe('direct debit through the browser host', () => {
  it('takes the town’s creditor identifier in the settings, refusing a wrong key', async () => {
    await page.getByRole('button', { name: 'Paramètres' }).first().click();
    await page.getByRole('button', { name: 'Prélèvement' }).click();
    await page.getByRole('button', { name: 'Modifier les réglages du prélèvement' }).click();
    const form = page.getByRole('form', { name: 'Réglages du prélèvement' });
    await form.getByLabel('Identifiant créancier SEPA (ICS)').fill('FR73ZZZ123456');
    await form.getByLabel('IBAN du compte de la régie').fill('FR76 3000 6000 0112 3456 7890 189');
    await form.getByLabel('BIC du compte de la régie').fill('BDFEFRPPCCT');
    await form.getByRole('button', { name: 'Enregistrer' }).click();
    await expect
      .poll(() => form.locator('.field-error').allInnerTexts())
      .toEqual(['Identifiant créancier SEPA (ICS) invalide : sa clé de contrôle ne correspond pas.']);
    await form.getByLabel('Identifiant créancier SEPA (ICS)').fill('FR72ZZZ123456');
    await form.getByRole('button', { name: 'Enregistrer' }).click();
    await expect.poll(() => page.getByTestId('sepa-ics').innerText()).toBe('FR72ZZZ123456');
    await shot('direct-debit-settings.png');
  });

  it('records the family’s mandate from the file, refusing a mistyped IBAN', async () => {
    await page.keyboard.press('Control+K');
    await page.keyboard.type('lefevre');
    await page.getByRole('option', { name: /Lefèvre/ }).waitFor();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Foyer Lefèvre' }).waitFor();
    await page.getByRole('button', { name: 'Enregistrer un mandat' }).click();
    const form = page.getByRole('form', { name: 'Enregistrer un mandat de prélèvement' });
    await form.getByLabel('IBAN').fill('FR14 2004 1010 0505 0001 3M02 607');
    await form.getByRole('button', { name: 'Enregistrer' }).click();
    await expect
      .poll(() => form.locator('.field-error').allInnerTexts())
      .toEqual(['IBAN invalide : la clé de contrôle ne correspond pas (une erreur de saisie ?).']);
    await form.getByLabel('IBAN').fill('FR14 2004 1010 0505 0001 3M02 606');
    await form.getByLabel('Date de signature').fill('20/09/2026');
    await form.getByRole('button', { name: 'Enregistrer' }).click();
    const row = page.getByTestId('mandates').locator('tbody tr');
    await expect
      .poll(() => row.allInnerTexts())
      .toEqual([
        expect.stringMatching(
          /GF-20260920-\w+\tSophie Lefèvre\tFR14 •••• •••• 2606\t20\/09\/2026\tpremier prélèvement\tEn vigueur/,
        ),
      ]);
    await shot('direct-debit-mandate.png');
  });

  it('makes the month’s file, saves it for the bank, and enters the debit it returned', async () => {
    await page.keyboard.press('Alt+F');
    await page.getByRole('tab', { name: 'Prélèvements' }).click();
    const form = page.getByRole('form', { name: 'Fichier de prélèvement' });
    expect(await form.getByLabel('Mois facturé').inputValue()).toBe('09/2026');
    // The proposed date comes from the town's settings, which the panel reads once it is shown.
    await expect.poll(() => form.getByLabel('Date de prélèvement').inputValue()).toBe('10/10/2026');
    await form.getByRole('button', { name: 'Voir les prélèvements' }).click();
    const preview = page.getByTestId('debit-preview');
    await expect
      .poll(() => preview.locator('p').first().innerText())
      .toMatch(/^1 prélèvement — 30,80\s€ le 10\/10\/2026/);
    await shot('direct-debit-preview.png');

    const saving = page.waitForEvent('download');
    await preview.getByRole('button', { name: 'Produire le fichier de prélèvement' }).click();
    const download = await saving;
    expect(download.suggestedFilename()).toBe('prelevement-PRL-2026-000001.xml');
    const xml = await readFile((await download.path())!, 'utf8');
    expect(schemaProblems(xml, XSD)).toEqual([]);
    expect(xml).toContain('<SeqTp>FRST</SeqTp>');
    expect(xml).toContain('<CtrlSum>30.80</CtrlSum>');
    expect(await live()).toContain('Fichier PRL-2026-000001 produit : 1 prélèvement(s), 30,80');
    const files = page.getByTestId('debit-files').locator('tbody tr');
    expect(await files.allInnerTexts()).toEqual([
      expect.stringMatching(/^PRL-2026-000001\t05\/10\/2026\t10\/10\/2026\t1\t30,80\s€\t—/),
    ]);

    const detail = page.getByTestId('debit-file-detail');
    await detail.getByRole('button', { name: 'Enregistrer un rejet' }).click();
    const reject = page.getByRole('form', { name: /Rejet du prélèvement de Lefèvre/ });
    await reject.getByLabel('Motif du rejet').selectOption('AM04');
    await reject.getByLabel('Date du rejet').fill('05/10/2026');
    await reject.getByRole('button', { name: 'Enregistrer le rejet' }).click();
    await expect.poll(() => live()).toContain('est de nouveau à payer : 30,80');
    await expect.poll(() => files.allInnerTexts()).toEqual([expect.stringMatching(/\t1 \(30,80\s€\)/)]);
    expect(await detail.locator('tbody tr').innerText()).toContain('AM04 — Provision insuffisante');
    await shot('direct-debit-rejected.png');
    expect(h.pageErrors).toEqual([]);
  });
});

describe('titres to the Trésorerie through the browser host', () => {
  it('takes the Trésorerie’s codes, then exports the unpaid invoice past due once', async () => {
    now = new Date('2026-11-20T10:00:00+01:00');
    await page.reload();
    await page.getByRole('button', { name: 'Paramètres' }).first().click();
    await page.getByRole('button', { name: 'Trésorerie' }).click();
    await page.getByRole('button', { name: 'Modifier les réglages de la Trésorerie' }).click();
    const form = page.getByRole('form', { name: 'Réglages de la Trésorerie' });
    await form.getByLabel('Code du poste comptable').fill('0450000');
    await form.getByLabel('SIRET de la commune').fill('21450234800015');
    await form.getByLabel('Code collectivité').fill('123');
    await form.getByLabel('Code budget').fill('01');
    await form.getByLabel('Code produit local').fill('ENF1');
    await form.getByLabel('Seuil de recouvrement (€)').fill('15,00');
    await form.getByRole('button', { name: 'Enregistrer' }).click();
    await expect.poll(() => page.getByTestId('pes-minimum').innerText()).toBe('15,00\u00a0€');

    await page.keyboard.press('Alt+F');
    await page.getByRole('tab', { name: 'Trésorerie' }).click();
    const ask = page.getByRole('form', { name: 'Titres à transmettre' });
    expect(await ask.getByLabel('Échues au').inputValue()).toBe('20/11/2026');
    await ask.getByRole('button', { name: 'Voir les titres' }).click();
    const preview = page.getByTestId('pes-preview');
    await expect
      .poll(() => preview.locator('tbody tr').allInnerTexts())
      .toEqual([expect.stringMatching(/Lefèvre.*\tFAC-2026-000001\t30,80\s€$/)]);
    await shot('pes-preview.png');
    const saving = page.waitForEvent('download');
    await preview.getByRole('button', { name: 'Transmettre à la Trésorerie' }).click();
    const download = await saving;
    expect(download.suggestedFilename()).toBe('titres-PES-2026-000001.xml');
    const xml = await readFile((await download.path())!, 'utf8');
    expect(xml).toContain('<TypFic V="PESORMC"/>');
    expect(xml).toContain('<MtBordHt V="30.80"/>');
    expect(await page.getByTestId('pes-exports').locator('tbody tr').allInnerTexts()).toEqual([
      expect.stringMatching(/^PES-2026-000001\t20\/11\/2026\t20\/11\/2026\t1\t1\t30,80\s€/),
    ]);
    await ask.getByRole('button', { name: 'Voir les titres' }).click();
    await expect
      .poll(() => page.getByTestId('pes-preview').locator('p').first().innerText())
      .toMatch(/^0 débiteur/);
    await shot('pes-exported.png');
    expect(h.pageErrors).toEqual([]);
  });
});

describe('PayFiP through the browser host', () => {
  it('takes the PayFiP identifier, then imports the online payments matched to their invoice', async () => {
    const actor = { agentId: 'test', agentName: 'Test', deviceId: h.core.deviceId };
    const invoice = await h.core.db.transaction().execute((trx) =>
      issueTestInvoice(trx, h.demo!.householdId, [draftLine('canteen', 250, 4)], {
        actor,
        now,
        issueDate: '2026-11-20',
      }),
    );
    expect(invoice.number).toBe('FAC-2026-000002');

    await page.getByRole('button', { name: 'Paramètres' }).first().click();
    await page.getByRole('button', { name: 'Trésorerie' }).click();
    await page.getByRole('button', { name: 'Modifier l’identifiant PayFiP' }).click();
    const form = page.getByRole('form', { name: 'Identifiant PayFiP' });
    await form.getByLabel('Identifiant collectivité PayFiP').fill('012345');
    await form.getByRole('button', { name: 'Enregistrer' }).click();
    await expect.poll(() => page.getByTestId('payfip-client').innerText()).toBe('012345');

    await page.keyboard.press('Alt+F');
    await page.getByRole('tab', { name: 'Paiements en ligne' }).click();
    const csv = [
      'Date;Référence;Montant;N° de transaction',
      '20/11/2026;fac-2026-000002;10,00;T-9001',
      '20/11/2026;FAC-2026-009999;12,00;T-9002',
    ].join('\n');
    await page.getByLabel('Fichier des paiements en ligne').setInputFiles({
      name: 'payfip.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(csv, 'utf8'),
    });
    const preview = page.getByTestId('online-import-preview');
    await expect
      .poll(() => preview.locator('tbody tr').allInnerTexts())
      .toEqual([
        expect.stringMatching(/fac-2026-000002\tT-9001\t10,00\s€\tFAC-2026-000002\tLefèvre\tÀ enregistrer$/),
        expect.stringMatching(/FAC-2026-009999\tT-9002\t12,00\s€\t\t\tRéférence inconnue/),
      ]);
    await shot('payfip-preview.png');
    await preview.getByRole('button', { name: 'Enregistrer les 1 paiement(s)' }).click();
    await expect
      .poll(() => page.getByTestId('online-import-done').innerText())
      .toBe('1 paiement(s) en ligne enregistré(s), 10,00\u00a0€.');
    await expect
      .poll(() => preview.locator('tbody tr').first().innerText())
      .toMatch(/Déjà enregistré \(même n° de transaction\)$/);
    await shot('payfip-imported.png');
    expect(h.pageErrors).toEqual([]);
  });
});

describe('debits through the Trésorerie (ORMC) in the browser host', () => {
  it('marks the invoice sent, warns at the counter, then sends the next invoice with its debit in the PES export', async () => {
    // FAC-2026-000001 left in PES-2026-000001: the family's list says so, and the payment form warns.
    await page.keyboard.press('Control+K');
    await page.keyboard.type('lefevre');
    await page.getByRole('option', { name: /Lefèvre/ }).waitFor();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Foyer Lefèvre' }).waitFor();
    await page.getByRole('tab', { name: 'Factures' }).click();
    const sent = page.getByTestId('invoice-row').filter({ hasText: 'FAC-2026-000001' });
    await expect
      .poll(() => sent.getByTestId('titre-sent').innerText())
      .toBe('transmise au comptable (PES-2026-000001)');
    await shot('ormc-invoice-sent.png');
    await page.keyboard.press('Alt+E');
    const pay = page.getByRole('form', { name: 'Encaisser un paiement' });
    await pay.getByLabel('Montant reçu (€)').fill('30,80');
    await expect
      .poll(() => pay.getByTestId('titre-warning').innerText())
      .toMatch(/FAC-2026-000001 \(PES-2026-000001\) a été transmise au comptable public/);
    await shot('ormc-payment-warning.png');
    await pay.getByRole('button', { name: 'Annuler' }).click();

    // The town now has its debits collected by the Trésorerie.
    await page.getByRole('button', { name: 'Paramètres' }).first().click();
    await page.getByRole('button', { name: 'Prélèvement' }).click();
    await page.getByRole('button', { name: 'Modifier les réglages du prélèvement' }).click();
    const settings = page.getByRole('form', { name: 'Réglages du prélèvement' });
    await settings.getByLabel('Prélèvements envoyés par').selectOption('ormc');
    await settings.getByRole('button', { name: 'Enregistrer' }).click();
    await expect.poll(() => page.getByTestId('sepa-channel').innerText()).toMatch(/^la Trésorerie \(ORMC/);

    const actor = { agentId: 'test', agentName: 'Test', deviceId: h.core.deviceId };
    const invoice = await h.core.db.transaction().execute((trx) =>
      issueTestInvoice(trx, h.demo!.householdId, [draftLine('canteen', 220, 10)], {
        actor,
        now,
        issueDate: '2026-11-20',
      }),
    );
    await page.keyboard.press('Alt+F');
    await page.getByRole('tab', { name: 'Trésorerie' }).click();
    const ask = page.getByRole('form', { name: 'Titres à transmettre' });
    await ask.getByRole('button', { name: 'Voir les titres' }).click();
    const preview = page.getByTestId('pes-preview');
    // Not due yet, but the mandate's debit goes with it; a first debit again, the October one having been returned.
    await expect
      .poll(() => preview.getByTestId('pes-debits').innerText())
      .toMatch(/1 facture\(s\) de familles avec un mandat, prélevées le 10\/12\/2026/);
    expect(await preview.locator('tbody tr').allInnerTexts()).toEqual([
      expect.stringMatching(
        new RegExp(`${invoice.number} \\(prélèvement premier, GF-20260920-\\w+\\)\\t22,00\\s€$`),
      ),
    ]);
    await shot('ormc-pes-preview.png');
    const saving = page.waitForEvent('download');
    await preview.getByRole('button', { name: 'Transmettre à la Trésorerie' }).click();
    const xml = await readFile((await (await saving).path())!, 'utf8');
    expect(xml).toContain('<DtePrel V="2026-12-10"/>');
    expect(xml).toContain('<SequencePres V="02"/>');
    expect(xml).toContain('<MtPrel V="22.00"/>');
    expect(xml).toContain('<IBAN V="FR1420041010050500013M02606"/>');

    // The régie's own file is not made: the Trésorerie collects.
    await page.getByRole('tab', { name: 'Prélèvements' }).click();
    const file = page.getByRole('form', { name: 'Fichier de prélèvement' });
    await file.getByLabel('Mois facturé').fill('11/2026');
    await file.getByRole('button', { name: 'Voir les prélèvements' }).click();
    await page.getByTestId('debit-ormc').waitFor();
    expect(
      await page
        .getByTestId('debit-preview')
        .getByRole('button', { name: 'Produire le fichier de prélèvement' })
        .count(),
    ).toBe(0);
    await shot('ormc-debit-panel.png');
    expect(h.pageErrors).toEqual([]);
  });
});
