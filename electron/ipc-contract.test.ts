import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openCore, type Core } from '../core/app.ts';
import type { Envelope } from '../core/api/envelope.ts';
import { createInvokeHandler, MAX_INPUT_CHARS, toJsonValue } from './main/ipc-contract.ts';

// The handler must run without Electron: loading it here would throw.
vi.mock('electron', () => {
  throw new Error('ipc-contract must not load electron');
});

interface FakeEvent {
  trusted: boolean;
}
const trusted: FakeEvent = { trusted: true };
const stranger: FakeEvent = { trusted: false };

function handlerWith(invoke: (name: string, input: unknown) => Promise<Envelope<unknown>>) {
  const onInternalError = vi.fn();
  const spy = vi.fn(invoke);
  const handle = createInvokeHandler<FakeEvent>({
    invoke: spy,
    isTrustedSender: (event) => event.trusted,
    onInternalError,
  });
  return { handle, invoke: spy, onInternalError };
}

const echo = async (name: string, input: unknown): Promise<Envelope<unknown>> => ({
  ok: true,
  data: { name, input },
});

describe('counter:invoke handler', () => {
  it('refuses a sender that is not our window before reading anything', async () => {
    const { handle, invoke } = handlerWith(echo);
    const result = await handle(stranger, 'system.info', {});
    expect(result).toEqual({
      ok: false,
      error: { code: 'FORBIDDEN', message: expect.stringMatching(/refusée/) },
    });
    expect(invoke).not.toHaveBeenCalled();
  });

  it('refuses when the sender check itself throws (frame disposed mid-flight)', async () => {
    const handle = createInvokeHandler<FakeEvent>({
      invoke: echo,
      isTrustedSender: () => {
        throw new Error('Render frame was disposed');
      },
    });
    expect(await handle(trusted, 'system.info', {})).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
  });

  it.each([
    ['a missing name', []],
    ['a number as name', [42, {}]],
    ['an empty name', ['', {}]],
    ['an overlong name', ['x'.repeat(201), {}]],
    ['extra arguments', ['system.info', {}, 'extra']],
  ])('answers a VALIDATION envelope for %s', async (_label, args) => {
    const { handle, invoke } = handlerWith(echo);
    const result = await handle(trusted, ...args);
    expect(result).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(invoke).not.toHaveBeenCalled();
  });

  it.each([
    ['a BigInt', { n: 10n }],
    [
      'a cycle',
      (() => {
        const o: Record<string, unknown> = {};
        o.self = o;
        return o;
      })(),
    ],
    ['a bare symbol', Symbol('x')],
  ])('answers a VALIDATION envelope for input holding %s', async (_label, input) => {
    const { handle, invoke } = handlerWith(echo);
    expect(await handle(trusted, 'family.search', input)).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION' },
    });
    expect(invoke).not.toHaveBeenCalled();
  });

  it('refuses an input larger than the HTTP transport accepts', async () => {
    const { handle } = handlerWith(echo);
    const result = await handle(trusted, 'family.search', { q: 'a'.repeat(MAX_INPUT_CHARS) });
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', message: 'Requête trop volumineuse.' },
    });
  });

  it('hands the core what the HTTP transport would: the input after a JSON round trip', async () => {
    const { handle, invoke } = handlerWith(echo);
    const at = new Date('2026-03-02T08:30:00.000Z');
    await handle(trusted, 'x.y', { at, skip: undefined, list: [1, undefined], nan: Number.NaN });
    expect(invoke).toHaveBeenCalledWith('x.y', {
      at: '2026-03-02T08:30:00.000Z',
      list: [1, null],
      nan: null,
    });
    await handle(trusted, 'x.y');
    expect(invoke).toHaveBeenLastCalledWith('x.y', undefined);
  });

  it('turns a throwing core into an INTERNAL envelope instead of rejecting across IPC', async () => {
    const { handle, onInternalError } = handlerWith(async () => {
      throw new Error('disk full');
    });
    const result = await handle(trusted, 'system.info', {});
    expect(result).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(onInternalError).toHaveBeenCalledWith('system.info', expect.any(Error));
  });

  it('toJsonValue keeps plain JSON untouched', () => {
    const value = { a: 1, b: ['x', true, null], c: { d: 'é' } };
    expect(toJsonValue(value)).toEqual({ ok: true, value });
  });
});

describe('counter:invoke handler on a real core', () => {
  let core: Core;
  beforeAll(async () => {
    core = await openCore({ path: ':memory:' });
  });
  afterAll(async () => {
    await core.close();
  });

  it('answers system.info with a JSON-safe envelope', async () => {
    const handle = createInvokeHandler<FakeEvent>({ invoke: core.invoke, isTrustedSender: (e) => e.trusted });
    const result = await handle(trusted, 'system.info', {});
    expect(result).toMatchObject({
      ok: true,
      data: { appVersion: expect.any(String), schemaVersion: expect.any(Number), households: 0 },
    });
    // What crosses IPC must survive structured clone and JSON unchanged, like over HTTP.
    expect(JSON.parse(JSON.stringify(result))).toEqual(result);
    expect(structuredClone(result)).toEqual(result);
  });

  it('passes the core’s own refusals through unchanged', async () => {
    const handle = createInvokeHandler<FakeEvent>({ invoke: core.invoke, isTrustedSender: (e) => e.trusted });
    expect(await handle(trusted, 'no.such.operation', {})).toMatchObject({
      ok: false,
      error: { code: 'UNKNOWN_OPERATION' },
    });
  });

  it('still refuses a stranger, with the core never reached', async () => {
    const invoke = vi.fn(core.invoke);
    const handle = createInvokeHandler<FakeEvent>({ invoke, isTrustedSender: (e) => e.trusted });
    expect(await handle(stranger, 'system.info', {})).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(invoke).not.toHaveBeenCalled();
  });
});
