import type { OutputOf } from '../../../core/contract.ts';
import { formatDates, formatMonth } from '../../../shared/dates.ts';

export type InvoiceSummary = OutputOf<'billing.listInvoices'>['invoices'][number];
export type InvoiceDetail = OutputOf<'billing.getInvoice'>;
export type InvoiceLine = InvoiceDetail['groups'][number]['lines'][number];

export type InvoiceStatus = 'due' | 'overdue' | 'settled';

export const STATUS_LABELS: Record<InvoiceStatus, string> = {
  due: 'à payer',
  overdue: 'échue',
  settled: 'soldée',
};

/** Settled once nothing is left (paid or credited); overdue the day after its due date. */
export function invoiceStatus(
  invoice: { remainingCents: number; dueDate: string },
  today: string,
): InvoiceStatus {
  if (invoice.remainingCents <= 0) return 'settled';
  return invoice.dueDate < today ? 'overdue' : 'due';
}

/** The month billed (monthly run), or what a pay-at-booking invoice covers. */
export const periodLabel = (invoice: { kind: string; periodMonth: string | null }): string =>
  invoice.periodMonth ? formatMonth(invoice.periodMonth) : 'à la réservation';

/** When a line's services took place: its days, or its month or school year for a flat fee or an enrolment. */
export function lineWhen(line: Pick<InvoiceLine, 'dates' | 'period'>): string {
  if (line.dates.length > 0) return formatDates(line.dates);
  if (line.period && /^\d{4}-\d{2}$/.test(line.period)) return formatMonth(line.period);
  return line.period ? `année ${line.period}` : '';
}

/** « QF 640 · tranche 400–699 », or the tariff's own words when no bracket applies. */
export function basisText(line: Pick<InvoiceLine, 'qfValue' | 'basis'>): string {
  const bracket = /^QF (\d+–\d+|≥ \d+)$/.exec(line.basis);
  if (line.qfValue !== null && bracket) return `QF ${line.qfValue} · tranche ${bracket[1]}`;
  return line.basis;
}
