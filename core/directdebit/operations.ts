import { z } from 'zod';
import { addDaysTo, lastDayOf } from '../../shared/calendar.ts';
import { DomainError } from '../api/envelope.ts';
import { refuseCarried } from '../api/facts.ts';
import { id, isoDate, isoMonth, requiredText } from '../api/fields.ts';
import { command, query } from '../api/operation.ts';
import { formatLongDate, formatMonth } from '../billing/format.ts';
import { deviceSeries, peekNumber } from '../billing/series.ts';
import { writeSetting } from '../db/settings.ts';
import { loadRegieSettings, receiptSeries } from '../payments/modes.ts';
import { townDate, townTimeZone } from '../time.ts';
import {
  checkCreditor,
  createDebitFile,
  DEBIT_FILE_SERIES,
  debitCandidates,
  debitFileDetail,
  debitFileXml,
  endToEndId,
  listDebitFiles,
  rejectDebit,
} from './debit-file.ts';
import { createMandate, mandatesOf, revokeMandate } from './mandates.ts';
import { DEBIT_CHANNELS, loadCreditor, SEPA_KEYS } from './settings.ts';
import {
  bicField,
  creditorIdProblem,
  ibanField,
  REJECTION_CODES,
  REJECTION_REASONS,
  RUM_PATTERN,
} from './sepa-rules.ts';

/** How many days before the collection date the bank must have the file (EPC: D-1, plus the bank's own day). */
export const LEAD_DAYS = 2;

/** The collection date a new file proposes: the town's collection day, in this month if far enough, else the next. */
export function defaultCollectionDate(today: string, day: number): string {
  const inMonth = (month: string) => {
    const last = lastDayOf(month);
    return `${month}-${String(Math.min(day, Number(last.slice(8)))).padStart(2, '0')}`;
  };
  const here = inMonth(today.slice(0, 7));
  if (here >= addDaysTo(today, LEAD_DAYS)) return here;
  const next = addDaysTo(lastDayOf(today.slice(0, 7)), 1).slice(0, 7);
  return inMonth(next);
}

/** « n° de mandat » etc.: each operation's fields are labelled in core/api/labels.ts. */
const reasonCode = () =>
  z.enum(REJECTION_CODES, { message: 'motif de rejet inconnu (code ISO à 4 caractères, ex. AM04)' });

const collectionDateRule = (collectionDate: string, today: string) => {
  if (collectionDate < addDaysTo(today, LEAD_DAYS))
    throw new DomainError(
      'VALIDATION',
      `La banque doit recevoir le fichier avant l’échéance : choisissez une date de prélèvement à partir du ${formatLongDate(addDaysTo(today, LEAD_DAYS))}.`,
      'collectionDate',
    );
};

