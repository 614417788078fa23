import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { draftLine, payTown, type PayTown } from '../payments/fixtures.ts';
import { countRows, LEFEVRE } from '../test/fixtures.ts';
import { readXml, schemaProblems } from '../test/xml.ts';

/**
 * Direct debits end to end through the operations: mandates checked as the counter types them, the month's file as
 * the bank reads it (the pain.008.001.02 schema, counts and control sums, one block per sequence type), the invoices
 * it settles, and a debit the bank returns.
 */

const XSD = fileURLToPath(new URL('./testdata/pain.008.001.02.xsd', import.meta.url));
const NS = { p: 'urn:iso:std:iso:20022:tech:xsd:pain.008.001.02' };

/** FR72ZZZ123456 is the specimen creditor identifier of the French banks' guides. */
const CREDITOR = {
  name: 'Régie enfance de Saint-Exemple',
  ics: 'FR72 ZZZ 123456',
  iban: 'FR76 3000 6000 0112 3456 7890 189',
  bic: 'BDFEFRPPCCT',
  collectionDay: 10,
};

async function townWithMandates() {
  const t = await payTown('2026-10-05T09:00:00+02:00');
  await t.call('directDebit.saveSettings', CREDITOR);
  const martin = await t.call('family.createHousehold', { ...LEFEVRE, name: 'Martin', children: [] });
  // Lefèvre signed this autumn (first debit to come); Martin's mandate served before the software (recurrent).
  const lefevre = await t.call('directDebit.createMandate', {
    householdId: t.householdId,
    debtorName: 'Sophie Lefèvre',
    iban: 'fr76 3000 6000 0112 3456 7890 189',
    bic: 'bnpa frpp xxx',
    signedOn: '2026-09-20',
  });
  const martinMandate = await t.call('directDebit.createMandate', {
    householdId: martin.householdId,
    rum: 'ANCIEN-2024-0042',
    debtorName: 'Paul Martin',
    iban: 'FR1420041010050500013M02606',
    signedOn: '2024-06-01',
    firstSequence: 'RCUR',
  });
  const a = await t.invoice([draftLine('canteen', 450, 10)]); // 45,00 €
  const b = await t.invoice([draftLine('care', 210, 5)], martin.householdId); // 10,50 €
  const c = await t.invoice([draftLine('alsh', 900, 2)], martin.householdId); // 18,00 €
  return { t, martin: martin.householdId, lefevre, martinMandate, invoices: { a, b, c } };
}

const remaining = async (t: PayTown, householdId: string) =>
  (await t.call('billing.listInvoices', { householdId })).invoices.map((i) => [i.number, i.remainingCents]);

const pmtInfs = (xml: string) =>
  readXml(xml, (root) => {
    const text = (path: string) => root.get(path, NS)?.content ?? null;
    return {
      nbOfTxs: text('/p:Document/p:CstmrDrctDbtInitn/p:GrpHdr/p:NbOfTxs'),
      ctrlSum: text('/p:Document/p:CstmrDrctDbtInitn/p:GrpHdr/p:CtrlSum'),
      blocks: root.find('/p:Document/p:CstmrDrctDbtInitn/p:PmtInf', NS).map((b) => ({
        seqTp: b.get('p:PmtTpInf/p:SeqTp', NS)?.content,
        nbOfTxs: b.get('p:NbOfTxs', NS)?.content,
        ctrlSum: b.get('p:CtrlSum', NS)?.content,
        date: b.get('p:ReqdColltnDt', NS)?.content,
        ics: b.get('p:CdtrSchmeId/p:Id/p:PrvtId/p:Othr/p:Id', NS)?.content,
        amounts: b.find('p:DrctDbtTxInf/p:InstdAmt', NS).map((n) => n.content),
        rums: b.find('p:DrctDbtTxInf/p:DrctDbtTx/p:MndtRltdInf/p:MndtId', NS).map((n) => n.content),
        debtors: b.find('p:DrctDbtTxInf/p:Dbtr/p:Nm', NS).map((n) => n.content),
      })),
    };
  });

