import { fail, type Envelope } from '../../core/api/envelope.ts';
import { openCore, type Core } from '../../core/app.ts';
import { startBackupSchedule } from '../../core/backup/schedule.ts';
import { seedDemoTownIfEmpty } from '../../core/demo/seed.ts';
import { INTERNAL_MESSAGE } from '../main/ipc-contract.ts';
import { createSyncRunner, routeWindowCall, type SyncRoundEvent, type SyncRunner } from '../sync-runner.ts';
import { createProgress } from './progress.ts';
import {
  CLOSING_MESSAGE,
  OPEN_FAILED_MESSAGE,
  type CoreHostOptions,
  type FromCoreHost,
  type ToCoreHost,
} from './protocol.ts';
import { readSharedClock } from './shared-clock.ts';

/** The host's end of the message channel: Electron's parentPort or a worker's, see host-port.ts. */
export interface HostPort {
  post(message: FromCoreHost): void;
  onMessage(listener: (message: ToCoreHost) => void): void;
}

interface Opened {
  core: Core;
  sync: SyncRunner | null;
  stopBackups: () => void;
  /** Time spent creating the demo town (0 when not asked or already there): `npm start` says it was long. */
  seedMs: number;
}

/**
 * The core, its backups and its link to the central server, answering the window's calls from another thread or
 * process. Plain Node: the same code runs in Electron's utility process and in a worker of the browser host.
 */
export function serveCoreHost(port: HostPort): void {
  const progress = createProgress((event) => port.post(event));
  let opening: Promise<Opened> | null = null;
  let closing: Promise<void> | null = null;
  const inFlight = new Set<Promise<void>>();

  port.onMessage((message) => {
    if (message.type === 'start') {
      if (opening) return;
      opening = open(message.options, progress.syncRound);
      opening.then(
        (opened) => port.post({ type: 'ready', deviceId: opened.core.deviceId, seedMs: opened.seedMs }),
        (error: unknown) => {
          console.error('[cœur] ouverture de la base :', error);
          port.post({ type: 'failed', detail: error instanceof Error ? error.message : String(error) });
        },
      );
    } else if (message.type === 'invoke' || message.type === 'admit') {
      const answering = answer(message.id, message.name, message.input, message.type === 'admit');
      inFlight.add(answering);
      void answering.finally(() => inFlight.delete(answering));
    } else if (message.type === 'close') {
      closing ??= close();
    }
  });

  async function open(options: CoreHostOptions, onRound: (event: SyncRoundEvent) => void): Promise<Opened> {
    const clock = options.clockCell ? readSharedClock(options.clockCell) : undefined;
    const core = await openCore({
      path: options.path,
      ...(options.backupDir ? { backupDir: options.backupDir } : {}),
      ...(options.idleMinutes ? { idleMinutes: options.idleMinutes } : {}),
      ...(options.scryptLogN ? { scryptLogN: options.scryptLogN } : {}),
      ...(clock ? { clock } : {}),
    });
    let stopBackups = () => {};
    let seedMs = 0;
    try {
      if (options.seedDemo) {
        const seeding = performance.now();
        await seedDemoTownIfEmpty(core);
        seedMs = Math.round(performance.now() - seeding);
      }
      if (options.backupDir) stopBackups = startBackupSchedule(core.raw, options.backupDir);
    } catch (error) {
      await core.close();
      throw error;
    }
    const sync = options.sync
      ? createSyncRunner(core, { ...options.sync, ...(clock ? { clock } : {}), onRound })
      : null;
    // A counter that cannot start syncing still works, offline: the indicator says so.
    await sync?.start().catch((error: unknown) => console.error('[cœur] synchronisation :', error));
    return { core, sync, stopBackups, seedMs };
  }

  async function answer(id: number, name: string, input: unknown, admitOnly = false): Promise<void> {
    const envelope = await route(name, input, admitOnly);
    try {
      port.post({ type: 'result', id, envelope });
    } catch (error) {
      // An answer that cannot be copied to the other side (a value structured clone refuses) is still an answer.
      console.error(`[cœur] ${name} : réponse non transmissible`, error);
      port.post({ type: 'result', id, envelope: fail('INTERNAL', INTERNAL_MESSAGE) });
    }
  }

  async function route(name: string, input: unknown, admitOnly: boolean): Promise<Envelope<unknown>> {
    if (closing) return fail('INTERNAL', CLOSING_MESSAGE);
    if (!opening) return fail('INTERNAL', OPEN_FAILED_MESSAGE);
    let opened: Opened;
    try {
      opened = await opening;
    } catch {
      return fail('INTERNAL', OPEN_FAILED_MESSAGE);
    }
    try {
      if (admitOnly) return await opened.core.admit(name, input);
      return await progress.around(name, () => routeWindowCall(opened.sync, name, input, opened.core.invoke));
    } catch (error) {
      console.error(`[cœur] ${name} :`, error);
      return fail('INTERNAL', INTERNAL_MESSAGE);
    }
  }

  /** The calls already received are answered; then the sync round in progress ends before the file closes. */
  async function close(): Promise<void> {
    await Promise.allSettled([...inFlight]);
    const opened = await opening?.catch(() => null);
    if (opened) {
      try {
        await opened.sync?.stop();
      } catch (error) {
        console.error('[cœur] arrêt de la synchronisation :', error);
      }
      opened.stopBackups();
      await opened.core
        .close()
        .catch((error: unknown) => console.error('[cœur] fermeture de la base :', error));
    }
    port.post({ type: 'closed' });
  }
}
