import { z } from 'zod';
import { DomainError } from '../api/envelope.ts';
import { id, isoDate, isoMonth, requiredText } from '../api/fields.ts';
import { command, query } from '../api/operation.ts';
import { renderCreditNotePdf, renderInvoicePdf } from './invoice-pdf.ts';
import { readSetting } from '../db/settings.ts';
import { townDate, townTimeZone } from '../time.ts';
import { issueCreditNote, wholeLines } from './credit-notes.ts';
import { addDaysTo } from '../../shared/calendar.ts';
import { formatLongDate, formatMonth, lastDayOf } from './format.ts';
import { issueInvoices, loadDebtors } from './issue.ts';
import { loadIssuer } from './issuer.ts';
import { billedNoLongerDue, draftMonth, monthlyDueDate } from './monthly.ts';
import { invoiceDetail, listInvoices, unpaidInvoices } from './read.ts';
import { deviceSeries, peekNumber, SERIES } from './series.ts';

const DEFAULT_DUE_DAY = 25;
const DEFAULT_MIN_PAYMENT_DAYS = 15;

const cents = () =>
  z
    .int({ message: 'montant en centimes attendu' })
    .min(1, { message: 'montant positif attendu' })
    .max(100_000_000);

export const billingOperations = {
  /** What `billing.runMonth` would issue now, household by household, without writing anything. */
  'billing.previewMonth': query({
    permission: 'billing.run',
    label: 'Aperçu de la facturation du mois',
    input: z.object({ month: isoMonth() }),
    async run({ db }, input) {
      const [draft, corrections] = await Promise.all([
        draftMonth(db, input.month),
        billedNoLongerDue(db, input.month),
      ]);
      const debtors = await loadDebtors(
        db,
        draft.invoices.map((d) => d.householdId),
      );
      const households = draft.invoices
        .map((d) => ({
          householdId: d.householdId,
          householdName: debtors.get(d.householdId)?.householdName ?? '',
          payerName: debtors.get(d.householdId)?.payerName ?? '',
          lines: d.lines.length,
          services: d.lines.reduce((s, l) => s + l.quantity, 0),
          totalCents: d.lines.reduce((s, l) => s + l.amountCents, 0),
        }))
        .sort((a, b) => a.householdName.localeCompare(b.householdName, 'fr'));
      return {
        month: input.month,
        households,
        totals: {
          households: households.length,
          lines: households.reduce((s, h) => s + h.lines, 0),
          services: households.reduce((s, h) => s + h.services, 0),
          totalCents: households.reduce((s, h) => s + h.totalCents, 0),
        },
        anomalies: draft.anomalies,
        corrections,
      };
    },
  }),

  /**
   * The monthly single invoice: one invoice per household for everything of the month billed after the fact,
   * numbered from the monthly series. Rerunning it bills only what no invoice holds yet.
   */
  'billing.runMonth': command({
    permission: 'billing.run',
    sync: 'local',
    label: 'Facturation du mois',
    input: z.object({ month: isoMonth(), issueDate: isoDate() }),
    async run({ db, now, actor, newId }, input) {
      if (await readSetting(db, 'sync.serverUrl'))
        throw new DomainError(
          'FORBIDDEN',
          'Ce poste est relié au serveur central : la facturation mensuelle s’y fait, avec la série de la ville ; les factures arrivent ici à la synchronisation.',
        );
      const monthEnd = lastDayOf(input.month);
      if (input.issueDate <= monthEnd) {
        throw new DomainError(
          'VALIDATION',
          `Les services de ${formatMonth(input.month)} se facturent une fois le mois terminé, à partir du ${formatLongDate(addDaysTo(monthEnd, 1))}.`,
          'issueDate',
        );
      }
      if (input.issueDate > townDate(now, await townTimeZone(db))) {
        throw new DomainError('VALIDATION', 'Une facture ne se date pas dans le futur.', 'issueDate');
      }
      const dueDay = (await readSetting<number>(db, 'billing.dueDay')) ?? DEFAULT_DUE_DAY;
      const minDays = (await readSetting<number>(db, 'billing.minPaymentDays')) ?? DEFAULT_MIN_PAYMENT_DAYS;
      const dueDate = monthlyDueDate(input.month, input.issueDate, {
        dueDay: Math.min(28, Math.max(1, dueDay)),
        minDays,
      });
      const draft = await draftMonth(db, input.month);
      const issued = await issueInvoices(db, draft.invoices, {
        series: SERIES.monthly,
        kind: 'monthly',
        issueDate: input.issueDate,
        dueDate,
        periodMonth: input.month,
        actor,
        now,
        newId,
      });
      return {
        month: input.month,
        issueDate: input.issueDate,
        dueDate,
        invoices: issued.length,
        lines: issued.reduce((s, i) => s + i.lines, 0),
        services: issued.reduce((s, i) => s + i.services, 0),
        totalCents: issued.reduce((s, i) => s + i.totalCents, 0),
        firstNumber: issued.map((i) => i.number).sort()[0] ?? null,
        lastNumber:
          issued
            .map((i) => i.number)
            .sort()
            .at(-1) ?? null,
        anomalies: draft.anomalies,
      };
    },
  }),

  /** Corrects an issued invoice by a credit note: the whole of what remains, or given amounts on given lines. */
  'billing.creditNote': command({
    permission: 'billing.run',
    sync: 'fact',
    label: 'Avoir',
    input: z.object({
      creditNoteId: id().optional(),
      invoiceId: id(),
      reason: requiredText(200),
      lines: z
        .union([
          z.literal('whole'),
          z
            .array(
              z.object({
                invoiceLineId: id(),
                amountCents: cents(),
                bookingId: id().nullable().default(null),
              }),
            )
            .min(1, { message: 'aucune ligne choisie' }),
        ])
        .default('whole'),
      /** The number printed on it, fixed where it was issued (replays only). */
      number: z.string().max(60).optional(),
    }),
    // What the paper handed to the family says is fixed before logging: its number, and « the whole invoice » as the
    // amounts it was then, so that every store records this very credit note.
    prepare: async (input, ctx) => {
      if (!ctx.replay && input.number !== undefined)
        throw new DomainError('FORBIDDEN', 'Le numéro d’un avoir est attribué par le guichet.', 'number');
      const creditNoteId = input.creditNoteId ?? ctx.newId();
      if (ctx.replay) return { ...input, creditNoteId };
      const lines =
        input.lines === 'whole'
          ? ((await wholeLines(ctx.db, input.invoiceId)) ?? ('whole' as const))
          : input.lines;
      const series = await deviceSeries(ctx.db, SERIES.creditNote, ctx.actor.deviceId);
      return {
        ...input,
        creditNoteId,
        lines,
        number: await peekNumber(ctx.db, series, townDate(ctx.now, await townTimeZone(ctx.db))),
      };
    },
    run: async ({ db, now, actor, newId, remarks }, input) =>
      issueCreditNote(db, input, { now, actor, newId, remarks, timeZone: await townTimeZone(db) }),
  }),

  /** The family page's Factures tab: invoices with their credit notes and what remains on each. */
  'billing.listInvoices': query({
    permission: 'billing.read',
    label: 'Liste des factures',
    input: z.object({ householdId: id() }),
    run: ({ db }, input) => listInvoices(db, input.householdId),
  }),

  /** One invoice, lines grouped by child and activity, each explained (QF, bracket, unit price, surcharge). */
  'billing.getInvoice': query({
    permission: 'billing.read',
    label: 'Consultation d’une facture',
    input: z.object({ invoiceId: id() }),
    run: ({ db }, input) => invoiceDetail(db, input.invoiceId),
  }),

  /** Invoices past due with something left, for the titre de recettes; debts under the minimum flagged. */
  'billing.unpaid': query({
    permission: 'billing.run',
    label: 'Impayés',
    input: z.object({ asOf: isoDate() }),
    run: ({ db }, input) => unpaidInvoices(db, input.asOf),
  }),

  /** The invoice as a PDF (base64), the same bytes at every reprint. */
  'billing.invoicePdf': query({
    permission: 'billing.read',
    label: 'Facture (PDF)',
    input: z.object({ invoiceId: id() }),
    async run({ db }, input) {
      const [invoice, issuer] = await Promise.all([invoiceDetail(db, input.invoiceId), loadIssuer(db)]);
      const pdf = await renderInvoicePdf(invoice, issuer);
      return {
        fileName: `facture-${invoice.number}.pdf`,
        mimeType: 'application/pdf',
        base64: pdf.toString('base64'),
      };
    },
  }),

  'billing.creditNotePdf': query({
    permission: 'billing.read',
    label: 'Avoir (PDF)',
    input: z.object({ creditNoteId: id() }),
    async run({ db }, input) {
      const note = await db
        .selectFrom('credit_notes')
        .select('invoice_id')
        .where('id', '=', input.creditNoteId)
        .executeTakeFirst();
      if (!note) throw new DomainError('NOT_FOUND', 'Avoir introuvable.', 'creditNoteId');
      const [invoice, issuer] = await Promise.all([invoiceDetail(db, note.invoice_id), loadIssuer(db)]);
      const view = invoice.creditNotes.find((c) => c.id === input.creditNoteId);
      if (!view) throw new DomainError('NOT_FOUND', 'Avoir introuvable.', 'creditNoteId');
      const pdf = await renderCreditNotePdf(view, invoice, issuer);
      return {
        fileName: `avoir-${view.number}.pdf`,
        mimeType: 'application/pdf',
        base64: pdf.toString('base64'),
      };
    },
  }),
};
