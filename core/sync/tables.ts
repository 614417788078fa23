/**
 * What travels between the counters and the central server: the tables a pull carries (in an order where a row's
 * parents come first). Which commands a counter pushes, and whether each is a fact (never refused for business
 * reasons) or a request (judged again by the server, possibly refused), is each command's declaration (`sync`,
 * core/api/operation.ts).
 */
export interface SyncTable {
  name: string;
  /** Primary-key columns; a row's key travels as the JSON array of their values. */
  key: readonly string[];
}

export const SYNC_TABLES: readonly SyncTable[] = [
  { name: 'settings', key: ['key'] },
  { name: 'sites', key: ['id'] },
  { name: 'activities', key: ['id'] },
  { name: 'units', key: ['id'] },
  { name: 'activity_sites', key: ['activity_id', 'site_id'] },
  { name: 'groups', key: ['id'] },
  { name: 'capacities', key: ['id'] },
  { name: 'closures', key: ['id'] },
  // The school calendar an administrator imports centrally: a counter books and refuses days by it.
  { name: 'school_holidays', key: ['id'] },
  { name: 'tariffs', key: ['id'] },
  { name: 'households', key: ['id'] },
  { name: 'guardians', key: ['id'] },
  { name: 'children', key: ['id'] },
  { name: 'pickup_persons', key: ['id'] },
  { name: 'qf_records', key: ['id'] },
  { name: 'file_checks', key: ['household_id', 'school_year', 'item'] },
  { name: 'enrolments', key: ['id'] },
  { name: 'bookings', key: ['id'] },
  // Money: the central monthly run's invoices, every counter's payments, so any counter can tell a family what it owes.
  { name: 'series', key: ['code', 'year'] },
  { name: 'invoices', key: ['id'] },
  { name: 'invoice_lines', key: ['id'] },
  { name: 'billed_services', key: ['booking_id'] },
  { name: 'credit_notes', key: ['id'] },
  { name: 'credit_note_lines', key: ['id'] },
  { name: 'cash_sessions', key: ['id'] },
  { name: 'payments', key: ['id'] },
  { name: 'receipts', key: ['id'] },
  { name: 'receipt_prints', key: ['id'] },
  { name: 'credit_uses', key: ['id'] },
  { name: 'payment_reversals', key: ['id'] },
  { name: 'allocations', key: ['id'] },
  { name: 'family_credit', key: ['id'] },
  { name: 'deposit_slips', key: ['id'] },
  { name: 'deposit_slip_cheques', key: ['payment_id'] },
  { name: 'journal', key: ['seq'] },
  { name: 'family_requests', key: ['id'] },
];

export const SYNC_TABLE_NAMES = new Set(SYNC_TABLES.map((t) => t.name));

/** Settings that belong to one machine and never travel. */
export const LOCAL_SETTING_PREFIXES = ['device.', 'sync.', 'security.'] as const;

/** Protocol version of push and pull bodies. */
export const SYNC_PROTOCOL = 1;
