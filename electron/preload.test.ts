import { describe, expect, it, vi } from 'vitest';

const bridge = vi.hoisted(() => ({
  exposed: new Map<string, unknown>(),
  invoke: vi.fn(async (..._args: unknown[]) => ({ ok: true, data: null })),
}));

vi.mock('electron', () => {
  const electron = {
    contextBridge: { exposeInMainWorld: (key: string, api: unknown) => bridge.exposed.set(key, api) },
    ipcRenderer: { invoke: bridge.invoke },
  };
  return { ...electron, default: electron };
});

describe('preload bridge', () => {
  it('exposes window.counter with invoke and nothing else', async () => {
    await import('./preload/index.ts');
    expect([...bridge.exposed.keys()]).toEqual(['counter']);
    const counter = bridge.exposed.get('counter') as Record<string, unknown>;
    expect(Object.keys(counter)).toEqual(['invoke']);
    expect(counter.invoke).toBeTypeOf('function');
    // No way back to raw IPC from the page.
    expect(Object.values(counter)).not.toContain(bridge.invoke);
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
