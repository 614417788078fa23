import type { Generated } from 'kysely';

/** The tables as kysely sees them. Booleans are 0/1, money integer cents, dates ISO text. */
export interface SettingsTable {
  key: string;
  value: string;
}

export interface HouseholdsTable {
  id: string;
  name: string;
  address_line1: string;
  address_line2: string;
  postal_code: string;
  city: string;
  email: string;
  phone_home: string;
  phone_mobile: string;
  payer_rank: number;
  invoice_delivery: string;
  /** Migration 0019: the CAF allocataire number, '' when none. */
  caf_number: Generated<string>;
  created_at: string;
  updated_at: string;
}

export interface GuardiansTable {
  id: string;
  household_id: string;
  rank: number;
  civility: string;
  last_name: string;
  first_name: string;
  relationship: string;
  phone_mobile: string;
  phone_work: string;
  email: string;
  may_pick_up: number;
  updated_at: string;
}

export interface ChildrenTable {
  id: string;
  household_id: string;
  last_name: string;
  first_name: string;
  birth_date: string;
  school: string;
  class_level: string;
  image_consent: number;
  /** Written no more since migration 0012 (health_records); read as the fiche of a child without a version. */
  health_notes: Generated<string>;
  updated_at: string;
  left_on: Generated<string | null>;
  anonymised_at: Generated<string | null>;
}

export interface PickupPersonsTable {
  id: string;
  household_id: string;
  last_name: string;
  first_name: string;
  relationship: string;
  phone: string;
  updated_at: string;
}

export interface QfRecordsTable {
  id: string;
  household_id: string;
  value: number;
  source: string;
  effective_month: string;
  end_month: string | null;
  recorded_at: string;
  updated_at: string;
  /** Migration 0019: where the QF was checked (CDAP, API Particulier, a paper notice), when, by whom. */
  checked_via: Generated<'cdap' | 'api_particulier' | 'document' | null>;
  checked_on: Generated<string | null>;
  checked_by: Generated<string | null>;
}

export interface CommandLogTable {
  seq: Generated<number>;
  id: string;
  name: string;
  input: string;
  agent_id: string;
  device_id: string;
  at: string;
}

export interface SearchDocsTable {
  rowid: Generated<number>;
  household_id: string;
  kind: string;
  ref_id: string;
  label: string;
  household_name: string;
  summary: string;
  text: string;
}

export interface SchemaMigrationsTable {
  version: number;
  name: string;
  applied_at: string;
}

export interface SitesTable {
  id: string;
  name: string;
  address: string;
}

export interface ActivitiesTable {
  id: string;
  code: string;
  name: string;
  kind: string;
  /** JSON of core/activities/settings.ts `ActivitySettings`. */
  settings: string;
  sort: number;
  updated_at: string;
}

export interface UnitsTable {
  id: string;
  activity_id: string;
  code: string;
  label: string;
  /** JSON array of ISO weekdays. */
  weekdays: string;
  sort: number;
}

export interface ActivitySitesTable {
  activity_id: string;
  site_id: string;
}

export interface GroupsTable {
  id: string;
  activity_id: string;
  name: string;
  places: number | null;
}

export interface CapacitiesTable {
  id: string;
  site_id: string;
  unit_id: string;
  date: string | null;
  places: number;
}

export interface ClosuresTable {
  id: string;
  site_id: string | null;
  first_day: string;
  last_day: string;
  label: string;
}

/** The town's school holidays, imported from the ministry's open data (migration 0010). */
export interface SchoolHolidaysTable {
  id: string;
  school_year: string;
  name: string;
  first_day: string;
  /** Null: a summer whose end (the next rentrée) is not published yet. */
  last_day: string | null;
  /** The académie or zone it was imported for: « Orléans-Tours », « Zone B ». */
  area: string;
  imported_at: string;
}

export interface TariffsTable {
  id: string;
  activity_id: string;
  unit_code: string;
  valid_from: string;
  valid_to: string | null;
  /** JSON of core/pricing/tariff.ts `TariffData`. */
  data: string;
}

