import { describe, expect, it } from 'vitest';
import { countRows, LEFEVRE, testCore } from '../test/fixtures.ts';

describe('contract.check', () => {
  it('answers what the command would refuse, field by field, and writes nothing', async () => {
    const { core, call } = await testCore();
    const input = { ...LEFEVRE, name: '', postalCode: '450' };
    const checked = await call('contract.check', { operation: 'family.createHousehold', input });
    const refused = await core.invoke('family.createHousehold', input);
    expect(refused.ok).toBe(false);
    if (refused.ok) return;
    expect(checked.error).toEqual(refused.error);
    expect(checked.error?.fields?.map((f) => f.field)).toEqual(['name', 'postalCode']);
    expect(await countRows(core, 'households')).toBe(0);
    expect(await countRows(core, 'command_log')).toBe(1); // the administrator's own creation only
  });

  it('answers no error for an input the command accepts, still without running it', async () => {
    const { core } = await testCore();
    const r = await core.invoke('contract.check', { operation: 'family.createHousehold', input: LEFEVRE });
    expect(r).toEqual({ ok: true, data: { error: null } });
    expect(await countRows(core, 'households')).toBe(0);
  });

  it('refuses an operation the registry does not have', async () => {
    const { core } = await testCore();
    const r = await core.invoke('contract.check', { operation: 'family.dropEverything', input: {} });
    expect(r).toEqual({
      ok: false,
      error: { code: 'UNKNOWN_OPERATION', message: 'Opération inconnue : « family.dropEverything ».' },
    });
  });
});
