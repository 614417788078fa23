import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bookDays } from '../test/families.ts';
import { demoTown } from '../test/town.ts';
import { underSixOnFirstJanuary } from './tax-certificate.ts';

const hasPoppler = (() => {
  try {
    execFileSync('pdftotext', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
const dir = mkdtempSync(join(tmpdir(), 'gf-tax-'));
const pdfText = (base64: string) => {
  const file = join(dir, `${Math.random().toString(36).slice(2)}.pdf`);
  writeFileSync(file, Buffer.from(base64, 'base64'));
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
};

/**
 * The Lefèvre family of the demo town: Noé (born 2 September 2020, under 6 on 1 January 2026) eats at the canteen
 * and goes to before/after-school care on 1 and 3 September 2026; Zoé (born 2018) goes to care too. One September
 * invoice of the three children's lines; on 5 October 2026 the family pays part of it in cash.
 */
async function septemberPaidInPart(paidCents: number) {
  const t = await demoTown();
  const days = ['2026-09-01', '2026-09-03'];
  await bookDays(t, t.noe, 'canteen', days);
  await bookDays(t, t.noe, 'care', days);
  await bookDays(t, t.zoe, 'care', days);
  t.at('2026-10-02T09:00:00+02:00');
  await t.call('billing.runMonth', { month: '2026-09', issueDate: '2026-10-02' });
  const [listed] = (await t.call('billing.listInvoices', { householdId: t.householdId })).invoices;
  const invoice = await t.call('billing.getInvoice', { invoiceId: listed!.id });
  t.at('2026-10-05T09:00:00+02:00');
  await t.call('regie.openSession', { floatCents: 0 });
  const payment = await t.call('payment.record', {
    householdId: t.householdId,
    mode: 'cash',
    amountCents: paidCents,
  });
  const sum = (pick: (l: (typeof invoice.groups)[number]['lines'][number]) => boolean) =>
    invoice.groups
      .flatMap((g) => g.lines)
      .filter(pick)
      .reduce((s, l) => s + l.amountCents, 0);
  return {
    t,
    payment,
    totalCents: invoice.totalCents,
    noeCareCents: sum((l) => l.childId === t.noe && l.activityName === 'Accueil périscolaire'),
    noeMealsCents: sum((l) => l.childId === t.noe && l.unitCode === 'meal'),
  };
}

describe('the childcare tax certificate', () => {
  it('counts what was paid, pro rata of the invoice’s lines: a part payment gives the same part of the care, no meals, no child over 6', async () => {
    const { t, totalCents, noeCareCents, noeMealsCents } = await septemberPaidInPart(1000);
    // The invoice has care and meals for Noé and care for Zoé, and the family paid less than all of it.
    expect(noeCareCents).toBeGreaterThan(0);
    expect(noeMealsCents).toBeGreaterThan(0);
    expect(totalCents).toBeGreaterThan(1000);

    const certificates = await t.call('billing.familyTaxCertificates', {
      householdId: t.householdId,
      year: 2026,
    });
    expect(certificates.map((c) => c.childName)).toEqual(['Noé Lefèvre']);
    const [noe] = certificates;
    // 10,00 € over the invoice's lines in proportion: Noé's care gets its share, to the cent (largest remainders).
    const exact = (1000 * noeCareCents) / totalCents;
    expect(Math.abs(noe!.paidCents - exact)).toBeLessThan(1);
    expect(noe!.byActivity).toEqual([{ activityName: 'Accueil périscolaire', paidCents: noe!.paidCents }]);

    // Paid in 2026: nothing in 2025, and in 2027 Noé is 6 on 1 January.
    expect(await t.call('billing.familyTaxCertificates', { householdId: t.householdId, year: 2025 })).toEqual(
      [],
    );
    expect(await t.call('billing.familyTaxCertificates', { householdId: t.householdId, year: 2027 })).toEqual(
      [],
    );
  });

  it('gives the whole care once the invoice is paid in full, and nothing once that payment is reversed', async () => {
    const probe = await septemberPaidInPart(1);
    const { t, payment, noeCareCents } = await septemberPaidInPart(probe.totalCents);
    const [full] = await t.call('billing.familyTaxCertificates', { householdId: t.householdId, year: 2026 });
    expect(full!.paidCents).toBe(noeCareCents);

    await t.call('payment.reverse', { paymentId: payment.paymentId, reason: 'chèque sans provision' });
    expect(await t.call('billing.familyTaxCertificates', { householdId: t.householdId, year: 2026 })).toEqual(
      [],
    );
  });

  it.skipIf(!hasPoppler)(
    'prints the certificate: the child, the amount paid, the law, meals excluded',
    async () => {
      const { t } = await septemberPaidInPart(1000);
      t.at('2027-01-12T10:00:00+01:00');
      const [noe] = await t.call('billing.familyTaxCertificates', { householdId: t.householdId, year: 2026 });
      const pdf = await t.call('billing.familyTaxCertificatePdf', { householdId: t.householdId, year: 2026 });
      expect(pdf.fileName).toBe('attestation-garde-2026-noe-lefevre.pdf');
      const text = pdfText(pdf.base64).replace(/\s+/g, ' ');
      expect(text).toContain('200 quater B');
      expect(text).toContain('Noé Lefèvre');
      expect(text).toContain('2 septembre 2020');
      expect(text).toContain(`${(noe!.paidCents / 100).toFixed(2).replace('.', ',')} €`);
      expect(text).toContain('hors frais de repas');
      expect(text).toContain('12 janvier 2027');
      expect(text).not.toContain('Zoé');

      // January's batch: every family's certificates in one PDF.
      const batch = await t.call('billing.yearTaxCertificatesPdf', { year: 2026 });
      expect(batch).toMatchObject({ certificates: 1, households: 1, totalCents: noe!.paidCents });
      const none = await t.invoke('billing.yearTaxCertificatesPdf', { year: 2025 });
      expect(none).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', field: 'year' } });
    },
  );

  it('says under 6 on 1 January: a child born on 1 January six years before is 6 that day', () => {
    expect(underSixOnFirstJanuary('2020-01-02', 2026)).toBe(true);
    expect(underSixOnFirstJanuary('2020-01-01', 2026)).toBe(false);
    expect(underSixOnFirstJanuary('2019-12-31', 2026)).toBe(false);
  });
});
