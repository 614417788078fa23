import { describe, expect, it } from 'vitest';
import { isPushed } from './api/operation.ts';
import { operations } from './contract.ts';
import { testCore } from './test/fixtures.ts';

const all = Object.entries(operations);

/**
 * What the types of `command()`, `query()` and `shell()` cannot catch: every field is required there, but a value
 * can still say something the rest of the system does not expect.
 */
describe('the registry’s declarations', () => {
  it('name every operation in French, each differently, so the « À régulariser » list can tell them apart', () => {
    const blank = all.filter(([, op]) => !/^[A-ZÀ-Ý]/.test(op.label.trim())).map(([name]) => name);
    expect(blank).toEqual([]);
    const seen = new Map<string, string>();
    const twice = all.flatMap(([name, op]) => {
      const other = seen.get(op.label);
      seen.set(op.label, name);
      return other ? [`${other} / ${name}: ${op.label}`] : [];
    });
    expect(twice).toEqual([]);
  });

  it('give each command a sync kind that sync knows, and the policies that go with it', () => {
    const wrong = all.flatMap(([name, op]) => {
      if (op.kind !== 'command') return [];
      const problems: string[] = [];
      if (!['local', 'fact', 'request'].includes(op.sync)) problems.push(`sync « ${String(op.sync)} »`);
      // Only a request is judged again by the server, so only a request can come back refused in part.
      if (op.partial && op.sync !== 'request') problems.push('refus partiel sur autre chose qu’une demande');
      // What the shell alone runs stays on the PC: the server never receives what the window could not send.
      if (op.shellOnly && isPushed(op)) problems.push('réservée à l’application mais envoyée au serveur');
      // A command that travels names the agent who made it: nobody signed in has none.
      if (op.permission === 'public' && isPushed(op)) problems.push('envoyée au serveur sans agent connecté');
      return problems.map((p) => `${name}: ${p}`);
    });
    expect(wrong).toEqual([]);
  });

  it('leave the shell’s operations to the shell: the core judges them but never runs them', async () => {
    const { core } = await testCore();
    const shellOps = all.filter(([, op]) => op.kind === 'shell').map(([name]) => name);
    expect(shellOps.sort()).toEqual(['shell.printPdf', 'sync.connect', 'sync.disconnect', 'sync.syncNow']);
    const r = await core.invoke('sync.disconnect', {});
    expect(r).toMatchObject({ ok: false, error: { code: 'UNKNOWN_OPERATION' } });
    expect(await core.admit('sync.disconnect', {})).toEqual({ ok: true, data: {} });
    expect(await core.admit('family.get', {})).toMatchObject({
      ok: false,
      error: { code: 'UNKNOWN_OPERATION' },
    });
  });
});
