import { z } from 'zod';
import { fr, type Reply } from '../http.ts';
import type { ServerDb } from '../store.ts';
import { sendYearCertificates } from './certificate-mail.ts';
import { sendMonthInvoices } from './invoice-mail.ts';
import { mailReport, type MailReport, type MailTarget } from './log.ts';
import type { Mailer } from './mailer.ts';

const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, { message: 'mois attendu (aaaa-mm)' });
const year = z.int({ message: 'année attendue (aaaa)' }).min(2000).max(2100);
const householdId = z.string().min(1).max(64).optional();
const invoicesBody = z.object({ month, householdId });
const certificatesBody = z.object({ year, householdId });

const malformed = (error: z.ZodError) =>
  fr(
    400,
    'MALFORMED',
    `Champ « ${(error.issues[0]?.path ?? []).join('.') || 'corps'} » : ${error.issues[0]?.message ?? 'invalide'}.`,
  );

/**
 * The administrator's e-mail addresses (admin token):
 *   POST /admin/mail/invoices { month, householdId? } — the month's e-mail invoices not sent yet (the first send, and
 *     the resend of the refused or failed ones), or one family's again; answers the month's report;
 *   POST /admin/mail/tax-certificates { year, householdId? } — the same for January's childcare tax certificates;
 *   GET /admin/mail/report?month=aaaa-mm | ?year=aaaa — the send report: sent, refused by the relay, no address,
 *     failed.
 * A send is answered when it is over (one request: the admin CLI waits for its report).
 */
export function mailRoutes(options: {
  db: ServerDb;
  clock: () => Date;
  /** A connection to the relay for one send (closed after it); null: no relay in the environment file. */
  mailer: () => Mailer | null;
  checkAdmin: (auth: string | undefined) => Reply | null;
}) {
  async function send(
    householdId: string | undefined,
    run: (mailer: Mailer, target: MailTarget) => Promise<MailReport>,
  ): Promise<Reply> {
    const mailer = options.mailer();
    if (!mailer)
      return fr(
        503,
        'MAIL_NOT_CONFIGURED',
        'Aucun serveur d’envoi configuré : renseignez GF_SMTP_URL et GF_MAIL_FROM dans le fichier d’environnement du serveur.',
      );
    let report: MailReport;
    try {
      report = await run(mailer, householdId ? { kind: 'household', householdId } : { kind: 'unsent' });
    } finally {
      mailer.close();
    }
    if (householdId && !report.rows.some((r) => r.householdId === householdId))
      return fr(
        404,
        'NOT_FOUND',
        'Ce foyer n’a rien à recevoir par e-mail pour cette période (courrier papier ?).',
      );
    return { status: 200, body: report };
  }

  return async function route(
    method: string | undefined,
    url: URL,
    auth: string | undefined,
    body: unknown,
  ): Promise<Reply | null> {
    const path = `${method} ${url.pathname}`;
    if (
      path !== 'POST /admin/mail/invoices' &&
      path !== 'POST /admin/mail/tax-certificates' &&
      path !== 'GET /admin/mail/report'
    )
      return null;
    const denied = options.checkAdmin(auth);
    if (denied) return denied;
    if (path === 'GET /admin/mail/report') {
      const m = month.safeParse(url.searchParams.get('month'));
      if (m.success) return { status: 200, body: await mailReport(options.db, 'invoice', m.data) };
      const y = year.safeParse(Number(url.searchParams.get('year') ?? NaN));
      if (y.success)
        return { status: 200, body: await mailReport(options.db, 'tax_certificate', String(y.data)) };
      return fr(400, 'MALFORMED', 'Paramètre « month » (aaaa-mm) ou « year » (aaaa) attendu.');
    }
    if (path === 'POST /admin/mail/invoices') {
      const b = invoicesBody.safeParse(body);
      if (!b.success) return malformed(b.error);
      return send(b.data.householdId, (mailer, target) =>
        sendMonthInvoices(options.db, mailer, options.clock, b.data.month, target),
      );
    }
    const b = certificatesBody.safeParse(body);
    if (!b.success) return malformed(b.error);
    return send(b.data.householdId, (mailer, target) =>
      sendYearCertificates(options.db, mailer, options.clock, b.data.year, target),
    );
  };
}