describe('mandates', () => {
  it('refuses a mistyped IBAN or BIC with a French message naming the field, and writes nothing', async () => {
    const t = await payTown();
    const base = { householdId: t.householdId, debtorName: 'Sophie Lefèvre', signedOn: '2026-09-20' };
    const wrongKey = await t.invoke('directDebit.createMandate', {
      ...base,
      iban: 'FR76 3000 6000 0112 3456 7890 188',
    });
    expect(wrongKey.ok || wrongKey.error).toMatchObject({
      field: 'iban',
      message: expect.stringContaining('clé de contrôle'),
    });
    const notSepa = await t.invoke('directDebit.createMandate', { ...base, iban: 'US12 3456' });
    expect(notSepa.ok || notSepa.error).toMatchObject({
      field: 'iban',
      message: expect.stringMatching(/IBAN invalide/),
    });
    const badBic = await t.invoke('directDebit.createMandate', {
      ...base,
      iban: 'FR7630006000011234567890189',
      bic: 'BNP',
    });
    expect(badBic.ok || badBic.error).toMatchObject({
      field: 'bic',
      message: expect.stringContaining('BIC invalide'),
    });
    const badIcs = await t.invoke('directDebit.saveSettings', { ...CREDITOR, ics: 'FR73ZZZ123456' });
    expect(badIcs.ok || badIcs.error).toMatchObject({
      field: 'ics',
      message: expect.stringContaining('clé de contrôle'),
    });
    expect(await countRows(t.core, 'sepa_mandates')).toBe(0);
  });

  it('keeps a RUM unique for the town and one mandate in force per family', async () => {
    const { t, martin } = await townWithMandates();
    const again = await t.invoke('directDebit.createMandate', {
      householdId: martin,
      rum: 'AUTRE',
      debtorName: 'Paul Martin',
      iban: 'FR1420041010050500013M02606',
      signedOn: '2026-10-01',
    });
    expect(again.ok || again.error.message).toMatch(/déjà un mandat en vigueur/);
    const [m] = await t.call('directDebit.mandates', { householdId: martin });
    await t.call('directDebit.revokeMandate', {
      mandateId: m!.id,
      revokedOn: '2026-10-02',
      reason: 'Changement de banque',
    });
    const sameRum = await t.invoke('directDebit.createMandate', {
      householdId: martin,
      rum: 'ANCIEN-2024-0042',
      debtorName: 'Paul Martin',
      iban: 'FR1420041010050500013M02606',
      signedOn: '2026-10-02',
    });
    expect(sameRum.ok || sameRum.error).toMatchObject({
      field: 'rum',
      message: expect.stringContaining('unique'),
    });
  });
});

describe('the month’s direct-debit file', () => {
  it('is valid pain.008.001.02, with counts, control sums and one block per sequence type', async () => {
    const { t, martin } = await townWithMandates();
    await t.as('regisseur');
    const preview = await t.call('directDebit.preview', { month: '2026-09', collectionDate: '2026-10-10' });
    expect(preview.totals).toEqual({ count: 3, totalCents: 4500 + 1050 + 1800, frst: 1, rcur: 2 });

    const file = await t.call('directDebit.createFile', { month: '2026-09', collectionDate: '2026-10-10' });
    expect(file).toMatchObject({ number: 'PRL-2026-000001', debitCount: 3, totalCents: 7350 });
    const { text, fileName } = await t.call('directDebit.fileXml', { fileId: file.id });
    expect(fileName).toBe('prelevement-PRL-2026-000001.xml');
    expect(schemaProblems(text, XSD)).toEqual([]);

    const read = pmtInfs(text);
    expect(read.nbOfTxs).toBe('3');
    expect(read.ctrlSum).toBe('73.50');
    expect(read.blocks).toEqual([
      {
        seqTp: 'FRST',
        nbOfTxs: '1',
        ctrlSum: '45.00',
        date: '2026-10-10',
        ics: 'FR72ZZZ123456',
        amounts: ['45.00'],
        rums: [expect.stringMatching(/^GF-20260920-/)],
        debtors: ['Sophie Lefevre'],
      },
      {
        seqTp: 'RCUR',
        nbOfTxs: '2',
        ctrlSum: '28.50',
        date: '2026-10-10',
        ics: 'FR72ZZZ123456',
        amounts: ['10.50', '18.00'],
        rums: ['ANCIEN-2024-0042', 'ANCIEN-2024-0042'],
        debtors: ['Paul Martin', 'Paul Martin'],
      },
    ]);

    // Every debited invoice is settled by a payment « prélèvement », and a second file finds nothing left.
    expect(await remaining(t, t.householdId)).toEqual([['FAC-2026-000001', 0]]);
    expect((await remaining(t, martin)).sort()).toEqual([
      ['FAC-2026-000002', 0],
      ['FAC-2026-000003', 0],
    ]);
    expect(t.core.raw.prepare(`SELECT DISTINCT mode FROM payments`).all()).toEqual([
      { mode: 'direct_debit' },
    ]);
    const second = await t.invoke('directDebit.createFile', {
      month: '2026-09',
      collectionDate: '2026-10-10',
    });
    expect(second.ok || second.error.message).toMatch(/Aucune facture de septembre 2026 à prélever/);
    expect(
      (await t.call('directDebit.files', {})).map((f) => [f.number, f.debitCount, f.totalCents]),
    ).toEqual([['PRL-2026-000001', 3, 7350]]);
    // After a first debit went through, the mandate's next one is recurrent.
    const [m] = await t.call('directDebit.mandates', { householdId: t.householdId });
    expect(m?.nextSequence).toBe('RCUR');
    expect((await t.call('regie.verifyJournal', {})).firstProblem).toBeNull();
  });

  it('refuses a collection date the bank cannot meet, writing nothing', async () => {
    const { t } = await townWithMandates();
    await t.as('regisseur');
    const tooSoon = await t.invoke('directDebit.createFile', {
      month: '2026-09',
      collectionDate: '2026-10-06',
    });
    expect(tooSoon.ok || tooSoon.error).toMatchObject({
      field: 'collectionDate',
      message: expect.stringContaining('à partir du 7 octobre 2026'),
    });
    expect(await countRows(t.core, 'direct_debit_files')).toBe(0);
    expect(await countRows(t.core, 'payments')).toBe(0);
  });

  it('is never taken by the payment form', async () => {
    const { t } = await townWithMandates();
    await t.as('regisseur');
    await t.call('regie.openSession', { floatCents: 0 });
    const r = await t.invoke('payment.record', {
      householdId: t.householdId,
      mode: 'direct_debit',
      amountCents: 4500,
    });
    expect(r.ok || r.error.message).toMatch(/fichier de prélèvement/);
    expect((await t.call('payment.settings', {})).modes.map((m) => m.mode)).not.toContain('direct_debit');
  });
});

