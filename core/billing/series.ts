import type { Kysely } from 'kysely';
import { DomainError } from '../api/envelope.ts';
import { remark } from '../api/facts.ts';
import type { Remark } from '../api/operation.ts';
import type { Database } from '../db/schema.ts';
import { seriesPrefixKey } from '../system/device-keys.ts';
import { first, rows } from '../db/fast-sql.ts';
import { readSetting } from '../db/settings.ts';
import { formatLongDate } from './format.ts';
import { holdTownWriterLock } from '../db/writer-lock.ts';

export interface SeriesDef {
  code: string;
  kind: 'invoice' | 'credit_note' | 'receipt' | 'deposit_slip' | 'direct_debit_file' | 'titre_export';
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
  await holdTownWriterLock(db);
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

/**
 * The last number this device printed in a series and year: a local setting (`device.` keys never travel, and a
 * rebase leaves them alone), so that a number printed here is never printed again even when the series itself goes
 * back — a fact of this counter the server could not record, whose number the server's copy of the series lacks.
 */
const lastPrintedKey = (code: string, year: number) => `device.lastPrinted.${code}.${year}`;

// Fixed SQL text (core/payments/fast-sql.ts): a payment takes a number, and must stay within its few milliseconds.
const seriesRow = (db: Kysely<Database>, code: string, year: number) =>
  first<{ next_number: number; last_issue_date: string | null; prefix: string }>(
    db,
    'SELECT next_number, last_issue_date, prefix FROM series WHERE code = ? AND year = ?',
    [code, year],
  );
const lastPrinted = async (db: Kysely<Database>, code: string, year: number): Promise<number> => {
  const r = await first<{ value: string }>(db, 'SELECT value FROM settings WHERE key = ?', [
    lastPrintedKey(code, year),
  ]);
  return r ? Number(JSON.parse(r.value)) : 0;
};

/**
 * The number the next document of `series` dated `issueDate` takes here, without taking it: what a fact's `prepare`
 * logs, so that every store that records the fact records it under the number printed on its paper.
 */
export async function peekNumber(
  db: Kysely<Database>,
  series: SeriesDef,
  issueDate: string,
): Promise<string> {
  const year = Number(issueDate.slice(0, 4));
  const row = await seriesRow(db, series.code, year);
  const printed = await lastPrinted(db, series.code, year);
  return format(row?.prefix ?? `${series.code}-${year}-`, Math.max(row?.next_number ?? 1, printed + 1));
}

/**
 * Records one document of a fact (receipt, deposit slip, credit note) under the number printed on it, in the caller's
 * transaction. Where the fact is made, that number is the one `peekNumber` gave, and the series' chronological order
 * is checked. Where it runs again (`ctx.remarks` set: the server, a counter's rebase), the printed number stands,
 * whatever its date. Should the series have gone past it (a counter restored from an old backup printed a number
 * twice) or the number belong to another series, the document takes the series' next number and the régisseur is
 * told; numbers the series never received before it stay a gap, which the journal check shows.
 */
export async function takeNumber(
  db: Kysely<Database>,
  series: SeriesDef,
  issueDate: string,
  printed: string | undefined,
  ctx: { remarks?: Remark[] | undefined },
): Promise<Allocated & { number: string }> {
  await holdTownWriterLock(db);
  const year = Number(issueDate.slice(0, 4));
  const prefix = `${series.code}-${year}-`;
  let row = await seriesRow(db, series.code, year);
  if (!row) {
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
  const tail = printed?.startsWith(row.prefix) ? printed.slice(row.prefix.length) : null;
  const given = tail !== null && /^\d{1,9}$/.test(tail) ? Number(tail) : null;
  let seq: number;
  if (!ctx.remarks) {
    if (row.last_issue_date !== null && issueDate < row.last_issue_date) {
      throw new DomainError(
        'CONFLICT',
        `La série ${series.code}-${year} a déjà un document daté du ${formatLongDate(row.last_issue_date)} : ` +
          `la date d’émission ne peut pas être antérieure (numérotation chronologique).`,
        'issueDate',
      );
    }
    seq = Math.max(row.next_number, (await lastPrinted(db, series.code, year)) + 1, given ?? 0);
    await rows(
      db,
      'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      [lastPrintedKey(series.code, year), JSON.stringify(seq)],
    );
  } else if (given !== null && given >= row.next_number) {
    seq = given;
    if (given > row.next_number)
      remark(
        ctx,
        'NUMBER_GAP',
        `Le document n° ${printed} a été enregistré sous son numéro, mais les n° ${format(row.prefix, row.next_number)} à ${format(row.prefix, given - 1)} ne sont jamais parvenus au serveur : la série a un trou à expliquer.`,
      );
  } else {
    seq = row.next_number;
    if (printed !== undefined)
      remark(
        ctx,
        given === null ? 'NUMBER_CHANGED' : 'NUMBER_TAKEN',
        given === null
          ? `Le document remis porte le n° ${printed}, d’une autre série : il est enregistré sous le n° ${format(row.prefix, seq)}.`
          : `Le document remis porte le n° ${printed}, déjà attribué dans la série (poste restauré depuis une sauvegarde ?) : il est enregistré sous le n° ${format(row.prefix, seq)}.`,
      );
  }
  await rows(
    db,
    'UPDATE series SET next_number = ?, last_issue_date = ? WHERE code = ? AND year = ? AND next_number = ?',
    [
      seq + 1,
      row.last_issue_date !== null && row.last_issue_date > issueDate ? row.last_issue_date : issueDate,
      series.code,
      year,
      row.next_number,
    ],
  );
  const number = format(row.prefix, seq);
  return { seriesCode: series.code, year, seqs: [seq], numbers: [number], number };
}
