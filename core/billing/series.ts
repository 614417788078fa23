import type { Kysely } from 'kysely';
import { DomainError } from '../api/envelope.ts';
import type { Database } from '../db/schema.ts';
import { seriesPrefixKey } from '../payments/modes.ts';
import { readSetting } from '../system/settings.ts';
import { formatLongDate } from './format.ts';

export interface SeriesDef {
  code: string;
  kind: 'invoice' | 'credit_note' | 'receipt' | 'deposit_slip';
  label: string;
}

/**
 * The series this version knows. The monthly run has its own; the counter's pay-at-booking invoices another (the
 * sync issue will give each counter its own code); credit notes theirs. Each restarts at 1 every year (REGIE §2).
 */
export const SERIES = {
  monthly: { code: 'FAC', kind: 'invoice', label: 'Factures mensuelles' },
  counter: { code: 'GUI', kind: 'invoice', label: 'Factures du guichet (paiement à la réservation)' },
  creditNote: { code: 'AV', kind: 'credit_note', label: 'Avoirs' },
} as const satisfies Record<string, SeriesDef>;

/** A series as this device issues it: its own copy when the central server gave it a prefix (see seriesPrefixKey). */
export async function deviceSeries(
  db: Kysely<Database>,
  base: SeriesDef,
  deviceId: string,
): Promise<SeriesDef> {
  const prefix = await readSetting<string>(db, seriesPrefixKey(deviceId));
  return prefix
    ? { ...base, code: `${base.code}-${prefix}`, label: `${base.label} — guichet ${prefix}` }
    : base;
}

export interface Allocated {
  seriesCode: string;
  year: number;
  seqs: number[];
  numbers: string[];
}

const format = (prefix: string, seq: number) => `${prefix}${String(seq).padStart(6, '0')}`;

/**
 * Takes `count` consecutive numbers from a series for documents dated `issueDate`, in the caller's transaction:
 * if the documents are not written, the transaction rolls back and the numbers were never taken, so a series has
 * no gap and no number twice. Refuses a date earlier than the last one numbered (numbers are chronological).
 */
export async function allocateNumbers(
  db: Kysely<Database>,
  series: SeriesDef,
  issueDate: string,
  count: number,
): Promise<Allocated> {
  const year = Number(issueDate.slice(0, 4));
  const find = () =>
    db
      .selectFrom('series')
      .select(['next_number', 'last_issue_date', 'prefix'])
      .where('code', '=', series.code)
      .where('year', '=', year)
      .executeTakeFirst();
  let row = await find();
  if (!row) {
    if (count === 0) return { seriesCode: series.code, year, seqs: [], numbers: [] };
    // A series opens with its first document of the year.
    const prefix = `${series.code}-${year}-`;
    await db
      .insertInto('series')
      .values({
        code: series.code,
        year,
        kind: series.kind,
        label: series.label,
        prefix,
        next_number: 1,
        last_issue_date: null,
      })
      .execute();
    row = { next_number: 1, last_issue_date: null, prefix };
  }
  if (row.last_issue_date !== null && issueDate < row.last_issue_date) {
    throw new DomainError(
      'CONFLICT',
      `La série ${series.code}-${year} a déjà un document daté du ${formatLongDate(row.last_issue_date)} : ` +
        `la date d’émission ne peut pas être antérieure (numérotation chronologique).`,
      'issueDate',
    );
  }
  if (count === 0) return { seriesCode: series.code, year, seqs: [], numbers: [] };
  await db
    .updateTable('series')
    .set({ next_number: row.next_number + count, last_issue_date: issueDate })
    .where('code', '=', series.code)
    .where('year', '=', year)
    .where('next_number', '=', row.next_number)
    .execute();
  const seqs = Array.from({ length: count }, (_, i) => row.next_number + i);
  return { seriesCode: series.code, year, seqs, numbers: seqs.map((s) => format(row.prefix, s)) };
}
