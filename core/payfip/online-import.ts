import type { Kysely } from 'kysely';
import { comparableReference } from '../../shared/payfip.ts';
import { invoicesWithBalance } from '../billing/balance.ts';
import type { Database } from '../db/schema.ts';

/*
 * The online payments the DGFiP's PayFiP back office lists, as the régisseur exports them (CSV, « ; » between
 * columns): each row's invoice reference matched to an invoice, looked at before anything is recorded.
 */

export interface OnlineRow {
  line: number;
  date: string | null;
  reference: string;
  transaction: string;
  amountCents: number | null;
}

export type RowStatus = 'ready' | 'unknown' | 'paid' | 'too_much' | 'imported' | 'unreadable';

export const STATUS_WORDS: Record<RowStatus, string> = {
  ready: 'À enregistrer',
  unknown: 'Référence inconnue : aucune facture ne porte ce numéro',
  paid: 'Facture déjà soldée',
  too_much: 'Montant supérieur au reste dû de la facture',
  imported: 'Déjà enregistré (même n° de transaction)',
  unreadable: 'Ligne illisible (montant ou référence manquant)',
};

const HEADERS = {
  date: /^date/i,
  reference: /r[ée]f[ée]rence|refdet/i,
  amount: /montant/i,
  transaction: /transaction|autorisation|numauto/i,
};

/** « 30,80 », « 30.80 », « 30,80 € » → 3080; null when it is not an amount. */
function cents(text: string): number | null {
  const m = /^(\d{1,7})(?:[.,](\d{1,2}))?$/.exec(text.replace(/[\s\u00a0€]/g, ''));
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? '0').padEnd(2, '0'));
}

/** « 20/11/2026 » or « 2026-11-20 » → ISO; null otherwise. */
function isoDate(text: string): string | null {
  const fr = /^(\d{2})\/(\d{2})\/(\d{4})/.exec(text.trim());
  if (fr) return `${fr[3]}-${fr[2]}-${fr[1]}`;
  const iso = /^(\d{4}-\d{2}-\d{2})/.exec(text.trim());
  return iso ? (iso[1] ?? null) : null;
}

const cells = (line: string) => line.split(';').map((c) => c.trim().replace(/^"(.*)"$/, '$1'));

/** The rows of the file, its columns found by their header; a file without the columns is refused in words. */
export function parseOnlineCsv(text: string): { rows: OnlineRow[]; problem: string | null } {
  const lines = text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '');
  const header = cells(lines[0] ?? '');
  const col = (k: keyof typeof HEADERS) => header.findIndex((h) => HEADERS[k].test(h));
  const at = {
    date: col('date'),
    reference: col('reference'),
    amount: col('amount'),
    transaction: col('transaction'),
  };
  if (at.reference < 0 || at.amount < 0 || at.transaction < 0)
    return {
      rows: [],
      problem:
        'Fichier non reconnu : la première ligne doit nommer les colonnes « Date », « Référence », « Montant » et « Transaction », séparées par des points-virgules.',
    };
  const rows = lines.slice(1).map((l, i) => {
    const c = cells(l);
    return {
      line: i + 2,
      date: at.date >= 0 ? isoDate(c[at.date] ?? '') : null,
      reference: c[at.reference] ?? '',
      transaction: c[at.transaction] ?? '',
      amountCents: cents(c[at.amount] ?? ''),
    };
  });
  return { rows, problem: null };
}

/** Each row with the invoice it pays and what recording it would do; nothing written. */
export async function matchOnlinePayments(db: Kysely<Database>, text: string) {
  const { rows, problem } = parseOnlineCsv(text);
  const invoices = await invoicesWithBalance(db, {});
  const byReference = new Map(invoices.map((i) => [comparableReference(i.number), i]));
  const known = new Set(
    (await db.selectFrom('payments').select('online_reference').where('mode', '=', 'online').execute()).map(
      (p) => p.online_reference,
    ),
  );
  const seen = new Set<string>();
  const left = new Map(invoices.map((i) => [i.id, i.remainingCents]));
  const matched = rows.map((r) => {
    const invoice = byReference.get(comparableReference(r.reference));
    const base = {
      ...r,
      invoiceId: invoice?.id ?? null,
      invoiceNumber: invoice?.number ?? null,
      householdId: invoice?.householdId ?? null,
      householdName: invoice?.householdName ?? null,
      remainingCents: invoice ? (left.get(invoice.id) ?? 0) : null,
    };
    const status: RowStatus =
      r.amountCents === null || r.amountCents === 0 || r.reference === '' || r.transaction === ''
        ? 'unreadable'
        : known.has(r.transaction) || seen.has(r.transaction)
          ? 'imported'
          : !invoice
            ? 'unknown'
            : (left.get(invoice.id) ?? 0) === 0
              ? 'paid'
              : r.amountCents > (left.get(invoice.id) ?? 0)
                ? 'too_much'
                : 'ready';
    if (status === 'ready' && invoice && r.amountCents !== null) {
      seen.add(r.transaction);
      left.set(invoice.id, (left.get(invoice.id) ?? 0) - r.amountCents);
    }
    return { ...base, status, statusLabel: STATUS_WORDS[status] };
  });
  const ready = matched.filter((m) => m.status === 'ready');
  return {
    problem,
    rows: matched,
    totals: {
      rows: matched.length,
      ready: ready.length,
      readyCents: ready.reduce((s, m) => s + (m.amountCents ?? 0), 0),
    },
  };
}