export interface FileChecksTable {
  household_id: string;
  school_year: string;
  item: string;
  checked_at: string;
  agent_id: string;
}

export interface EnrolmentsTable {
  id: string;
  child_id: string;
  activity_id: string;
  school_year: string;
  /** Today's site (null: any site); the sites before a change are in `enrolment_site_changes`. */
  site_id: string | null;
  group_id: string | null;
  status: string;
  created_at: string;
  updated_at: string;
  /** Migration 0013: the child's last day, once the enrolment is ended, and why. */
  ends_on: Generated<string | null>;
  end_reason: Generated<string | null>;
}

/** Migration 0013: an enrolment's site changed from a day on; the days before keep `previous_site_id`. */
export interface EnrolmentSiteChangesTable {
  id: string;
  enrolment_id: string;
  from_date: string;
  site_id: string | null;
  previous_site_id: string | null;
  reason: string;
  changed_at: string;
  agent_id: string;
}

/** Migration 0014: a document of the year that is each child's own (the fiche sanitaire), checked per child. */
export interface ChildFileChecksTable {
  child_id: string;
  school_year: string;
  item: string;
  checked_at: string;
  agent_id: string;
}

/** Migration 0012: one version of a child's fiche sanitaire; the newest is the child's (core/family/health.ts). */
export interface HealthRecordsTable {
  id: string;
  child_id: string;
  pai: number;
  allergies: string;
  meal: 'standard' | 'without_meat' | 'adapted' | 'packed';
  treatment: string;
  doctor: string;
  notes: string;
  recorded_at: string;
  recorded_by: string;
  recorded_by_name: string;
}

export interface BookingsTable {
  id: string;
  child_id: string;
  household_id: string;
  activity_id: string;
  unit_id: string;
  site_id: string;
  date: string;
  state: 'booked' | 'cancelled';
  origin: 'counter' | 'portal';
  late: Generated<number>;
  late_reason: string | null;
  unbooked: Generated<number>;
  booked_at: string;
  booked_by: string;
  cancelled_at: string | null;
  cancelled_by: string | null;
  cancel_late: Generated<number>;
  cancel_reason: string | null;
  attendance: 'present' | 'absent_justified' | 'absent_unjustified' | null;
}

export interface SeriesTable {
  code: string;
  year: number;
  kind: 'invoice' | 'credit_note' | 'receipt' | 'deposit_slip' | 'direct_debit_file' | 'titre_export';
  label: string;
  prefix: string;
  next_number: number;
  last_issue_date: string | null;
}

export interface InvoicesTable {
  id: string;
  number: string;
  series_code: string;
  series_year: number;
  seq: number;
  household_id: string;
  kind: 'monthly' | 'booking';
  issue_date: string;
  due_date: string;
  period_month: string | null;
  total_cents: number;
  household_name: string;
  payer_name: string;
  payer_address: string;
  status: Generated<'issued'>;
  created_at: string;
  agent_id: string;
  device_id: string;
}

export interface InvoiceLinesTable {
  id: string;
  invoice_id: string;
  position: number;
  kind: string;
  child_id: string;
  child_name: string;
  activity_id: string;
  activity_name: string;
  unit_code: string;
  unit_label: string;
  /** ISO dates, comma-separated. */
  service_dates: string | null;
  period: string | null;
  quantity: number;
  unit_price_cents: number;
  amount_cents: number;
  base_cents: number;
  surcharge_cents: Generated<number>;
  surcharge_reason: string | null;
  qf_value: number | null;
  basis: string;
  enrolment_id: string | null;
}

export interface BilledServicesTable {
  booking_id: string;
  invoice_line_id: string;
  service_date: string;
}

export interface CreditNotesTable {
  id: string;
  number: string;
  series_code: string;
  series_year: number;
  seq: number;
  invoice_id: string;
  household_id: string;
  issue_date: string;
  reason: string;
  total_cents: number;
  created_at: string;
  agent_id: string;
  device_id: string;
}

export interface CreditNoteLinesTable {
  id: string;
  credit_note_id: string;
  invoice_line_id: string;
  amount_cents: number;
  booking_id: string | null;
}

