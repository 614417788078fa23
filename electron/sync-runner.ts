import { z } from 'zod';
import { fail, ok, type Envelope } from '../core/api/envelope.ts';
import { MAX_CLOCK_DRIFT_MS } from '../core/api/execute.ts';
import { lookUp } from '../core/api/operation.ts';
import type { Core } from '../core/app.ts';
import { operations } from '../core/contract.ts';
import { startSync, type SyncClient, type SyncOutcome } from '../core/sync/client.ts';
import { SYNC_SETTINGS } from '../core/sync/operations.ts';
import { syncShellOperations, type ConnectAnswer } from '../core/sync/shell-operations.ts';
import { readSetting } from '../core/db/settings.ts';

/**
 * The counter's link to the central server, run by the shell (Electron's main process or the browser host): the
 * core's commands are SQLite transactions and never talk to the network. It starts background sync from the stored
 * settings, and answers the window's sync operations (declared in core/sync/shell-operations.ts) over both
 * transports, once the core has admitted them (who may, and the input as the contract reads it).
 */
export type SyncShellOperation = keyof typeof syncShellOperations;

export const isSyncShellOperation = (name: string): name is SyncShellOperation =>
  Object.hasOwn(syncShellOperations, name);

type ConnectInput = z.output<(typeof syncShellOperations)['sync.connect']['input']>;

export interface SyncRunnerOptions {
  fetch?: typeof fetch;
  /** The core's clock: the server compares it with its own and judges deadlines by its own. */
  clock?: () => Date;
  /** Between two rounds while the server answers (3 s by default), and the longest back-off while it does not. */
  intervalMs?: number;
  maxBackoffMs?: number;
  appVersion?: string;
  /** A request to the server that has not fully answered by then counts as the server being unreachable. */
  timeoutMs?: number;
  /** Told of each page a round pulls and of each round's end, for a progress bar: background rounds included. */
  onRound?: (event: SyncRoundEvent) => void;
}

export type SyncRoundEvent =
  /** `more`: the server has further pages for this round (a town's first pull comes in many). */
  { kind: 'page'; page: number; more: boolean } | { kind: 'end'; outcome: SyncOutcome };

const UNREACHABLE = 'Serveur injoignable : le guichet travaille hors ligne.';

/** The stored credential cannot be opened with this PC's key (core/secrets/credential-vault.ts). */
export const ENROL_AGAIN =
  'Ce poste ne peut pas lire son identifiant de synchronisation (base restaurée depuis un autre poste, ou fichier cle-du-poste.key perdu) : un administrateur doit le relier de nouveau au serveur central, dans Paramètres › Serveur central, avec l’identifiant de ce poste.';

const deviceAnswer = z.object({
  deviceId: z.string(),
  name: z.string(),
  seriesPrefix: z.string(),
  revoked: z.boolean(),
  serverTime: z.string(),
});

