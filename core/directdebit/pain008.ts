import { decimalAmount, el, writeXml, type XmlElement } from '../xml/write.ts';
import { sepaText, type Sequence } from './sepa-rules.ts';

/*
 * The direct-debit file as the bank takes it: ISO 20022 `pain.008.001.02` (CustomerDirectDebitInitiationV02), the
 * version the EPC SDD Core implementation guidelines describe and that French banks and the DGFiP accept, laid out
 * as those guidelines ask: one group header with the count and control sum of the whole file, then one payment
 * information block per sequence type (a bank refuses FRST and RCUR debits mixed in one block), each with its own
 * count and control sum, the creditor and its identifier (ICS), then the debits with their mandate.
 */

export interface Pain008Debit {
  /** Our reference of the debit, returned by the bank with a rejection: 35 characters at most. */
  endToEndId: string;
  amountCents: number;
  sequence: Sequence;
  rum: string;
  signedOn: string;
  debtorName: string;
  iban: string;
  bic: string | null;
  /** What the family reads on its bank statement: the invoice it pays. */
  remittance: string;
}

export interface Pain008 {
  messageId: string;
  /** The town's wall time the file was made: 'YYYY-MM-DDTHH:MM:SS'. */
  createdAt: string;
  collectionDate: string;
  creditor: { name: string; iban: string; bic: string | null; ics: string };
  debits: readonly Pain008Debit[];
}

export const PAIN_008_NAMESPACE = 'urn:iso:std:iso:20022:tech:xsd:pain.008.001.02';

/** The order blocks are written in: first debits, then recurrent ones. */
export const SEQUENCES: readonly Sequence[] = ['FRST', 'RCUR'];

const sum = (debits: readonly Pain008Debit[]) => debits.reduce((s, d) => s + d.amountCents, 0);

/** A bank's identifier, or « NOTPROVIDED » when the mandate gave only an IBAN (allowed since the IBAN-only rule). */
const agent = (bic: string | null): XmlElement =>
  el('FinInstnId', bic ? [el('BIC', bic)] : [el('Othr', [el('Id', 'NOTPROVIDED')])]);

function transaction(d: Pain008Debit): XmlElement {
  return el('DrctDbtTxInf', [
    el('PmtId', [el('EndToEndId', d.endToEndId)]),
    el('InstdAmt', decimalAmount(d.amountCents), { Ccy: 'EUR' }),
    el('DrctDbtTx', [el('MndtRltdInf', [el('MndtId', d.rum), el('DtOfSgntr', d.signedOn)])]),
    el('DbtrAgt', [agent(d.bic)]),
    el('Dbtr', [el('Nm', sepaText(d.debtorName, 70))]),
    el('DbtrAcct', [el('Id', [el('IBAN', d.iban)])]),
    el('RmtInf', [el('Ustrd', sepaText(d.remittance, 140))]),
  ]);
}

/** The XML of the file; its blocks, counts and sums are read back from it by the tests as a bank would. */
export function pain008Xml(file: Pain008): string {
  const creditorName = sepaText(file.creditor.name, 70);
  const blocks = SEQUENCES.map((sequence) => ({
    sequence,
    debits: file.debits.filter((d) => d.sequence === sequence),
  })).filter((b) => b.debits.length > 0);
  return writeXml(
    el(
      'Document',
      [
        el('CstmrDrctDbtInitn', [
          el('GrpHdr', [
            el('MsgId', file.messageId),
            el('CreDtTm', file.createdAt),
            el('NbOfTxs', String(file.debits.length)),
            el('CtrlSum', decimalAmount(sum(file.debits))),
            el('InitgPty', [el('Nm', creditorName)]),
          ]),
          ...blocks.map((b) =>
            el('PmtInf', [
              el('PmtInfId', `${file.messageId}-${b.sequence}`),
              el('PmtMtd', 'DD'),
              el('BtchBookg', 'true'),
              el('NbOfTxs', String(b.debits.length)),
              el('CtrlSum', decimalAmount(sum(b.debits))),
              el('PmtTpInf', [
                el('SvcLvl', [el('Cd', 'SEPA')]),
                el('LclInstrm', [el('Cd', 'CORE')]),
                el('SeqTp', b.sequence),
              ]),
              el('ReqdColltnDt', file.collectionDate),
              el('Cdtr', [el('Nm', creditorName)]),
              el('CdtrAcct', [el('Id', [el('IBAN', file.creditor.iban)])]),
              el('CdtrAgt', [agent(file.creditor.bic)]),
              el('ChrgBr', 'SLEV'),
              el('CdtrSchmeId', [
                el('Id', [
                  el('PrvtId', [
                    el('Othr', [el('Id', file.creditor.ics), el('SchmeNm', [el('Prtry', 'SEPA')])]),
                  ]),
                ]),
              ]),
              ...b.debits.map(transaction),
            ]),
          ),
        ]),
      ],
      { xmlns: PAIN_008_NAMESPACE, 'xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance' },
    ),
  );
}
