import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { demoTown, type DemoTown } from '../test/town.ts';
import { allocateNumbers, SERIES } from './series.ts';

const hasPdftotext = (() => {
  try {
    execFileSync('pdftotext', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

const dir = mkdtempSync(join(tmpdir(), 'gf-billing-pdf-'));

function pdfText(name: string, base64: string): string {
  const file = join(dir, name);
  writeFileSync(file, Buffer.from(base64, 'base64'));
  return execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
}

/** The code points the PDF's ToUnicode maps declare: what a reader (or a screen reader) gets back from the glyphs. */
function toUnicodeTargets(base64: string): Set<string> {
  const pdf = Buffer.from(base64, 'base64');
  const text = pdf.toString('latin1');
  const out = new Set<string>();
  for (const m of text.matchAll(/>>\s*stream\r?\n/g)) {
    const start = m.index + m[0].length;
    const end = text.indexOf('endstream', start);
    try {
      const body = inflateSync(pdf.subarray(start, end)).toString('latin1');
      if (body.includes('beginbf'))
        for (const c of body.matchAll(/<([0-9a-f]{4})>/gi)) out.add(c[1]!.toLowerCase());
    } catch {
      // not a deflated stream
    }
  }
  return out;
}

/** Zoé's September: 17 meals (37,40 €) and a study month priced 1 234,56 € by a dated tariff, so the total has thousands. */
async function bigInvoice(): Promise<DemoTown & { invoiceId: string }> {
  const t = await demoTown();
  for (const activity of [t.demo.canteen, t.demo.study]) {
    await t.call('enrolment.enrol', {
      childId: t.zoe,
      activityId: activity.activityId,
      schoolYear: '2026-2027',
    });
  }
  await t.call('admin.saveTariff', {
    activityId: t.demo.study.activityId,
    unitCode: 'month',
    validFrom: '2026-09-01',
    data: { mode: 'flat', cents: 123_456 },
  });
  await t.call('booking.book', {
    childId: t.zoe,
    activityId: t.demo.study.activityId,
    siteId: t.demo.sites.jaures,
    unitCodes: ['month'],
    selection: { kind: 'month', month: '2026-09' },
    origin: 'portal',
  });
  await t.call('booking.book', {
    childId: t.zoe,
    activityId: t.demo.canteen.activityId,
    siteId: t.demo.sites.jaures,
    unitCodes: ['meal'],
    selection: { kind: 'period', from: '2026-09-01', to: '2026-09-30', weekdays: [1, 2, 4, 5] },
    origin: 'portal',
  });
  t.at('2026-10-02T09:00:00+02:00');
  const run = await t.call('billing.runMonth', { month: '2026-09', issueDate: '2026-10-02' });
  // 1,234.56 + 17 × 2.20 = 1,271.96 €.
  expect(run.totalCents).toBe(127_196);
  const list = await t.call('billing.listInvoices', { householdId: t.householdId });
  return { ...t, invoiceId: list.invoices[0]!.id };
}

describe('invoice and credit-note PDFs', () => {
  it.skipIf(!hasPdftotext)(
    'prints the number, dates, lines, the total in French format, the no-VAT mention and how to pay',
    async () => {
      const t = await bigInvoice();
      const pdf = await t.call('billing.invoicePdf', { invoiceId: t.invoiceId });
      expect(pdf).toMatchObject({ fileName: 'facture-FAC-2026-000001.pdf', mimeType: 'application/pdf' });
      const text = pdfText('invoice.pdf', pdf.base64);
      // pdftotext (poppler 22) prints every Unicode space as U+0020; the PDF itself maps them to U+202F and U+00A0.
      const flat = text.replace(/[\u00a0\u202f]/g, ' ');
      expect(flat).toContain('FACTURE');
      expect(flat).toContain('FAC-2026-000001');
      expect(flat).toMatch(/Date d’émission\s+2 octobre 2026/);
      expect(flat).toMatch(/À payer avant le\s+25 octobre 2026/);
      expect(flat).toMatch(/Total à payer\s+1 271,96 €/);
      expect(flat).toContain('Mme Sophie Lefèvre');
      expect(flat).toContain('12 rue des Tilleuls');
      expect(flat).toContain('Ville de Belleval');
      expect(flat).toContain('Zoé Lefèvre');
      expect(flat).toMatch(/Repas\s+17\s+2,20 €\s+QF 640 · tranche 400–699\s+37,40 €/);
      expect(flat).toMatch(/Forfait mensuel\s+1\s+1 234,56 €\s+tarif unique\s+1 234,56 €/);
      expect(flat).toContain('Facture non soumise à la TVA (art. 256 B du CGI).');
      expect(flat).toContain('chèque à l’ordre du Trésor public');
      expect(flat).toContain('avec la référence FAC-2026-000001');
      // The narrow no-break space of « 1 234,56 € » and the no-break space before « € » are real glyphs of the
      // embedded font, mapped back to their code points.
      const mapped = toUnicodeTargets(pdf.base64);
      expect(mapped.has('202f')).toBe(true);
      expect(mapped.has('00a0')).toBe(true);
    },
  );

  it('gives byte-identical PDFs for the same invoice, whenever printed', async () => {
    const t = await bigInvoice();
    const first = await t.call('billing.invoicePdf', { invoiceId: t.invoiceId });
    t.at('2027-03-15T16:00:00+01:00');
    const reprint = await t.call('billing.invoicePdf', { invoiceId: t.invoiceId });
    expect(reprint.base64).toBe(first.base64);
    const raw = Buffer.from(first.base64, 'base64').toString('latin1');
    expect(raw.startsWith('%PDF-')).toBe(true);
    expect(raw).toContain('/MediaBox [0 0 595.28 841.89]');
    expect(raw).toMatch(/\/FontFile2/); // the TrueType font is embedded
  });

  it.skipIf(!hasPdftotext)(
    'prints a credit note with the invoice it corrects, its reason and its amount',
    async () => {
      const t = await bigInvoice();
      const inv = await t.call('billing.getInvoice', { invoiceId: t.invoiceId });
      const meals = inv.groups.flatMap((g) => g.lines).find((l) => l.unitCode === 'meal')!;
      t.at('2026-10-08T10:00:00+02:00');
      const note = await t.call('billing.creditNote', {
        invoiceId: t.invoiceId,
        reason: 'Repas du 1er septembre non servi (grève du prestataire)',
        lines: [{ invoiceLineId: meals.id, amountCents: 220, bookingId: meals.services[0]!.bookingId }],
      });
      const pdf = await t.call('billing.creditNotePdf', { creditNoteId: note.creditNoteId });
      const flat = pdfText('credit.pdf', pdf.base64).replace(/[\u00a0\u202f]/g, ' ');
      expect(flat).toContain('AVOIR');
      expect(flat).toContain('AV-2026-000001');
      expect(flat).toMatch(/Facture corrigée\s+FAC-2026-000001/);
      expect(flat).toMatch(/du\s+2 octobre 2026/);
      expect(flat).toMatch(/Repas\s+1\s+2,20 €\s+QF 640 · tranche 400–699\s+2,20 €/);
      expect(flat).toContain('Repas du 1er septembre non servi (grève du prestataire)');
      expect(flat).toContain('service du 1 septembre 2026');
      expect(flat).toMatch(/Montant de l’avoir\s+2,20 €/);
      expect(flat).toContain('Avoir non soumis à la TVA');
    },
  );
});

describe('an invoice printed again after a credit note', () => {
  it.skipIf(!hasPdftotext)(
    'says it is a reprint, lists the credit notes and payments and what is left to pay that day',
    async () => {
      const t = await bigInvoice();
      const inv = await t.call('billing.getInvoice', { invoiceId: t.invoiceId });
      const meals = inv.groups.flatMap((g) => g.lines).find((l) => l.unitCode === 'meal')!;
      t.at('2026-10-08T10:00:00+02:00');
      await t.call('billing.creditNote', {
        invoiceId: t.invoiceId,
        reason: 'Repas du 1er septembre non servi',
        lines: [{ invoiceLineId: meals.id, amountCents: 220, bookingId: meals.services[0]!.bookingId }],
      });
      await t.call('regie.openSession', { floatCents: 0 });
      await t.call('payment.record', {
        householdId: t.householdId,
        mode: 'cheque',
        amountCents: 100_000,
        cheque: { number: '1234567', bank: 'Banque', drawer: 'Sophie Lefèvre', payeeChecked: true },
      });
      t.at('2026-10-20T15:00:00+02:00');
      const pdf = await t.call('billing.invoicePdf', { invoiceId: t.invoiceId });
      const flat = pdfText('reprint.pdf', pdf.base64).replace(/[\u00a0\u202f]/g, ' ');
      expect(flat).toMatch(/Réimpression\s+situation au 20 octobre 2026/);
      // The invoice is unchanged: its lines and its total stay as issued.
      expect(flat).toMatch(/Repas\s+17\s+2,20 €\s+QF 640 · tranche 400–699\s+37,40 €/);
      expect(flat).toMatch(/Total de la facture\s+1 271,96 €/);
      expect(flat).not.toContain('Total à payer');
      expect(flat).toMatch(/Avoir AV-2026-000001 du 08\/10\/2026\s+-2,20 €/);
      expect(flat).toMatch(/Déjà réglé\s+-1 000,00 €/);
      // 1 271,96 − 2,20 − 1 000,00 = 269,76 €.
      expect(flat).toMatch(/Reste à payer au 20\/10\/2026\s+269,76 €/);
      expect(flat).toContain('réimpression du 20/10/2026');
    },
  );
});

describe('numbers and transactions', () => {
  it('frees nothing and skips nothing when the document that took a number is rolled back', async () => {
    const t = await bigInvoice();
    await expect(
      t.core.db.transaction().execute(async (trx) => {
        const taken = await allocateNumbers(trx, SERIES.monthly, '2026-10-03', 3);
        expect(taken.numbers).toEqual(['FAC-2026-000002', 'FAC-2026-000003', 'FAC-2026-000004']);
        throw new Error('the invoices could not be written');
      }),
    ).rejects.toThrow('could not be written');
    const next = await t.core.db
      .transaction()
      .execute((trx) => allocateNumbers(trx, SERIES.monthly, '2026-10-03', 1));
    expect(next.numbers).toEqual(['FAC-2026-000002']);
  });
});
