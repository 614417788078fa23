import nodemailer from 'nodemailer';

/** The town's SMTP relay, from the server's environment file (GF_SMTP_URL, GF_MAIL_FROM; docs/serveur/). */
export interface MailSettings {
  /** smtp://user:password@relay.example:587 or smtps://…:465; credentials URL-encoded. */
  url: string;
  /** « Mairie de Belleval <regie@belleval.fr> »: what families see and answer to. */
  from: string;
}

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  attachments: { filename: string; content: Buffer; contentType: string }[];
}

/**
 * What became of one message: accepted by the relay (sent), refused for good by it (a 5xx on the address: the
 * address is wrong or unknown), or failed for now (no relay, a 4xx, a timeout: worth trying again later).
 */
export type MailOutcome =
  | { status: 'sent'; detail: string }
  | { status: 'refused'; detail: string }
  | { status: 'failed'; detail: string };

export interface Mailer {
  send(mail: OutgoingMail): Promise<MailOutcome>;
  close(): void;
}

interface SmtpError extends Error {
  code?: string;
  responseCode?: number;
  response?: string;
}

/** One SMTP connection pool for a batch: 2,000 invoices do not open 2,000 connections. */
export function createMailer(settings: MailSettings): Mailer {
  // The URL's own options, plus a pool: pooled SMTP reuses the connection from one message to the next.
  const url = new URL(settings.url);
  url.searchParams.set('pool', 'true');
  url.searchParams.set('maxConnections', '2');
  const transport = nodemailer.createTransport(url.toString());
  return {
    async send(mail) {
      try {
        const info = await transport.sendMail({ ...mail, from: settings.from });
        if (info.rejected.length > 0) return { status: 'refused', detail: String(info.response ?? 'refusé') };
        return { status: 'sent', detail: String(info.response ?? '') };
      } catch (error) {
        const e = error as SmtpError;
        const words = e.response ?? e.message;
        // A permanent refusal of the recipient (550 no such user…) will not change by trying again.
        if (e.responseCode !== undefined && e.responseCode >= 500 && e.code === 'EENVELOPE')
          return { status: 'refused', detail: words };
        return { status: 'failed', detail: words };
      }
    },
    close: () => transport.close(),
  };
}
