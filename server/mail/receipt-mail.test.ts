import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { townServer, type TownServer } from '../harness.ts';
import { hasPoppler, pdfText, startRelay, UNKNOWN } from './test-relay.ts';

let relay: Awaited<ReturnType<typeof startRelay>>;
beforeAll(async () => {
  relay = await startRelay();
});
afterAll(() => relay.close());

let town: TownServer | null = null;
afterEach(async () => {
  await town?.close();
  town = null;
  relay.received.length = 0;
});

type Emails = { to: string; status: string; detail: string | null }[];

describe('a receipt e-mailed on request at the counter', { timeout: 60_000 }, () => {
  it.skipIf(!hasPoppler)(
    'waits in the outbox while offline, is sent by the server after the push, and the counter sees the outcome',
    async () => {
      const t = (town = await townServer({ sqlite: ':memory:' }, '2026-10-05T09:00:00+02:00', {
        mail: relay.settings,
      }));
      const a = await t.counter('Guichet A');
      expect((await a.sync.syncOnce()).ok).toBe(true);
      expect((await a.core.invoke('regie.openSession', { floatCents: 0 })).ok).toBe(true);
      const paid = await a.core.invoke('payment.record', {
        householdId: t.householdId,
        mode: 'cash',
        amountCents: 2500,
      });
      const { paymentId, receiptNumber } = (
        paid as { ok: true; data: { paymentId: string; receiptNumber: string } }
      ).data;

      // The family's address (the Lefèvre file's), and one the agent mistyped.
      expect(await a.core.invoke('payment.emailReceipt', { paymentId, to: '' })).toMatchObject({
        ok: true,
        data: { to: 'sophie.lefevre@exemple.fr' },
      });
      expect((await a.core.invoke('payment.emailReceipt', { paymentId, to: UNKNOWN })).ok).toBe(true);
      const before = await a.core.invoke('payment.receiptEmails', { paymentId });
      expect((before as { data: Emails }).data.map((e) => e.status)).toEqual(['pending', 'pending']);
      expect(relay.received).toHaveLength(0);

      expect((await a.sync.syncOnce()).ok).toBe(true);
      await t.server.receiptsIdle();
      expect(relay.received.map((m) => m.to)).toEqual([['sophie.lefevre@exemple.fr']]);
      const { mail } = relay.received[0]!;
      expect(mail.subject).toBe(`Ville de Belleval — reçu ${receiptNumber}`);
      expect(mail.attachments.map((x) => x.filename)).toEqual([`recu-${receiptNumber}.pdf`]);
      const text = pdfText(mail.attachments[0]!.content).replace(/\s+/g, ' ');
      expect(text).toContain(receiptNumber);
      expect(text).toContain('25,00 €');

      // The outcome comes back with the next pull: sent to the family, refused for the mistyped address.
      expect((await a.sync.syncOnce()).ok).toBe(true);
      const after = (await a.core.invoke('payment.receiptEmails', { paymentId })) as { data: Emails };
      expect(after.data.map((e) => [e.to, e.status])).toEqual(
        expect.arrayContaining([
          ['sophie.lefevre@exemple.fr', 'sent'],
          [UNKNOWN, 'refused'],
        ]),
      );
      expect(after.data.find((e) => e.to === UNKNOWN)?.detail).toContain('550');
    },
  );

  it('refuses a request without any address, naming the field, and writes nothing', async () => {
    const t = (town = await townServer({ sqlite: ':memory:' }, '2026-10-05T09:00:00+02:00'));
    const a = await t.counter('Guichet A');
    expect((await a.sync.syncOnce()).ok).toBe(true);
    // The Lefèvre file loses its only address (its guardians have none).
    expect(
      (
        await a.core.invoke('family.updateHousehold', {
          householdId: t.householdId,
          name: 'Lefèvre',
          email: '',
        })
      ).ok,
    ).toBe(true);
    await a.core.invoke('regie.openSession', { floatCents: 0 });
    const paid = await a.core.invoke('payment.record', {
      householdId: t.householdId,
      mode: 'cash',
      amountCents: 1000,
    });
    const { paymentId } = (paid as { ok: true; data: { paymentId: string } }).data;
    const r = await a.core.invoke('payment.emailReceipt', { paymentId, to: '' });
    expect(r).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', field: 'to', message: expect.stringContaining('« adresse e-mail »') },
    });
    expect((await a.core.invoke('payment.receiptEmails', { paymentId })) as { data: Emails }).toMatchObject({
      data: [],
    });
  });
});
