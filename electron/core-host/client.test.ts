import { describe, expect, it, vi } from 'vitest';
import { connectCoreHost, CoreHostError, type CoreHostLink } from './client.ts';
import {
  CLOSING_MESSAGE,
  CRASHED_MESSAGE,
  OPEN_FAILED_MESSAGE,
  type FromCoreHost,
  type ToCoreHost,
} from './protocol.ts';

/** A host played by the test: what the client posted, and the means to answer, or to die. */
function fakeLink() {
  const posted: ToCoreHost[] = [];
  let deliver: (message: FromCoreHost) => void = () => {};
  let exit: (detail: string) => void = () => {};
  const link: CoreHostLink = {
    post: (message) => posted.push(message),
    onMessage: (listener) => (deliver = listener),
    onExit: (listener) => (exit = listener),
    stop: vi.fn(),
  };
  const invokes = () => posted.filter((m) => m.type === 'invoke');
  return { link, posted, invokes, send: (m: FromCoreHost) => deliver(m), exit: (d: string) => exit(d) };
}

const options = { path: '/tmp/famille.sqlite' };
const ok = (data: unknown) => ({ ok: true as const, data });

describe('core host client', () => {
  it('sends the options first, then each call with its own number', () => {
    const h = fakeLink();
    const host = connectCoreHost(h.link, options);
    void host.invoke('system.info', {});
    void host.invoke('family.search', { text: 'lef' });
    expect(h.posted).toEqual([
      { type: 'start', options },
      { type: 'invoke', id: 1, name: 'system.info', input: {} },
      { type: 'invoke', id: 2, name: 'family.search', input: { text: 'lef' } },
    ]);
  });

  it('gives every concurrent call its own answer, whatever order the host answers in', async () => {
    const h = fakeLink();
    const host = connectCoreHost(h.link, options);
    const names = Array.from({ length: 50 }, (_, i) => `Foyer ${i}`);
    const answers = names.map((name) => host.invoke('family.search', { text: name }));
    // The host answers them last first, as a long query followed by short ones would.
    for (const call of h.invokes().reverse()) {
      if (call.type === 'invoke')
        h.send({ type: 'result', id: call.id, envelope: ok((call.input as { text: string }).text) });
    }
    expect(await Promise.all(answers)).toEqual(names.map((name) => ok(name)));
  });

  it('passes progress on to every listener until it stops listening', () => {
    const h = fakeLink();
    const host = connectCoreHost(h.link, options);
    const first: string[] = [];
    const second: string[] = [];
    const stop = host.onProgress((e) => first.push(e.phase));
    host.onProgress((e) => second.push(e.phase));
    const event = { type: 'progress', workId: 1, work: 'sync.pull', label: '…', elapsedMs: 0 } as const;
    h.send({ ...event, phase: 'start' });
    stop();
    h.send({ ...event, phase: 'end' });
    expect(first).toEqual(['start']);
    expect(second).toEqual(['start', 'end']);
  });

  it('says the file could not be opened when the host reports it, and ends the host', async () => {
    const h = fakeLink();
    const host = connectCoreHost(h.link, options);
    const waiting = host.invoke('system.info', {});
    h.send({ type: 'failed', detail: 'unable to open database file' });
    const refused = await host.ready.catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(CoreHostError);
    expect(refused).toMatchObject({ message: OPEN_FAILED_MESSAGE, detail: 'unable to open database file' });
    expect(await host.failure).toEqual({
      message: OPEN_FAILED_MESSAGE,
      detail: 'unable to open database file',
    });
    expect(await waiting).toEqual({ ok: false, error: { code: 'INTERNAL', message: OPEN_FAILED_MESSAGE } });
    expect(h.link.stop).toHaveBeenCalled();
  });

  it('says the same when the host dies before it is ready: it was opening the file', async () => {
    const h = fakeLink();
    const host = connectCoreHost(h.link, options);
    h.exit('fil du cœur arrêté (code 1)');
    expect(await host.failure).toEqual({
      message: OPEN_FAILED_MESSAGE,
      detail: 'fil du cœur arrêté (code 1)',
    });
    await expect(host.ready).rejects.toThrow(OPEN_FAILED_MESSAGE);
  });

  it('answers the calls under way when the host dies after start, and every later one, with the crash message', async () => {
    const h = fakeLink();
    const host = connectCoreHost(h.link, options);
    h.send({ type: 'ready', deviceId: 'poste', seedMs: 0 });
    expect(await host.ready).toEqual({ deviceId: 'poste', seedMs: 0 });
    const underWay = host.invoke('billing.runMonth', { month: '2026-09', issueDate: '2026-10-02' });
    h.exit('processus du cœur arrêté (code 9)');
    const crashed = { ok: false, error: { code: 'INTERNAL', message: CRASHED_MESSAGE } };
    expect(await underWay).toEqual(crashed);
    expect(await host.failure).toEqual({
      message: CRASHED_MESSAGE,
      detail: 'processus du cœur arrêté (code 9)',
    });
    const postedBefore = h.posted.length;
    expect(await host.invoke('system.info', {})).toEqual(crashed);
    // Nothing is posted to a host that has gone.
    expect(h.posted).toHaveLength(postedBefore);
  });

  it('closes once the host says it has, refusing new calls meanwhile, and reports no failure', async () => {
    const h = fakeLink();
    const host = connectCoreHost(h.link, options);
    h.send({ type: 'ready', deviceId: 'poste', seedMs: 0 });
    let closed = false;
    const closing = host.close().then(() => (closed = true));
    expect(h.posted.at(-1)).toEqual({ type: 'close' });
    expect(await host.invoke('system.info', {})).toEqual({
      ok: false,
      error: { code: 'INTERNAL', message: CLOSING_MESSAGE },
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(closed).toBe(false);
    h.send({ type: 'closed' });
    await closing;
    expect(h.link.stop).toHaveBeenCalled();
    // The host's end that follows is no crash.
    h.exit('fil du cœur arrêté (code 1)');
    const failed = vi.fn();
    void host.failure.then(failed);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(failed).not.toHaveBeenCalled();
  });
});
