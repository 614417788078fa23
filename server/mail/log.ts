import type { ServerDb, ServerTables } from '../store.ts';

export type MailKind = ServerTables['mail_log']['kind'];
export type MailStatus = ServerTables['mail_log']['status'];
type LogRow = ServerTables['mail_log'];

export interface MailReportRow {
  /** The invoice, or the household for a tax certificate. */
  refId: string;
  number: string;
  householdId: string;
  householdName: string;
  address: string | null;
  status: MailStatus;
  detail: string | null;
  attempts: number;
  sentAt: string | null;
}

export interface MailReport {
  kind: MailKind;
  /** 'YYYY-MM' for the invoices, 'YYYY' for the tax certificates. */
  period: string;
  counts: Record<MailStatus, number>;
  rows: MailReportRow[];
}

/**
 * Which documents a send takes:
 * - 'unsent': every one not yet accepted by the relay (the first send, and « resend the failed ones » once a refused
 *   address was corrected in the family's file or the relay is back);
 * - a household: that family's again, even if it was sent (« je ne l'ai pas reçue »).
 */
export type MailTarget = { kind: 'unsent' } | { kind: 'household'; householdId: string };

/** What the log of a kind and period holds, to skip what was sent and count the attempts. */
export async function mailLog(db: ServerDb, kind: MailKind, period: string): Promise<Map<string, LogRow>> {
  const rows = await db
    .selectFrom('mail_log')
    .selectAll()
    .where('kind', '=', kind)
    .where('period', '=', period)
    .execute();
  return new Map(rows.map((r) => [r.ref_id, r]));
}

export const chosenBy =
  (target: MailTarget, log: Map<string, LogRow>) => (refId: string, householdId: string) =>
    target.kind === 'household' ? householdId === target.householdId : log.get(refId)?.status !== 'sent';

/** Writes the outcome of one attempt (or « no address », which is no attempt) over the document's row. */
export async function recordOutcome(
  db: ServerDb,
  log: Map<string, LogRow>,
  at: string,
  doc: Pick<LogRow, 'kind' | 'ref_id' | 'period' | 'number' | 'household_id' | 'household_name'>,
  outcome: { address: string | null; status: MailStatus; detail: string | null },
): Promise<void> {
  const before = log.get(doc.ref_id);
  const row: LogRow = {
    ...doc,
    ...outcome,
    attempts: (before?.attempts ?? 0) + (outcome.status === 'no_address' ? 0 : 1),
    sent_at: outcome.status === 'sent' ? at : (before?.sent_at ?? null),
    updated_at: at,
  };
  await db
    .insertInto('mail_log')
    .values(row)
    .onConflict((oc) => oc.columns(['kind', 'ref_id', 'period']).doUpdateSet(row))
    .execute();
  log.set(doc.ref_id, row);
}

/** The send report of a month's invoices or a year's certificates: every document tried, its last outcome. */
export async function mailReport(db: ServerDb, kind: MailKind, period: string): Promise<MailReport> {
  const rows = await db
    .selectFrom('mail_log')
    .selectAll()
    .where('kind', '=', kind)
    .where('period', '=', period)
    .orderBy('household_name')
    .orderBy('number')
    .execute();
  const counts: Record<MailStatus, number> = { sent: 0, refused: 0, no_address: 0, failed: 0 };
  for (const r of rows) counts[r.status] += 1;
  return {
    kind,
    period,
    counts,
    rows: rows.map((r) => ({
      refId: r.ref_id,
      number: r.number,
      householdId: r.household_id,
      householdName: r.household_name,
      address: r.address,
      status: r.status,
      detail: r.detail,
      attempts: Number(r.attempts),
      sentAt: r.sent_at,
    })),
  };
}
