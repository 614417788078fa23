import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_REQUIRED_DOCUMENTS } from '../../core/activities/enrolment.ts';
import { ADMIN_TOKEN, careEvening, STORES, townServer, type TownServer } from '../harness.ts';
import type { StoreOptions } from '../store.ts';
import type { MailReport } from './log.ts';
import { hasPoppler, pdfText, startRelay, UNKNOWN } from './test-relay.ts';

let relay: Awaited<ReturnType<typeof startRelay>>;
let received: Awaited<ReturnType<typeof startRelay>>['received'] = [];
beforeAll(async () => {
  relay = await startRelay();
  received = relay.received;
});
afterAll(() => relay.close());

let town: TownServer | null = null;
afterEach(async () => {
  await town?.close();
  town = null;
  received.length = 0;
});

const cli = fileURLToPath(new URL('../admin-cli.ts', import.meta.url));
const adminCli = (t: TownServer, ...args: string[]) =>
  promisify(execFile)(process.execPath, [cli, '--url', t.http.url, ...args], {
    env: { ...process.env, GF_ADMIN_TOKEN: ADMIN_TOKEN },
  });

async function post(t: TownServer, body: unknown) {
  const res = await fetch(`${t.http.url}/admin/mail/invoices`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as MailReport & { error?: { message: string } } };
}

/** One more family of the demo town with a child at evening care, choosing how it gets its invoices. */
async function family(t: TownServer, name: string, email: string) {
  const { householdId } = await t.call('family.createHousehold', {
    name,
    addressLine1: '1 rue Haute',
    postalCode: '45100',
    city: 'Belleval',
    email,
    invoiceDelivery: 'email',
    guardians: [{ rank: 1, civility: 'Mme', lastName: name, firstName: 'Claire' }],
    children: [{ lastName: name, firstName: 'Léa', birthDate: '2018-05-01' }],
    qf: { value: 640, source: 'CAF', effectiveMonth: '2026-01' },
  });
  for (const doc of DEFAULT_REQUIRED_DOCUMENTS)
    await t.call('enrolment.checkDocument', {
      householdId,
      schoolYear: '2026-2027',
      item: doc.code,
      checked: true,
    });
  const child = await t.store.db
    .selectFrom('children')
    .select('id')
    .where('household_id', '=', householdId)
    .executeTakeFirstOrThrow();
  await t.call('enrolment.enrol', {
    childId: child.id,
    activityId: t.demo.care.activityId,
    schoolYear: '2026-2027',
    siteId: null,
  });
  await t.call('booking.book', careEvening(t, child.id, ['2026-09-08']));
  return householdId;
}

/**
 * September 2026 on the central server: Lefèvre (paper), Petit (e-mail), Roux (e-mail, an address the relay does
 * not know) and Durand (e-mail chosen, no address), each with one evening of care; the month run on 5 October.
 */
async function september(store: StoreOptions = { sqlite: ':memory:' }) {
  const t = (town = await townServer(store, undefined, {
    mail: relay.settings,
  }));
  await t.call('booking.book', careEvening(t, t.zoe, ['2026-09-08']));
  const petit = await family(t, 'Petit', 'petit@exemple.fr');
  const roux = await family(t, 'Roux', UNKNOWN);
  await family(t, 'Durand', '');
  t.at('2026-10-05T09:00:00+02:00');
  await t.call('billing.runMonth', { month: '2026-09', issueDate: '2026-10-05' });
  const numbers = Object.fromEntries(
    (await t.store.db.selectFrom('invoices').select(['household_name', 'number']).execute()).map((r) => [
      r.household_name,
      r.number,
    ]),
  );
  return { t, petit, roux, numbers };
}

