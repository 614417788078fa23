import { describe, expect, it } from 'vitest';
import { draftLine, payTown } from '../payments/fixtures.ts';
import { countRows, LEFEVRE } from '../test/fixtures.ts';
import { readXml } from '../test/xml.ts';

/**
 * The export of unpaid invoices to the Trésorerie (PES V2 Recette, ORMC bordereau), read back as the Trésorerie's
 * software would read its structure: the DGFiP's XSD was not available, so the tests check the documented
 * structure (enveloppe, en-tête, bordereau with its count and total, one pièce per debtor, one line per invoice,
 * the debtor's identity and address), the recovery minimum, and that an invoice never leaves twice.
 */

const NS = { n: 'http://www.minefi.gouv.fr/cp/helios/pes_v2/Rev0/aller' };
const TRESORERIE = {
  postId: '0450000',
  siret: '214 502 348 00015',
  collectivityCode: '123',
  budgetCode: '01',
  productCode: 'ENF1',
  nature: '7067',
  minimumCents: 1500,
};

async function townWithDebts() {
  const t = await payTown('2026-10-05T09:00:00+02:00');
  await t.call('pes.saveSettings', TRESORERIE);
  const martin = await t.call('family.createHousehold', { ...LEFEVRE, name: 'Martin', children: [] });
  const bernard = await t.call('family.createHousehold', {
    ...LEFEVRE,
    name: 'Bernard',
    addressLine1: '3 place du Martroi',
    postalCode: '45100',
    guardians: [{ rank: 1, civility: 'M.', lastName: 'Bernard', firstName: 'Luc', relationship: 'père' }],
    children: [],
  });
  await t.invoice([draftLine('canteen', 450, 10)]); // Lefèvre 45,00 €
  await t.invoice([draftLine('care', 200, 5)]); // Lefèvre 10,00 €
  await t.invoice([draftLine('care', 210, 5)], martin.householdId); // Martin 10,50 €: under 15 €
  await t.invoice([draftLine('alsh', 1000, 2)], bernard.householdId); // Bernard 20,00 €
  t.at('2026-11-20T09:00:00+02:00');
  await t.as('regisseur');
  return { t, martin: martin.householdId };
}

const read = (xml: string) =>
  readXml(xml, (root) => {
    const v = (path: string, at = root) => at.get(`${path}/@V`, NS)?.content ?? null;
    const bordereau = '/n:PES_Aller/PES_RecetteAller/Bordereau';
    return {
      typFic: v('/n:PES_Aller/Enveloppe/Parametres/TypFic'),
      idPost: v('/n:PES_Aller/EnTetePES/IdPost'),
      idColl: v('/n:PES_Aller/EnTetePES/IdColl'),
      typBord: v(`${bordereau}/BlocBordereau/TypBord`),
      nbrPce: v(`${bordereau}/BlocBordereau/NbrPce`),
      total: v(`${bordereau}/BlocBordereau/MtBordHt`),
      pieces: root.find(`${bordereau}/Piece`, NS).map((p) => ({
        id: v('BlocPiece/IdPce', p),
        lines: p.find('LigneDePiece', NS).map((l) => ({
          object: v('BlocLignePiece/InfoLignePiece/ObjLignePce', l),
          amount: v('BlocLignePiece/InfoLignePiece/MtHT', l),
          nature: v('BlocLignePiece/InfoLignePiece/Nature', l),
          debtor: [
            v('Tiers/InfoTiers/Civilite', l),
            v('Tiers/InfoTiers/Nom', l),
            v('Tiers/InfoTiers/Prenom', l),
          ],
          address: [v('Tiers/Adresse/Adr2', l), v('Tiers/Adresse/CP', l), v('Tiers/Adresse/Ville', l)],
        })),
      })),
    };
  });