export const directDebitOperations = {
  'directDebit.settings': query({
    permission: 'billing.read',
    label: 'Consultation des réglages du prélèvement',
    input: z.object({}),
    async run({ db, now }) {
      const creditor = await loadCreditor(db);
      const today = townDate(now, await townTimeZone(db));
      return { ...creditor, defaultCollectionDate: defaultCollectionDate(today, creditor.collectionDay) };
    },
  }),

  'directDebit.saveSettings': command({
    permission: 'admin',
    sync: 'local',
    label: 'Réglages du prélèvement',
    input: z.object({
      name: requiredText(70),
      ics: z
        .string({ message: 'texte attendu' })
        .trim()
        .transform((s) => s.replace(/\s/g, '').toUpperCase())
        .superRefine((s, ctx) => {
          const problem = creditorIdProblem(s);
          if (problem) ctx.addIssue({ code: 'custom', message: problem });
        }),
      iban: ibanField(),
      bic: bicField(),
      collectionDay: z
        .int({ message: 'jour du mois attendu' })
        .min(1, { message: 'un jour de 1 à 28' })
        .max(28, { message: 'un jour de 1 à 28 (chaque mois l’a)' }),
      channel: z
        .enum(DEBIT_CHANNELS, { message: 'par la banque de la régie ou par la Trésorerie (ORMC)' })
        .optional(),
    }),
    async run({ db }, input) {
      // Left out, the channel stays as it was: the screens that predate it keep the town's choice.
      if (input.channel) await writeSetting(db, SEPA_KEYS.channel, input.channel);
      await writeSetting(db, SEPA_KEYS.name, input.name);
      await writeSetting(db, SEPA_KEYS.ics, input.ics);
      await writeSetting(db, SEPA_KEYS.iban, input.iban);
      await writeSetting(db, SEPA_KEYS.bic, input.bic);
      await writeSetting(db, SEPA_KEYS.collectionDay, input.collectionDay);
      return { saved: true };
    },
  }),

  /** A family's mandates, the one in force first, with the type of its next debit. */
  'directDebit.mandates': query({
    permission: 'billing.read',
    label: 'Mandats de prélèvement',
    input: z.object({ householdId: id() }),
    run: ({ db }, input) => mandatesOf(db, input.householdId),
  }),

  /** The family's signed mandate, as the agent enters it from the paper form and the RIB. */
  'directDebit.createMandate': command({
    permission: 'family.write',
    sync: 'request',
    label: 'Mandat de prélèvement',
    input: z.object({
      mandateId: id().optional(),
      householdId: id(),
      rum: z
        .string({ message: 'texte attendu' })
        .trim()
        .refine((s) => s === '' || RUM_PATTERN.test(s), {
          message:
            'référence de mandat invalide : 35 caractères au plus, lettres, chiffres et + ? / - : ( ) . , ’',
        })
        .transform((s) => (s === '' ? null : s))
        .optional(),
      debtorName: requiredText(70),
      iban: ibanField(),
      bic: bicField().optional(),
      signedOn: isoDate(),
      firstSequence: z
        .enum(['FRST', 'RCUR'], { message: 'premier prélèvement ou récurrent' })
        .default('FRST'),
    }),
    prepare: (input, ctx) => ({ ...input, mandateId: input.mandateId ?? ctx.newId() }),
    async run({ db, actor, now }, input) {
      const today = townDate(now, await townTimeZone(db));
      // Left out, the reference is made from the mandate's id and the BIC is not asked (IBAN only, SEPA since 2016).
      return createMandate(
        db,
        { ...input, rum: input.rum ?? null, bic: input.bic ?? null },
        { actor, now, today },
      );
    },
  }),

  'directDebit.revokeMandate': command({
    permission: 'family.write',
    sync: 'request',
    label: 'Révocation d’un mandat',
    input: z.object({ mandateId: id(), revokedOn: isoDate(), reason: requiredText(200) }),
    async run({ db, now }, input) {
      const today = townDate(now, await townTimeZone(db));
      return revokeMandate(db, input, { today });
    },
  }),

  /** What a file for the month would debit, and what it leaves out and why; nothing written. */
  'directDebit.preview': query({
    permission: 'regie',
    label: 'Aperçu du fichier de prélèvement',
    input: z.object({ month: isoMonth(), collectionDate: isoDate() }),
    async run({ db }, input) {
      const creditor = await loadCreditor(db);
      const { debits, excluded } = await debitCandidates(db, input.month, input.collectionDate);
      return {
        month: input.month,
        collectionDate: input.collectionDate,
        channel: creditor.channel,
        creditorReady: creditor.ics !== null && creditor.iban !== null,
        debits,
        excluded,
        totals: {
          count: debits.length,
          totalCents: debits.reduce((s, d) => s + d.amountCents, 0),
          frst: debits.filter((d) => d.sequence === 'FRST').length,
          rcur: debits.filter((d) => d.sequence === 'RCUR').length,
        },
      };
    },
  }),

  /**
   * The month's direct-debit file: each invoice of a family with a mandate in force settled by a payment
   * « prélèvement », the file numbered and kept. A fact: what is sent to the bank is what every store records.
   */
  'directDebit.createFile': command({
    permission: 'regie',
    sync: 'fact',
    label: 'Fichier de prélèvement',
    input: z.object({
      fileId: id().optional(),
      month: isoMonth(),
      collectionDate: isoDate(),
      /** What the file was made of where it was made (replays only). */
      number: z.string().max(60).optional(),
      creditor: z
        .object({
          name: z.string().max(70),
          ics: z.string().max(35),
          iban: z.string().max(34),
          bic: z.string().max(11).nullable(),
        })
        .optional(),
      debits: z
        .array(
          z.object({
            debitId: id(),
            paymentId: id(),
            receiptNumber: z.string().max(60),
            invoiceId: id(),
            householdId: id(),
            mandateId: id(),
            amountCents: z.int().min(1),
            sequence: z.enum(['FRST', 'RCUR']),
            endToEndId: z.string().max(35),
          }),
        )
        .max(20_000)
        .optional(),
    }),
    prepare: async (input, ctx) => {
      refuseCarried(ctx, [input.number, input.creditor, input.debits], 'number');
      const fileId = input.fileId ?? ctx.newId();
      if (ctx.replay) return { ...input, fileId };
      const zone = await townTimeZone(ctx.db);
      const today = townDate(ctx.now, zone);
      collectionDateRule(input.collectionDate, today);
      const creditor = await loadCreditor(ctx.db);
      // Through the Trésorerie, the invoices leave with their debit in the PES export: a pain.008 would debit twice.
      if (creditor.channel === 'ormc')
        throw new DomainError(
          'CONFLICT',
          'La commune fait prélever par la Trésorerie (ORMC) : les factures des familles avec un mandat partent avec leur prélèvement dans la transmission PES (Facturation › Trésorerie), la régie n’envoie pas de fichier à sa banque.',
          'collectionDate',
        );
      checkCreditor(creditor);
      const { debits } = await debitCandidates(ctx.db, input.month, input.collectionDate);
      if (debits.length === 0)
        throw new DomainError(
          'CONFLICT',
          `Aucune facture de ${formatMonth(input.month)} à prélever : aucune famille avec un mandat en vigueur n’a de reste à payer.`,
          'month',
        );
      const number = await peekNumber(
        ctx.db,
        await deviceSeries(ctx.db, DEBIT_FILE_SERIES, ctx.actor.deviceId),
        today,
      );
      // The receipts of the file's payments take consecutive numbers of the counter's series, from the next one.
      const settings = await loadRegieSettings(ctx.db, ctx.actor.deviceId);
      const firstReceipt = await peekNumber(ctx.db, receiptSeries(settings.counterCode), today);
      const cut = firstReceipt.lastIndexOf('-') + 1;
      const receiptAt = (i: number) =>
        `${firstReceipt.slice(0, cut)}${String(Number(firstReceipt.slice(cut)) + i).padStart(firstReceipt.length - cut, '0')}`;
      return {
        ...input,
        fileId,
        number,
        creditor: {
          name: creditor.name,
          ics: creditor.ics as string,
          iban: creditor.iban as string,
          bic: creditor.bic,
        },
        debits: debits.map((d, i) => ({
          debitId: ctx.newId(),
          paymentId: ctx.newId(),
          receiptNumber: receiptAt(i),
          invoiceId: d.invoiceId,
          householdId: d.householdId,
          mandateId: d.mandateId,
          amountCents: d.amountCents,
          sequence: d.sequence,
          endToEndId: endToEndId(number, i + 1),
        })),
      };
    },
    async run(ctx, input) {
      const { db, actor, now, newId, remarks } = ctx;
      if (!input.number || !input.creditor || !input.debits)
        throw new DomainError('VALIDATION', 'Fichier de prélèvement incomplet.', 'debits');
      return createDebitFile(
        db,
        {
          fileId: input.fileId,
          number: input.number,
          month: input.month,
          collectionDate: input.collectionDate,
          creditor: input.creditor,
          debits: input.debits,
        },
        await deviceSeries(db, DEBIT_FILE_SERIES, actor.deviceId),
        { actor, now, newId, remarks, timeZone: await townTimeZone(db) },
      );
    },
  }),

  'directDebit.files': query({
    permission: 'regie',
    label: 'Fichiers de prélèvement',
    input: z.object({}),
    run: ({ db }) => listDebitFiles(db),
  }),

  'directDebit.file': query({
    permission: 'regie',
    label: 'Détail d’un fichier de prélèvement',
    input: z.object({ fileId: id() }),
    run: ({ db }, input) => debitFileDetail(db, input.fileId),
  }),

  /** The file as it was sent, byte for byte, to save and hand to the bank. */
  'directDebit.fileXml': query({
    permission: 'regie',
    label: 'Fichier de prélèvement (XML)',
    input: z.object({ fileId: id() }),
    run: ({ db }, input) => debitFileXml(db, input.fileId),
  }),

  'directDebit.reasons': query({
    permission: 'regie',
    label: 'Motifs de rejet',
    input: z.object({}),
    run: async () => REJECTION_CODES.map((code) => ({ code, label: REJECTION_REASONS[code] })),
  }),

  /** A debit returned by the bank, with its reason code: the payment reversed, the invoice due again. */
  'directDebit.reject': command({
    permission: 'regie',
    sync: 'fact',
    label: 'Rejet de prélèvement',
    input: z.object({
      reversalId: id().optional(),
      debitId: id(),
      reasonCode: reasonCode(),
      returnedOn: isoDate(),
    }),
    prepare: (input, ctx) => ({ ...input, reversalId: input.reversalId ?? ctx.newId() }),
    run: async ({ db, actor, now, newId, remarks }, input) =>
      rejectDebit(db, input, { actor, now, newId, remarks, timeZone: await townTimeZone(db) }),
  }),
};