export function createSyncRunner(core: Core, options: SyncRunnerOptions = {}) {
  const clock = options.clock ?? (() => new Date());
  const baseFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 60_000;
  let running: ReturnType<typeof startSync> | null = null;
  /** Connected, but the credential cannot be opened here: nothing is sent until the PC is connected again. */
  let mustEnrolAgain = false;
  /** Start, stop, connect and disconnect one at a time: two background loops must never run on one store. */
  let lifecycle: Promise<unknown> = Promise.resolve();
  const serially = <T>(step: () => Promise<T>): Promise<T> => {
    const next = lifecycle.then(step, step);
    lifecycle = next.catch(() => {});
    return next;
  };

  /** Pull pages of the round in progress, for `onRound`. */
  let pulledPages = 0;

  /**
   * The whole exchange (headers and body) within the time limit, and anything but a JSON answer (a proxy's page,
   * a dead link) as a network failure, so the client says « hors ligne » in French rather than a parser's error.
   */
  const serverFetch: typeof fetch = async (input, init) => {
    let status: number;
    let text: string;
    let type: string;
    try {
      const res = await baseFetch(input, { ...init, signal: AbortSignal.timeout(timeoutMs) });
      status = res.status;
      type = res.headers.get('content-type') ?? '';
      text = await res.text();
    } catch (error) {
      throw new TypeError(UNREACHABLE, { cause: error });
    }
    if (!type.includes('json')) throw new TypeError(UNREACHABLE);
    if (options.onRound && status === 200 && requestUrl(input).includes('/pull?')) {
      pulledPages += 1;
      // The body is parsed by the client; a key cannot appear unescaped inside a JSON string, so this finds the
      // answer's own field without parsing megabytes twice.
      const more = /"hasMore"\s*:\s*true/.test(text);
      options.onRound({ kind: 'page', page: pulledPages, more });
    }
    return new Response(text, { status, headers: { 'content-type': type } });
  };

  /**
   * The background loop of core/sync/client.ts calls `client.syncOnce()` for every round and a syncNow shares the
   * round in progress; wrapping that one method is how the end of every round, whoever started it, is known.
   */
  function observeRounds(client: SyncClient): void {
    const onRound = options.onRound;
    if (!onRound) return;
    const syncOnce = client.syncOnce;
    let last: Promise<SyncOutcome> | null = null;
    client.syncOnce = () => {
      const round = syncOnce();
      if (round !== last) {
        last = round;
        void round.then((outcome) => {
          pulledPages = 0;
          onRound({ kind: 'end', outcome });
        });
      }
      return round;
    };
  }

  async function stopLoop(): Promise<void> {
    const loop = running;
    running = null;
    await loop?.stop();
  }

  async function startLoop(): Promise<boolean> {
    await stopLoop();
    const serverUrl = await readSetting<string>(core.db, SYNC_SETTINGS.serverUrl);
    const sealed = await readSetting<string>(core.db, SYNC_SETTINGS.credential);
    const credential = sealed ? core.credentials.open(sealed) : null;
    mustEnrolAgain = Boolean(serverUrl && sealed && !credential);
    if (mustEnrolAgain)
      console.error('[sync] identifiant du poste illisible avec la clé de ce poste : à relier');
    if (!serverUrl || !credential) return false;
    running = startSync(core, {
      serverUrl,
      credential,
      fetch: serverFetch,
      clock,
      ...(options.appVersion ? { appVersion: options.appVersion } : {}),
      ...(options.intervalMs ? { intervalMs: options.intervalMs } : {}),
      ...(options.maxBackoffMs ? { maxBackoffMs: options.maxBackoffMs } : {}),
    });
    observeRounds(running.client);
    return true;
  }

  /** Asks the server who this credential is, before anything is stored. */
  async function checkDevice(
    serverUrl: string,
    credential: string,
  ): Promise<Envelope<z.infer<typeof deviceAnswer>>> {
    const notAServer = fail(
      'VALIDATION',
      'Cette adresse ne répond pas comme un serveur Guichet Famille : vérifiez-la (par exemple https://serveur.mairie.fr).',
      'serverUrl',
    );
    let res: Response;
    try {
      res = await serverFetch(`${serverUrl}/device`, { headers: { authorization: `Bearer ${credential}` } });
    } catch {
      return fail(
        'VALIDATION',
        'Serveur injoignable à cette adresse : vérifiez l’adresse et le réseau du poste, puis réessayez.',
        'serverUrl',
      );
    }
    let body: unknown;
    try {
      body = await res.json();
    } catch {
      return notAServer;
    }
    if (res.status === 401 || res.status === 403) {
      const message = (body as { error?: { message?: unknown } }).error?.message;
      return fail(
        'VALIDATION',
        typeof message === 'string' ? message : 'Identifiant refusé par le serveur.',
        'credential',
      );
    }
    const device = deviceAnswer.safeParse(body);
    if (res.status !== 200 || !device.success) return notAServer;
    if (device.data.deviceId !== credential.split('.')[0]) {
      return fail('VALIDATION', 'Le serveur ne reconnaît pas cet identifiant de poste.', 'credential');
    }
    if (device.data.revoked) {
      return fail(
        'FORBIDDEN',
        `Le poste « ${device.data.name} » a été révoqué sur le serveur : demandez un nouvel identifiant à l’administrateur du serveur central.`,
        'credential',
      );
    }
    return ok(device.data);
  }

  async function connect(input: ConnectInput): Promise<Envelope<ConnectAnswer>> {
    const serverUrl = input.serverUrl.replace(/\/+$/, '');
    const { credential } = input;
    const device = await checkDevice(serverUrl, credential);
    if (!device.ok) return device;
    const { name: deviceName, seriesPrefix, serverTime } = device.data;
    return serially(async () => {
      await stopLoop();
      const saved = await core.invoke('sync.saveConnection', {
        serverUrl,
        credential: core.credentials.seal(credential),
        deviceId: device.data.deviceId,
        deviceName,
        seriesPrefix,
      });
      if (!saved.ok) {
        await startLoop();
        return saved;
      }
      const status = await core.invoke('sync.status', {});
      await startLoop();
      const driftMs = Math.abs(new Date(serverTime).getTime() - clock().getTime());
      return ok({
        serverUrl,
        deviceName,
        seriesPrefix,
        pendingLocal: status.ok ? (status.data as { pending: number }).pending : 0,
        clockWarning:
          driftMs > MAX_CLOCK_DRIFT_MS
            ? `L’horloge de ce poste s’écarte de ${Math.round(driftMs / 60_000)} min de celle du serveur : réglez l’heure du poste (les délais sont jugés à l’heure du serveur).`
            : null,
      });
    });
  }

  async function disconnect(): Promise<Envelope<{ disconnected: true }>> {
    return serially(async () => {
      await stopLoop();
      const r = await core.invoke('sync.forgetConnection', {});
      if (!r.ok) {
        await startLoop();
        return r;
      }
      mustEnrolAgain = false;
      return ok({ disconnected: true as const });
    });
  }

  async function syncNow(): Promise<Envelope<SyncOutcome>> {
    await lifecycle;
    if (!running) {
      if (mustEnrolAgain) return fail('CONFLICT', ENROL_AGAIN);
      return fail(
        'CONFLICT',
        'Ce poste n’est pas relié au serveur central : l’administrateur le relie dans Paramètres › Serveur central.',
      );
    }
    return ok(await running.syncNow());
  }

  return {
    /** Starts background sync when this PC has been connected; false when it has not. */
    start: () => serially(startLoop),
    /** Waits for the round in progress, then stops (on quit). */
    stop: () => serially(stopLoop),
    get active() {
      return running !== null;
    },
    /** The stored credential cannot be opened with this PC's key: the status says the PC must be connected again. */
    get mustEnrolAgain() {
      return mustEnrolAgain;
    },
    /** The shell's answer to one of the sync operations, once the core has admitted it. */
    async run(name: SyncShellOperation, input: unknown): Promise<Envelope<unknown>> {
      const admitted = await core.admit(name, input);
      if (!admitted.ok) return admitted;
      // The core read it with the operation's own schema (core/api/dispatch.ts `admit`).
      if (name === 'sync.connect') return connect(admitted.data as ConnectInput);
      if (name === 'sync.disconnect') return disconnect();
      return syncNow();
    },
  };
}

