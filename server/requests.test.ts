import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { careEvening, PORTAL_TOKEN, STORES, townServer, type TownServer } from './harness.ts';

let town: TownServer | null = null;
afterEach(async () => {
  await town?.close();
  town = null;
});

interface PortalRequest {
  id: string;
  reference: string;
  kind: string;
  state: string;
  reply: string;
  summary: string;
  childName: string | null;
}

/** The families' portal back-end, as it calls the server: its own token, the signed-in family's household. */
function portal(t: TownServer, token = PORTAL_TOKEN) {
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  return {
    async submit(body: unknown) {
      const res = await fetch(`${t.http.url}/portal/requests`, {
        method: 'POST',
        headers,
        body: JSON.stringify(body),
      });
      return {
        status: res.status,
        body: (await res.json()) as { requestId?: string; reference?: string; error?: { message: string } },
      };
    },
    async list(householdId: string) {
      const res = await fetch(`${t.http.url}/portal/requests?householdId=${householdId}`, { headers });
      return { status: res.status, body: (await res.json()) as { requests?: PortalRequest[] } };
    },
    async book(dates: string[]) {
      const res = await fetch(`${t.http.url}/portal/bookings`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ action: 'book', householdId: t.householdId, ...careEvening(t, t.zoe, dates) }),
      });
      expect(res.status).toBe(200);
    },
  };
}

const pickupRequest = (t: TownServer) => ({
  householdId: t.householdId,
  kind: 'pickup',
  details: { lastName: 'Martin', firstName: 'Jacques', relationship: 'grand-père', phone: '06 11 22 33 44' },
  message: 'Il récupérera Zoé les mardis.',
});

const cancellationRequest = (t: TownServer, dates: string[]) => ({
  householdId: t.householdId,
  kind: 'cancellation',
  childId: t.zoe,
  details: {
    activityId: t.demo.care.activityId,
    siteId: t.demo.sites.jaures,
    unitCodes: ['evening'],
    selection: { kind: 'days', dates },
  },
  message: 'Zoé est malade cette semaine.',
});

