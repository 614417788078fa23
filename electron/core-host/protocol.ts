import type { Envelope } from '../../core/api/envelope.ts';

/**
 * The messages between the process that serves the window (Electron's main process, the browser host) and the core
 * host, which runs the core in its own thread or process so that a long SQLite transaction never freezes a window.
 * Everything here crosses a structured-clone boundary (worker_threads, Electron's parentPort): plain data only.
 */

export interface CoreHostOptions {
  /** The SQLite file. */
  path: string;
  /** Backups: a copy before a migration, then the daily schedule. Absent: no backups (tests). */
  backupDir?: string;
  /** Creates the demo town when the file holds no household (`npm start`, never an installed counter). */
  seedDemo?: boolean;
  /** The link to the central server; null: none, and the window's sync operations say so. */
  sync?: CoreHostSyncOptions | null;
  /** Minutes without activity before the session locks; the town's setting when absent. */
  idleMinutes?: number;
  /** scrypt cost of new passwords; lowered by tests only. */
  scryptLogN?: number;
  /**
   * Tests only: the core's clock, in milliseconds since the epoch, read from this shared cell (a BigInt64Array of
   * one element) at every use. A clock is a function and cannot cross to another thread; the cell can, and the
   * test thread moves it.
   */
  clockCell?: SharedArrayBuffer;
}

export interface CoreHostSyncOptions {
  appVersion?: string;
  intervalMs?: number;
  maxBackoffMs?: number;
  timeoutMs?: number;
}

/** To the core host. */
export type ToCoreHost =
  | { type: 'start'; options: CoreHostOptions }
  | { type: 'invoke'; id: number; name: string; input: unknown }
  /**
   * Who may, and the input as the contract reads it, for an operation the window's own process answers (printing):
   * the core judges it without running anything (core/app.ts `admit`).
   */
  | { type: 'admit'; id: number; name: string; input: unknown }
  /** Finish what is running, stop sync (its round ends first), then close the file. */
  | { type: 'close' };

/** From the core host. */
export type FromCoreHost =
  | { type: 'ready'; deviceId: string; seedMs: number }
  /** The file could not be opened (or migrated, or seeded): the host does nothing more. */
  | { type: 'failed'; detail: string }
  | { type: 'result'; id: number; envelope: Envelope<unknown> }
  | ProgressEvent
  | { type: 'closed' };

/** Work long enough for the window to say it is under way. */
export type LongWork = 'billing.runMonth' | 'billing.previewMonth' | 'regie.verifyJournal' | 'sync.pull';

/**
 * What the window can show while long work runs: one `start`, some `step`s, one `end`, all with the same `workId`.
 * The host's thread is busy inside a transaction between two events, so there is no percentage, only what is
 * being done and since when.
 */
export interface ProgressEvent {
  type: 'progress';
  workId: number;
  work: LongWork;
  phase: 'start' | 'step' | 'end';
  /** For the agent, in French: what is being done now, or how it ended. */
  label: string;
  elapsedMs: number;
}

export const OPEN_FAILED_MESSAGE =
  'La base de données du poste n’a pas pu être ouverte. Vérifiez qu’aucune autre copie de Guichet Famille n’est ouverte, puis prévenez l’administrateur.';

export const CRASHED_MESSAGE =
  'Le cœur de Guichet Famille s’est arrêté brutalement. Les opérations déjà validées sont enregistrées ; relancez l’application, puis prévenez l’administrateur si cela se reproduit.';

export const CLOSING_MESSAGE = 'Guichet Famille est en train de se fermer.';
