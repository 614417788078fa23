import type { Kysely } from 'kysely';
import { wallClock } from '../../shared/wall-clock.ts';
import { DomainError } from '../api/envelope.ts';
import { invoicesWithBalance } from '../billing/balance.ts';
import { formatEuros, formatLongDate, formatMonth } from '../billing/format.ts';
import type { LedgerContext } from '../billing/ledger.ts';
import { takeNumber, type SeriesDef } from '../billing/series.ts';
import type { Database } from '../db/schema.ts';
import { recordPayment, reversePayment } from '../payments/payments.ts';
import { townDate } from '../time.ts';
import { activeMandates, lapsesOn, type MandateView } from './mandates.ts';
import { pain008Xml, SEQUENCES } from './pain008.ts';
import { creditorGaps, type CreditorSettings } from './settings.ts';
import { maskedIban, REJECTION_REASONS, type RejectionCode, type Sequence } from './sepa-rules.ts';

/** The régie's direct-debit files: « PRL-2026-000001 », restarting each year, never a gap. */
export const DEBIT_FILE_SERIES: SeriesDef = {
  code: 'PRL',
  kind: 'direct_debit_file',
  label: 'Fichiers de prélèvement SEPA',
};

export interface DebitCandidate {
  invoiceId: string;
  invoiceNumber: string;
  householdId: string;
  householdName: string;
  amountCents: number;
  mandateId: string;
  rum: string;
  debtorName: string;
  ibanMasked: string;
  sequence: Sequence;
}

export interface DebitExclusion {
  invoiceId: string;
  invoiceNumber: string;
  householdName: string;
  reason: string;
}

/**
 * What a file for `month` would debit on `collectionDate`: each monthly invoice of the month with something left to
 * pay, of a family whose mandate is in force, for what is left on it. Left out, and said why: mandates signed after
 * the collection date, and mandates lapsed under the 36-month rule. Families without a mandate pay as usual.
 */
export async function debitCandidates(
  db: Kysely<Database>,
  month: string,
  collectionDate: string,
): Promise<{ debits: DebitCandidate[]; excluded: DebitExclusion[] }> {
  const open = (await invoicesWithBalance(db, {}))
    .filter((i) => i.kind === 'monthly' && i.periodMonth === month && i.remainingCents > 0)
    .sort(
      (a, b) =>
        a.householdName.localeCompare(b.householdName, 'fr') || a.number.localeCompare(b.number, 'fr'),
    );
  const mandates = await activeMandates(
    db,
    open.map((i) => i.householdId),
  );
  // An invoice handed to the Trésorerie (core/pes) is recovered there, no longer debited by the régie.
  const exported = new Set(
    (
      await db
        .selectFrom('titre_export_invoices')
        .select('invoice_id')
        .where('invoice_id', 'in', open.map((i) => i.id).concat(''))
        .execute()
    ).map((r) => r.invoice_id),
  );
  const debits: DebitCandidate[] = [];
  const excluded: DebitExclusion[] = [];
  for (const i of open) {
    const m: MandateView | undefined = mandates.get(i.householdId);
    if (!m) continue;
    const exclude = (reason: string) =>
      excluded.push({ invoiceId: i.id, invoiceNumber: i.number, householdName: i.householdName, reason });
    if (exported.has(i.id)) {
      exclude('Transmise à la Trésorerie (titre de recettes) : elle ne se prélève plus par la régie.');
      continue;
    }
    if (m.signedOn > collectionDate) {
      exclude(`Mandat signé le ${formatLongDate(m.signedOn)}, après la date de prélèvement.`);
      continue;
    }
    const lapse = lapsesOn(m.signedOn, m.lastCollection);
    if (collectionDate >= lapse) {
      exclude(
        `Mandat ${m.rum} caduc depuis le ${formatLongDate(lapse)} (36 mois sans prélèvement) : la famille doit en signer un nouveau.`,
      );
      continue;
    }
    debits.push({
      invoiceId: i.id,
      invoiceNumber: i.number,
      householdId: i.householdId,
      householdName: i.householdName,
      amountCents: i.remainingCents,
      mandateId: m.id,
      rum: m.rum,
      debtorName: m.debtorName,
      ibanMasked: m.ibanMasked,
      sequence: m.nextSequence,
    });
  }
  return { debits, excluded };
}

