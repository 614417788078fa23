import { sql, type Kysely } from 'kysely';
import { chunks } from '../db/chunks.ts';
import type { Database, JournalTable } from '../db/schema.ts';
import { canonicalJson, chainHash, GENESIS_HASH, JOURNAL_COLUMNS } from './canonical.ts';
import { first, insertRows, rows } from '../db/fast-sql.ts';
import { holdTownWriterLock } from '../db/writer-lock.ts';
import { townTimeZone } from '../time.ts';
import { formatDateTime } from '../../shared/wall-clock.ts';

/**
 * The tamper-evident journal (REGIE req. 5, BOFiP model). Each financial event appends one entry whose payload is
 * the event's rows, read back from the database, as canonical JSON, and whose hash seals the previous entry's hash.
 * The check recomputes both: the chain (an entry altered, removed or moved) and the rows (a payment, invoice or
 * allocation altered or deleted behind the triggers' back, or written without its entry).
 */

export const JOURNAL_KINDS = [
  'invoice',
  'credit_note',
  'payment',
  'credit_use',
  'reversal',
  'release',
  'session_close',
  'deposit_slip',
  'cash_payin',
] as const;
export type JournalKind = (typeof JOURNAL_KINDS)[number];

export const JOURNAL_KIND_LABELS: Record<JournalKind, string> = {
  invoice: 'Facture',
  credit_note: 'Avoir',
  payment: 'Paiement',
  credit_use: 'Utilisation du crédit famille',
  reversal: 'Annulation de paiement',
  release: 'Reprise d’affectation après avoir',
  session_close: 'Clôture de caisse',
  deposit_slip: 'Bordereau de remise',
  cash_payin: 'Versement au comptable',
};

type Table = keyof typeof JOURNAL_COLUMNS;
type Row = Record<string, unknown>;

/** One block of an event's payload: the rows of `table` whose `key` column is the event's id. */
interface Part {
  table: Table;
  key: string;
  order: string;
  single: boolean;
  /** Extra SQL condition, on columns only (no user input). */
  where?: string;
}

const allocationsOf = (kind: string): Part => ({
  table: 'allocations',
  key: 'event_id',
  order: 'position',
  single: false,
  where: `event_kind = '${kind}'`,
});
const creditOf = (kind: string): Part => ({
  table: 'family_credit',
  key: 'event_id',
  order: 'id',
  single: true,
  where: `event_kind = '${kind}'`,
});
const one = (table: Table, key = 'id', where?: string): Part => ({
  table,
  key,
  order: key,
  single: true,
  ...(where ? { where } : {}),
});
const many = (table: Table, key: string, order: string): Part => ({ table, key, order, single: false });

/** What each kind of entry snapshots. Part names are payload keys: frozen with the format (see canonical.ts). */
const EVENTS: Record<JournalKind, Record<string, Part>> = {
  invoice: { invoice: one('invoices'), lines: many('invoice_lines', 'invoice_id', 'position') },
  credit_note: {
    creditNote: one('credit_notes'),
    lines: many('credit_note_lines', 'credit_note_id', 'id'),
  },
  payment: {
    payment: one('payments'),
    receipt: one('receipts', 'payment_id'),
    allocations: allocationsOf('payment'),
    credit: creditOf('payment'),
  },
  credit_use: {
    creditUse: one('credit_uses'),
    allocations: allocationsOf('credit_use'),
    credit: creditOf('credit_use'),
  },
  reversal: {
    reversal: one('payment_reversals'),
    allocations: allocationsOf('reversal'),
    credit: creditOf('reversal'),
  },
  release: { allocations: allocationsOf('release'), credit: creditOf('release') },
  session_close: { session: one('cash_sessions', 'id', 'closed_at IS NOT NULL') },
  deposit_slip: { slip: one('deposit_slips'), cheques: many('deposit_slip_cheques', 'slip_id', 'position') },
  cash_payin: { payin: one('cash_payins') },
};

