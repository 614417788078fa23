import type { Kysely } from 'kysely';
import { DomainError } from '../api/envelope.ts';
import { formatMonth } from '../billing/format.ts';
import type { LedgerContext } from '../billing/ledger.ts';
import { invoicesWithBalance } from '../billing/balance.ts';
import { unpaidInvoices } from '../billing/read.ts';
import { takeNumber, type SeriesDef } from '../billing/series.ts';
import type { Database } from '../db/schema.ts';
import { activeMandates, lapsesOn } from '../directdebit/mandates.ts';
import { loadCreditor } from '../directdebit/settings.ts';
import type { Sequence } from '../directdebit/sepa-rules.ts';
import { townDate } from '../time.ts';
import { pesAllerXml, type PesPiece } from './pes-aller.ts';
import { loadPesSettings, pesGaps } from './settings.ts';

/** The exports to the Trésorerie: « PES-2026-000001 », restarting each year, never a gap. */
export const TITRE_EXPORT_SERIES: SeriesDef = {
  code: 'PES',
  kind: 'titre_export',
  label: 'Exports de titres de recettes (PES V2)',
};

export interface TitreCandidate {
  invoiceId: string;
  invoiceNumber: string;
  householdId: string;
  householdName: string;
  periodMonth: string | null;
  dueDate: string;
  amountCents: number;
  /** The debit the line carries, where the Trésorerie collects the town's debits (ORMC); null otherwise. */
  debit: TitreDebit | null;
}

export interface TitreDebit {
  mandateId: string;
  rum: string;
  ibanMasked: string;
  sequence: Sequence;
  collectionDate: string;
}

export interface TitreDebtor {
  householdId: string;
  householdName: string;
  payerName: string;
  payerAddress: string;
  totalCents: number;
  /** Whether its invoices leave with their SEPA debit (ORMC). */
  debited: boolean;
  invoices: TitreCandidate[];
}

/**
 * What an export on `asOf` would hand to the Trésorerie: the invoices past due with something left, never exported
 * before, grouped by debtor; a debtor whose grouped debts stay under the recovery minimum is held back (its
 * invoices wait, and join a later export once the debtor owes more).
 *
 * Where the Trésorerie collects the town's debits (ORMC, Paramètres › Prélèvement), a family whose mandate is in
 * force on `collectionDate` has every invoice with something left (issued by `asOf`, due or not) in the export,
 * each line carrying its debit on that date; such a debtor is not held back by the minimum — the debit is how it
 * pays, not a recovery.
 */
export async function titreCandidates(
  db: Kysely<Database>,
  asOf: string,
  collectionDate: string | null = null,
) {
  const settings = await loadPesSettings(db);
  const creditor = await loadCreditor(db);
  const ormc = creditor.channel === 'ormc' && collectionDate !== null;
  const unpaid = await unpaidInvoices(db, asOf);
  const open = ormc
    ? (await invoicesWithBalance(db, {})).filter((i) => i.remainingCents > 0 && i.issueDate <= asOf)
    : [];
  const mandates = ormc ? await activeMandates(db, [...new Set(open.map((i) => i.householdId))]) : new Map();
  const debitOf = (householdId: string): TitreDebit | null => {
    const m = mandates.get(householdId);
    if (!m || !collectionDate) return null;
    // The same mandates as a pain.008 file would debit: signed by the collection date, not lapsed (36 months).
    if (m.signedOn > collectionDate || collectionDate >= lapsesOn(m.signedOn, m.lastCollection)) return null;
    return {
      mandateId: m.id,
      rum: m.rum,
      ibanMasked: m.ibanMasked,
      sequence: m.nextSequence,
      collectionDate,
    };
  };
  const rows = [...unpaid.invoices];
  const seen = new Set(rows.map((i) => i.id));
  for (const i of open)
    if (!seen.has(i.id) && debitOf(i.householdId)) rows.push({ ...i, daysLate: 0, belowMinimum: false });
  const ids = rows.map((i) => i.id);
  const exported = new Set(
    ids.length === 0
      ? []
      : (
          await db
            .selectFrom('titre_export_invoices')
            .select('invoice_id')
            .where('invoice_id', 'in', ids)
            .execute()
        ).map((r) => r.invoice_id),
  );
  const byDebtor = new Map<string, TitreDebtor>();
  for (const i of rows) {
    if (exported.has(i.id)) continue;
    const d = byDebtor.get(i.householdId) ?? {
      householdId: i.householdId,
      householdName: i.householdName,
      payerName: i.payerName,
      payerAddress: i.payerAddress,
      totalCents: 0,
      debited: false,
      invoices: [],
    };
    const debit = debitOf(i.householdId);
    d.invoices.push({
      invoiceId: i.id,
      invoiceNumber: i.number,
      householdId: i.householdId,
      householdName: i.householdName,
      periodMonth: i.periodMonth,
      dueDate: i.dueDate,
      amountCents: i.remainingCents,
      debit,
    });
    d.debited ||= debit !== null;
    d.totalCents += i.remainingCents;
    byDebtor.set(i.householdId, d);
  }
  const debtors = [...byDebtor.values()];
  const held = (d: TitreDebtor) => !d.debited && d.totalCents < settings.minimumCents;
  const kept = debtors.filter((d) => !held(d));
  return {
    asOf,
    channel: creditor.channel,
    collectionDate: ormc ? collectionDate : null,
    minimumCents: settings.minimumCents,
    gaps: pesGaps(settings),
    debtors: kept,
    belowMinimum: debtors.filter(held),
    totals: {
      debtors: kept.length,
      invoices: kept.reduce((s, d) => s + d.invoices.length, 0),
      totalCents: kept.reduce((s, d) => s + d.totalCents, 0),
      debits: kept.reduce((s, d) => s + d.invoices.filter((i) => i.debit).length, 0),
    },
  };
}

