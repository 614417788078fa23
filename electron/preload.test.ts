import { describe, expect, it, vi } from 'vitest';

const bridge = vi.hoisted(() => {
  type Listener = (event: unknown, ...args: unknown[]) => void;
  const listeners = new Map<string, Set<Listener>>();
  return {
    exposed: new Map<string, unknown>(),
    invoke: vi.fn(async (..._args: unknown[]) => ({ ok: true, data: null })),
    listeners,
    on: vi.fn((channel: string, listener: Listener) => {
      listeners.set(channel, (listeners.get(channel) ?? new Set()).add(listener));
    }),
    removeListener: vi.fn((channel: string, listener: Listener) => listeners.get(channel)?.delete(listener)),
  };
});

vi.mock('electron', () => {
  const electron = {
    contextBridge: { exposeInMainWorld: (key: string, api: unknown) => bridge.exposed.set(key, api) },
    ipcRenderer: { invoke: bridge.invoke, on: bridge.on, removeListener: bridge.removeListener },
  };
  return { ...electron, default: electron };
});

describe('preload bridge', () => {
  it('exposes window.counter with invoke and onProgress and nothing else', async () => {
    await import('./preload/index.ts');
    expect([...bridge.exposed.keys()]).toEqual(['counter']);
    const counter = bridge.exposed.get('counter') as Record<string, unknown>;
    expect(Object.keys(counter)).toEqual(['invoke', 'onProgress']);
    expect(counter.invoke).toBeTypeOf('function');
    // No way back to raw IPC from the page.
    for (const raw of [bridge.invoke, bridge.on, bridge.removeListener])
      expect(Object.values(counter)).not.toContain(raw);
  });

  it('hands the page the progress main sends, without the IPC event, until it stops listening', async () => {
    await import('./preload/index.ts');
    const counter = bridge.exposed.get('counter') as {
      onProgress: (listener: (event: unknown) => void) => () => void;
    };
    const seen: unknown[][] = [];
    const stop = counter.onProgress((...args) => seen.push(args));
    const progress = {
      type: 'progress',
      workId: 1,
      work: 'billing.runMonth',
      phase: 'start',
      label: 'Facturation du mois en cours…',
      elapsedMs: 0,
    };
    const ipcEvent = { sender: { send: () => {} } };
    for (const listener of bridge.listeners.get('counter:progress') ?? []) listener(ipcEvent, progress);
    expect(seen).toEqual([[progress]]);
    stop();
    for (const listener of bridge.listeners.get('counter:progress') ?? []) listener(ipcEvent, progress);
    expect(seen).toHaveLength(1);
  });

  it('forwards exactly (name, input) on the counter:invoke channel and returns main’s envelope', async () => {
    await import('./preload/index.ts');
    const counter = bridge.exposed.get('counter') as {
      invoke: (name: string, input: unknown) => Promise<unknown>;
    };
    const result = await counter.invoke('system.info', {});
    expect(bridge.invoke).toHaveBeenCalledExactlyOnceWith('counter:invoke', 'system.info', {});
    expect(result).toEqual({ ok: true, data: null });
  });
});