/** SELECT text of a part, for all rows or for `count` event ids; built from the frozen lists, cached. */
const partTexts = new Map<string, string>();
function partText(part: Part, count: number | null): string {
  const key = `${part.table}|${part.key}|${part.where ?? ''}|${count ?? 'all'}`;
  let text = partTexts.get(key);
  if (!text) {
    const where = [
      part.where,
      count === null ? null : `${part.key} IN (${Array(count).fill('?').join(', ')})`,
    ].filter(Boolean);
    // Columns in sorted order: the rows come back with their keys already in canonical order.
    text = `SELECT ${[...JOURNAL_COLUMNS[part.table]].sort().join(', ')} FROM ${part.table}${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY ${part.key}, ${part.order}`;
    partTexts.set(key, text);
  }
  return text;
}

async function loadPart(
  db: Kysely<Database>,
  part: Part,
  ids?: readonly string[],
): Promise<Map<string, Row[]>> {
  const out = new Map<string, Row[]>();
  const add = (found: Row[]) => {
    for (const row of found) {
      const k = String(row[part.key]);
      const list = out.get(k);
      if (list) list.push(row);
      else out.set(k, [row]);
    }
  };
  if (!ids) add(await rows<Row>(db, partText(part, null)));
  else for (const slice of chunks(ids, 2000)) add(await rows<Row>(db, partText(part, slice.length), slice));
  return out;
}

/**
 * The payload data of events of one kind, rebuilt from the tables: of the given events, or of every event the
 * tables hold (an event is known from any of its rows, so a stray allocation shows up as an event without entry).
 */
export async function loadEvents(
  db: Kysely<Database>,
  kind: JournalKind,
  ids?: readonly string[],
): Promise<Map<string, Row>> {
  const parts = Object.entries(EVENTS[kind]);
  const loaded = await Promise.all(parts.map(([, p]) => loadPart(db, p, ids)));
  const refs = ids ?? [...new Set(loaded.flatMap((m) => [...m.keys()]))];
  const out = new Map<string, Row>();
  for (const ref of refs) {
    const data: Row = {};
    parts.forEach(([name, part], i) => {
      const found = loaded[i]?.get(ref) ?? [];
      data[name] = part.single ? (found.length === 0 ? null : found.length === 1 ? found[0] : found) : found;
    });
    out.set(ref, data);
  }
  return out;
}

const PRESENT_SQL = `SELECT ${JOURNAL_KINDS.map(
  (kind) =>
    `(${Object.values(EVENTS[kind])
      .map((p) => `EXISTS (SELECT 1 FROM ${p.table}${p.where ? ` WHERE ${p.where}` : ''})`)
      .join(' OR ')}) AS ${kind}`,
).join(', ')}`;

/** What an entry's payload is: its place, time, kind, event and rows, in canonical JSON. */
export const entryPayload = (seq: number, at: string, kind: string, ref: string, data: unknown): string =>
  canonicalJson({ seq, at, kind, ref, data });

async function head(db: Kysely<Database>): Promise<{ seq: number; hash: string }> {
  await holdTownWriterLock(db);
  const last = await first<{ seq: number; hash: string }>(
    db,
    'SELECT seq, hash FROM journal ORDER BY seq DESC LIMIT 1',
  );
  return last ?? { seq: 0, hash: GENESIS_HASH };
}

/**
 * Appends one entry per event, in the caller's transaction and after the event's rows are written: the payload is
 * read back from the tables, the same way the check reads it, so what is sealed is exactly what is stored.
 */
export async function journalEvents(
  db: Kysely<Database>,
  kind: JournalKind,
  refIds: readonly string[],
  at: Date,
): Promise<void> {
  if (refIds.length === 0) return;
  const data = await loadEvents(db, kind, refIds);
  let { seq, hash: prev } = await head(db);
  const when = at.toISOString();
  const entries = refIds.map((ref) => {
    seq += 1;
    const payload = entryPayload(seq, when, kind, ref, data.get(ref));
    const hash = chainHash(prev, payload);
    const row = { seq, at: when, kind, ref_id: ref, payload, prev_hash: prev, hash };
    prev = hash;
    return row;
  });
  for (const slice of chunks(entries, 400)) await insertRows(db, 'journal', slice);
}

export type JournalProblemKind = 'altered' | 'missing' | 'reordered';

export interface JournalProblem {
  /** The entry concerned, or null for a record or number that has no entry at all. */
  seq: number | null;
  problem: JournalProblemKind;
  message: string;
}

