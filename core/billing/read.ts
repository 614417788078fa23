import type { Kysely } from 'kysely';
import { DomainError } from '../api/envelope.ts';
import type { Database } from '../db/schema.ts';
import { readSetting } from '../db/settings.ts';
import { invoicesWithBalance, type InvoiceWithBalance } from './balance.ts';
import { formatDates, formatEuros, formatMonth } from './format.ts';
import { LINE_KIND_LABELS, type LineKind } from './rules.ts';

export interface InvoiceLineView {
  id: string;
  position: number;
  kind: LineKind;
  kindLabel: string;
  /** What the printed invoice calls the line: « Repas », « Soir — réservé hors délai », « Forfait mensuel ». */
  label: string;
  childId: string;
  childName: string;
  activityId: string;
  activityName: string;
  unitCode: string;
  unitLabel: string;
  /** Dates of day services; empty for a monthly flat fee or an enrolment (see `period`). */
  dates: string[];
  period: string | null;
  quantity: number;
  unitPriceCents: number;
  amountCents: number;
  baseCents: number;
  surchargeCents: number;
  surchargeReason: string | null;
  qfValue: number | null;
  basis: string;
  enrolmentId: string | null;
  /** The bookings billed on the line, so one of them can be credited by name. */
  services: { bookingId: string; date: string }[];
  creditedCents: number;
  /** The amount in one French sentence, as the agent reads it out at the counter. */
  explanation: string;
}

export interface LineGroup {
  childId: string;
  childName: string;
  activityId: string;
  activityName: string;
  totalCents: number;
  lines: InvoiceLineView[];
}

export interface CreditNoteView {
  id: string;
  number: string;
  invoiceId: string;
  invoiceNumber: string;
  issueDate: string;
  reason: string;
  totalCents: number;
  lines: { invoiceLineId: string; amountCents: number; bookingId: string | null }[];
}

export interface InvoiceDetail extends InvoiceWithBalance {
  creditNotes: CreditNoteView[];
  groups: LineGroup[];
}

type LineFacts = Pick<
  InvoiceLineView,
  | 'kind'
  | 'unitCode'
  | 'unitLabel'
  | 'kindLabel'
  | 'dates'
  | 'period'
  | 'quantity'
  | 'activityName'
  | 'childName'
  | 'qfValue'
  | 'basis'
  | 'baseCents'
  | 'surchargeReason'
  | 'surchargeCents'
  | 'unitPriceCents'
  | 'amountCents'
>;

const plainKinds: readonly LineKind[] = ['booked', 'flat_fee', 'enrolment'];

export function lineLabel(l: Pick<LineFacts, 'kind' | 'unitCode' | 'unitLabel' | 'kindLabel'>): string {
  const unit = l.kind === 'flat_fee' && l.unitCode === 'month' ? 'Forfait mensuel' : l.unitLabel;
  return plainKinds.includes(l.kind) ? unit : `${unit} — ${l.kindLabel}`;
}

/** « les 1, 3, 4 et 7 sept. 2026 », « septembre 2026 », « année 2026-2027 ». */
export function lineWhen(l: Pick<LineFacts, 'dates' | 'period'>): string {
  if (l.dates.length) return formatDates(l.dates);
  if (l.period && /^\d{4}-\d{2}$/.test(l.period)) return formatMonth(l.period);
  return l.period ? `année ${l.period}` : '';
}

/** The tariff column: the QF used and its bracket, so the family sees why this price. */
export function basisText(l: Pick<LineFacts, 'qfValue' | 'basis'>): string {
  if (l.qfValue !== null && /^QF (\d+–\d+|≥ \d+)$/.test(l.basis))
    return `QF ${l.qfValue} · tranche ${l.basis.slice(3)}`;
  return l.basis;
}

export function explain(l: LineFacts): string {
  const qty = l.quantity === 1 ? '' : `${l.quantity} × `;
  const when = lineWhen(l);
  const price =
    l.qfValue === null
      ? `${l.basis} : ${formatEuros(l.baseCents)}`
      : `${basisText(l).replace(' · ', ', ')} : ${formatEuros(l.baseCents)}`;
  const surcharge = l.surchargeReason
    ? ` ; ${l.surchargeReason} (${l.surchargeCents >= 0 ? '+' : ''}${formatEuros(l.surchargeCents)})`
    : '';
  const unit = l.surchargeReason ? ` = ${formatEuros(l.unitPriceCents)} l’unité` : '';
  return `${qty}${lineLabel(l)}${when ? ` (${when})` : ''}, ${l.activityName}, ${l.childName} — ${l.kindLabel}. ${price}${surcharge}${unit}. Montant : ${formatEuros(l.amountCents)}.`;
}