export interface StaffTable {
  id: string;
  username: string;
  display_name: string;
  role: string;
  password_hash: string;
  active: Generated<number>;
  created_at: string;
  updated_at: string;
}

export interface HealthReadsTable {
  id: string;
  child_id: string;
  agent_id: string;
  at: string;
}

/** Migration 0005: the régie's cash (core/payments, core/regie). Rows are append-only unless said otherwise. */
export interface CashSessionsTable {
  id: string;
  device_id: string;
  opened_at: string;
  open_date: string;
  opened_by: string;
  opened_by_name: string;
  float_cents: number;
  /** Canonical JSON [{ denominationCents, count }], or null when the float was entered as a sum. */
  float_denominations: string | null;
  /** The closing fields are written once, together with `locked` = 1; a trigger refuses any change after. */
  closed_at: string | null;
  closed_by: string | null;
  closed_by_name: string | null;
  expected_cents: number | null;
  counted_cents: number | null;
  difference_cents: number | null;
  difference_reason: string | null;
  counted_denominations: string | null;
  totals: string | null;
  locked: Generated<number>;
  /** Migration 0015: the terminal's batch total (télécollecte) noted at closing; null when none was noted. */
  card_batch_cents: number | null;
}

/** Migration 0015: cash taken out of a till and paid in to the Trésor (versement); append-only, journaled. */
export interface CashPayinsTable {
  id: string;
  session_id: string;
  device_id: string;
  amount_cents: number;
  /** The comptable's receipt or the deposit's reference, as written on its paper. */
  reference: string;
  note: Generated<string>;
  paid_at: string;
  date: string;
  agent_id: string;
  agent_name: string;
}

export interface PaymentsTable {
  id: string;
  household_id: string;
  mode: string;
  amount_cents: number;
  received_at: string;
  date: string;
  session_id: string | null;
  household_name: string;
  payer_name: string;
  cheque_number: string | null;
  cheque_bank: string | null;
  cheque_drawer: string | null;
  cheque_date: string | null;
  card_authorisation: string | null;
  card_transaction: string | null;
  card_last4: string | null;
  /** Canonical JSON [{ faceValueCents, count }]. */
  vouchers: string | null;
  online_reference: string | null;
  note: Generated<string>;
  override_reason: string | null;
  override_by: string | null;
  override_by_name: string | null;
  /** Migration 0011: the central server's verdict on the override's signature (core/payments/override-proof.ts). */
  override_proof: Generated<'proven' | 'unproven' | null>;
  override_proof_note: Generated<string | null>;
  agent_id: string;
  agent_name: string;
  device_id: string;
}

export interface ReceiptsTable {
  id: string;
  payment_id: string;
  number: string;
  series_code: string;
  series_year: number;
  seq: number;
  issue_date: string;
}

export interface ReceiptPrintsTable {
  id: string;
  receipt_id: string;
  printed_at: string;
  duplicate: number;
  agent_id: string;
}

export interface CreditUsesTable {
  id: string;
  household_id: string;
  used_at: string;
  date: string;
  agent_id: string;
  device_id: string;
}

export interface PaymentReversalsTable {
  id: string;
  payment_id: string;
  household_id: string;
  amount_cents: number;
  reason: string;
  reversed_at: string;
  date: string;
  session_id: string | null;
  agent_id: string;
  agent_name: string;
  device_id: string;
}

export type AllocationEventKind = 'payment' | 'credit_use' | 'reversal' | 'release';

export interface AllocationsTable {
  id: string;
  event_kind: AllocationEventKind;
  event_id: string;
  position: number;
  household_id: string;
  invoice_id: string;
  /** Whose money: the payment, or null for the family's credit. */
  payment_id: string | null;
  /** Signed: a negative row undoes part of the row named by `undoes_id`. */
  amount_cents: number;
  undoes_id: string | null;
  created_at: string;
  date: string;
}

export interface FamilyCreditTable {
  id: string;
  event_kind: AllocationEventKind;
  event_id: string;
  household_id: string;
  amount_cents: number;
  created_at: string;
  date: string;
}

