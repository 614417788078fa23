import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { draftLine, payTown } from '../payments/fixtures.ts';

/**
 * PayFiP: the town's identifier and the invoice's reference printed where the family reads how to pay, and the
 * back office's list of online payments matched to invoices by that reference before anything is recorded.
 */

function pdfText(base64: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'gf-payfip-')), 'facture.pdf');
  writeFileSync(file, Buffer.from(base64, 'base64'));
  return execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
}

async function town() {
  const t = await payTown('2026-10-05T09:00:00+02:00');
  const a = await t.invoice([draftLine('canteen', 450, 10)]); // FAC-2026-000001, 45,00 €
  const b = await t.invoice([draftLine('care', 210, 5)]); // FAC-2026-000002, 10,50 €
  return { t, a, b };
}

const CSV = [
  'Date;Référence;Montant;N° de transaction',
  '02/10/2026;FAC-2026-000001;20,00;T-1001',
  '03/10/2026;fac2026000002;10,50;T-1002',
  '03/10/2026;FAC-2026-000002;5,00;T-1003',
  '04/10/2026;FAC-2026-009999;12,00;T-1004',
  '04/10/2026;FAC-2026-000001;;T-1005',
  '05/10/2026;FAC-2026-000001;30,00;T-1006',
].join('\n');

describe('PayFiP', () => {
  it('prints the town’s PayFiP identifier and the invoice reference on the invoice', async () => {
    const { t, a } = await town();
    const before = pdfText((await t.call('billing.invoicePdf', { invoiceId: a.invoiceId })).base64);
    expect(before).not.toContain('identifiant collectivité');
    const bad = await t.invoke('payfip.saveSettings', { clientId: '12345' });
    expect(bad.ok || bad.error).toMatchObject({
      field: 'clientId',
      message: expect.stringContaining('6 chiffres'),
    });
    await t.call('payfip.saveSettings', { clientId: '012345' });
    const after = pdfText((await t.call('billing.invoicePdf', { invoiceId: a.invoiceId })).base64);
    expect(after).toMatch(/identifiant collectivité 012345, référence FAC-2026-000001, montant 45,00\s€/);
  });

  it('matches each online payment to its invoice by reference, says why a row cannot be taken, and never twice', async () => {
    const { t } = await town();
    const preview = await t.call('payfip.previewImport', { csv: CSV });
    expect(preview.rows.map((r) => [r.line, r.invoiceNumber, r.amountCents, r.status])).toEqual([
      [2, 'FAC-2026-000001', 2000, 'ready'],
      [3, 'FAC-2026-000002', 1050, 'ready'],
      // The row before settled that invoice: nothing is left on it.
      [4, 'FAC-2026-000002', 500, 'paid'],
      [5, null, 1200, 'unknown'],
      [6, 'FAC-2026-000001', null, 'unreadable'],
      // 45,00 € less the 20,00 € above: 25,00 € left, not 30,00 €.
      [7, 'FAC-2026-000001', 3000, 'too_much'],
    ]);
    expect(preview.totals).toEqual({ rows: 6, ready: 2, readyCents: 3050 });

    // What the screen does with a ready row: a payment « en ligne » with its transaction number, on that invoice.
    const ready = preview.rows[0]!;
    await t.call('payment.record', {
      householdId: ready.householdId!,
      mode: 'online',
      amountCents: ready.amountCents!,
      online: { reference: ready.transaction },
      allocations: [{ invoiceId: ready.invoiceId!, amountCents: ready.amountCents! }],
    });
    const again = await t.call('payfip.previewImport', { csv: CSV });
    expect(again.rows.map((r) => r.status)).toEqual([
      'imported',
      'ready',
      'paid',
      'unknown',
      'unreadable',
      'too_much',
    ]);
  });

  it('refuses a file without the expected columns, in words', async () => {
    const { t } = await town();
    const r = await t.call('payfip.previewImport', { csv: 'a;b\n1;2' });
    expect(r.problem).toMatch(/Fichier non reconnu/);
    expect(r.rows).toEqual([]);
  });
});