export async function invoiceDetail(db: Kysely<Database>, invoiceId: string): Promise<InvoiceDetail> {
  const [invoice] = await invoicesWithBalance(db, { invoiceIds: [invoiceId] });
  if (!invoice) throw new DomainError('NOT_FOUND', 'Facture introuvable.', 'invoiceId');
  const [lines, services, credits, creditNotes] = await Promise.all([
    db
      .selectFrom('invoice_lines')
      .selectAll()
      .where('invoice_id', '=', invoiceId)
      .orderBy('position')
      .execute(),
    db
      .selectFrom('billed_services as s')
      .innerJoin('invoice_lines as l', 'l.id', 's.invoice_line_id')
      .select(['s.invoice_line_id', 's.booking_id', 's.service_date'])
      .where('l.invoice_id', '=', invoiceId)
      .orderBy('s.service_date')
      .execute(),
    db
      .selectFrom('credit_note_lines as c')
      .innerJoin('invoice_lines as l', 'l.id', 'c.invoice_line_id')
      .select(['c.credit_note_id', 'c.invoice_line_id', 'c.amount_cents', 'c.booking_id'])
      .where('l.invoice_id', '=', invoiceId)
      .execute(),
    db.selectFrom('credit_notes').selectAll().where('invoice_id', '=', invoiceId).orderBy('seq').execute(),
  ]);
  const creditedByLine = new Map<string, number>();
  for (const c of credits)
    creditedByLine.set(c.invoice_line_id, (creditedByLine.get(c.invoice_line_id) ?? 0) + c.amount_cents);
  const servicesByLine = new Map<string, { bookingId: string; date: string }[]>();
  for (const s of services) {
    const list = servicesByLine.get(s.invoice_line_id) ?? [];
    list.push({ bookingId: s.booking_id, date: s.service_date });
    servicesByLine.set(s.invoice_line_id, list);
  }

  const groups: LineGroup[] = [];
  const groupOf = new Map<string, LineGroup>();
  for (const l of lines) {
    const kind = l.kind as LineKind;
    const facts: LineFacts = {
      kind,
      kindLabel: LINE_KIND_LABELS[kind] ?? l.kind,
      unitCode: l.unit_code,
      unitLabel: l.unit_label,
      dates: l.service_dates ? l.service_dates.split(',') : [],
      period: l.period,
      quantity: l.quantity,
      activityName: l.activity_name,
      childName: l.child_name,
      qfValue: l.qf_value,
      basis: l.basis,
      baseCents: l.base_cents,
      surchargeReason: l.surcharge_reason,
      surchargeCents: l.surcharge_cents,
      unitPriceCents: l.unit_price_cents,
      amountCents: l.amount_cents,
    };
    const view: InvoiceLineView = {
      ...facts,
      id: l.id,
      position: l.position,
      label: lineLabel(facts),
      childId: l.child_id,
      activityId: l.activity_id,
      enrolmentId: l.enrolment_id,
      services: servicesByLine.get(l.id) ?? [],
      creditedCents: creditedByLine.get(l.id) ?? 0,
      explanation: explain(facts),
    };
    const key = `${l.child_id}|${l.activity_id}`;
    let group = groupOf.get(key);
    if (!group) {
      group = {
        childId: l.child_id,
        childName: l.child_name,
        activityId: l.activity_id,
        activityName: l.activity_name,
        totalCents: 0,
        lines: [],
      };
      groupOf.set(key, group);
      groups.push(group);
    }
    group.lines.push(view);
    group.totalCents += view.amountCents;
  }

  return {
    ...invoice,
    groups,
    creditNotes: creditNotes.map((cn) => ({
      id: cn.id,
      number: cn.number,
      invoiceId: cn.invoice_id,
      invoiceNumber: invoice.number,
      issueDate: cn.issue_date,
      reason: cn.reason,
      totalCents: cn.total_cents,
      lines: credits
        .filter((c) => c.credit_note_id === cn.id)
        .map((c) => ({
          invoiceLineId: c.invoice_line_id,
          amountCents: c.amount_cents,
          bookingId: c.booking_id,
        })),
    })),
  };
}

