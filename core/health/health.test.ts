import { describe, expect, it } from 'vitest';
import { can, ROLES } from '../auth/roles.ts';
import { LEFEVRE, TEST_PASSWORD, testCore } from '../test/fixtures.ts';

/** The Lefèvre household and one account per role; the administrator signed in. */
async function staffed() {
  const t = await testCore();
  const { householdId } = await t.call('family.createHousehold', LEFEVRE);
  const [zoe] = (await t.call('family.get', { householdId })).children;
  for (const role of ROLES.filter((r) => r !== 'admin'))
    await t.call('staff.save', {
      username: role,
      displayName: `Compte ${role}`,
      role,
      password: TEST_PASSWORD,
    });
  const as = (username: string) => t.call('auth.login', { username, password: TEST_PASSWORD });
  return { ...t, householdId, zoe: zoe!.id, as };
}

describe('the fiche sanitaire, written at the counter without being read there', () => {
  it('lets the counter agent save a fiche and know it exists, never read it; each save is a new version', async () => {
    const t = await staffed();
    await t.as('alsh');
    await t.call('health.save', { childId: t.zoe, allergies: 'pollen', notes: 'lunettes' });
    await t.as('agent');
    const saved = await t.call('health.save', {
      childId: t.zoe,
      pai: true,
      allergies: 'arachide',
      meal: 'packed',
      doctor: 'Dr Martin, Belleval',
    });
    expect(saved.version).toBe(2);
    expect(JSON.stringify(saved)).not.toMatch(/pollen|lunettes/);
    const read = await t.invoke('health.read', { childId: t.zoe });
    expect(read).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const status = await t.call('health.status', { householdId: t.householdId });
    expect(status.find((s) => s.childId === t.zoe)).toEqual({
      childId: t.zoe,
      versions: 2,
      lastRecordedAt: '2026-11-23T10:00:00.000Z',
      lastRecordedBy: 'Compte agent',
      earlierNotes: false,
    });
    expect(JSON.stringify(await t.call('family.get', { householdId: t.householdId }))).not.toMatch(
      /arachide|pollen/,
    );
    expect(t.core.raw.prepare('SELECT count(*) AS n FROM health_reads').get()).toEqual({ n: 0 });

    // The holiday centre reads the newest version, and the read is logged.
    await t.as('alsh');
    const fiche = await t.call('health.read', { childId: t.zoe });
    expect(fiche.record).toMatchObject({
      pai: true,
      allergies: 'arachide',
      meal: 'packed',
      notes: '',
      versions: 2,
    });
    expect(t.core.raw.prepare('SELECT count(*) AS n FROM health_reads').get()).toEqual({ n: 1 });
  });

  it('gives each role exactly what roles.ts says: read with `health`, write with `health.write`', async () => {
    const t = await staffed();
    for (const role of ROLES) {
      await t.as(role);
      const wrote = await t.invoke('health.save', { childId: t.zoe, notes: `par ${role}` });
      const read = await t.invoke('health.read', { childId: t.zoe });
      expect({ role, wrote: wrote.ok, read: read.ok }).toEqual({
        role,
        wrote: can(role, 'health.write'),
        read: can(role, 'health'),
      });
    }
    // The shipped policy: the counter agent writes without reading; the régisseur likewise.
    expect([can('agent', 'health.write'), can('agent', 'health')]).toEqual([true, false]);
  });

  it('refuses an unknown meal, naming the field in French, and saves nothing', async () => {
    const t = await staffed();
    const r = await t.invoke('health.save', { childId: t.zoe, meal: 'sans porc' as never });
    expect(r).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(!r.ok && r.error.message).toMatch(/repas à la cantine/);
    expect(t.core.raw.prepare('SELECT count(*) AS n FROM health_records').get()).toEqual({ n: 0 });
  });
});
