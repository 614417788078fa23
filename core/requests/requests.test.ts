import { describe, expect, it } from 'vitest';
import { demoTown, type DemoTown } from '../test/town.ts';

const pickup = (t: DemoTown, firstName = 'Jacques', phone = '0611223344') => ({
  householdId: t.householdId,
  kind: 'pickup' as const,
  details: { lastName: 'Martin', firstName, relationship: 'grand-père', phone },
  message: 'Il récupérera Zoé le mercredi.',
});

const careEvenings = (t: DemoTown, dates: string[]) => ({
  childId: t.zoe,
  activityId: t.demo.care.activityId,
  siteId: t.demo.sites.jaures,
  unitCodes: ['evening' as const],
  selection: { kind: 'days' as const, dates },
});

describe('families’ requests', () => {
  it('a pickup authorisation waits in the inbox, and accepting it puts the person on the family file', async () => {
    const t = await demoTown('2026-09-14T18:05:00+02:00');
    const sent = await t.call('request.submit', pickup(t));
    expect(sent).toMatchObject({ state: 'pending', reference: expect.stringMatching(/^[0-9A-F]{6}$/) });

    const inbox = await t.call('request.inbox', {});
    expect(inbox.counts).toEqual({ pending: 1, accepted: 0, refused: 0 });
    expect(inbox.requests).toEqual([
      expect.objectContaining({
        id: sent.requestId,
        kind: 'pickup',
        state: 'pending',
        householdName: 'Lefèvre',
        summary: 'Jacques Martin (grand-père) — 06 11 22 33 44',
        message: 'Il récupérera Zoé le mercredi.',
      }),
    ]);
    expect((await t.call('request.get', { requestId: sent.requestId })).existingPickup).toBeNull();

    const accepted = await t.call('request.accept', { requestId: sent.requestId });
    expect(accepted.reply).toBe('Jacques Martin est désormais autorisé(e) à venir chercher vos enfants.');
    const file = await t.call('family.get', { householdId: t.householdId });
    expect(file.pickupPersons).toEqual([
      expect.objectContaining({
        id: accepted.pickup?.pickupPersonId,
        firstName: 'Jacques',
        lastName: 'Martin',
        phone: '06 11 22 33 44',
      }),
    ]);

    // One answer only: a second one (another counter, a double click) is told who answered and when.
    const again = await t.invoke('request.refuse', { requestId: sent.requestId, reply: 'Non.' });
    expect(again).toEqual({
      ok: false,
      error: {
        code: 'CONFLICT',
        field: 'requestId',
        message: 'Cette demande a déjà reçu une réponse : acceptée le 14/09/2026 à 18:05 par Administrateur.',
      },
    });
    expect((await t.call('request.inbox', { state: 'accepted' })).requests).toEqual([
      expect.objectContaining({ state: 'accepted', answeredByName: 'Administrateur', reply: accepted.reply }),
    ]);
  });

  it('a second authorisation for someone already on the file updates that person instead of adding a twin', async () => {
    const t = await demoTown('2026-09-14T18:05:00+02:00');
    await t.call('request.accept', { requestId: (await t.call('request.submit', pickup(t))).requestId });
    const second = await t.call('request.submit', pickup(t, 'JACQUES', '07 99 88 77 66'));
    const detail = await t.call('request.get', { requestId: second.requestId });
    expect(detail.existingPickup).toMatchObject({ name: 'Jacques Martin', phone: '06 11 22 33 44' });

    const r = await t.call('request.accept', { requestId: second.requestId, reply: 'C’est noté.' });
    expect(r.pickup?.updated).toBe(true);
    expect(r.reply).toBe('C’est noté.');
    const file = await t.call('family.get', { householdId: t.householdId });
    expect(file.pickupPersons.map((p) => `${p.firstName} ${p.phone}`)).toEqual(['Jacques 07 99 88 77 66']);
  });

  it('a cancellation past the family’s deadline is done by staff with the request as reason; a day already marked stays, and the family is told', async () => {
    const t = await demoTown('2026-09-01T10:00:00+02:00');
    await t.call('enrolment.enrol', {
      childId: t.zoe,
      activityId: t.demo.care.activityId,
      schoolYear: '2026-2027',
      siteId: t.demo.sites.jaures,
    });
    const days = ['2026-09-14', '2026-09-15', '2026-09-17'];
    await t.call('booking.book', { ...careEvenings(t, days), origin: 'counter' });

    // Monday evening: Zoé came today; tomorrow is past the 48 h a family has to cancel online.
    t.at('2026-09-14T19:00:00+02:00');
    await t.call('attendance.mark', {
      childId: t.zoe,
      activityId: t.demo.care.activityId,
      siteId: t.demo.sites.jaures,
      unitCode: 'evening',
      date: '2026-09-14',
      status: 'present',
    });
    const online = await t.call('booking.cancel', { ...careEvenings(t, ['2026-09-15']), origin: 'portal' });
    expect(online.refused.map((r) => r.code)).toEqual(['DEADLINE_PASSED']);

    const sent = await t.call('request.submit', {
      householdId: t.householdId,
      kind: 'cancellation',
      childId: t.zoe,
      details: careEvenings(t, days),
      message: 'Zoé est malade.',
    });
    const inbox = await t.call('request.inbox', { state: 'pending' });
    expect(inbox.requests[0]).toMatchObject({
      childName: 'Zoé Lefèvre',
      summary:
        'Accueil périscolaire (soir), Groupe scolaire Jean Jaurès — 14/09/2026, 15/09/2026, 17/09/2026',
    });

    // What accepting would do, before it is done.
    const detail = await t.call('request.get', { requestId: sent.requestId });
    expect(detail.cancellation).toEqual({
      willCancel: [
        { date: '2026-09-15', unitLabel: 'Soir', late: true, billed: true },
        { date: '2026-09-17', unitLabel: 'Soir', late: false, billed: false },
      ],
      cannotCancel: [{ date: '2026-09-14', unitLabel: 'Soir', reason: 'présence déjà pointée' }],
      problem: null,
    });
    expect(detail.contact.phoneMobile).toBe('06 12 34 56 78');

    const accepted = await t.call('request.accept', { requestId: sent.requestId });
    expect(accepted.cancellation?.cancelled.map((c) => c.date)).toEqual(['2026-09-15', '2026-09-17']);
    expect(accepted.reply).toBe(
      'Annulation effectuée : 15/09/2026, 17/09/2026.\nNon annulé : 14/09/2026 (présence déjà pointée).',
    );
    const rows = t.core.raw
      .prepare('SELECT date, state, cancel_late, cancel_reason FROM bookings ORDER BY date')
      .all();
    expect(rows).toEqual([
      { date: '2026-09-14', state: 'booked', cancel_late: 0, cancel_reason: null },
      {
        date: '2026-09-15',
        state: 'cancelled',
        cancel_late: 1,
        cancel_reason: `Demande de la famille (réf. ${sent.reference}, reçue le 14/09/2026)`,
      },
      { date: '2026-09-17', state: 'cancelled', cancel_late: 0, cancel_reason: null },
    ]);
  });

  it('a request with nothing left to cancel cannot be accepted; refusing it needs a reply, which is kept', async () => {
    const t = await demoTown('2026-09-01T10:00:00+02:00');
    await t.call('enrolment.enrol', {
      childId: t.zoe,
      activityId: t.demo.care.activityId,
      schoolYear: '2026-2027',
      siteId: t.demo.sites.jaures,
    });
    const sent = await t.call('request.submit', {
      householdId: t.householdId,
      kind: 'cancellation',
      childId: t.zoe,
      details: careEvenings(t, ['2026-09-15']),
    });
    const accept = await t.invoke('request.accept', { requestId: sent.requestId });
    expect(accept).toMatchObject({
      ok: false,
      error: {
        code: 'CONFLICT',
        message:
          'Rien à annuler pour cette demande : 15/09/2026 (aucune réservation ce jour-là). Refusez-la en expliquant pourquoi à la famille.',
      },
    });
    expect(await t.invoke('request.refuse', { requestId: sent.requestId, reply: '   ' })).toEqual({
      ok: false,
      error: {
        code: 'VALIDATION',
        field: 'reply',
        message: 'Un refus se motive : écrivez la réponse à la famille.',
      },
    });
    const reply = 'Zoé n’était pas inscrite ce soir-là : rien n’est facturé.';
    await t.call('request.refuse', { requestId: sent.requestId, reply });
    const inbox = await t.call('request.inbox', {});
    expect(inbox.counts).toEqual({ pending: 0, accepted: 0, refused: 1 });
    expect(inbox.requests[0]).toMatchObject({ state: 'refused', reply });
    // The answered cancellation shows no preview: there is nothing left to decide.
    expect((await t.call('request.get', { requestId: sent.requestId })).cancellation).toBeNull();
  });

  it('lists pending requests first, oldest first, then answers, latest first; filters by state and household', async () => {
    const t = await demoTown('2026-09-14T08:00:00+02:00');
    const { householdId: other } = await t.call('family.createHousehold', {
      name: 'Martin',
      guardians: [{ rank: 1, civility: 'Mme', lastName: 'Martin', firstName: 'Claire' }],
      children: [{ lastName: 'Martin', firstName: 'Léa', birthDate: '2018-06-02', classLevel: 'CE1' }],
    });
    const doc = (householdId: string, fileName: string) => ({
      householdId,
      kind: 'document' as const,
      details: { fileName, fileType: 'application/pdf' },
    });
    const a = await t.call('request.submit', doc(t.householdId, 'attestation-caf.pdf'));
    t.at('2026-09-14T09:00:00+02:00');
    const b = await t.call('request.submit', doc(other, 'avis-imposition.pdf'));
    t.at('2026-09-14T10:00:00+02:00');
    const c = await t.call('request.submit', {
      householdId: t.householdId,
      kind: 'other',
      message: 'Pouvez-vous nous rappeler au sujet de la facture de septembre ?',
    });
    t.at('2026-09-14T11:00:00+02:00');
    await t.call('request.accept', { requestId: b.requestId });

    const all = await t.call('request.inbox', {});
    expect(all.requests.map((r) => [r.id, r.state])).toEqual([
      [a.requestId, 'pending'],
      [c.requestId, 'pending'],
      [b.requestId, 'accepted'],
    ]);
    expect(all.requests.map((r) => r.summary)).toEqual([
      'attestation-caf.pdf (application/pdf)',
      'Pouvez-vous nous rappeler au sujet de la facture de septembre ?',
      'avis-imposition.pdf (application/pdf)',
    ]);
    expect(all.requests[2]?.reply).toBe('Document reçu et accepté.');
    const lefevre = await t.call('request.inbox', { householdId: t.householdId });
    expect(lefevre.counts).toEqual({ pending: 2, accepted: 0, refused: 0 });
    expect((await t.call('request.inbox', { state: 'accepted' })).requests.map((r) => r.id)).toEqual([
      b.requestId,
    ]);
  });

  it('refuses a request naming a child of another household, or an empty one', async () => {
    const t = await demoTown('2026-09-14T08:00:00+02:00');
    const { householdId: other } = await t.call('family.createHousehold', {
      name: 'Martin',
      guardians: [{ rank: 1, civility: 'Mme', lastName: 'Martin', firstName: 'Claire' }],
    });
    const foreign = await t.invoke('request.submit', { ...pickup(t), householdId: other, childId: t.zoe });
    expect(foreign).toEqual({
      ok: false,
      error: { code: 'NOT_FOUND', field: 'childId', message: 'Cet enfant n’appartient pas à ce foyer.' },
    });
    const empty = await t.invoke('request.submit', { householdId: t.householdId, kind: 'other' });
    expect(empty).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'message' } });
    expect((await t.call('request.inbox', {})).requests).toEqual([]);
  });

  it('a request in a shape this version does not know is listed as such, and not acted on', async () => {
    const t = await demoTown('2026-09-14T18:05:00+02:00');
    const sent = await t.call('request.submit', pickup(t));
    // As a newer portal could send it: the person under another field name.
    t.core.raw
      .prepare('UPDATE family_requests SET details = ? WHERE id = ?')
      .run(JSON.stringify({ person: { name: 'Jacques Martin' } }), sent.requestId);
    const [listed] = (await t.call('request.inbox', {})).requests;
    expect(listed?.summary).toMatch(/^Détails illisibles par cette version de Guichet Famille/);
    expect((await t.call('request.get', { requestId: sent.requestId })).existingPickup).toBeNull();
    const accept = await t.invoke('request.accept', { requestId: sent.requestId });
    expect(accept).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: listed?.summary } });
    expect((await t.call('family.get', { householdId: t.householdId })).pickupPersons).toEqual([]);
  });

  it('logs the ids and the agent’s name with each command, so the server and the other counters write the same rows', async () => {
    const t = await demoTown('2026-09-14T18:05:00+02:00');
    const sent = await t.call('request.submit', pickup(t));
    const accepted = await t.call('request.accept', { requestId: sent.requestId });
    const log = t.core.raw
      .prepare("SELECT name, input FROM command_log WHERE name LIKE 'request.%' ORDER BY seq")
      .all() as { name: string; input: string }[];
    expect(log.map((l) => [l.name, JSON.parse(l.input) as unknown])).toEqual([
      ['request.submit', expect.objectContaining({ requestId: sent.requestId })],
      [
        'request.accept',
        expect.objectContaining({
          pickupPersonId: accepted.pickup?.pickupPersonId,
          answeredByName: 'Administrateur',
        }),
      ],
    ]);
  });
});
