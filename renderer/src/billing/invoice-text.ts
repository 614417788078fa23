import type { OutputOf } from '../../../core/contract.ts';
import { monthNameFr } from '../dates.ts';

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
  invoice.periodMonth ? monthNameFr(invoice.periodMonth) : 'à la réservation';

const monthShort = new Intl.DateTimeFormat('fr-FR', { timeZone: 'UTC', month: 'short', year: 'numeric' });

/** ['2026-09-01', '2026-09-03'] → « les 1 et 3 sept. 2026 »; months apart are joined by « ; ». */
export function formatDays(dates: readonly string[]): string {
  const byMonth = new Map<string, number[]>();
  for (const d of [...dates].sort()) {
    const days = byMonth.get(d.slice(0, 7)) ?? [];
    days.push(Number(d.slice(8, 10)));
    byMonth.set(d.slice(0, 7), days);
  }
  return [...byMonth.entries()]
    .map(([month, days]) => {
      const list = days.length > 1 ? `${days.slice(0, -1).join(', ')} et ${days.at(-1)}` : String(days[0]);
      return `${days.length > 1 ? 'les' : 'le'} ${list} ${monthShort.format(new Date(`${month}-01T12:00:00Z`))}`;
    })
    .join(' ; ');
}

/** When a line's services took place: its days, or its month or school year for a flat fee or an enrolment. */
export function lineWhen(line: Pick<InvoiceLine, 'dates' | 'period'>): string {
  if (line.dates.length > 0) return formatDays(line.dates);
  if (line.period && /^\d{4}-\d{2}$/.test(line.period)) return monthNameFr(line.period);
  return line.period ? `année ${line.period}` : '';
}

/** « QF 640 · tranche 400–699 », or the tariff's own words when no bracket applies. */
export function basisText(line: Pick<InvoiceLine, 'qfValue' | 'basis'>): string {
  const bracket = /^QF (\d+–\d+|≥ \d+)$/.exec(line.basis);
  if (line.qfValue !== null && bracket) return `QF ${line.qfValue} · tranche ${bracket[1]}`;
  return line.basis;
}