/** Refuses what would make a file the bank cannot take, or one the régie should not send. */
export function checkCreditor(creditor: CreditorSettings): void {
  const gaps = creditorGaps(creditor);
  if (gaps.length)
    throw new DomainError(
      'VALIDATION',
      `Avant un prélèvement, l’administrateur renseigne dans Paramètres › Prélèvement : ${gaps.join(' et ')}.`,
      'collectionDate',
    );
}

export interface PreparedDebit {
  debitId: string;
  paymentId: string;
  receiptNumber: string;
  invoiceId: string;
  householdId: string;
  mandateId: string;
  amountCents: number;
  sequence: Sequence;
  endToEndId: string;
}

export interface PreparedFile {
  fileId: string;
  number: string;
  month: string;
  collectionDate: string;
  creditor: { name: string; ics: string; iban: string; bic: string | null };
  debits: PreparedDebit[];
}

/** « PRL-2026-000001-0003 »: unique, and what the bank sends back with a rejection (35 characters at most). */
export const endToEndId = (fileNumber: string, position: number): string =>
  `${fileNumber}-${String(position).padStart(4, '0')}`.slice(-35);

/**
 * Writes the file as prepared (core/directdebit/operations.ts fixes its number, debits and payments before it is
 * logged): its number in the series, one payment « prélèvement » per invoice settling it (with its receipt number
 * and its journal entry, as any payment), the debits, and the XML built from them, kept as it is sent.
 */
export async function createDebitFile(
  db: Kysely<Database>,
  input: PreparedFile,
  series: SeriesDef,
  ctx: LedgerContext,
) {
  const date = townDate(ctx.now, ctx.timeZone);
  const numbered = await takeNumber(db, series, date, input.number, ctx);
  const mandates = new Map(
    (
      await db
        .selectFrom('sepa_mandates')
        .selectAll()
        .where('id', 'in', input.debits.map((d) => d.mandateId).concat(''))
        .execute()
    ).map((m) => [m.id, m]),
  );
  const invoices = new Map(
    (
      await invoicesWithBalance(db, {
        invoiceIds: input.debits.map((d) => d.invoiceId),
      })
    ).map((i) => [i.id, i]),
  );
  const clock = wallClock(ctx.now, ctx.timeZone);
  const xml = pain008Xml({
    messageId: numbered.number,
    createdAt: `${clock.date}T${clock.time}:${String(ctx.now.getUTCSeconds()).padStart(2, '0')}`,
    collectionDate: input.collectionDate,
    creditor: input.creditor,
    debits: input.debits.map((d) => {
      const m = mandates.get(d.mandateId);
      const inv = invoices.get(d.invoiceId);
      if (!m || !inv) throw new DomainError('NOT_FOUND', 'Mandat ou facture introuvable.', 'debits');
      return {
        endToEndId: d.endToEndId,
        amountCents: d.amountCents,
        sequence: d.sequence,
        rum: m.rum,
        signedOn: m.signed_on,
        debtorName: m.debtor_name,
        iban: m.iban,
        bic: m.bic,
        remittance: `Facture ${inv.number} ${inv.periodMonth ? formatMonth(inv.periodMonth) : ''} ${input.creditor.name}`,
      };
    }),
  });
  const total = input.debits.reduce((s, d) => s + d.amountCents, 0);
  await db
    .insertInto('direct_debit_files')
    .values({
      id: input.fileId,
      number: numbered.number,
      series_code: numbered.seriesCode,
      series_year: numbered.year,
      seq: numbered.seqs[0] as number,
      created_at: ctx.now.toISOString(),
      date,
      collection_date: input.collectionDate,
      message_id: numbered.number,
      debit_count: input.debits.length,
      total_cents: total,
      xml,
      agent_id: ctx.actor.agentId,
      agent_name: ctx.actor.agentName,
      device_id: ctx.actor.deviceId,
    })
    .execute();
  let position = 0;
  for (const d of input.debits) {
    position += 1;
    await recordPayment(
      db,
      {
        paymentId: d.paymentId,
        householdId: d.householdId,
        mode: 'direct_debit',
        amountCents: d.amountCents,
        note: `Prélèvement ${numbered.number} du ${formatLongDate(input.collectionDate)}`,
        allocations: [{ invoiceId: d.invoiceId, amountCents: d.amountCents }],
        override: null,
        receiptNumber: d.receiptNumber,
        sessionId: null,
      },
      ctx,
    );
    await db
      .insertInto('direct_debits')
      .values({
        id: d.debitId,
        file_id: input.fileId,
        position,
        invoice_id: d.invoiceId,
        mandate_id: d.mandateId,
        household_id: d.householdId,
        payment_id: d.paymentId,
        amount_cents: d.amountCents,
        sequence: d.sequence,
        end_to_end_id: d.endToEndId,
      })
      .execute();
  }
  return {
    id: input.fileId,
    number: numbered.number,
    collectionDate: input.collectionDate,
    debitCount: input.debits.length,
    totalCents: total,
    bySequence: SEQUENCES.map((sequence) => {
      const of = input.debits.filter((d) => d.sequence === sequence);
      return { sequence, count: of.length, totalCents: of.reduce((s, d) => s + d.amountCents, 0) };
    }).filter((s) => s.count > 0),
  };
}