describe.each(STORES)('families’ requests on %s', { timeout: 60_000 }, (_label, storeOptions) => {
  it('the portal’s requests reach the counter’s inbox; the answers given there reach the family', async () => {
    const t = (town = await townServer(storeOptions()));
    const p = portal(t);
    const a = await t.counter('Guichet A');
    await p.book(['2026-09-15', '2026-09-17']);
    // Monday evening: Tuesday's care is past the 48 h a family has to cancel online, so the family asks.
    t.at('2026-09-14T19:00:00+02:00');
    const pickup = await p.submit(pickupRequest(t));
    const cancel = await p.submit(cancellationRequest(t, ['2026-09-15', '2026-09-17']));
    expect([pickup.status, cancel.status]).toEqual([201, 201]);

    expect((await a.sync.syncOnce()).ok).toBe(true);
    const inbox = await a.core.invoke('request.inbox', { state: 'pending' });
    expect(inbox).toMatchObject({
      ok: true,
      data: {
        counts: { pending: 2, accepted: 0, refused: 0 },
        requests: [
          { id: pickup.body.requestId, kind: 'pickup', householdName: 'Lefèvre' },
          { id: cancel.body.requestId, kind: 'cancellation', childName: 'Zoé Lefèvre' },
        ],
      },
    });

    const accepted = await a.core.invoke('request.accept', { requestId: pickup.body.requestId! });
    const reply =
      'Nous ne pouvons pas annuler mardi : la place était réservée. Jeudi est annulé par téléphone.';
    const refused = await a.core.invoke('request.refuse', { requestId: cancel.body.requestId!, reply });
    expect(accepted.ok && refused.ok).toBe(true);
    const localPerson = a.core.raw
      .prepare("SELECT id FROM pickup_persons WHERE last_name = 'Martin'")
      .get() as { id: string };

    const round = await a.sync.syncOnce();
    expect(round).toMatchObject({ ok: true, pushed: 2 });
    expect(await a.core.invoke('sync.rejections', {})).toEqual({ ok: true, data: [] });

    const seen = await p.list(t.householdId);
    expect(seen.status).toBe(200);
    expect(seen.body.requests).toEqual([
      expect.objectContaining({
        id: cancel.body.requestId,
        state: 'refused',
        reply,
        childName: 'Zoé Lefèvre',
      }),
      expect.objectContaining({
        id: pickup.body.requestId,
        state: 'accepted',
        reply: 'Jacques Martin est désormais autorisé(e) à venir chercher vos enfants.',
        summary: 'Jacques Martin (grand-père) — 06 11 22 33 44',
      }),
    ]);
    // The person is on the family's file on the server, under the id the counter gave it.
    const onServer = await t.store.db
      .selectFrom('pickup_persons')
      .select(['id', 'first_name', 'phone'])
      .where('household_id', '=', t.householdId)
      .execute();
    expect(onServer).toEqual([{ id: localPerson.id, first_name: 'Jacques', phone: '06 11 22 33 44' }]);
    // The refused request cancelled nothing.
    const booked = await sql<{ n: number | string }>`
      SELECT count(*) AS n FROM bookings WHERE child_id = ${t.zoe} AND state = 'booked'`.execute(t.store.db);
    expect(Number(booked.rows[0]?.n)).toBe(2);
  });

  it('two counters answer the same request offline: the first to reach the server wins, the other is told', async () => {
    const t = (town = await townServer(storeOptions()));
    const p = portal(t);
    const a = await t.counter('Guichet A');
    const b = await t.counter('Guichet B');
    await p.book(['2026-09-15', '2026-09-17']);
    t.at('2026-09-14T19:00:00+02:00');
    const cancel = await p.submit(cancellationRequest(t, ['2026-09-15', '2026-09-17']));
    await a.sync.syncOnce();
    await b.sync.syncOnce();

    const requestId = cancel.body.requestId!;
    expect((await a.core.invoke('request.accept', { requestId })).ok).toBe(true);
    expect((await b.core.invoke('request.refuse', { requestId, reply: 'Trop tard.' })).ok).toBe(true);
    await a.sync.syncOnce();
    await b.sync.syncOnce();

    // Both days cancelled on the server by staff, Tuesday late, with the request as the reason.
    const rows = await t.store.db
      .selectFrom('bookings')
      .select(['date', 'state', 'cancel_late', 'cancel_reason'])
      .where('child_id', '=', t.zoe)
      .orderBy('date')
      .execute();
    expect(rows).toEqual([
      {
        date: '2026-09-15',
        state: 'cancelled',
        cancel_late: 1,
        cancel_reason: `Demande de la famille (réf. ${cancel.body.reference}, reçue le 14/09/2026)`,
      },
      { date: '2026-09-17', state: 'cancelled', cancel_late: 0, cancel_reason: null },
    ]);
    const rejections = await b.core.invoke('sync.rejections', {});
    expect(rejections).toMatchObject({
      ok: true,
      data: [{ name: 'request.refuse', status: 'rejected', code: 'CONFLICT' }],
    });
    expect((rejections as { data: { message: string }[] }).data[0]?.message).toMatch(
      /^Cette demande a déjà reçu une réponse : acceptée le 14\/09\/2026 à 19:00 par /,
    );
    // B now shows the server's answer, not its own refusal.
    expect(await b.core.invoke('request.get', { requestId })).toMatchObject({
      ok: true,
      data: { state: 'accepted', reply: 'Annulation effectuée : 15/09/2026, 17/09/2026.' },
    });
    expect((await p.list(t.householdId)).body.requests?.[0]).toMatchObject({ state: 'accepted' });
  });

  it('a family cannot send or read requests for another household', async () => {
    const t = (town = await townServer(storeOptions()));
    const p = portal(t);
    const { householdId: other } = (await t.call('family.createHousehold', {
      name: 'Martin',
      guardians: [{ rank: 1, civility: 'Mme', lastName: 'Martin', firstName: 'Claire' }],
    })) as { householdId: string };

    // Another household's child, named under one's own household or under the other one: refused, nothing written.
    const foreign = await p.submit({ ...cancellationRequest(t, ['2026-09-15']), householdId: other });
    expect(foreign).toMatchObject({
      status: 403,
      body: { error: { message: "Cet enfant n'appartient pas à votre foyer." } },
    });
    expect(
      (await p.submit({ ...pickupRequest(t), householdId: '00000000-0000-7000-8000-000000000000' })).status,
    ).toBe(404);
    expect((await portal(t, 'mauvais-jeton').submit(pickupRequest(t))).status).toBe(401);
    expect((await portal(t, 'mauvais-jeton').list(t.householdId)).status).toBe(401);
    // A request the rules refuse is answered in French, with nothing written.
    const bad = await p.submit({ ...pickupRequest(t), details: { firstName: 'Jacques' } });
    expect(bad).toMatchObject({
      status: 422,
      body: { error: { message: expect.stringMatching(/^Champ « /) } },
    });
    const empty = await p.submit({ householdId: t.householdId, kind: 'other', message: '  ' });
    expect(empty).toMatchObject({
      status: 422,
      body: { error: { message: 'Décrivez la demande dans le message.' } },
    });

    expect((await p.submit(pickupRequest(t))).status).toBe(201);
    expect((await p.list(other)).body.requests).toEqual([]);
    expect((await p.list(t.householdId)).body.requests).toHaveLength(1);
  });
});