export async function listInvoices(db: Kysely<Database>, householdId: string) {
  const household = await db
    .selectFrom('households')
    .select('id')
    .where('id', '=', householdId)
    .executeTakeFirst();
  if (!household) throw new DomainError('NOT_FOUND', 'Ce foyer est introuvable.', 'householdId');
  const invoices = await invoicesWithBalance(db, { householdId });
  const notes = await db
    .selectFrom('credit_notes')
    .select(['id', 'number', 'invoice_id', 'issue_date', 'reason', 'total_cents'])
    .where('household_id', '=', householdId)
    .orderBy('seq')
    .execute();
  const numberOf = new Map(invoices.map((i) => [i.id, i.number]));
  return {
    invoices: invoices.map((i) => ({
      ...i,
      creditNotes: notes
        .filter((n) => n.invoice_id === i.id)
        .map((n) => ({
          id: n.id,
          number: n.number,
          issueDate: n.issue_date,
          reason: n.reason,
          totalCents: n.total_cents,
        })),
    })),
    creditNotes: notes.map((n) => ({
      id: n.id,
      number: n.number,
      invoiceId: n.invoice_id,
      invoiceNumber: numberOf.get(n.invoice_id) ?? '',
      issueDate: n.issue_date,
      reason: n.reason,
      totalCents: n.total_cents,
    })),
    totals: {
      billedCents: invoices.reduce((s, i) => s + i.totalCents, 0),
      creditedCents: invoices.reduce((s, i) => s + i.creditedCents, 0),
      remainingCents: invoices.reduce((s, i) => s + i.remainingCents, 0),
    },
  };
}

/** REGIE §2: the comptable recovers a debt only from 15 € (D1611-1), a debtor's debts being grouped. */
export const DEFAULT_RECOVERY_MINIMUM_CENTS = 1500;

/**
 * Invoices past their due date with something left to pay, for the titre de recettes: the counter does not chase,
 * it lists. Each invoice and each debtor (debts grouped) says whether it reaches the recovery minimum.
 */
export async function unpaidInvoices(db: Kysely<Database>, asOf: string) {
  const minimumCents =
    (await readSetting<number>(db, 'billing.recoveryMinimumCents')) ?? DEFAULT_RECOVERY_MINIMUM_CENTS;
  const overdue = (await invoicesWithBalance(db, { dueBefore: asOf })).filter((i) => i.remainingCents > 0);
  overdue.sort(
    (a, b) =>
      a.householdName.localeCompare(b.householdName, 'fr') ||
      a.householdId.localeCompare(b.householdId) ||
      a.dueDate.localeCompare(b.dueDate) ||
      a.number.localeCompare(b.number),
  );
  const debtors = new Map<
    string,
    {
      householdId: string;
      householdName: string;
      payerName: string;
      payerAddress: string;
      remainingCents: number;
      invoices: number;
      belowMinimum: boolean;
    }
  >();
  for (const i of overdue) {
    const d = debtors.get(i.householdId) ?? {
      householdId: i.householdId,
      householdName: i.householdName,
      payerName: i.payerName,
      payerAddress: i.payerAddress,
      remainingCents: 0,
      invoices: 0,
      belowMinimum: false,
    };
    d.remainingCents += i.remainingCents;
    d.invoices += 1;
    debtors.set(i.householdId, d);
  }
  for (const d of debtors.values()) d.belowMinimum = d.remainingCents < minimumCents;
  return {
    asOf,
    minimumCents,
    invoices: overdue.map((i) => ({
      ...i,
      daysLate: daysBetween(i.dueDate, asOf),
      belowMinimum: i.remainingCents < minimumCents,
    })),
    debtors: [...debtors.values()],
    totals: {
      invoices: overdue.length,
      remainingCents: overdue.reduce((s, i) => s + i.remainingCents, 0),
      debtorsBelowMinimum: [...debtors.values()].filter((d) => d.belowMinimum).length,
    },
  };
}

const daysBetween = (from: string, to: string) =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