describe('a debit the bank returns', () => {
  it('reverses its payment with the reason, makes the invoice due again, and the next debit a first one', async () => {
    const { t } = await townWithMandates();
    await t.as('regisseur');
    const file = await t.call('directDebit.createFile', { month: '2026-09', collectionDate: '2026-10-10' });
    const detail = await t.call('directDebit.file', { fileId: file.id });
    const lefevre = detail.debits.find((d) => d.householdName === 'Lefèvre');
    expect(lefevre).toMatchObject({ sequence: 'FRST', amountCents: 4500, rejected: false });

    t.at('2026-10-14T09:00:00+02:00');
    const future = await t.invoke('directDebit.reject', {
      debitId: lefevre!.id,
      reasonCode: 'AM04',
      returnedOn: '2026-10-15',
    });
    expect(future.ok || future.error).toMatchObject({ field: 'returnedOn' });
    const r = await t.call('directDebit.reject', {
      debitId: lefevre!.id,
      reasonCode: 'AM04',
      returnedOn: '2026-10-13',
    });
    expect(r).toMatchObject({ reason: 'Provision insuffisante', dueCents: 4500, nextSequence: 'FRST' });
    expect(await remaining(t, t.householdId)).toEqual([['FAC-2026-000001', 4500]]);
    const reversal = t.core.raw.prepare(`SELECT reason FROM payment_reversals`).get() as { reason: string };
    expect(reversal.reason).toMatch(/AM04 — Provision insuffisante.*PRL-2026-000001/);

    const twice = await t.invoke('directDebit.reject', {
      debitId: lefevre!.id,
      reasonCode: 'MD01',
      returnedOn: '2026-10-13',
    });
    expect(twice.ok || twice.error.message).toMatch(/déjà enregistré comme rejeté \(AM04\)/);
    const listed = await t.call('directDebit.files', {});
    expect(listed[0]).toMatchObject({ rejectedCount: 1, rejectedCents: 4500 });

    // The next month's file takes the invoice again, as a first debit of the mandate.
    const next = await t.call('directDebit.preview', { month: '2026-09', collectionDate: '2026-11-10' });
    expect(next.debits.map((d) => [d.householdName, d.amountCents, d.sequence])).toEqual([
      ['Lefèvre', 4500, 'FRST'],
    ]);
    expect((await t.call('regie.verifyJournal', {})).firstProblem).toBeNull();
  });

  it('refuses an unknown reason code with a French message', async () => {
    const { t } = await townWithMandates();
    await t.as('regisseur');
    const file = await t.call('directDebit.createFile', { month: '2026-09', collectionDate: '2026-10-10' });
    const [d] = (await t.call('directDebit.file', { fileId: file.id })).debits;
    const r = await t.invoke('directDebit.reject', {
      debitId: d!.id,
      reasonCode: 'ZZ99' as 'AM04',
      returnedOn: '2026-10-05',
    });
    expect(r.ok || r.error).toMatchObject({
      field: 'reasonCode',
      message: expect.stringContaining('motif de rejet inconnu'),
    });
    expect(await countRows(t.core, 'direct_debit_rejections')).toBe(0);
  });
});
