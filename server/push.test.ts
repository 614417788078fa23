import { afterEach, describe, expect, it } from 'vitest';
import { DomainError } from '../core/api/envelope.ts';
import { MAX_CLOCK_DRIFT_MS } from '../core/api/execute.ts';
import type { AnyOperation, CommandContext } from '../core/api/operation.ts';
import { createSession } from '../core/auth/session.ts';
import type { Core } from '../core/app.ts';
import { operations, type InputOf, type OperationName, type OutputOf } from '../core/contract.ts';
import { applier, type Incoming } from './apply.ts';
import { SERVER_DEVICE } from './devices.ts';
import { careEvening, STORES, townServer, type TownServer } from './harness.ts';

/**
 * A counter's push is applied in one transaction, a savepoint per command (server/apply.ts): what the counter and
 * the régisseur see of it when a command is refused, when the server fails half-way, when the town's set-up changes
 * within it.
 */

let town: TownServer | null = null;
afterEach(async () => {
  await town?.close();
  town = null;
});

async function call<N extends OperationName>(core: Core, name: N, input: InputOf<N>): Promise<OutputOf<N>> {
  const r = await core.invoke(name, input);
  if (!r.ok) throw new Error(`${name}: ${r.error.code} ${r.error.message}`);
  return r.data as OutputOf<N>;
}

/**
 * The contract's operations, with `booking.book` for one child ending, after its rows are written, as the test
 * says: a business refusal, or a server fault.
 */
function failing(fail: { childId: string | null; with: 'refusal' | 'fault' }) {
  const registry: Readonly<Record<string, AnyOperation>> = operations;
  const book = registry['booking.book'] as AnyOperation & { kind: 'command' };
  return {
    ...registry,
    'booking.book': {
      ...book,
      run: async (ctx: CommandContext, input: { childId: string }) => {
        const data: unknown = await book.run(ctx, input);
        if (input.childId !== fail.childId) return data;
        if (fail.with === 'refusal') throw new DomainError('CONFLICT', 'Refusé par le serveur pour ce test.');
        throw new Error('panne du serveur au milieu de l’envoi');
      },
    },
  } as Readonly<Record<string, AnyOperation>>;
}

/** The server's own applier on the town's store (`ops`: the contract, or a test's version of it), and its commands. */
function serverApplier(t: TownServer, ops: Readonly<Record<string, AnyOperation>> = operations) {
  let n = 0;
  const apply = applier({
    db: t.store.db,
    clock: t.clock,
    operations: ops,
    session: Object.assign(
      createSession(() => 0),
      { scryptLogN: 14 },
    ),
    maxDriftMs: MAX_CLOCK_DRIFT_MS,
  });
  /** The administration's command, numbered by the server. */
  const cmd = (name: string, input: unknown): Incoming => ({
    seq: null,
    id: `00000000-0000-7000-8000-${String(++n).padStart(12, '0')}`,
    name,
    input,
    agentId: 'admin',
    agentName: 'Administration',
    at: t.clock().toISOString(),
  });
  return { apply, cmd };
}

/** What the server holds of a device's push: its received commands, and the evenings booked per child. */
async function serverView(t: TownServer, deviceId: string) {
  const received = await t.store.db
    .selectFrom('received_commands')
    .select(['seq', 'status', 'code', 'message'])
    .where('device_id', '=', deviceId)
    .orderBy('seq')
    .execute();
  const booked = await t.store.db
    .selectFrom('bookings')
    .select(['child_id', 'date'])
    .where('state', '=', 'booked')
    .orderBy('date')
    .execute();
  const device = await t.store.db
    .selectFrom('devices')
    .select('last_seq')
    .where('id', '=', deviceId)
    .executeTakeFirstOrThrow();
  return {
    received: received.map((r) => ({ ...r, seq: Number(r.seq) })),
    zoe: booked.filter((b) => b.child_id === t.zoe).map((b) => b.date),
    noe: booked.filter((b) => b.child_id === t.noe).map((b) => b.date),
    lastSeq: Number(device.last_seq),
  };
}