export interface JournalReport {
  ok: boolean;
  /** Whether every entry was read again (the full check), rather than those written since the last checkpoint. */
  full: boolean;
  /** Entries 1…since were vouched for by a checkpoint and not read again (0 after a full check). */
  since: number;
  /** When the checkpoint the check started from was written, null when it started from the first entry. */
  sinceAt: string | null;
  /** The entries this check read. */
  entries: number;
  lastSeq: number;
  lastHash: string;
  /** The first problem in journal order, then records without entries, then numbering gaps. */
  firstProblem: JournalProblem | null;
  problems: JournalProblem[];
}

const MAX_PROBLEMS = 50;
const PAGE = 20_000;

/** « Paiement (reçu REC-G1-2026-000004) », for the régisseur's report. */
export function describeEvent(kind: JournalKind, data: Row | undefined, ref: string): string {
  const label = JOURNAL_KIND_LABELS[kind] ?? kind;
  const pick = (part: string, col: string) => {
    const row = data?.[part];
    return row && typeof row === 'object' && !Array.isArray(row) ? (row as Row)[col] : undefined;
  };
  const number =
    pick('invoice', 'number') ??
    pick('creditNote', 'number') ??
    (pick('receipt', 'number') !== undefined ? `reçu ${String(pick('receipt', 'number'))}` : undefined) ??
    pick('slip', 'number') ??
    (pick('payin', 'reference') !== undefined ? `réf. ${String(pick('payin', 'reference'))}` : undefined);
  return number !== undefined ? `${label} ${String(number)}` : `${label} (${ref})`;
}

const isKind = (kind: string): kind is JournalKind => (JOURNAL_KINDS as readonly string[]).includes(kind);

/** The events of one kind among `ids` that still have rows: an event whose rows are all gone is left out. */
async function eventsStillThere(
  db: Kysely<Database>,
  kind: JournalKind,
  ids: readonly string[],
): Promise<Map<string, Row>> {
  const found = await loadEvents(db, kind, ids);
  for (const [ref, data] of found)
    if (Object.values(data).every((v) => v === null || (Array.isArray(v) && v.length === 0)))
      found.delete(ref);
  return found;
}

interface Problems {
  report(p: JournalProblem): void;
  list: JournalProblem[];
}

function problemList(): Problems {
  const list: JournalProblem[] = [];
  return {
    list,
    report: (p) => {
      if (list.length < MAX_PROBLEMS) list.push(p);
    },
  };
}

type Events = Map<JournalKind, Map<string, Row>>;

async function allEvents(db: Kysely<Database>): Promise<Events> {
  const events: Events = new Map();
  // One statement says which kinds have rows at all: a small journal is checked without reading empty tables.
  const present = await first<Record<JournalKind, number>>(db, PRESENT_SQL);
  for (const kind of JOURNAL_KINDS) if (present?.[kind]) events.set(kind, await loadEvents(db, kind));
  return events;
}

/** The rows of one page's events only, for a walk from a checkpoint: it reads what was written since. */
async function pageEvents(db: Kysely<Database>, page: readonly JournalTable[]): Promise<Events> {
  const refs = new Map<JournalKind, string[]>();
  for (const row of page) {
    if (!isKind(row.kind)) continue;
    const list = refs.get(row.kind);
    if (list) list.push(row.ref_id);
    else refs.set(row.kind, [row.ref_id]);
  }
  const events: Events = new Map();
  for (const [kind, ids] of refs) events.set(kind, await eventsStillThere(db, kind, ids));
  return events;
}

/**
 * Reads the entries after `from` (whose hash is `prev`) in pages, and checks each one: numbered without gap and in
 * place, sealed by its hash, chained to the one before, and matching the rows it describes as they are now.
 * Answers how many entries it read.
 */
