import { describe, expect, it } from 'vitest';
import { operations } from '../contract.ts';
import { openCore } from '../app.ts';
import { LEFEVRE, openTestCore, TEST_PASSWORD } from '../test/fixtures.ts';
import { can, PERMISSIONS, ROLE_PERMISSIONS, ROLES, type Role } from './roles.ts';

/** A core with one account per role, the administrator signed in; `as(role)` switches agent. */
async function staffedCore(clock?: () => Date) {
  const core = await openTestCore({ path: ':memory:', ...(clock ? { clock } : {}) });
  for (const role of ROLES.filter((r) => r !== 'admin')) {
    const r = await core.invoke('staff.save', {
      username: role,
      displayName: `Compte ${role}`,
      role,
      password: TEST_PASSWORD,
    });
    if (!r.ok) throw new Error(r.error.message);
  }
  const created = await core.invoke('family.createHousehold', LEFEVRE);
  if (!created.ok) throw new Error(created.error.message);
  const householdId = (created.data as { householdId: string }).householdId;
  const file = await core.invoke('family.get', { householdId });
  const childId = file.ok ? (file.data as { children: { id: string }[] }).children[0]!.id : '';
  const as = async (role: Role) => {
    const r = await core.invoke('auth.login', { username: role, password: TEST_PASSWORD });
    if (!r.ok) throw new Error(r.error.message);
  };
  return { core, householdId, childId, as };
}

describe('permission matrix', () => {
  it('names a permission for every operation of the registry', () => {
    // `permission` is required by the type of every declaration; what the type cannot see is a value that came
    // through `any` or a spread: each must be one the roles know, or 'public'.
    const known = new Set<string>([...PERMISSIONS, 'public']);
    const missing = Object.entries(operations)
      .filter(([, op]) => !known.has(op.permission))
      .map(([name]) => name);
    expect(missing).toEqual([]);
  });

  it('lets each role do exactly what its permissions say, whatever the operation kind', async () => {
    const { core, householdId, as } = await staffedCore();
    // One operation per permission, with an input valid for it, so that a refusal can only be the permission's.
    const probes: [string, unknown][] = [
      ['family.get', { householdId }],
      ['family.updateHousehold', { householdId, name: 'Lefèvre' }],
      [
        'attendance.sheet',
        {
          activityId: '01900000-0000-7000-8000-000000000001',
          siteId: '01900000-0000-7000-8000-000000000002',
          unitCode: 'meal',
          date: '2026-11-23',
        },
      ],
      ['billing.unpaid', { asOf: '2026-11-23' }],
      ['staff.list', {}],
    ];
    for (const role of ROLES) {
      await as(role);
      for (const [name, input] of probes) {
        const permission = operations[name as keyof typeof operations].permission;
        if (permission === 'public') throw new Error(name);
        const r = await core.invoke(name, input);
        const refused = !r.ok && r.error.code === 'FORBIDDEN';
        expect({ role, name, refused }).toEqual({ role, name, refused: !can(role, permission) });
      }
    }
  });

  it('says in French what the role does not allow', async () => {
    const { core, as } = await staffedCore();
    await as('agent');
    const r = await core.invoke('staff.list', {});
    expect(r).toEqual({
      ok: false,
      error: {
        code: 'FORBIDDEN',
        message: 'Votre rôle (Agent d’accueil) ne permet pas de administrer l’application.',
      },
    });
  });

  it('keeps health notes from every role without the right, even through the contract, and logs each read', async () => {
    const { core, childId, as } = await staffedCore();
    await as('alsh');
    expect((await core.invoke('health.save', { childId, notes: 'Allergie aux arachides — PAI' })).ok).toBe(
      true,
    );
    for (const role of ROLES.filter((r) => !ROLE_PERMISSIONS[r].includes('health'))) {
      await as(role);
      const r = await core.invoke('health.read', { childId });
      expect(r).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
      const file = await core.invoke('family.get', {
        householdId: (
          core.raw.prepare('SELECT household_id FROM children WHERE id = ?').get(childId) as {
            household_id: string;
          }
        ).household_id,
      });
      expect(JSON.stringify(file)).not.toContain('arachides');
    }
    await as('alsh');
    const read = await core.invoke('health.read', { childId });
    expect(read).toMatchObject({ ok: true, data: { notes: 'Allergie aux arachides — PAI' } });
    await as('admin');
    const log = await core.invoke('health.readLog', { childId });
    expect(log.ok && (log.data as { agentName: string }[]).map((l) => l.agentName)).toEqual(['Compte alsh']);
  });
});