/** Five evenings booked offline, the third for Noé, the others for Zoé. */
async function fiveBookings(t: TownServer, core: Core) {
  for (const [child, date] of [
    [t.zoe, '2026-09-14'],
    [t.zoe, '2026-09-15'],
    [t.noe, '2026-09-18'],
    [t.zoe, '2026-09-17'],
    [t.zoe, '2026-09-21'],
  ] as const)
    await call(core, 'booking.book', careEvening(t, child, [date]));
}

describe.each(STORES)('a counter’s push on %s', { timeout: 90_000 }, (_label, storeOptions) => {
  it('the third of five commands refused: the four others applied, the refusal recorded, none of its rows kept', async () => {
    const fail = { childId: null as string | null, with: 'refusal' as const };
    const t = (town = await townServer(storeOptions(), undefined, { operations: failing(fail) }));
    fail.childId = t.noe;
    const a = await t.counter('Guichet A');
    expect((await a.sync.syncOnce()).ok).toBe(true);
    await fiveBookings(t, a.core);

    expect(await a.sync.syncOnce()).toMatchObject({ ok: true, pushed: 5 });
    const view = await serverView(t, a.deviceId);
    expect(view.received.map((r) => [r.seq, r.status])).toEqual([
      [1, 'applied'],
      [2, 'applied'],
      [3, 'rejected'],
      [4, 'applied'],
      [5, 'applied'],
    ]);
    expect(view.received[2]).toMatchObject({
      code: 'CONFLICT',
      message: 'Refusé par le serveur pour ce test.',
    });
    // The refused command had written Noé's evening before it was refused: rolled back with it.
    expect(view.noe).toEqual([]);
    expect(view.zoe).toEqual(['2026-09-14', '2026-09-15', '2026-09-17', '2026-09-21']);
    expect(view.lastSeq).toBe(5);
    // The counter's queue is empty; the agent finds the refusal to settle with the family.
    expect(await call(a.core, 'sync.rejections', {})).toMatchObject([
      { name: 'booking.book', status: 'rejected', message: 'Refusé par le serveur pour ce test.' },
    ]);
    expect(await call(a.core, 'sync.status', {})).toMatchObject({ pending: 0 });
  });

  it('a server fault half-way through a push keeps nothing of it; the counter’s retry applies each command once', async () => {
    const fail = { childId: null as string | null, with: 'fault' as const };
    const t = (town = await townServer(storeOptions(), undefined, {
      operations: failing(fail),
      onInternalError: () => {},
    }));
    fail.childId = t.noe;
    const a = await t.counter('Guichet A');
    expect((await a.sync.syncOnce()).ok).toBe(true);
    await fiveBookings(t, a.core);

    expect((await a.sync.syncOnce()).ok).toBe(false);
    // The two commands before the fault were applied in the push's transaction, and went with it.
    expect(await serverView(t, a.deviceId)).toMatchObject({ received: [], zoe: [], noe: [], lastSeq: 0 });
    expect(await call(a.core, 'sync.status', {})).toMatchObject({ pending: 5 });

    fail.childId = null;
    expect(await a.sync.syncOnce()).toMatchObject({ ok: true, pushed: 5 });
    const view = await serverView(t, a.deviceId);
    expect(view.received.map((r) => [r.seq, r.status])).toEqual(
      [1, 2, 3, 4, 5].map((seq) => [seq, 'applied']),
    );
    expect(view.zoe).toEqual(['2026-09-14', '2026-09-15', '2026-09-17', '2026-09-21']);
    expect(view.noe).toEqual(['2026-09-18']);
    expect(view.lastSeq).toBe(5);
    expect(await call(a.core, 'sync.status', {})).toMatchObject({ pending: 0 });
  });

  it('the town’s set-up changed within one run of commands: the next command sees it, unless it was refused', async () => {
    const t = (town = await townServer(storeOptions()));
    const registry: Readonly<Record<string, AnyOperation>> = operations;
    const addClosure = registry['admin.addClosure'] as AnyOperation & { kind: 'command' };
    const ops = {
      ...registry,
      // A closure that is refused after it was written: the savepoint takes it back.
      'admin.addClosure': {
        ...addClosure,
        run: async (ctx: CommandContext, input: { label: string }) => {
          const data: unknown = await addClosure.run(ctx, input);
          if (input.label === 'Refusée') throw new DomainError('CONFLICT', 'Fermeture refusée.');
          return data;
        },
      },
    } as Readonly<Record<string, AnyOperation>>;
    const { apply, cmd } = serverApplier(t, ops);
    const closure = (day: string, label: string) => ({
      siteId: t.demo.sites.jaures,
      firstDay: day,
      lastDay: day,
      label,
    });

    const results = await apply.applyPush(SERVER_DEVICE, [
      // Reads the site's calendar before any closure.
      cmd('booking.book', careEvening(t, t.zoe, ['2026-09-14'])),
      cmd('admin.addClosure', closure('2026-09-15', 'Grève')),
      cmd('booking.book', careEvening(t, t.noe, ['2026-09-15', '2026-09-17'])),
      cmd('admin.addClosure', closure('2026-09-17', 'Refusée')),
      cmd('booking.book', careEvening(t, t.zoe, ['2026-09-17'])),
    ]);
    expect(results.map((r) => r.status)).toEqual(['applied', 'applied', 'applied', 'rejected', 'applied']);
    // The closure just added is seen by the next booking: its day is refused, the other one booked.
    expect(results[2]).toMatchObject({ refused: [expect.objectContaining({ date: '2026-09-15' })] });
    const view = await serverView(t, SERVER_DEVICE);
    expect(view.noe).toEqual(['2026-09-17']);
    // The refused closure is gone, and was not seen by the booking after it.
    expect(view.zoe).toEqual(['2026-09-14', '2026-09-17']);
    const closures = await t.store.db
      .selectFrom('closures')
      .select('label')
      .where('first_day', 'in', ['2026-09-15', '2026-09-17'])
      .orderBy('first_day')
      .execute();
    expect(closures.map((c) => c.label)).toEqual(['Grève']);
  });

  it('a child’s enrolment changed within one run of commands: the next booking sees it, unless it was refused', async () => {
    const t = (town = await townServer(storeOptions()));
    const registry: Readonly<Record<string, AnyOperation>> = operations;
    const end = registry['enrolment.end'] as AnyOperation & { kind: 'command' };
    const ops = {
      ...registry,
      // An end of enrolment refused after it was written: the savepoint takes it back.
      'enrolment.end': {
        ...end,
        run: async (ctx: CommandContext, input: { reason: string }) => {
          const data: unknown = await end.run(ctx, input);
          if (input.reason === 'Refusée') throw new DomainError('CONFLICT', 'Fin d’inscription refusée.');
          return data;
        },
      },
    } as Readonly<Record<string, AnyOperation>>;
    const { apply, cmd } = serverApplier(t, ops);
    const enrolment = await t.store.db
      .selectFrom('enrolments')
      .select('id')
      .where('child_id', '=', t.zoe)
      .where('activity_id', '=', t.demo.care.activityId)
      .executeTakeFirstOrThrow();
    const ending = (reason: string) => ({ enrolmentId: enrolment.id, lastDay: '2026-09-15', reason });

    const results = await apply.applyPush(SERVER_DEVICE, [
      // Reads Zoé's enrolments before any change.
      cmd('booking.book', careEvening(t, t.zoe, ['2026-09-14'])),
      cmd('enrolment.end', ending('Refusée')),
      cmd('booking.book', careEvening(t, t.zoe, ['2026-09-17'])),
      cmd('enrolment.end', ending('Déménagement')),
      cmd('booking.book', careEvening(t, t.zoe, ['2026-09-18'])),
    ]);
    expect(results.map((r) => r.status)).toEqual(['applied', 'rejected', 'applied', 'applied', 'applied']);
    // The refused end was not seen by the booking after it; the real one is seen by the next booking.
    expect(results[2]).not.toHaveProperty('refused');
    expect(results[4]).toMatchObject({
      refused: [expect.objectContaining({ date: '2026-09-18', code: 'ENROLMENT_ENDED' })],
    });
    const view = await serverView(t, SERVER_DEVICE);
    expect(view.zoe).toEqual(['2026-09-14']);
  });

  it('the last place of a slot within one run of commands: taken by the first, freed by a cancellation, retaken', async () => {
    const t = (town = await townServer(storeOptions()));
    await t.call('admin.setCapacity', {
      siteId: t.demo.sites.jaures,
      unitId: t.demo.care.unitIds.evening as string,
      date: '2026-09-14',
      places: 1,
    });
    const { apply, cmd } = serverApplier(t);

    const results = await apply.applyPush(SERVER_DEVICE, [
      cmd('booking.book', careEvening(t, t.zoe, ['2026-09-14', '2026-09-15'])),
      cmd('booking.book', careEvening(t, t.noe, ['2026-09-14'])),
      cmd('booking.cancel', careEvening(t, t.zoe, ['2026-09-14'])),
      cmd('booking.book', careEvening(t, t.noe, ['2026-09-14', '2026-09-15'])),
      cmd('booking.book', careEvening(t, t.zoe, ['2026-09-14'])),
    ]);
    expect(results.map((r) => r.status)).toEqual(['applied', 'applied', 'applied', 'applied', 'applied']);
    expect(results[0]).not.toHaveProperty('refused');
    expect(results[1]).toMatchObject({
      refused: [expect.objectContaining({ date: '2026-09-14', code: 'FULL' })],
    });
    expect(results[3]).not.toHaveProperty('refused');
    expect(results[4]).toMatchObject({
      refused: [expect.objectContaining({ date: '2026-09-14', code: 'FULL' })],
    });
    const view = await serverView(t, SERVER_DEVICE);
    expect(view.zoe).toEqual(['2026-09-15']);
    expect(view.noe).toEqual(['2026-09-14', '2026-09-15']);
  });
});

