import type { Kysely } from 'kysely';
import { loadIssuer } from '../../core/billing/issuer.ts';
import type { Database } from '../../core/db/schema.ts';
import { paymentDetail } from '../../core/payments/read.ts';
import { renderReceiptPdf } from '../../core/payments/receipt-pdf.ts';
import { formatEuros } from '../../core/billing/format.ts';
import { beginWrite, writeTransaction, type ServerDb } from '../store.ts';
import type { Mailer } from './mailer.ts';

/** A failure (no relay, a 4xx) is tried again at the next rounds, then left as failed for the counter to see. */
const MAX_ATTEMPTS = 5;

/**
 * Sends the receipts the counters asked for by e-mail (`payment.emailReceipt`, arrived with their push) that are still
 * pending, through the town's relay, and writes each outcome on the request's row — a synced table, so the counter
 * that asked sees it after its next pull. A copy sent after the receipt was printed says DUPLICATA, as a reprint does.
 * Returns how many were tried.
 */
export async function sendPendingReceipts(
  serverDb: ServerDb,
  mailer: Mailer,
  clock: () => Date,
): Promise<number> {
  const db = serverDb as unknown as Kysely<Database>;
  const pending = await serverDb
    .selectFrom('receipt_emails')
    .selectAll()
    .where((eb) =>
      eb.or([
        eb('status', '=', 'pending'),
        eb.and([eb('status', '=', 'failed'), eb('attempts', '<', MAX_ATTEMPTS)]),
      ]),
    )
    .orderBy('requested_at')
    .limit(200)
    .execute();
  if (pending.length === 0) return 0;
  const issuer = await loadIssuer(db);
  for (const r of pending) {
    const detail = await paymentDetail(db, r.payment_id);
    const duplicate = detail.printCount > 0;
    const pdf = await renderReceiptPdf(detail, issuer, { duplicate, printedAt: new Date(r.requested_at) });
    const outcome = await mailer.send({
      to: r.to_address,
      subject: `${issuer.townName} — reçu ${detail.receiptNumber}`,
      text: [
        'Bonjour,',
        '',
        `Veuillez trouver ci-joint le reçu ${detail.receiptNumber} de votre paiement de ${formatEuros(detail.amountCents)}.`,
        '',
        issuer.regieName,
        issuer.townName,
      ].join('\n'),
      attachments: [
        {
          filename: `recu-${detail.receiptNumber}${duplicate ? '-duplicata' : ''}.pdf`,
          content: pdf,
          contentType: 'application/pdf',
        },
      ],
    });
    const at = clock().toISOString();
    // In a version of the change feed, as any write the counters must pull.
    await writeTransaction(serverDb, async (trx) => {
      await beginWrite(trx);
      await trx
        .updateTable('receipt_emails')
        .set({
          status: outcome.status,
          detail: outcome.detail,
          attempts: Number(r.attempts) + 1,
          sent_at: outcome.status === 'sent' ? at : null,
          updated_at: at,
        })
        .where('id', '=', r.id)
        .execute();
    });
  }
  return pending.length;
}

/**
 * Runs `sendPendingReceipts` after each push (the requests arrive with it) and each pull (failed ones are retried as
 * the counters come back), one round at a time: a kick during a round makes one more round after it. Errors go to
 * the server's log; the rows stay pending and are tried again.
 */
export function receiptMailLoop(
  db: ServerDb,
  mailer: () => Mailer,
  clock: () => Date,
  onError: (error: unknown) => void,
) {
  let running: Promise<void> | null = null;
  let again = false;
  async function round() {
    do {
      again = false;
      const m = mailer();
      try {
        await sendPendingReceipts(db, m, clock);
      } catch (error) {
        onError(error);
      } finally {
        m.close();
      }
    } while (again);
    running = null;
  }
  return {
    kick(): void {
      if (running) again = true;
      else running = round();
    },
    /** Resolves when no round is under way (tests, shutdown). */
    idle: (): Promise<void> => running ?? Promise.resolve(),
  };
}