async function walkEntries(
  db: Kysely<Database>,
  from: number,
  prevHash: string,
  { report }: Problems,
): Promise<number> {
  let expected = from + 1;
  let prev = prevHash;
  let entries = 0;
  let after = from;
  // From the first entry, every event is read: one scan per table beats looking each page's events up by id.
  const whole = from === 0 ? await allEvents(db) : null;
  for (;;) {
    const page = await rows<JournalTable>(db, 'SELECT * FROM journal WHERE seq > ? ORDER BY seq LIMIT ?', [
      after,
      PAGE,
    ]);
    if (page.length === 0) break;
    after = page.at(-1)?.seq ?? after;
    const events = whole ?? (await pageEvents(db, page));
    for (const row of page) {
      entries += 1;
      // One problem per entry, the most telling first; the walk goes on so that later entries are still checked.
      const gap = row.seq !== expected;
      if (gap) {
        report({
          seq: expected,
          problem: 'missing',
          message:
            row.seq === expected + 1
              ? `Entrée n° ${expected} manquante : le journal passe de l’entrée n° ${expected - 1} à l’entrée n° ${row.seq}.`
              : `Entrées n° ${expected} à ${row.seq - 1} manquantes : le journal passe de l’entrée n° ${expected - 1} à l’entrée n° ${row.seq}.`,
        });
      }
      const chainBroken = !gap && row.prev_hash !== prev;
      expected = row.seq + 1;
      prev = row.hash;
      const kind = isKind(row.kind) ? row.kind : null;
      const data = kind ? events.get(kind)?.get(row.ref_id) : undefined;
      const sealed = chainHash(row.prev_hash, row.payload) === row.hash;
      const altered = (message: string, seq = row.seq) => report({ seq, problem: 'altered', message });
      const previousReplaced = () =>
        row.seq > 1
          ? altered(
              `Entrée n° ${row.seq - 1} modifiée ou remplacée : l’entrée n° ${row.seq} ne la suit plus.`,
              row.seq - 1,
            )
          : altered(`Entrée n° ${row.seq} modifiée : elle n’ouvre plus le journal.`);
      // The usual case costs one string comparison: the payload is exactly what the rows give today.
      if (
        kind &&
        data !== undefined &&
        entryPayload(row.seq, row.at, row.kind, row.ref_id, data) === row.payload
      ) {
        if (!sealed)
          altered(`Entrée n° ${row.seq} modifiée : son empreinte ne correspond plus à son contenu.`);
        else if (chainBroken) previousReplaced();
        continue;
      }
      let parsed: { seq?: unknown; kind?: unknown; ref?: unknown; at?: unknown } = {};
      try {
        parsed = JSON.parse(row.payload) as typeof parsed;
      } catch {
        // An unreadable payload is an altered one: its hash no longer matches.
      }
      if (typeof parsed.seq === 'number' && parsed.seq !== row.seq) {
        report({
          seq: row.seq,
          problem: 'reordered',
          message: `Entrée n° ${row.seq} déplacée : son contenu est celui de l’entrée n° ${parsed.seq}.`,
        });
      } else if (!sealed) {
        altered(`Entrée n° ${row.seq} modifiée : son empreinte ne correspond plus à son contenu.`);
      } else if (chainBroken) {
        previousReplaced();
      } else if (!kind || parsed.kind !== row.kind || parsed.ref !== row.ref_id || parsed.at !== row.at) {
        altered(
          `Entrée n° ${row.seq} modifiée : sa nature, sa date ou sa référence ne correspondent plus à son contenu.`,
        );
      } else if (data === undefined) {
        altered(
          `${describeEvent(kind, undefined, row.ref_id)} supprimé(e) : l’entrée n° ${row.seq} du journal le mentionne.`,
        );
      } else {
        altered(
          `${describeEvent(kind, data, row.ref_id)} modifié(e) depuis son entrée n° ${row.seq} au journal.`,
        );
      }
    }
  }
  return entries;
}

/**
 * Events in the tables without their entry, whatever their age: a payment written behind the app's back is found
 * by the routine check too. One anti-join per table through the journal's (kind, ref_id) index, nothing loaded.
 */
async function eventsWithoutEntry(db: Kysely<Database>, { report }: Problems): Promise<void> {
  for (const kind of JOURNAL_KINDS) {
    const orphans = new Set<string>();
    for (const part of Object.values(EVENTS[kind])) {
      const found = await rows<{ ref: string }>(
        db,
        `SELECT DISTINCT t.${part.key} AS ref FROM ${part.table} t WHERE ${part.where ? `${part.where} AND ` : ''}NOT EXISTS (SELECT 1 FROM journal j WHERE j.kind = '${kind}' AND j.ref_id = t.${part.key})`,
      );
      for (const { ref } of found) orphans.add(String(ref));
    }
    if (orphans.size === 0) continue;
    const refs = [...orphans].sort().slice(0, MAX_PROBLEMS);
    const data = await loadEvents(db, kind, refs);
    for (const ref of refs)
      report({
        seq: null,
        problem: 'missing',
        message: `${describeEvent(kind, data.get(ref), ref)} absent(e) du journal.`,
      });
  }
}