export type SyncRunner = ReturnType<typeof createSyncRunner>;

/**
 * A call from the window, as both shells route it: the sync operations to the runner (when this shell has one),
 * the commands only the shell may run refused (`shellOnly` in their declaration), everything else to the core.
 */
export function routeWindowCall(
  runner: SyncRunner | null,
  name: string,
  input: unknown,
  next: (name: string, input: unknown) => Promise<Envelope<unknown>>,
): Promise<Envelope<unknown>> {
  if (isSyncShellOperation(name)) {
    return runner
      ? runner.run(name, input)
      : Promise.resolve(
          fail('UNKNOWN_OPERATION', 'La synchronisation avec le serveur central n’est pas disponible ici.'),
        );
  }
  if (runner?.mustEnrolAgain && (name === 'sync.status' || name === 'sync.connection'))
    return askingToEnrolAgain(name, next(name, input));
  const op = lookUp(operations, name);
  if (op?.kind === 'command' && op.shellOnly) {
    return Promise.resolve(
      fail(
        'FORBIDDEN',
        `Opération « ${name} » réservée à l’application elle-même : reliez le poste depuis Paramètres › Serveur central.`,
      ),
    );
  }
  return next(name, input);
}

/**
 * Every agent's sync indicator says so, as it says a revoked PC, and the administrator is offered « Relier ce
 * poste » with its form (« Serveur central » recalls the PC's name to connect it again under): the PC is not
 * connected in any way that works. Only the runner knows that the key did not fit.
 */
async function askingToEnrolAgain(
  name: 'sync.status' | 'sync.connection',
  answer: Promise<Envelope<unknown>>,
): Promise<Envelope<unknown>> {
  const r = await answer;
  if (!r.ok) return r;
  return ok({
    ...(r.data as object),
    connected: false,
    ...(name === 'sync.status' ? { blocked: ENROL_AGAIN } : {}),
  });
}

function requestUrl(input: Parameters<typeof fetch>[0]): string {
  return typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
}
