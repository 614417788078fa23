import { migration0001 } from './0001_family_file.ts';
import { migration0002 } from './0002_activities_bookings.ts';
import { migration0003 } from './0003_billing.ts';
import { migration0004 } from './0004_staff_privacy.ts';
import { migration0005 } from './0005_payments.ts';
import { migration0006 } from './0006_sync.ts';
import { migration0007 } from './0007_sync_finance.ts';
import { migration0008 } from './0008_requests.ts';
import { migration0009 } from './0009_rebase_in_memory.ts';
import { migration0010 } from './0010_school_calendar.ts';
import { migration0011 } from './0011_override_proof.ts';
import { migration0012 } from './0012_health_records.ts';
import { migration0013 } from './0013_enrolment_changes.ts';
import { migration0014 } from './0014_child_file_checks.ts';
import { migration0015 } from './0015_till_payins.ts';
import { migration0016 } from './0016_payment_mode_direct_debit.ts';
import { migration0017 } from './0017_direct_debit.ts';
import { migration0018 } from './0018_titre_exports.ts';
import { migration0019 } from './0019_paperwork.ts';
import { migration0020 } from './0020_receipt_emails.ts';
import { migration0021 } from './0021_pes_direct_debits.ts';
import { migration0022 } from './0022_journal_checkpoints.ts';
import type { Migration } from './types.ts';

/** Every schema step, oldest first. A static list, so bundling and packing cannot lose one. */
export const MIGRATIONS: readonly Migration[] = [
  migration0001,
  migration0002,
  migration0003,
  migration0004,
  migration0005,
  migration0006,
  migration0007,
  migration0008,
  migration0009,
  migration0010,
  migration0011,
  migration0012,
  migration0013,
  migration0014,
  migration0015,
  migration0016,
  migration0017,
  migration0018,
  migration0019,
  migration0020,
  migration0021,
  migration0022,
];
