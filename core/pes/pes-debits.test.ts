import { describe, expect, it } from 'vitest';
import { draftLine, payTown } from '../payments/fixtures.ts';
import { countRows, LEFEVRE } from '../test/fixtures.ts';
import { readXml } from '../test/xml.ts';

/**
 * Where the Trésorerie collects the town's SEPA debits (ORMC): the invoices of families with a mandate in force
 * leave in the PES export, each line carrying its debit and the debtor's account, read back from the XML; the
 * régie then sends no pain.008, and an invoice is never in both.
 */

const NS = { n: 'http://www.minefi.gouv.fr/cp/helios/pes_v2/Rev0/aller' };
const TRESORERIE = {
  postId: '0450000',
  siret: '21450234800015',
  collectivityCode: '123',
  budgetCode: '01',
  productCode: 'ENF1',
  nature: '7067',
  minimumCents: 1500,
};
const CREDITOR = {
  name: 'Régie enfance de Saint-Exemple',
  ics: 'FR72 ZZZ 123456',
  iban: 'FR76 3000 6000 0112 3456 7890 189',
  bic: 'BDFEFRPPCCT',
  collectionDay: 10,
};

async function ormcTown() {
  const t = await payTown('2026-10-05T09:00:00+02:00');
  await t.call('pes.saveSettings', TRESORERIE);
  await t.call('directDebit.saveSettings', { ...CREDITOR, channel: 'ormc' });
  const martin = await t.call('family.createHousehold', { ...LEFEVRE, name: 'Martin', children: [] });
  const bernard = await t.call('family.createHousehold', { ...LEFEVRE, name: 'Bernard', children: [] });
  await t.call('directDebit.createMandate', {
    householdId: t.householdId,
    debtorName: 'Sophie Lefèvre',
    iban: 'fr76 3000 6000 0112 3456 7890 189',
    bic: 'bnpa frpp xxx',
    signedOn: '2026-09-20',
  });
  await t.call('directDebit.createMandate', {
    householdId: martin.householdId,
    rum: 'ANCIEN-2024-0042',
    debtorName: 'Paul Martin',
    iban: 'FR1420041010050500013M02606',
    signedOn: '2024-06-01',
    firstSequence: 'RCUR',
  });
  const a = await t.invoice([draftLine('canteen', 450, 10)]); // Lefèvre 45,00 €
  const b = await t.invoice([draftLine('care', 210, 5)], martin.householdId); // Martin 10,50 €
  const c = await t.invoice([draftLine('alsh', 900, 2)], martin.householdId); // Martin 18,00 €
  const d = await t.invoice([draftLine('care', 200, 5)], bernard.householdId); // Bernard 10,00 €, no mandate
  t.at('2026-10-06T09:00:00+02:00');
  await t.as('regisseur');
  return { t, martin: martin.householdId, invoices: { a, b, c, d } };
}

const read = (xml: string) =>
  readXml(xml, (root) => {
    const v = (path: string, at = root) => at.get(`${path}/@V`, NS)?.content ?? null;
    const bordereau = '/n:PES_Aller/PES_RecetteAller/Bordereau';
    return {
      total: v(`${bordereau}/BlocBordereau/MtBordHt`),
      pieces: root.find(`${bordereau}/Piece`, NS).map((p) =>
        p.find('LigneDePiece', NS).map((l) => {
          const debit = 'BlocLignePiece/InfoPrelevementSEPA';
          return {
            amount: v('BlocLignePiece/InfoLignePiece/MtHT', l),
            debit: l.get(debit, NS)
              ? [
                  v(`${debit}/NatPrel`, l),
                  v(`${debit}/DtePrel`, l),
                  v(`${debit}/MtPrel`, l),
                  v(`${debit}/SequencePres`, l),
                  v(`${debit}/DateSignMandat`, l),
                  v(`${debit}/RefUniMdt`, l),
                  v(`${debit}/LibPrel`, l),
                ]
              : null,
            account: l.get('Tiers/CpteBancaire', NS)
              ? [
                  v('Tiers/CpteBancaire/BIC', l),
                  v('Tiers/CpteBancaire/IBAN', l),
                  v('Tiers/CpteBancaire/TitCpte', l),
                ]
              : null,
          };
        }),
      ),
    };
  });

