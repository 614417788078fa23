import type { OutputOf } from '../../../core/contract.ts';
import { formatShortDate } from '../../../shared/dates.ts';

export type Unpaid = OutputOf<'billing.unpaid'>;

/** « 1234,50 »: the comptable's spreadsheet reads a French decimal, without a currency sign or grouping. */
const amount = (cents: number) =>
  `${cents < 0 ? '-' : ''}${Math.trunc(Math.abs(cents) / 100)},${String(Math.abs(cents) % 100).padStart(2, '0')}`;

const cell = (value: string | number) => {
  const text = String(value);
  return /[";\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

const HEADER = [
  'Débiteur (foyer)',
  'Payeur',
  'Adresse du payeur',
  'Facture',
  'Émise le',
  'Échéance',
  'Jours de retard',
  'Montant facturé',
  'Avoirs',
  'Payé',
  'Reste dû',
  'Sous le seuil de recouvrement',
  'Total dû par le débiteur',
  'Débiteur sous le seuil',
];

/**
 * The unpaid invoices as the public accountant takes them in (titre de recettes): one line per invoice with its
 * debtor's total beside it, « ; » between columns, French decimals, a BOM so that a spreadsheet reads the accents.
 */
export function unpaidCsv(data: Unpaid): string {
  const debtors = new Map(data.debtors.map((d) => [d.householdId, d]));
  const rows = data.invoices.map((i) => {
    const debtor = debtors.get(i.householdId);
    return [
      i.householdName,
      i.payerName,
      i.payerAddress.replace(/\s*\n\s*/g, ', '),
      i.number,
      formatShortDate(i.issueDate),
      formatShortDate(i.dueDate),
      i.daysLate,
      amount(i.totalCents),
      amount(i.creditedCents),
      amount(i.paidCents),
      amount(i.remainingCents),
      i.belowMinimum ? 'oui' : 'non',
      debtor ? amount(debtor.remainingCents) : '',
      debtor?.belowMinimum ? 'oui' : 'non',
    ];
  });
  return `\uFEFF${[HEADER, ...rows].map((r) => r.map(cell).join(';')).join('\r\n')}\r\n`;
}

/** Hands a text file to the browser's downloads, as a link with `download` would. */
export function download(text: string, fileName: string, type = 'text/csv;charset=utf-8'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
