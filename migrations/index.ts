import { migration0001 } from './0001_family_file.ts';
import { migration0002 } from './0002_activities_bookings.ts';
import { migration0003 } from './0003_billing.ts';
import { migration0004 } from './0004_staff_privacy.ts';
import { migration0005 } from './0005_payments.ts';
import { migration0006 } from './0006_sync.ts';
import { migration0007 } from './0007_sync_finance.ts';
import { migration0008 } from './0008_requests.ts';
import { migration0011 } from './0011_override_proof.ts';
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
  // Versions 9 and 10 are the time-zone/attendance and school-calendar steps of the same issue, made on other
  // branches: held here by empty steps so that this one keeps its number; the merge puts the real ones in their place.
  { version: 9, name: 'reserved_0009', up: async () => {} },
  { version: 10, name: 'reserved_0010', up: async () => {} },
  migration0011,
];