describe('SEPA debits through the Trésorerie (ORMC) in the PES export', () => {
  it('puts each mandate family’s invoices in the export with its debit, sequence, mandate and account', async () => {
    const { t } = await ormcTown();
    const preview = await t.call('pes.preview', { asOf: '2026-10-06', collectionDate: '2026-10-10' });
    // Bernard has no mandate: his 10 € past due stay under the recovery minimum, as without ORMC.
    expect(
      preview.debtors.map((d) => [d.householdName, d.totalCents, d.invoices.map((i) => i.debit?.sequence)]),
    ).toEqual([
      ['Lefèvre', 4500, ['FRST']],
      ['Martin', 2850, ['RCUR', 'RCUR']],
    ]);
    const done = await t.call('pes.export', { asOf: '2026-10-06', collectionDate: '2026-10-10' });
    expect(done).toMatchObject({ pieceCount: 2, invoiceCount: 3, totalCents: 7350 });
    const { text } = await t.call('pes.exportXml', { exportId: done.id });
    const xml = read(text);
    expect(xml.total).toBe('73.50');
    const lefevre = xml.pieces[0]?.[0];
    expect(lefevre?.debit?.slice(0, 6)).toEqual([
      '01',
      '2026-10-10',
      '45.00',
      '02',
      '2026-09-20',
      expect.stringMatching(/^GF-20260920-/),
    ]);
    expect(lefevre?.debit?.[6]).toMatch(/^Facture FAC-2026-000001/);
    expect(lefevre?.account).toEqual(['BNPAFRPPXXX', 'FR7630006000011234567890189', 'Sophie Lefevre']);
    expect(xml.pieces[1]).toEqual([
      {
        amount: '10.50',
        debit: ['01', '2026-10-10', '10.50', '03', '2024-06-01', 'ANCIEN-2024-0042', expect.any(String)],
        account: [null, 'FR1420041010050500013M02606', 'Paul Martin'],
      },
      expect.objectContaining({ amount: '18.00', debit: expect.arrayContaining(['03', '18.00']) }),
    ]);
    // The family's list says which invoices the Trésorerie now recovers; the payment screen says it too.
    expect(
      (await t.call('billing.listInvoices', { householdId: t.householdId })).invoices.map(
        (i) => i.titreExport,
      ),
    ).toEqual([done.number]);
    expect(
      (await t.call('payment.proposeAllocation', { householdId: t.householdId, amountCents: 4500 }))
        .openInvoices[0]?.titreExport,
    ).toBe(done.number);
  });

  it('counts a debit sent through the Trésorerie: the mandate’s next debit is recurrent', async () => {
    const { t } = await ormcTown();
    await t.call('pes.export', { asOf: '2026-10-06', collectionDate: '2026-10-10' });
    await t.as('agent');
    await t.invoice([draftLine('canteen', 450, 4)]); // Lefèvre's next invoice
    t.at('2026-11-02T09:00:00+01:00');
    await t.as('regisseur');
    const next = await t.call('pes.preview', { asOf: '2026-11-02', collectionDate: '2026-11-10' });
    expect(next.debtors.map((d) => [d.householdName, d.invoices.map((i) => i.debit?.sequence)])).toEqual([
      ['Lefèvre', ['RCUR']],
    ]);
  });

  it('produces no pain.008 through the Trésorerie, and never debits an invoice the Trésorerie collects', async () => {
    const { t, invoices } = await ormcTown();
    const refused = await t.invoke('directDebit.createFile', {
      month: '2026-09',
      collectionDate: '2026-10-10',
    });
    expect(refused.ok || refused.error.message).toMatch(/par la Trésorerie \(ORMC\)/);
    expect(await countRows(t.core, 'direct_debit_files')).toBe(0);

    await t.call('pes.export', { asOf: '2026-10-06', collectionDate: '2026-10-10' });
    // Back to the bank: what the Trésorerie took is left out of the régie's file, with the reason.
    await t.as('admin');
    await t.call('directDebit.saveSettings', { ...CREDITOR, channel: 'bank' });
    await t.as('regisseur');
    const preview = await t.call('directDebit.preview', { month: '2026-09', collectionDate: '2026-10-10' });
    expect(preview.debits).toEqual([]);
    expect(preview.excluded.map((e) => e.invoiceId).sort()).toEqual(
      [invoices.a.invoiceId, invoices.b.invoiceId, invoices.c.invoiceId].sort(),
    );
    expect(
      t.core.raw
        .prepare(
          `SELECT count(*) AS n FROM direct_debits d JOIN titre_export_invoices x ON x.invoice_id = d.invoice_id`,
        )
        .get(),
    ).toEqual({ n: 0 });
  });

  it('carries no debit in the export where the régie’s bank collects', async () => {
    const { t } = await ormcTown();
    await t.as('admin');
    await t.call('directDebit.saveSettings', { ...CREDITOR, channel: 'bank' });
    await t.as('regisseur');
    const preview = await t.call('pes.preview', { asOf: '2026-10-06', collectionDate: '2026-10-10' });
    expect(preview.collectionDate).toBeNull();
    // The same invoices, past due, leave as plain titres: the régie's own file debits the mandate families.
    expect(preview.debtors.map((d) => [d.householdName, d.invoices.map((i) => i.debit)])).toEqual([
      ['Lefèvre', [null]],
      ['Martin', [null, null]],
    ]);
  });
});
