import { fail, type Envelope } from '../../core/api/envelope.ts';
import {
  CLOSING_MESSAGE,
  CRASHED_MESSAGE,
  OPEN_FAILED_MESSAGE,
  type CoreHostOptions,
  type FromCoreHost,
  type ProgressEvent,
  type ToCoreHost,
} from './protocol.ts';

/** The window side's end of the channel to the core host: a worker thread or an Electron utility process. */
export interface CoreHostLink {
  post(message: ToCoreHost): void;
  onMessage(listener: (message: FromCoreHost) => void): void;
  /** Once, when the host's thread or process has ended, with what is known of why. */
  onExit(listener: (detail: string) => void): void;
  /** Ends the host's thread or process. */
  stop(): void;
}

/** A failure the agent is told about before the app stops: a French message, then the technical detail. */
export interface CoreHostFailure {
  message: string;
  detail: string;
}

export class CoreHostError extends Error {
  readonly detail: string;
  constructor(failure: CoreHostFailure) {
    super(failure.message);
    this.detail = failure.detail;
  }
}

export interface CoreHost {
  /** The file is open, migrated, seeded when asked, and sync started. Rejects with a CoreHostError. */
  ready: Promise<{ deviceId: string; seedMs: number }>;
  /**
   * Settles only if the host fails: it could not open the file, or its thread or process ended while the app
   * was not closing it. The app shows the message and stops.
   */
  failure: Promise<CoreHostFailure>;
  /** A call from the window, answered with the core's envelope; never throws. */
  invoke(name: string, input: unknown): Promise<Envelope<unknown>>;
  /** The core's admission of an operation this process answers itself (core/app.ts `admit`). */
  admit(name: string, input: unknown): Promise<Envelope<unknown>>;
  onProgress(listener: (event: ProgressEvent) => void): () => void;
  /** Answers the calls under way, stops sync once its round has ended, closes the file, then ends the host. */
  close(): Promise<void>;
}

/**
 * Calls are numbered and their answers matched by number: the core answers concurrent calls in the order they
 * finish, not the order they came.
 */
export function connectCoreHost(link: CoreHostLink, options: CoreHostOptions): CoreHost {
  let state: 'starting' | 'ready' | 'closing' | 'ended' = 'starting';
  /** Why the host ended, when it was not closed: what every later call is answered. */
  let failedWith: CoreHostFailure | null = null;
  let lastId = 0;
  const pending = new Map<number, (envelope: Envelope<unknown>) => void>();
  const listeners = new Set<(event: ProgressEvent) => void>();

  let settleReady!: (info: { deviceId: string; seedMs: number }) => void;
  let refuseReady!: (error: CoreHostError) => void;
  const ready = new Promise<{ deviceId: string; seedMs: number }>((resolve, reject) => {
    settleReady = resolve;
    refuseReady = reject;
  });
  // Whoever does not wait for `ready` learns of the failure through `failure`.
  ready.catch(() => {});
  let reportFailure!: (failure: CoreHostFailure) => void;
  const failure = new Promise<CoreHostFailure>((resolve) => (reportFailure = resolve));
  let markEnded!: () => void;
  const ended = new Promise<void>((resolve) => (markEnded = resolve));

  /** The host is gone: every call still waiting gets an answer, and nothing is posted to it any more. */
  function end(failed: CoreHostFailure | null): void {
    if (state === 'ended') return;
    const wasClosing = state === 'closing';
    state = 'ended';
    failedWith = failed;
    const message = failed?.message ?? CLOSING_MESSAGE;
    for (const answer of pending.values()) answer(fail('INTERNAL', message));
    pending.clear();
    if (failed) {
      refuseReady(new CoreHostError(failed));
      // A host that dies while the app closes it does not warrant a dialog on the way out.
      if (wasClosing) console.error('[cœur] arrêt pendant la fermeture :', failed.detail);
      else reportFailure(failed);
    }
    link.stop();
    markEnded();
  }

  link.onMessage((message) => {
    switch (message.type) {
      case 'ready':
        if (state === 'starting') state = 'ready';
        settleReady({ deviceId: message.deviceId, seedMs: message.seedMs });
        return;
      case 'failed':
        return end({ message: OPEN_FAILED_MESSAGE, detail: message.detail });
      case 'result':
        pending.get(message.id)?.(message.envelope);
        pending.delete(message.id);
        return;
      case 'progress':
        for (const listener of listeners) listener(message);
        return;
      case 'closed':
        return end(null);
    }
  });
  link.onExit((detail) => {
    // Until it said it was ready the host was opening the file: to the agent, the file could not be opened.
    end({ message: state === 'starting' ? OPEN_FAILED_MESSAGE : CRASHED_MESSAGE, detail });
  });
  link.post({ type: 'start', options });

  function call(type: 'invoke' | 'admit', name: string, input: unknown): Promise<Envelope<unknown>> {
    if (state === 'closing' || state === 'ended')
      return Promise.resolve(fail('INTERNAL', failedWith?.message ?? CLOSING_MESSAGE));
    const id = ++lastId;
    return new Promise((resolve) => {
      pending.set(id, resolve);
      link.post({ type, id, name, input });
    });
  }

  return {
    ready,
    failure,
    invoke: (name, input) => call('invoke', name, input),
    admit: (name, input) => call('admit', name, input),
    onProgress(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close() {
      if (state === 'starting' || state === 'ready') {
        state = 'closing';
        link.post({ type: 'close' });
      }
      return ended;
    },
  };
}
