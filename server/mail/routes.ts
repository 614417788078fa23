import { z } from 'zod';
import { fr, type Reply } from '../http.ts';
import type { ServerDb } from '../store.ts';
import { mailReport, sendMonthInvoices } from './invoice-mail.ts';
import type { Mailer } from './mailer.ts';

const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, { message: 'mois attendu (aaaa-mm)' });
const sendBody = z.object({ month, householdId: z.string().min(1).max(64).optional() });

/**
 * The administrator's e-mail addresses (admin token):
 *   POST /admin/mail/invoices { month, householdId? } — sends the month's e-mail invoices not sent yet (the first
 *     send, and the resend of the refused or failed ones), or one family's again; answers the month's report;
 *   GET /admin/mail/report?month=aaaa-mm — the send report: sent, refused by the relay, no address, failed.
 * The send is answered when it is over (one request: the admin CLI waits for its report).
 */
export function mailRoutes(options: {
  db: ServerDb;
  clock: () => Date;
  /** A connection to the relay for one send (closed after it); null: no relay in the environment file. */
  mailer: () => Mailer | null;
  checkAdmin: (auth: string | undefined) => Reply | null;
}) {
  return async function route(
    method: string | undefined,
    url: URL,
    auth: string | undefined,
    body: unknown,
  ): Promise<Reply | null> {
    const send = method === 'POST' && url.pathname === '/admin/mail/invoices';
    const report = method === 'GET' && url.pathname === '/admin/mail/report';
    if (!send && !report) return null;
    const denied = options.checkAdmin(auth);
    if (denied) return denied;
    if (report) {
      const m = month.safeParse(url.searchParams.get('month'));
      if (!m.success) return fr(400, 'MALFORMED', 'Paramètre « month » : mois attendu (aaaa-mm).');
      return { status: 200, body: await mailReport(options.db, m.data) };
    }
    const b = sendBody.safeParse(body);
    if (!b.success)
      return fr(
        400,
        'MALFORMED',
        `Champ « ${(b.error.issues[0]?.path ?? []).join('.') || 'corps'} » : ${b.error.issues[0]?.message ?? 'invalide'}.`,
      );
    const mailer = options.mailer();
    if (!mailer)
      return fr(
        503,
        'MAIL_NOT_CONFIGURED',
        'Aucun serveur d’envoi configuré : renseignez GF_SMTP_URL et GF_MAIL_FROM dans le fichier d’environnement du serveur.',
      );
    const { householdId } = b.data;
    let result;
    try {
      result = await sendMonthInvoices(
        options.db,
        mailer,
        options.clock,
        b.data.month,
        householdId ? { kind: 'household', householdId } : { kind: 'unsent' },
      );
    } finally {
      mailer.close();
    }
    if (householdId && !result.rows.some((r) => r.householdId === householdId))
      return fr(
        404,
        'NOT_FOUND',
        'Ce foyer n’a pas de facture du mois à envoyer par e-mail (courrier papier ?).',
      );
    return { status: 200, body: result };
  };
}