describe('titres de recettes to the Trésorerie (PES V2)', () => {
  it('groups a debtor’s unpaid invoices in one pièce, holds back debtors under the minimum, totals the bordereau', async () => {
    const { t } = await townWithDebts();
    const preview = await t.call('pes.preview', { asOf: '2026-11-20' });
    expect(preview.debtors.map((d) => [d.householdName, d.totalCents, d.invoices.length])).toEqual([
      ['Bernard', 2000, 1],
      ['Lefèvre', 5500, 2],
    ]);
    expect(preview.belowMinimum.map((d) => [d.householdName, d.totalCents])).toEqual([['Martin', 1050]]);

    const done = await t.call('pes.export', { asOf: '2026-11-20' });
    expect(done).toMatchObject({
      number: 'PES-2026-000001',
      pieceCount: 2,
      invoiceCount: 3,
      totalCents: 7500,
    });
    const { text, fileName } = await t.call('pes.exportXml', { exportId: done.id });
    expect(fileName).toBe('titres-PES-2026-000001.xml');
    expect(read(text)).toEqual({
      typFic: 'PESORMC',
      idPost: '0450000',
      idColl: '21450234800015',
      typBord: '06',
      nbrPce: '2',
      total: '75.00',
      pieces: [
        {
          id: '1',
          lines: [
            {
              object: expect.stringMatching(
                /^FAC-2026-000004 Services périscolaires et de loisirs, septembre 2026/,
              ),
              amount: '20.00',
              nature: '7067',
              debtor: ['Mr', 'Bernard', 'Luc'],
              address: ['3 place du Martroi', '45100', 'Orléans'],
            },
          ],
        },
        {
          id: '2',
          lines: [
            expect.objectContaining({ amount: '45.00', debtor: ['Mme', 'Lefèvre', 'Sophie'] }),
            expect.objectContaining({ amount: '10.00', debtor: ['Mme', 'Lefèvre', 'Sophie'] }),
          ],
        },
      ],
    });
    expect((await t.call('pes.exports', {})).map((e) => [e.number, e.invoiceCount, e.totalCents])).toEqual([
      ['PES-2026-000001', 3, 7500],
    ]);
    expect((await t.call('regie.verifyJournal', {})).firstProblem).toBeNull();
  });

  it('never exports an invoice twice; a debtor held back joins a later export once over the minimum', async () => {
    const { t, martin } = await townWithDebts();
    await t.call('pes.export', { asOf: '2026-11-20' });
    const again = await t.invoke('pes.export', { asOf: '2026-11-20' });
    expect(again.ok || again.error.message).toMatch(/Aucune facture à transmettre/);
    expect(await countRows(t.core, 'titre_exports')).toBe(1);

    await t.invoice([draftLine('canteen', 300, 2)], martin); // Martin now owes 10,50 + 6,00 = 16,50 €
    t.at('2026-11-21T09:00:00+02:00');
    const second = await t.call('pes.export', { asOf: '2026-11-21' });
    expect(second).toMatchObject({
      number: 'PES-2026-000002',
      pieceCount: 1,
      invoiceCount: 2,
      totalCents: 1650,
    });
    expect(
      t.core.raw
        .prepare(`SELECT count(*) AS n, count(DISTINCT invoice_id) AS d FROM titre_export_invoices`)
        .get(),
    ).toEqual({
      n: 5,
      d: 5,
    });
    expect(() => t.core.raw.prepare(`DELETE FROM titre_export_invoices`).run()).toThrow(
      /ne se modifie ni ne se supprime/,
    );
  });

  it('refuses settings the Trésorerie would not recognise, in French, naming the field', async () => {
    const { t } = await townWithDebts();
    await t.as('admin');
    const r = await t.invoke('pes.saveSettings', { ...TRESORERIE, siret: '123', postId: '45' });
    expect(r.ok || r.error.fields?.map((f) => [f.field, f.message])).toEqual([
      ['postId', 'Code du poste comptable : 6 ou 7 chiffres.'],
      ['siret', 'SIRET : 14 chiffres.'],
    ]);
  });
});