export interface PreparedTitre {
  invoiceId: string;
  householdId: string;
  amountCents: number;
  piece: number;
  line: number;
  /** The debit fixed where the export was prepared (ORMC): the mandate, its sequence, the collection date. */
  mandateId?: string | null;
  sequence?: Sequence | null;
  collectionDate?: string | null;
}

const invoiceObject = (periodMonth: string | null) =>
  periodMonth
    ? `Services périscolaires et de loisirs, ${formatMonth(periodMonth)}`
    : 'Services périscolaires et de loisirs';

/**
 * Writes the export as prepared (core/pes/operations.ts fixed its number and its invoices before it was logged):
 * its number in the series, its XML built from the debtors as the town's file knows them today, each invoice's
 * row — the primary key refusing an invoice exported before.
 */
export async function createTitreExport(
  db: Kysely<Database>,
  input: { exportId: string; number: string; asOf: string; titres: readonly PreparedTitre[] },
  series: SeriesDef,
  ctx: LedgerContext,
) {
  // An invoice goes to the Trésorerie once: refused here in words, and by the primary key whatever happens.
  const already = await db
    .selectFrom('titre_export_invoices as t')
    .innerJoin('titre_exports as e', 'e.id', 't.export_id')
    .innerJoin('invoices as i', 'i.id', 't.invoice_id')
    .select(['i.number', 'e.number as exportNumber'])
    .where('t.invoice_id', 'in', input.titres.map((t) => t.invoiceId).concat(''))
    .executeTakeFirst();
  if (already)
    throw new DomainError(
      'CONFLICT',
      `La facture ${already.number} a déjà été transmise à la Trésorerie (export ${already.exportNumber}).`,
      'titres',
    );
  const settings = await loadPesSettings(db);
  const date = townDate(ctx.now, ctx.timeZone);
  const numbered = await takeNumber(db, series, date, input.number, ctx);
  const invoices = new Map(
    (
      await db
        .selectFrom('invoices')
        .select(['id', 'number', 'period_month'])
        .where('id', 'in', input.titres.map((t) => t.invoiceId).concat(''))
        .execute()
    ).map((i) => [i.id, i]),
  );
  const households = [...new Set(input.titres.map((t) => t.householdId))];
  const homes = new Map(
    (
      await db
        .selectFrom('households as h')
        .leftJoin('guardians as g', (j) =>
          j.onRef('g.household_id', '=', 'h.id').onRef('g.rank', '=', 'h.payer_rank'),
        )
        .select([
          'h.id',
          'h.name',
          'h.address_line1',
          'h.postal_code',
          'h.city',
          'g.civility',
          'g.last_name',
          'g.first_name',
        ])
        .where('h.id', 'in', households.concat(''))
        .execute()
    ).map((h) => [h.id, h]),
  );
  const mandates = new Map(
    (
      await db
        .selectFrom('sepa_mandates')
        .select(['id', 'rum', 'signed_on', 'iban', 'bic', 'debtor_name'])
        .where('id', 'in', input.titres.flatMap((t) => (t.mandateId ? [t.mandateId] : [])).concat(''))
        .execute()
    ).map((m) => [m.id, m]),
  );
  const pieceNumbers = [...new Set(input.titres.map((t) => t.piece))].sort((a, b) => a - b);
  const pieces: PesPiece[] = pieceNumbers.map((n) => {
    const titres = input.titres.filter((t) => t.piece === n).sort((a, b) => a.line - b.line);
    const home = homes.get(titres[0]?.householdId ?? '');
    if (!home) throw new DomainError('NOT_FOUND', 'Foyer introuvable.', 'titres');
    const lines = titres.map((t) => {
      const inv = invoices.get(t.invoiceId);
      if (!inv) throw new DomainError('NOT_FOUND', 'Facture introuvable.', 'titres');
      const m = t.mandateId ? mandates.get(t.mandateId) : undefined;
      if (t.mandateId && (!m || !t.sequence || !t.collectionDate))
        throw new DomainError('NOT_FOUND', 'Mandat de prélèvement introuvable.', 'titres');
      return {
        invoiceNumber: inv.number,
        object: invoiceObject(inv.period_month),
        amountCents: t.amountCents,
        debit:
          m && t.sequence && t.collectionDate
            ? {
                collectionDate: t.collectionDate,
                sequence: t.sequence,
                rum: m.rum,
                signedOn: m.signed_on,
                label: `Facture ${inv.number} ${inv.period_month ? formatMonth(inv.period_month) : ''}`,
                iban: m.iban,
                bic: m.bic,
                holder: m.debtor_name,
              }
            : null,
      };
    });
    return {
      number: n,
      object:
        lines.length === 1 ? `Facture ${lines[0]?.invoiceNumber ?? ''}` : `${lines.length} factures impayées`,
      civility: home.civility ?? null,
      lastName: home.last_name ?? home.name,
      firstName: home.first_name ?? null,
      street: home.address_line1,
      postalCode: home.postal_code,
      city: home.city,
      lines,
    };
  });
  const xml = pesAllerXml({
    fileName: `${numbered.number}.xml`,
    date,
    year: numbered.year,
    bordereau: numbered.seqs[0] as number,
    // With debits (ORMC), not every line is an unpaid debt: the object says both.
    object: input.titres.some((t) => t.mandateId)
      ? `Factures des services enfance au ${input.asOf}, dont ${input.titres.filter((t) => t.mandateId).length} à prélever`
      : `Factures impayées des services enfance au ${input.asOf}`,
    town: settings,
    pieces,
  });
  const total = input.titres.reduce((s, t) => s + t.amountCents, 0);
  await db
    .insertInto('titre_exports')
    .values({
      id: input.exportId,
      number: numbered.number,
      series_code: numbered.seriesCode,
      series_year: numbered.year,
      seq: numbered.seqs[0] as number,
      created_at: ctx.now.toISOString(),
      date,
      as_of: input.asOf,
      piece_count: pieces.length,
      invoice_count: input.titres.length,
      total_cents: total,
      xml,
      agent_id: ctx.actor.agentId,
      agent_name: ctx.actor.agentName,
      device_id: ctx.actor.deviceId,
    })
    .execute();
  for (const t of input.titres)
    await db
      .insertInto('titre_export_invoices')
      .values({
        invoice_id: t.invoiceId,
        export_id: input.exportId,
        household_id: t.householdId,
        piece: t.piece,
        line: t.line,
        amount_cents: t.amountCents,
        mandate_id: t.mandateId ?? null,
        sequence: t.mandateId ? (t.sequence ?? null) : null,
        collection_date: t.mandateId ? (t.collectionDate ?? null) : null,
      })
      .execute();
  return {
    id: input.exportId,
    number: numbered.number,
    pieceCount: pieces.length,
    invoiceCount: input.titres.length,
    totalCents: total,
  };
}

export async function listTitreExports(db: Kysely<Database>) {
  const rows = await db
    .selectFrom('titre_exports')
    .select(['id', 'number', 'date', 'as_of', 'piece_count', 'invoice_count', 'total_cents', 'agent_name'])
    .orderBy('created_at', 'desc')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    number: r.number,
    date: r.date,
    asOf: r.as_of,
    pieceCount: r.piece_count,
    invoiceCount: r.invoice_count,
    totalCents: r.total_cents,
    agentName: r.agent_name,
  }));
}

export async function titreExportXml(db: Kysely<Database>, exportId: string) {
  const row = await db
    .selectFrom('titre_exports')
    .select(['number', 'xml'])
    .where('id', '=', exportId)
    .executeTakeFirst();
  if (!row) throw new DomainError('NOT_FOUND', 'Export introuvable.', 'exportId');
  return { fileName: `titres-${row.number}.xml`, mimeType: 'application/xml' as const, text: row.xml };
}
