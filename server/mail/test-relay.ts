import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** The address the test relay refuses for good (550), as a relay refuses an unknown mailbox. */
export const UNKNOWN = 'inconnu@exemple.fr';

/**
 * A real SMTP server on loopback (the `smtp-server` package) for the mail tests: it refuses UNKNOWN, and keeps every
 * message it accepted, parsed by `mailparser`, with its envelope's recipients.
 */
export async function startRelay() {
  const received: { to: string[]; mail: ParsedMail }[] = [];
  const relay = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'],
    authOptional: true,
    logger: false,
    onRcptTo(address, _session, callback) {
      if (address.address === UNKNOWN)
        return callback(Object.assign(new Error('5.1.1 Adresse inconnue'), { responseCode: 550 }));
      callback();
    },
    onData(stream, session, callback) {
      simpleParser(stream).then(
        (mail) => {
          received.push({ to: session.envelope.rcptTo.map((r) => r.address), mail });
          callback();
        },
        (error: Error) => callback(error),
      );
    },
  });
  await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
  const port = (relay.server.address() as AddressInfo).port;
  return {
    received,
    settings: { url: `smtp://127.0.0.1:${port}`, from: 'Mairie de Belleval <regie@belleval.fr>' },
    close: () => new Promise<void>((resolve) => relay.close(resolve)),
  };
}

export const hasPoppler = (() => {
  try {
    execFileSync('pdftotext', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

const dir = mkdtempSync(join(tmpdir(), 'gf-mail-'));
let files = 0;
/** The text of a PDF attachment, as `pdftotext` reads it. */
export function pdfText(content: Buffer): string {
  const file = join(dir, `${++files}.pdf`);
  writeFileSync(file, content);
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
}