export interface DepositSlipsTable {
  id: string;
  number: string;
  series_code: string;
  series_year: number;
  seq: number;
  created_at: string;
  date: string;
  cheque_count: number;
  total_cents: number;
  agent_id: string;
  agent_name: string;
  device_id: string;
}

export interface DepositSlipChequesTable {
  payment_id: string;
  slip_id: string;
  position: number;
}

export interface JournalTable {
  seq: number;
  at: string;
  kind: string;
  ref_id: string;
  payload: string;
  prev_hash: string;
  hash: string;
}

/** Migration 0022: « entries 1…upto_seq checked, entry upto_seq's hash upto_hash », chained (core/journal/journal.ts). */
export interface JournalCheckpointsTable {
  n: number;
  upto_seq: number;
  upto_hash: string;
  checked_at: string;
  full_check: number;
  prev_hash: string;
  hash: string;
}

/** Migration 0013: a family's SEPA direct-debit mandate (core/directdebit). */
export interface SepaMandatesTable {
  id: string;
  household_id: string;
  /** Référence unique du mandat, unique for the town's creditor identifier. */
  rum: string;
  debtor_name: string;
  iban: string;
  bic: string | null;
  signed_on: string;
  first_sequence: 'FRST' | 'RCUR';
  created_at: string;
  agent_id: string;
  revoked_on: string | null;
  revoked_reason: string | null;
}

/** A direct-debit file sent to the bank (pain.008.001.02), append-only. */
export interface DirectDebitFilesTable {
  id: string;
  number: string;
  series_code: string;
  series_year: number;
  seq: number;
  created_at: string;
  date: string;
  collection_date: string;
  message_id: string;
  debit_count: number;
  total_cents: number;
  xml: string;
  agent_id: string;
  agent_name: string;
  device_id: string;
}

export interface DirectDebitsTable {
  id: string;
  file_id: string;
  position: number;
  invoice_id: string;
  mandate_id: string;
  household_id: string;
  payment_id: string;
  amount_cents: number;
  sequence: 'FRST' | 'RCUR';
  end_to_end_id: string;
}

export interface DirectDebitRejectionsTable {
  debit_id: string;
  reason_code: string;
  reason: string;
  reversal_id: string;
  returned_on: string;
  recorded_at: string;
  agent_id: string;
  agent_name: string;
}

/** An export of unpaid invoices to the public accountant (PES V2, migrations/0014), append-only. */
export interface TitreExportsTable {
  id: string;
  number: string;
  series_code: string;
  series_year: number;
  seq: number;
  created_at: string;
  date: string;
  as_of: string;
  piece_count: number;
  invoice_count: number;
  total_cents: number;
  xml: string;
  agent_id: string;
  agent_name: string;
  device_id: string;
}

/** An invoice's place in the one export that carried it. */
export interface TitreExportInvoicesTable {
  invoice_id: string;
  export_id: string;
  household_id: string;
  piece: number;
  line: number;
  amount_cents: number;
  /** Set when the line carries its SEPA debit to the Trésorerie (ORMC, migrations/0021). */
  mandate_id: string | null;
  sequence: 'FRST' | 'RCUR' | null;
  collection_date: string | null;
}

/** A family's request from the portal, answered at a counter (migrations/0008). */
export interface FamilyRequestsTable {
  id: string;
  household_id: string;
  child_id: string | null;
  kind: 'cancellation' | 'pickup' | 'document' | 'other';
  /** JSON object; its shape depends on the kind (core/requests/schemas.ts). */
  details: string;
  message: string;
  received_at: string;
  state: 'pending' | 'accepted' | 'refused';
  reply: string;
  answered_by: string | null;
  answered_by_name: string | null;
  answered_at: string | null;
}

/*
 * The counter's side of sync (migrations/0006), never synced themselves: where its cursor stands, which logged
 * commands leave under which per-device number, the server's answers to settle, and the pre-images of rows that
 * commands the server has not answered yet changed.
 */

