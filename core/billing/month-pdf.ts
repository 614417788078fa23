import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Issuer } from '../pdf/blocks.ts';
import { newDocument } from '../pdf/page.ts';
import { formatMonth } from './format.ts';
import { drawInvoice } from './invoice-pdf.ts';
import { invoiceDetails } from './read.ts';
import { householdDeliveries, type Delivery } from './delivery.ts';

/** How the month's invoices are put in the envelope pile. */
export type PostOrder = 'address' | 'name';

/** Which of the month's invoices: those going by post, or all of them (the town's archive copy). */
export type MonthSelection = 'papier' | 'all';

export interface MonthInvoiceRef {
  id: string;
  number: string;
  householdId: string;
  householdName: string;
  payerName: string;
  payerAddress: string;
  delivery: Delivery;
}

const collator = new Intl.Collator('fr', { sensitivity: 'base', numeric: true });

/**
 * The postal parts of an address as an invoice printed it (lines, the last « 45100 Belleval »): the post sorts by
 * postal code, then commune, then street; within a street by number (« 2 », « 2 bis », « 10 »).
 */
export function postalKey(address: string): {
  postalCode: string;
  commune: string;
  street: string;
  number: number;
} {
  const lines = address
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const cityAt = lines.findLastIndex((l) => /^\d{5}\b/.test(l));
  const city = cityAt >= 0 ? (lines[cityAt] as string) : '';
  const m = /^(\d{5})\s*(.*)$/.exec(city);
  const streetLine = (cityAt > 0 ? lines[0] : cityAt < 0 ? lines[0] : '') ?? '';
  const n = /^(\d+)\s*(?:(bis|ter|quater)\b)?[\s,]*(.*)$/i.exec(streetLine);
  return {
    postalCode: m?.[1] ?? '99999',
    commune: m?.[2] ?? '',
    street: n ? (n[3] ?? '') : streetLine,
    number: n ? Number(n[1]) + (n[2] ? 0.1 : 0) : 0,
  };
}

function compare(order: PostOrder) {
  return (a: MonthInvoiceRef, b: MonthInvoiceRef): number => {
    const byName =
      collator.compare(a.householdName, b.householdName) ||
      collator.compare(a.payerName, b.payerName) ||
      a.number.localeCompare(b.number);
    if (order === 'name') return byName;
    const ka = postalKey(a.payerAddress);
    const kb = postalKey(b.payerAddress);
    return (
      ka.postalCode.localeCompare(kb.postalCode) ||
      collator.compare(ka.commune, kb.commune) ||
      collator.compare(ka.street, kb.street) ||
      ka.number - kb.number ||
      byName
    );
  };
}

/**
 * The month's invoices of the monthly run, with how each family receives them today, in the order asked. An
 * e-mail family without any address counts as paper: its invoice must still reach it.
 */
export async function monthInvoices(
  db: Kysely<Database>,
  month: string,
  order: PostOrder,
): Promise<MonthInvoiceRef[]> {
  const rows = await db
    .selectFrom('invoices')
    .select(['id', 'number', 'household_id', 'household_name', 'payer_name', 'payer_address'])
    .where('kind', '=', 'monthly')
    .where('period_month', '=', month)
    .execute();
  const deliveries = await householdDeliveries(
    db,
    rows.map((r) => r.household_id),
  );
  return rows
    .map((r) => ({
      id: r.id,
      number: r.number,
      householdId: r.household_id,
      householdName: r.household_name,
      payerName: r.payer_name,
      payerAddress: r.payer_address,
      delivery: deliveries.get(r.household_id) ?? { by: 'papier', reason: 'paper' },
    }))
    .sort(compare(order));
}

/** Invoices read and laid out this many at a time: memory stays flat however many the month has. */
const BATCH = 250;

/**
 * The month's invoices in one PDF, for the post: each invoice laid out exactly as its own PDF (core/billing/
 * invoice-pdf.ts), one after the other in the order given, with a bookmark each. pdfkit writes every invoice's
 * pages out as soon as they are laid out (`flushPages`), and the fonts are embedded once for the lot.
 */
export async function renderMonthPdf(
  db: Kysely<Database>,
  refs: readonly MonthInvoiceRef[],
  issuer: Issuer,
  month: string,
  issueDate: string,
): Promise<Buffer> {
  const doc = newDocument({
    title: `Factures de ${formatMonth(month)}`,
    author: issuer.townName,
    subject: `${refs.length} factures de ${formatMonth(month)} à envoyer par courrier`,
    creationDate: new Date(`${issueDate}T00:00:00Z`),
  });
  const parts: Buffer[] = [];
  doc.on('data', (b: Buffer) => parts.push(b));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(parts)));
    doc.on('error', reject);
  });
  for (let i = 0; i < refs.length; i += BATCH) {
    const slice = refs.slice(i, i + BATCH);
    const details = await invoiceDetails(
      db,
      slice.map((r) => r.id),
    );
    for (const invoice of details) {
      drawInvoice(doc, invoice, issuer, `${invoice.number} — ${invoice.payerName}`);
      doc.flushPages();
    }
  }
  if (refs.length === 0) doc.addPage();
  doc.end();
  return done;
}