export async function listDebitFiles(db: Kysely<Database>) {
  const files = await db
    .selectFrom('direct_debit_files')
    .select([
      'id',
      'number',
      'date',
      'collection_date',
      'debit_count',
      'total_cents',
      'agent_name',
      'created_at',
    ])
    .orderBy('created_at', 'desc')
    .execute();
  const rejected = await db
    .selectFrom('direct_debit_rejections as r')
    .innerJoin('direct_debits as d', 'd.id', 'r.debit_id')
    .select(['d.file_id', 'd.amount_cents'])
    .execute();
  return files.map((f) => {
    const own = rejected.filter((r) => r.file_id === f.id);
    return {
      id: f.id,
      number: f.number,
      date: f.date,
      collectionDate: f.collection_date,
      debitCount: f.debit_count,
      totalCents: f.total_cents,
      rejectedCount: own.length,
      rejectedCents: own.reduce((s, r) => s + r.amount_cents, 0),
      agentName: f.agent_name,
    };
  });
}

export async function debitFileDetail(db: Kysely<Database>, fileId: string) {
  const file = await db
    .selectFrom('direct_debit_files')
    .selectAll()
    .where('id', '=', fileId)
    .executeTakeFirst();
  if (!file) throw new DomainError('NOT_FOUND', 'Fichier de prélèvement introuvable.', 'fileId');
  const debits = await db
    .selectFrom('direct_debits as d')
    .innerJoin('invoices as i', 'i.id', 'd.invoice_id')
    .innerJoin('sepa_mandates as m', 'm.id', 'd.mandate_id')
    .leftJoin('direct_debit_rejections as r', 'r.debit_id', 'd.id')
    .select([
      'd.id',
      'd.position',
      'd.invoice_id as invoiceId',
      'i.number as invoiceNumber',
      'i.household_name as householdName',
      'd.household_id as householdId',
      'd.amount_cents as amountCents',
      'd.sequence',
      'd.end_to_end_id as endToEndId',
      'm.rum',
      'm.debtor_name as debtorName',
      'm.iban',
      'r.reason_code as rejectionCode',
      'r.reason as rejectionReason',
      'r.returned_on as returnedOn',
    ])
    .where('d.file_id', '=', fileId)
    .orderBy('d.position')
    .execute();
  return {
    id: file.id,
    number: file.number,
    date: file.date,
    collectionDate: file.collection_date,
    debitCount: file.debit_count,
    totalCents: file.total_cents,
    agentName: file.agent_name,
    debits: debits.map(({ iban, ...d }) => ({
      ...d,
      ibanMasked: maskedIban(iban),
      rejected: d.rejectionCode !== null,
    })),
  };
}