/** One row (id 1). */
export interface SyncStateTable {
  id: number;
  server_version: Generated<number>;
  acked_seq: Generated<number>;
  /** No longer read (migrations/0009): the rebase's exemption is a function of its own connection. */
  applying: Generated<number>;
  online: Generated<number>;
  offline_since: Generated<string | null>;
  last_sync_at: Generated<string | null>;
  last_error: Generated<string | null>;
  clock_warning: Generated<string | null>;
  /** VERSION_TOO_OLD or DEVICE_REVOKED. */
  blocked: Generated<string | null>;
}

export interface SyncOutboxTable {
  device_seq: Generated<number>;
  log_seq: number;
}

/** The « À régulariser » list. */
export interface SyncResultsTable {
  command_id: string;
  device_seq: number;
  name: string;
  /** rejected | held | refused_days | as_credit | to_review */
  status: string;
  code: string;
  message: string;
  suggestion: string;
  summary: string;
  made_at: string;
  agent_id: string;
  received_at: string;
  ack_by: string | null;
  ack_at: string | null;
}

export interface SyncShadowTable {
  tbl: string;
  /** JSON array of the row's key. */
  row_key: string;
  /** The row before the first unconfirmed change (JSON); null when it did not exist. */
  pre: string | null;
}

/** A receipt e-mailed on request (migration 0020): asked at a counter, sent by the central server. */
export interface ReceiptEmailsTable {
  id: string;
  payment_id: string;
  household_id: string;
  to_address: string;
  requested_at: string;
  requested_by: string;
  status: Generated<'pending' | 'sent' | 'refused' | 'failed'>;
  detail: Generated<string | null>;
  attempts: Generated<number>;
  sent_at: Generated<string | null>;
  updated_at: string;
}

export interface Database {
  settings: SettingsTable;
  households: HouseholdsTable;
  guardians: GuardiansTable;
  children: ChildrenTable;
  pickup_persons: PickupPersonsTable;
  qf_records: QfRecordsTable;
  command_log: CommandLogTable;
  search_docs: SearchDocsTable;
  schema_migrations: SchemaMigrationsTable;
  sites: SitesTable;
  activities: ActivitiesTable;
  units: UnitsTable;
  activity_sites: ActivitySitesTable;
  groups: GroupsTable;
  capacities: CapacitiesTable;
  closures: ClosuresTable;
  school_holidays: SchoolHolidaysTable;
  tariffs: TariffsTable;
  file_checks: FileChecksTable;
  enrolments: EnrolmentsTable;
  enrolment_site_changes: EnrolmentSiteChangesTable;
  child_file_checks: ChildFileChecksTable;
  health_records: HealthRecordsTable;
  bookings: BookingsTable;
  staff: StaffTable;
  health_reads: HealthReadsTable;
  series: SeriesTable;
  invoices: InvoicesTable;
  invoice_lines: InvoiceLinesTable;
  billed_services: BilledServicesTable;
  credit_notes: CreditNotesTable;
  credit_note_lines: CreditNoteLinesTable;
  cash_sessions: CashSessionsTable;
  cash_payins: CashPayinsTable;
  payments: PaymentsTable;
  receipts: ReceiptsTable;
  receipt_prints: ReceiptPrintsTable;
  credit_uses: CreditUsesTable;
  payment_reversals: PaymentReversalsTable;
  allocations: AllocationsTable;
  family_credit: FamilyCreditTable;
  deposit_slips: DepositSlipsTable;
  deposit_slip_cheques: DepositSlipChequesTable;
  journal: JournalTable;
  journal_checkpoints: JournalCheckpointsTable;
  family_requests: FamilyRequestsTable;
  sepa_mandates: SepaMandatesTable;
  direct_debit_files: DirectDebitFilesTable;
  direct_debits: DirectDebitsTable;
  direct_debit_rejections: DirectDebitRejectionsTable;
  titre_exports: TitreExportsTable;
  titre_export_invoices: TitreExportInvoicesTable;
  receipt_emails: ReceiptEmailsTable;
  sync_state: SyncStateTable;
  sync_outbox: SyncOutboxTable;
  sync_results: SyncResultsTable;
  sync_shadow: SyncShadowTable;
}
