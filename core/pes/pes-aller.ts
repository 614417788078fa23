import { sepaText } from '../directdebit/sepa-rules.ts';
import { decimalAmount, el, writeXml, type XmlElement } from '../xml/write.ts';

/*
 * The export of titres de recettes to the public accountant in the DGFiP's PES V2 format (« PES_Aller »), Recette
 * part, as the ORMC bordereau (Ordre de Recette Multi-Créanciers, TypFic PESORMC, TypBord 06): one bordereau per
 * export, one pièce per debtor (a debtor's debts grouped, REGIE.md §2), one ligne de pièce per invoice with its
 * reference, its amount and its object, the debtor (tiers) with its identity and address. Every value sits in a
 * `V` attribute, as PES V2 writes them. The layout follows the PES V2 Recette documentation as Noethys implements
 * it (ANCHORS.md); the DGFiP's XSD was not reachable here, so tests check the structure, not a schema.
 */

export const PES_NAMESPACES = {
  'xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance',
  'xmlns:n': 'http://www.minefi.gouv.fr/cp/helios/pes_v2/Rev0/aller',
  'xmlns:reca': 'http://www.minefi.gouv.fr/cp/helios/pes_v2/recette/r0/aller',
  'xmlns:cm': 'http://www.minefi.gouv.fr/cp/helios/pes_v2/commun',
} as const;

export interface PesTown {
  /** Poste comptable (IdPost, 7 characters), the Trésorerie's code. */
  postId: string;
  /** The town's SIRET (IdColl, 14 digits). */
  siret: string;
  /** Code collectivité (CodCol, 3 characters) and budget (CodBud), as the Trésorerie gives them. */
  collectivityCode: string;
  budgetCode: string;
  /** Code produit local (CodProdLoc, 4 characters) and the revenue's accounting nature (Nature, e.g. 7067). */
  productCode: string;
  nature: string;
}

/** The SEPA debit a line carries when the Trésorerie collects the town's debits (ORMC). */
export interface PesDebit {
  collectionDate: string;
  sequence: 'FRST' | 'RCUR';
  rum: string;
  signedOn: string;
  label: string;
  /** The debtor's account, from the mandate. */
  iban: string;
  bic: string | null;
  holder: string;
}

export interface PesLine {
  invoiceNumber: string;
  object: string;
  amountCents: number;
  debit?: PesDebit | null;
}

export interface PesPiece {
  number: number;
  object: string;
  civility: string | null;
  lastName: string;
  firstName: string | null;
  street: string;
  postalCode: string;
  city: string;
  lines: readonly PesLine[];
}

export interface PesExport {
  fileName: string;
  /** The export's date (DteStr, DteBordEm) and when it is sent (DteAsp). */
  date: string;
  year: number;
  /** The bordereau's number in the year (IdBord, 7 digits at most). */
  bordereau: number;
  object: string;
  town: PesTown;
  pieces: readonly PesPiece[];
}

const v = (name: string, value: string | number): XmlElement => el(name, null, { V: String(value) });
const cut = (text: string, max: number) => text.replace(/\s+/g, ' ').trim().slice(0, max);
const pieceCents = (p: PesPiece) => p.lines.reduce((s, l) => s + l.amountCents, 0);

/** PES V2 writes « M. » as « Mr » and has no « Mlle ». */
const civility = (c: string | null) => (c === 'M.' ? 'Mr' : c === 'Mlle' ? 'Mme' : c);

/** SequencePres: 02 a first debit on the mandate (FRST), 03 a recurrent one (RCUR). */
export const SEQUENCE_CODES = { FRST: '02', RCUR: '03' } as const;

function debitInfo(d: PesDebit, amountCents: number): XmlElement {
  return el('InfoPrelevementSEPA', [
    // 01: a SEPA debit; 07: a debit of its own for this titre (not a schedule of instalments).
    v('NatPrel', '01'),
    v('PerPrel', '07'),
    v('DtePrel', d.collectionDate),
    v('MtPrel', decimalAmount(amountCents)),
    v('SequencePres', SEQUENCE_CODES[d.sequence]),
    v('DateSignMandat', d.signedOn),
    v('RefUniMdt', d.rum),
    v('LibPrel', sepaText(d.label, 140)),
  ]);
}