describe('the month’s invoices by e-mail, from the central server', { timeout: 60_000 }, () => {
  it.skipIf(!hasPoppler)(
    'sends each e-mail family its invoice as a PDF; the report says sent, refused by the relay, no address',
    async () => {
      const { t, numbers } = await september();
      const r = await post(t, { month: '2026-09' });
      expect(r.status).toBe(200);
      expect(r.body.counts).toEqual({ sent: 1, refused: 1, no_address: 1, failed: 0 });
      expect(r.body.rows.map((x) => [x.householdName, x.status])).toEqual([
        ['Durand', 'no_address'],
        ['Petit', 'sent'],
        ['Roux', 'refused'],
      ]);
      expect(r.body.rows.find((x) => x.householdName === 'Roux')?.detail).toContain('550');

      // What reached the relay: one message, to Petit only (Lefèvre chose paper), with the invoice attached.
      expect(received.map((m) => m.to)).toEqual([['petit@exemple.fr']]);
      const { mail } = received[0]!;
      expect(mail.from?.value).toEqual([{ name: 'Mairie de Belleval', address: 'regie@belleval.fr' }]);
      expect(mail.subject).toBe(`Ville de Belleval — facture ${numbers.Petit} (septembre 2026)`);
      expect(mail.text).toContain(`la facture ${numbers.Petit}`);
      expect(mail.attachments.map((a) => [a.filename, a.contentType])).toEqual([
        [`facture-${numbers.Petit}.pdf`, 'application/pdf'],
      ]);
      const text = pdfText(mail.attachments[0]!.content);
      expect(text).toContain(numbers.Petit);
      expect(text).toContain('Petit');

      // The same report, stored, read later by the administrator's command line.
      const cli = await adminCli(t, 'mail-report', '2026-09');
      expect(cli.stdout).toContain('1 envoyée(s), 1 refusée(s), 1 sans adresse, 0 en échec');
      expect(cli.stdout).toMatch(
        new RegExp(`${numbers.Roux}\\s+Roux\\s+${UNKNOWN}\\s+refusée par le serveur de messagerie`),
      );
    },
  );

  it.skipIf(!hasPoppler)(
    'sends January’s childcare tax certificate to an e-mail family, and leaves it out of the paper PDF',
    async () => {
      const { t } = await september();
      // The Lefèvre family moves to e-mail; Noé (born 2020) goes to care in September, paid in October.
      const lefevre = t.householdId;
      await t.call('family.updateHousehold', {
        householdId: lefevre,
        name: 'Lefèvre',
        email: 'lefevre@exemple.fr',
        invoiceDelivery: 'email',
      });
      t.at('2026-08-25T10:00:00+02:00');
      await t.call('booking.book', careEvening(t, t.noe, ['2026-09-10']));
      t.at('2026-10-06T09:00:00+02:00');
      await t.call('billing.runMonth', { month: '2026-09', issueDate: '2026-10-06' });
      await t.call('regie.openSession', { floatCents: 0 });
      const due = (await t.server.query('payment.familyBalance', { householdId: lefevre })) as {
        dueCents: number;
      };
      await t.call('payment.record', { householdId: lefevre, mode: 'cash', amountCents: due.dueCents });
      const [noe] = (await t.server.query('billing.familyTaxCertificates', {
        householdId: lefevre,
        year: 2026,
      })) as {
        childName: string;
        paidCents: number;
      }[];
      expect(noe).toMatchObject({ childName: 'Noé Lefèvre' });

      t.at('2027-01-11T09:00:00+01:00');
      const r = await fetch(`${t.http.url}/admin/mail/tax-certificates`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ year: 2026 }),
      });
      const report = (await r.json()) as MailReport;
      expect(report.counts).toEqual({ sent: 1, refused: 0, no_address: 0, failed: 0 });
      expect(received.map((m) => m.to)).toEqual([['lefevre@exemple.fr']]);
      const { mail } = received[0]!;
      expect(mail.subject).toBe('Ville de Belleval — attestation de frais de garde 2026');
      const text = pdfText(mail.attachments[0]!.content).replace(/\s+/g, ' ');
      expect(text).toContain('Noé Lefèvre');
      expect(text).toContain(`${(noe!.paidCents / 100).toFixed(2).replace('.', ',')} €`);
      expect((await adminCli(t, 'mail-report', '2026')).stdout).toContain(
        'Envoi des attestations fiscales 2026 par e-mail : 1 envoyée(s)',
      );

      // The paper PDF of the year has no one left to print.
      const paper = await t.server
        .query('billing.yearTaxCertificatesPdf', { year: 2026 })
        .catch((e: Error) => e);
      expect(String((paper as Error).message)).toContain('toutes partent par e-mail');
    },
  );

  it('refuses to send without a relay configured, and a malformed month, naming what to fix', async () => {
    const t = (town = await townServer({ sqlite: ':memory:' }));
    const none = await post(t, { month: '2026-09' });
    expect(none.status).toBe(503);
    expect(none.body.error?.message).toContain('GF_SMTP_URL et GF_MAIL_FROM');
    const bad = await post(t, { month: '2026-13' });
    expect(bad.status).toBe(400);
    expect(bad.body.error?.message).toContain('« month »');
  });
});

// The send log is written by upserts: on every store the server runs on.
describe.each(STORES)('the resend on %s', { timeout: 60_000 }, (_label, storeOptions) => {
  it('resends only what was not sent once the address is corrected, and one family’s invoice on request', async () => {
    const { t, petit, roux, numbers } = await september(storeOptions());
    await post(t, { month: '2026-09' });
    expect(received).toHaveLength(1);

    await t.call('family.updateHousehold', {
      householdId: roux,
      name: 'Roux',
      email: 'roux@exemple.fr',
      invoiceDelivery: 'email',
    });
    const again = await adminCli(t, 'mail-invoices', '2026-09');
    expect(again.stdout).toContain('2 envoyée(s), 0 refusée(s), 1 sans adresse');
    // Petit's invoice was not sent twice.
    expect(received.map((m) => m.to)).toEqual([['petit@exemple.fr'], ['roux@exemple.fr']]);
    expect(received[1]!.mail.attachments[0]!.filename).toBe(`facture-${numbers.Roux}.pdf`);

    const one = await post(t, { month: '2026-09', householdId: petit });
    expect(one.status).toBe(200);
    expect(received.map((m) => m.to[0])).toEqual(['petit@exemple.fr', 'roux@exemple.fr', 'petit@exemple.fr']);
    expect(one.body.rows.find((x) => x.householdName === 'Petit')).toMatchObject({
      status: 'sent',
      attempts: 2,
    });

    // Lefèvre gets paper: nothing to e-mail, and the server says so.
    const paper = await post(t, { month: '2026-09', householdId: t.householdId });
    expect(paper.status).toBe(404);
    expect(received).toHaveLength(3);
  });
});