interface Checkpoint {
  n: number;
  upto_seq: number;
  upto_hash: string;
  checked_at: string;
  full_check: number;
  prev_hash: string;
  hash: string;
}

/** What seals a checkpoint, chained to the one before it as the journal's entries are. */
const checkpointSeal = (c: Omit<Checkpoint, 'hash'>): string =>
  chainHash(
    c.prev_hash,
    canonicalJson({
      n: c.n,
      uptoSeq: c.upto_seq,
      uptoHash: c.upto_hash,
      checkedAt: c.checked_at,
      full: c.full_check,
    }),
  );

/**
 * The checkpoints, each checked: sealed and chained to the one before, and naming the hash the journal's entry
 * still has. Answers the last one when all hold. One that does not is reported and vouches for nothing: the check
 * then reads the whole journal. An honest checkpoint written before an entry was re-hashed keeps accusing it.
 */
async function lastSoundCheckpoint(db: Kysely<Database>, { report }: Problems): Promise<Checkpoint | null> {
  const all = await rows<Checkpoint & { entry_hash: string | null }>(
    db,
    'SELECT c.n, c.upto_seq, c.upto_hash, c.checked_at, c.full_check, c.prev_hash, c.hash, j.hash AS entry_hash FROM journal_checkpoints c LEFT JOIN journal j ON j.seq = c.upto_seq ORDER BY c.n',
  );
  let prev = GENESIS_HASH;
  let last: Checkpoint | null = null;
  let sound = true;
  for (const [i, c] of all.entries()) {
    const when = async () => formatDateTime(c.checked_at, await townTimeZone(db));
    if (
      c.n !== i + 1 ||
      c.prev_hash !== prev ||
      checkpointSeal(c) !== c.hash ||
      c.upto_seq < (last?.upto_seq ?? 0)
    ) {
      sound = false;
      report({
        seq: null,
        problem: 'altered',
        message: `Point de vérification n° ${c.n} falsifié : ce n’est pas celui qu’une vérification a écrit le ${await when()}, il est écarté.`,
      });
    } else if (c.entry_hash === null) {
      sound = false;
      report({
        seq: c.upto_seq,
        problem: 'missing',
        message: `Entrée n° ${c.upto_seq} supprimée depuis sa vérification du ${await when()} (point de vérification n° ${c.n}).`,
      });
    } else if (c.entry_hash !== c.upto_hash) {
      sound = false;
      report({
        seq: c.upto_seq,
        problem: 'altered',
        message: `Entrée n° ${c.upto_seq} modifiée ou remplacée depuis sa vérification du ${await when()} (point de vérification n° ${c.n}).`,
      });
    }
    prev = c.hash;
    last = c;
  }
  return sound ? last : null;
}

/**
 * The last entry a checkpoint may vouch for: on a counter, the entries not yet confirmed by the central server can
 * still be renumbered by the next sync (core/sync/rebase.ts), so a checkpoint stops before the first of them.
 */
async function lastConfirmed(db: Kysely<Database>, lastSeq: number): Promise<number> {
  const pending = await rows<{ row_key: string }>(
    db,
    "SELECT row_key FROM sync_shadow WHERE tbl = 'journal'",
  );
  let upto = lastSeq;
  for (const { row_key } of pending) {
    const seq = Number((JSON.parse(row_key) as unknown[])[0]);
    if (seq - 1 < upto) upto = seq - 1;
  }
  return upto;
}

