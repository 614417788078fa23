import { EventEmitter } from 'node:events';
import { MessageChannel } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { hostPortOf } from './host-port.ts';
import type { ToCoreHost } from './protocol.ts';

describe('the core host’s end of the channel', () => {
  it('in an Electron utility process, unwraps each message from its event and posts to the parent', () => {
    const parentPort = Object.assign(new EventEmitter(), { posted: [] as unknown[] });
    const utility = {
      parentPort: Object.assign(parentPort, { postMessage: (m: unknown) => parentPort.posted.push(m) }),
    };
    const port = hostPortOf(utility, null);
    const received: ToCoreHost[] = [];
    port.onMessage((m) => received.push(m));
    parentPort.emit('message', { data: { type: 'close' }, ports: [] });
    port.post({ type: 'closed' });
    expect(received).toEqual([{ type: 'close' }]);
    expect(parentPort.posted).toEqual([{ type: 'closed' }]);
  });

  it('in a worker thread, uses the worker’s port as it is', async () => {
    const { port1, port2 } = new MessageChannel();
    const port = hostPortOf({}, port1);
    const received = new Promise<ToCoreHost>((resolve) => port.onMessage(resolve));
    port2.postMessage({ type: 'close' });
    expect(await received).toEqual({ type: 'close' });
    const answered = new Promise((resolve) => port2.once('message', resolve));
    port.post({ type: 'closed' });
    expect(await answered).toEqual({ type: 'closed' });
    port1.close();
  });

  it('refuses to start anywhere else, in French', () => {
    expect(() => hostPortOf({}, null)).toThrow(/doit être lancé par l’application/);
  });
});
