import { createHash } from 'node:crypto';

/**
 * The journal's format, frozen: every stored hash depends on these functions and lists, so changing them would make
 * every past entry look altered. A new format would need a new journal kind, never an edit here.
 */

/** The previous hash of the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

const quotedKeys = new Map<string, string>();
const quote = (key: string): string => {
  let q = quotedKeys.get(key);
  if (q === undefined) {
    q = JSON.stringify(key);
    if (quotedKeys.size < 10_000) quotedKeys.set(key, q);
  }
  return q;
};

/**
 * JSON with object keys sorted at every level and no whitespace: the same rows give the same bytes whatever order
 * SQLite returns columns in or the code builds objects in. Only what JSON carries is allowed (strings, finite
 * numbers, booleans, null, arrays, plain objects); `undefined` members are left out as JSON.stringify does.
 * Written for speed (the check of a 100,000-entry journal serialises every row): keys already in order, as the
 * journal's reads return them, are not sorted again, and the output is built by concatenation.
 */
export function canonicalJson(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new Error('canonicalJson: nombre non fini');
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object': {
      if (Array.isArray(value)) {
        let out = '[';
        for (let i = 0; i < value.length; i++) out += (i ? ',' : '') + canonicalJson(value[i]);
        return `${out}]`;
      }
      const obj = value as Record<string, unknown>;
      let keys = Object.keys(obj);
      for (let i = 1; i < keys.length; i++) {
        // The same order as Array.prototype.sort's default (UTF-16 code units).
        if (!((keys[i - 1] as string) < (keys[i] as string))) {
          keys = [...keys].sort();
          break;
        }
      }
      let out = '{';
      let first = true;
      for (const k of keys) {
        const v = obj[k];
        if (v === undefined) continue;
        out += `${first ? '' : ','}${quote(k)}:${canonicalJson(v)}`;
        first = false;
      }
      return `${out}}`;
    }
    default:
      throw new Error(`canonicalJson: type ${typeof value} non représentable`);
  }
}

/** sha256(previous hash + payload), hex: each entry seals the one before it. */
export const chainHash = (prevHash: string, payload: string): string =>
  createHash('sha256').update(prevHash).update(payload).digest('hex');

/**
 * The columns of each table an entry's payload snapshots, as they were when the journal was introduced (schema 5).
 * Listed rather than `SELECT *`: a column added by a later migration must not change the payload of past events.
 */
export const JOURNAL_COLUMNS = {
  invoices: [
    'id',
    'number',
    'series_code',
    'series_year',
    'seq',
    'household_id',
    'kind',
    'issue_date',
    'due_date',
    'period_month',
    'total_cents',
    'household_name',
    'payer_name',
    'payer_address',
    'status',
    'created_at',
    'agent_id',
    'device_id',
  ],
  invoice_lines: [
    'id',
    'invoice_id',
    'position',
    'kind',
    'child_id',
    'child_name',
    'activity_id',
    'activity_name',
    'unit_code',
    'unit_label',
    'service_dates',
    'period',
    'quantity',
    'unit_price_cents',
    'amount_cents',
    'base_cents',
    'surcharge_cents',
    'surcharge_reason',
    'qf_value',
    'basis',
    'enrolment_id',
  ],
  credit_notes: [
    'id',
    'number',
    'series_code',
    'series_year',
    'seq',
    'invoice_id',
    'household_id',
    'issue_date',
    'reason',
    'total_cents',
    'created_at',
    'agent_id',
    'device_id',
  ],
  credit_note_lines: ['id', 'credit_note_id', 'invoice_line_id', 'amount_cents', 'booking_id'],
  payments: [
    'id',
    'household_id',
    'mode',
    'amount_cents',
    'received_at',
    'date',
    'session_id',
    'household_name',
    'payer_name',
    'cheque_number',
    'cheque_bank',
    'cheque_drawer',
    'cheque_date',
    'card_authorisation',
    'card_transaction',
    'card_last4',
    'vouchers',
    'online_reference',
    'note',
    'override_reason',
    'override_by',
    'override_by_name',
    'agent_id',
    'agent_name',
    'device_id',
  ],
  receipts: ['id', 'payment_id', 'number', 'series_code', 'series_year', 'seq', 'issue_date'],
  credit_uses: ['id', 'household_id', 'used_at', 'date', 'agent_id', 'device_id'],
  payment_reversals: [
    'id',
    'payment_id',
    'household_id',
    'amount_cents',
    'reason',
    'reversed_at',
    'date',
    'session_id',
    'agent_id',
    'agent_name',
    'device_id',
  ],
  allocations: [
    'id',
    'event_kind',
    'event_id',
    'position',
    'household_id',
    'invoice_id',
    'payment_id',
    'amount_cents',
    'undoes_id',
    'created_at',
    'date',
  ],
  family_credit: ['id', 'event_kind', 'event_id', 'household_id', 'amount_cents', 'created_at', 'date'],
  cash_sessions: [
    'id',
    'device_id',
    'opened_at',
    'open_date',
    'opened_by',
    'opened_by_name',
    'float_cents',
    'float_denominations',
    'closed_at',
    'closed_by',
    'closed_by_name',
    'expected_cents',
    'counted_cents',
    'difference_cents',
    'difference_reason',
    'counted_denominations',
    'totals',
    'locked',
  ],
  deposit_slips: [
    'id',
    'number',
    'series_code',
    'series_year',
    'seq',
    'created_at',
    'date',
    'cheque_count',
    'total_cents',
    'agent_id',
    'agent_name',
    'device_id',
  ],
  deposit_slip_cheques: ['payment_id', 'slip_id', 'position'],
} as const;