/** Appends a checkpoint after a check that found nothing; a concurrent check having written the same number wins. */
async function writeCheckpoint(
  db: Kysely<Database>,
  previous: Checkpoint | null,
  uptoSeq: number,
  full: boolean,
  at: Date,
): Promise<void> {
  const entry = await first<{ hash: string }>(db, 'SELECT hash FROM journal WHERE seq = ?', [uptoSeq]);
  if (!entry) return;
  const c = {
    n: (previous?.n ?? 0) + 1,
    upto_seq: uptoSeq,
    upto_hash: entry.hash,
    checked_at: at.toISOString(),
    full_check: full ? 1 : 0,
    prev_hash: previous?.hash ?? GENESIS_HASH,
  };
  try {
    await insertRows(db, 'journal_checkpoints', [{ ...c, hash: checkpointSeal(c) }]);
  } catch (error) {
    // Another server process, checking at the same moment, wrote checkpoint n: it vouches for as much.
    const taken = await first(db, 'SELECT 1 FROM journal_checkpoints WHERE n = ?', [c.n]);
    if (!taken) throw error;
  }
}

export interface VerifyOptions {
  /** Read every entry again, whatever the checkpoints say (the régisseur's full check, a backup being restored). */
  full?: boolean;
  /** When the check runs: the checkpoint it writes is dated so. */
  at?: Date;
}

/**
 * Checks the journal: every entry sealed by its hash and chained to the one before, numbered without gap and in
 * place, and matching the rows it describes as they are now; every event in the tables journaled; every series of
 * numbers without gap. The routine check reads only the entries written since the last checkpoint, and links the
 * first of them to it; the full check reads them all. A check that finds nothing writes a checkpoint. Reports the
 * first problem found, in journal order.
 */
export async function verifyJournal(
  db: Kysely<Database>,
  options: VerifyOptions = {},
): Promise<JournalReport> {
  const full = options.full === true;
  const problems = problemList();
  // Said after the entries: the walk names what was changed, the checkpoint only that it changed after a check.
  const checkpointProblems = problemList();
  const checkpoint = await lastSoundCheckpoint(db, checkpointProblems);
  const start = full ? null : checkpoint;
  const since = start?.upto_seq ?? 0;
  const entries = await walkEntries(db, since, start?.upto_hash ?? GENESIS_HASH, problems);
  for (const p of checkpointProblems.list) problems.report(p);
  await eventsWithoutEntry(db, problems);
  for (const p of await numberingGaps(db)) problems.report(p);

  const last = await head(db);
  const ok = problems.list.length === 0;
  if (ok) {
    const upto = await lastConfirmed(db, last.seq);
    if (upto > (checkpoint?.upto_seq ?? 0) || (full && upto > 0))
      await writeCheckpoint(db, checkpoint, upto, full, options.at ?? new Date());
  }
  return {
    ok,
    full,
    since,
    sinceAt: start?.checked_at ?? null,
    entries,
    lastSeq: last.seq,
    lastHash: last.hash,
    firstProblem: problems.list[0] ?? null,
    problems: problems.list,
  };
}

/** Each series' documents must be numbered 1…n with n the last number the series gave: no number lost or added. */
async function numberingGaps(db: Kysely<Database>): Promise<JournalProblem[]> {
  const r = await sql<{
    code: string;
    year: number;
    prefix: string;
    next: number;
    n: number | null;
    hi: number | null;
  }>`
    SELECT s.code, s.year, s.prefix, s.next_number AS next, d.n, d.hi FROM series s LEFT JOIN (
      SELECT series_code, series_year, count(DISTINCT seq) AS n, max(seq) AS hi FROM (
        SELECT series_code, series_year, seq FROM invoices
        UNION ALL SELECT series_code, series_year, seq FROM credit_notes
        UNION ALL SELECT series_code, series_year, seq FROM receipts
        UNION ALL SELECT series_code, series_year, seq FROM deposit_slips
        UNION ALL SELECT series_code, series_year, seq FROM direct_debit_files
        UNION ALL SELECT series_code, series_year, seq FROM titre_exports
      ) AS numbered GROUP BY series_code, series_year
    ) d ON d.series_code = s.code AND d.series_year = s.year
    ORDER BY s.code, s.year`.execute(db);
  const out: JournalProblem[] = [];
  for (const s of r.rows) {
    const given = s.next - 1;
    if ((s.n ?? 0) !== given || (s.hi ?? 0) !== given) {
      out.push({
        seq: null,
        problem: 'missing',
        message: `Série ${s.prefix}… : ${given} numéro(s) attribué(s), ${s.n ?? 0} document(s) présent(s) — numérotation interrompue.`,
      });
    }
  }
  return out;
}
