import { ok, type Envelope } from '../../core/api/envelope.ts';
import type { CoreHost } from './client.ts';

export const RESTART_OPERATION = 'shell.restart';

/**
 * The browser host's (and the tests') answer to `shell.restart`: the core host is closed and started again, and on
 * its way up it honours a pending restore before it opens the file (host.ts). Electron's main process relaunches
 * the whole app instead; both reach the same `applyPendingRestore`. Calls made meanwhile wait for the new core.
 */
export interface RestartableCore {
  invoke(name: string, input: unknown): Promise<Envelope<unknown>>;
  restart(delayMs?: number): Promise<void>;
  close(): Promise<void>;
  current(): CoreHost;
}

export function restartableCore(start: () => CoreHost): RestartableCore {
  let host = start();
  let restarting: Promise<void> | null = null;

  async function restart(delayMs = 0): Promise<void> {
    restarting ??= (async () => {
      // Leaves the answer to `shell.restart` time to reach the window before its core goes away.
      if (delayMs) await new Promise((resolve) => setTimeout(resolve, delayMs));
      await host.close();
      host = start();
      await host.ready.catch(() => {});
    })().finally(() => (restarting = null));
    return restarting;
  }

  async function invoke(name: string, input: unknown): Promise<Envelope<unknown>> {
    if (restarting) await restarting;
    if (name !== RESTART_OPERATION) return host.invoke(name, input);
    const admitted = await host.admit(name, input);
    if (!admitted.ok) return admitted;
    // From now on every call waits for the new core: none reaches the one about to close.
    void restart(50).catch((error: unknown) => console.error('[hôte] redémarrage :', error));
    return ok({ restarting: true });
  }

  return {
    invoke,
    restart,
    close: async () => {
      if (restarting) await restarting;
      await host.close();
    },
    current: () => host,
  };
}