describe.each(STORES)(
  'the places a push keeps counting on %s',
  { timeout: 90_000 },
  (_label, storeOptions) => {
    it('counts again the days it has not counted, and keeps a full day full, whatever the span asked', async () => {
      const t = (town = await townServer(storeOptions()));
      for (const date of ['2026-09-14', '2026-09-15', '2026-09-17'])
        await t.call('admin.setCapacity', {
          siteId: t.demo.sites.jaures,
          unitId: t.demo.care.unitIds.evening as string,
          date,
          places: 1,
        });
      const { apply, cmd } = serverApplier(t);
      // Before this push: Tuesday 15 is Zoé's, Thursday 17 Noé's — both full.
      await apply.applyPush(SERVER_DEVICE, [
        cmd('booking.book', careEvening(t, t.zoe, ['2026-09-15'])),
        cmd('booking.book', careEvening(t, t.noe, ['2026-09-17'])),
      ]);

      const results = await apply.applyPush(SERVER_DEVICE, [
        // Monday 14 counted, then taken.
        cmd('booking.book', careEvening(t, t.noe, ['2026-09-14'])),
        // Monday to Thursday: Monday is known to the push, Thursday is not — and is full.
        cmd('booking.book', careEvening(t, t.zoe, ['2026-09-14', '2026-09-17'])),
        // Tuesday counted full, then asked again by the same child.
        cmd('booking.book', careEvening(t, t.noe, ['2026-09-15'])),
        cmd('booking.book', careEvening(t, t.noe, ['2026-09-15'])),
      ]);
      const refused = (i: number) =>
        ((results[i] as { refused?: { date: string; code: string }[] }).refused ?? []).map((r) => [
          r.date,
          r.code,
        ]);
      expect(results.map((r) => r.status)).toEqual(['applied', 'applied', 'applied', 'applied']);
      expect(refused(0)).toEqual([]);
      expect(refused(1)).toEqual([
        ['2026-09-14', 'FULL'],
        ['2026-09-17', 'FULL'],
      ]);
      expect(refused(2)).toEqual([['2026-09-15', 'FULL']]);
      expect(refused(3)).toEqual([['2026-09-15', 'FULL']]);
      const view = await serverView(t, SERVER_DEVICE);
      expect(view.zoe).toEqual(['2026-09-15']);
      expect(view.noe).toEqual(['2026-09-14', '2026-09-17']);
    });
  },
);