function piece(p: PesPiece, e: PesExport): XmlElement {
  return el('Piece', [
    el('BlocPiece', [
      v('IdPce', p.number),
      // 15: a pièce of an ORMC bordereau; 01: an ordinary revenue.
      v('TypPce', '15'),
      v('NatPce', '01'),
      v('ObjPce', cut(p.object, 160)),
      v(
        'NumDette',
        cut(p.lines.length === 1 ? (p.lines[0]?.invoiceNumber ?? '') : `${e.year}-${p.number}`, 15),
      ),
      v('Per', Number(e.date.slice(5, 7))),
      p.lines.length === 1 ? v('NumeroFacture', cut(p.lines[0]?.invoiceNumber ?? '', 20)) : null,
    ]),
    ...p.lines.map((l, i) =>
      el('LigneDePiece', [
        el('BlocLignePiece', [
          el('InfoLignePiece', [
            v('IdLigne', i + 1),
            v('ObjLignePce', cut(`${l.invoiceNumber} ${l.object}`, 160)),
            v('CodProdLoc', cut(e.town.productCode, 4)),
            v('Nature', e.town.nature),
            v('Majo', '0'),
            v('TvaIntraCom', '0'),
            v('MtHT', decimalAmount(l.amountCents)),
          ]),
          l.debit ? debitInfo(l.debit, l.amountCents) : null,
        ]),
        el('Tiers', [
          el('InfoTiers', [
            // A private person (catégorie 01, nature juridique 01), the debtor (type 01).
            v('CatTiers', '01'),
            v('NatJur', '01'),
            v('TypTiers', '01'),
            p.civility ? v('Civilite', cut(civility(p.civility) ?? '', 10)) : null,
            v('Nom', cut(p.lastName, 38)),
            p.firstName ? v('Prenom', cut(p.firstName, 38)) : null,
          ]),
          el('Adresse', [
            v('TypAdr', '1'),
            v('Adr2', cut(p.street, 38)),
            v('CP', cut(p.postalCode, 5)),
            v('Ville', cut(p.city, 38)),
            v('CodRes', '0'),
          ]),
          l.debit
            ? el('CpteBancaire', [
                l.debit.bic ? v('BIC', l.debit.bic) : null,
                v('IBAN', l.debit.iban),
                v('TitCpte', sepaText(l.debit.holder, 32)),
              ])
            : null,
        ]),
      ]),
    ),
  ]);
}

export function pesAllerXml(e: PesExport): string {
  const total = e.pieces.reduce((s, p) => s + pieceCents(p), 0);
  return writeXml(
    el(
      'n:PES_Aller',
      [
        el('Enveloppe', [
          el('Parametres', [v('Version', '2'), v('TypFic', 'PESORMC'), v('NomFic', cut(e.fileName, 100))]),
          el('Emetteur', [v('Sigle', 'Guichet Famille'), v('Adresse', 'Guichet Famille')]),
        ]),
        el('EnTetePES', [
          v('DteStr', e.date),
          v('IdPost', cut(e.town.postId, 7)),
          v('IdColl', cut(e.town.siret, 14)),
          v('CodCol', cut(e.town.collectivityCode, 3)),
          v('CodBud', cut(e.town.budgetCode, 10)),
        ]),
        el('PES_RecetteAller', [
          el('EnTeteRecette', [v('IdVer', '2'), v('InfoDematerialisee', '0')]),
          el('Bordereau', [
            el('BlocBordereau', [
              v('Exer', e.year),
              v('IdBord', e.bordereau),
              v('DteBordEm', e.date),
              v('TypBord', '06'),
              v('NbrPce', e.pieces.length),
              v('MtBordHt', decimalAmount(total)),
              v('DteAsp', e.date),
              v('Objet', cut(e.object, 160)),
            ]),
            ...e.pieces.map((p) => piece(p, e)),
          ]),
        ]),
      ],
      PES_NAMESPACES,
    ),
  );
}