export async function debitFileXml(db: Kysely<Database>, fileId: string) {
  const file = await db
    .selectFrom('direct_debit_files')
    .select(['number', 'xml'])
    .where('id', '=', fileId)
    .executeTakeFirst();
  if (!file) throw new DomainError('NOT_FOUND', 'Fichier de prélèvement introuvable.', 'fileId');
  return { fileName: `prelevement-${file.number}.xml`, mimeType: 'application/xml' as const, text: file.xml };
}

/**
 * A debit the bank returned (R-transaction), entered by the régisseur with its reason code: the payment it made is
 * reversed (contre-passation with the reason), so the invoice is due again; the rejection row names the reversal.
 * The mandate's next debit is computed again from the debits that went through (core/directdebit/mandates.ts).
 */
export async function rejectDebit(
  db: Kysely<Database>,
  input: { debitId: string; reasonCode: RejectionCode; returnedOn: string; reversalId: string },
  ctx: LedgerContext,
) {
  const debit = await db
    .selectFrom('direct_debits as d')
    .innerJoin('direct_debit_files as f', 'f.id', 'd.file_id')
    .innerJoin('invoices as i', 'i.id', 'd.invoice_id')
    .select([
      'd.id',
      'd.payment_id',
      'd.amount_cents',
      'd.sequence',
      'd.mandate_id',
      'd.household_id',
      'f.number as fileNumber',
      'f.date as fileDate',
      'i.number as invoiceNumber',
    ])
    .where('d.id', '=', input.debitId)
    .executeTakeFirst();
  if (!debit) throw new DomainError('NOT_FOUND', 'Prélèvement introuvable.', 'debitId');
  const done = await db
    .selectFrom('direct_debit_rejections')
    .select('reason_code')
    .where('debit_id', '=', debit.id)
    .executeTakeFirst();
  if (done)
    throw new DomainError(
      'CONFLICT',
      `Ce prélèvement est déjà enregistré comme rejeté (${done.reason_code}).`,
      'debitId',
    );
  if (input.returnedOn < debit.fileDate)
    throw new DomainError(
      'VALIDATION',
      `Un rejet ne précède pas l’envoi du fichier (${formatLongDate(debit.fileDate)}).`,
      'returnedOn',
    );
  if (input.returnedOn > townDate(ctx.now, ctx.timeZone))
    throw new DomainError('VALIDATION', 'Un rejet ne se date pas dans le futur.', 'returnedOn');
  const reason = REJECTION_REASONS[input.reasonCode];
  const reversed = await reversePayment(
    db,
    {
      reversalId: input.reversalId,
      paymentId: debit.payment_id,
      reason: `Prélèvement rejeté par la banque (${input.reasonCode} — ${reason}), fichier ${debit.fileNumber}`,
      sessionId: null,
    },
    ctx,
  );
  await db
    .insertInto('direct_debit_rejections')
    .values({
      debit_id: debit.id,
      reason_code: input.reasonCode,
      reason,
      reversal_id: input.reversalId,
      returned_on: input.returnedOn,
      recorded_at: ctx.now.toISOString(),
      agent_id: ctx.actor.agentId,
      agent_name: ctx.actor.agentName,
    })
    .execute();
  const mandate = (await activeMandates(db, [debit.household_id])).get(debit.household_id);
  const warnings: string[] = [
    `La facture ${debit.invoiceNumber} est de nouveau à payer : ${formatEuros(debit.amount_cents)}.`,
  ];
  if (['AC01', 'AC04', 'AC06', 'MD01', 'MD07'].includes(input.reasonCode))
    warnings.push(
      'Ce motif empêche de prélever ce compte à nouveau : révoquez le mandat et demandez à la famille un nouveau mandat.',
    );
  return {
    debitId: debit.id,
    reasonCode: input.reasonCode,
    reason,
    amountCents: debit.amount_cents,
    invoiceNumber: debit.invoiceNumber,
    dueCents: reversed.dueCents,
    nextSequence: mandate?.id === debit.mandate_id ? mandate.nextSequence : null,
    warnings,
  };
}