describe('sign-in, lock and accounts', () => {
  it('asks for an administrator on first run, then for sign-in; nothing is readable before', async () => {
    const core = await openCore({ path: ':memory:', scryptLogN: 10 });
    expect(await core.invoke('auth.status', {})).toMatchObject({
      ok: true,
      data: { setupNeeded: true, agent: null },
    });
    expect(await core.invoke('family.search', { text: 'a' })).toMatchObject({
      ok: false,
      error: { code: 'UNAUTHORIZED' },
    });
    expect(
      (
        await core.invoke('auth.setupAdmin', {
          username: 'Admin',
          displayName: 'Claire',
          password: 'long-enough',
        })
      ).ok,
    ).toBe(true);
    const again = await core.invoke('auth.setupAdmin', {
      username: 'other',
      displayName: 'X',
      password: 'long-enough',
    });
    expect(again).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    await core.invoke('auth.logout', {});
    const wrong = await core.invoke('auth.login', { username: 'admin', password: 'nope' });
    expect(wrong).toEqual({
      ok: false,
      error: { code: 'UNAUTHORIZED', message: 'Identifiant ou mot de passe incorrect.', field: 'password' },
    });
    const unknown = await core.invoke('auth.login', { username: 'nobody', password: 'nope' });
    expect(unknown).toEqual(wrong);
    expect(await core.invoke('auth.login', { username: 'ADMIN', password: 'long-enough' })).toMatchObject({
      ok: true,
      data: { role: 'admin' },
    });
  });

  it('never writes a password to the database or the command log', async () => {
    const core = await openTestCore({ path: ':memory:' });
    await core.invoke('staff.save', {
      username: 'camille',
      displayName: 'Camille',
      role: 'agent',
      password: 'secret-du-guichet',
    });
    const dump =
      JSON.stringify(core.raw.prepare('SELECT * FROM command_log').all()) +
      JSON.stringify(core.raw.prepare('SELECT * FROM staff').all());
    expect(dump).not.toContain('secret-du-guichet');
    expect(dump).not.toContain(TEST_PASSWORD);
    expect(dump).toContain('scrypt$');
  });

  it('locks on demand and after the idle time, and unlocks for the same agent with the password', async () => {
    let now = new Date('2026-11-23T09:00:00Z');
    const core = await openCore({ path: ':memory:', scryptLogN: 10, idleMinutes: 5, clock: () => now });
    await core.invoke('auth.setupAdmin', {
      username: 'admin',
      displayName: 'Claire',
      password: TEST_PASSWORD,
    });
    expect((await core.invoke('family.search', { text: 'x' })).ok).toBe(true);
    await core.invoke('auth.lock', {});
    expect(await core.invoke('family.search', { text: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'LOCKED' },
    });
    expect(await core.invoke('auth.unlock', { password: 'wrong' })).toMatchObject({
      ok: false,
      error: { code: 'UNAUTHORIZED' },
    });
    expect((await core.invoke('auth.unlock', { password: TEST_PASSWORD })).ok).toBe(true);
    now = new Date(now.getTime() + 4 * 60_000);
    expect((await core.invoke('family.search', { text: 'x' })).ok).toBe(true);
    now = new Date(now.getTime() + 5 * 60_000 + 1);
    expect(await core.invoke('family.search', { text: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'LOCKED', message: 'Session de Claire verrouillée : saisissez votre mot de passe.' },
    });
    expect(await core.invoke('auth.status', {})).toMatchObject({
      ok: true,
      data: { locked: true, agent: { name: 'Claire' } },
    });
  });

  it('signs each command with the agent who is signed in, and a switch of agent takes effect at once', async () => {
    const { core, householdId, as } = await staffedCore();
    await as('agent');
    await core.invoke('family.updateHousehold', { householdId, name: 'Lefèvre A' });
    await as('regisseur');
    await core.invoke('family.updateHousehold', { householdId, name: 'Lefèvre B' });
    const rows = core.raw
      .prepare(
        "SELECT s.username FROM command_log l JOIN staff s ON s.id = l.agent_id WHERE l.name = 'family.updateHousehold' ORDER BY l.seq",
      )
      .all();
    expect(rows).toEqual([{ username: 'agent' }, { username: 'regisseur' }]);
  });

  it('refuses an inactive account', async () => {
    const core = await openTestCore({ path: ':memory:' });
    await core.invoke('staff.save', {
      username: 'parti',
      displayName: 'Parti',
      role: 'agent',
      password: TEST_PASSWORD,
      active: false,
    });
    expect(await core.invoke('auth.login', { username: 'parti', password: TEST_PASSWORD })).toMatchObject({
      ok: false,
      error: { code: 'UNAUTHORIZED' },
    });
  });
});
