import { v7 as uuidv7 } from 'uuid';
import { MIGRATIONS } from '../migrations/index.ts';
import { operations } from './contract.ts';
import { createDispatcher } from './api/dispatch.ts';
import type { Envelope } from './api/envelope.ts';
import type { SessionHandle } from './api/operation.ts';
import { authorizeWith } from './auth/authorize.ts';
import { DEFAULT_IDLE_MINUTES } from './auth/operations.ts';
import { DEFAULT_SCRYPT_LOG_N } from './auth/password.ts';
import { createSession } from './auth/session.ts';
import { dirname } from 'node:path';
import { backupNow, removeLeftovers } from './backup/backup.ts';
import { createBackupService, type BackupService } from './backup/service.ts';
import { migrate, pendingMigrations } from './db/migrate.ts';
import { openSqlite, type SqliteHandle } from './db/open.ts';
import { startIdleCheckpoints, type IdleCheckpoints } from './db/idle-checkpoint.ts';
import { readSetting, writeSetting } from './db/settings.ts';
import { readOnlyWhenRevoked } from './sync/revoked.ts';
import { openVault, type CredentialVault } from './secrets/credential-vault.ts';
import { sealPlainCredential } from './sync/seal-plain-credential.ts';

export interface CoreOptions {
  /** SQLite file, or ':memory:'. */
  path: string;
  clock?: () => Date;
  /** Where backups go; a file about to be migrated is backed up there first. */
  backupDir?: string;
  /** Minutes without activity before the session locks; the town's setting when absent. */
  idleMinutes?: number;
  /** scrypt cost of new passwords (2^n); lowered by tests only. */
  scryptLogN?: number;
}

export interface Core extends SqliteHandle {
  /** Every backup of this store goes through it (the daily schedule too); null without a backup folder. */
  backups?: BackupService | null;
  invoke(name: string, input: unknown): Promise<Envelope<unknown>>;
  /**
   * For an operation the shell answers (`shell` in the contract): whether the agent signed in may, and the input
   * as its schema reads it. The shell then answers it; nothing runs in the core.
   */
  admit(name: string, input: unknown): Promise<Envelope<unknown>>;
  deviceId: string;
  /** Seals and opens the sync credential with this PC's key (core/secrets/credential-vault.ts): the shell's only. */
  credentials: CredentialVault;
  /** The WAL checkpoints taken between calls rather than inside a commit; null for an in-memory store. */
  checkpoints?: IdleCheckpoints | null;
  close(): Promise<void>;
}

/** Opens the local store, brings its schema up to date, and returns the contract bound to this device. */
export async function openCore(options: CoreOptions): Promise<Core> {
  const handle = openSqlite(options.path);
  try {
    // A backup the last run did not finish (killed, power cut) left a half copy: nothing is copying into it now.
    if (options.backupDir) removeLeftovers(options.backupDir);
    if (options.backupDir && (await pendingMigrations(handle.db, MIGRATIONS)) > 0) {
      // A schema step on a file that already holds data: keep a copy first, as it was (locally: the copy to the
      // chosen folder reads a setting of a schema not yet brought up to date).
      await backupNow(handle.raw, options.backupDir, 'avant-migration');
    }
    await migrate(handle.db, MIGRATIONS, 'sqlite');
  } catch (error) {
    await handle.db.destroy();
    throw error;
  }
  let deviceId = await readSetting(handle.db, 'device.id');
  if (!deviceId) {
    deviceId = uuidv7();
    await writeSetting(handle.db, 'device.id', deviceId);
  }
  // The key file of the data folder, read here at open (the core host knows the folder): see credential-vault.ts.
  const credentials = openVault(options.path === ':memory:' ? null : dirname(options.path));
  if (sealPlainCredential(handle.raw, credentials))
    console.log('[core] identifiant de synchronisation chiffré avec la clé du poste');
  const backups = options.backupDir ? createBackupService(handle.raw, options.backupDir) : null;
  const idleMinutes =
    options.idleMinutes ??
    (await readSetting<number>(handle.db, 'security.idleMinutes')) ??
    DEFAULT_IDLE_MINUTES;
  const session: SessionHandle = Object.assign(
    createSession(() => idleMinutes * 60_000),
    { scryptLogN: options.scryptLogN ?? DEFAULT_SCRYPT_LOG_N },
  );
  const dispatch = createDispatcher({
    db: handle.db,
    operations,
    clock: options.clock ?? (() => new Date()),
    session,
    backups: backups ? { ...backups, dataDir: dirname(options.path) } : null,
    authorize: readOnlyWhenRevoked(handle.raw, authorizeWith(session, deviceId)),
    onInternalError: (name, error) => console.error(`[core] ${name}:`, error),
  });
  const checkpoints =
    options.path === ':memory:'
      ? null
      : startIdleCheckpoints(handle.raw, {
          onError: (error) => console.error('[core] point de contrôle du journal SQLite :', error),
        });
  return {
    ...handle,
    backups,
    deviceId,
    credentials,
    checkpoints,
    invoke: (name, input) => dispatch(name, input),
    admit: (name, input) => dispatch.admit(name, input),
    close: () => {
      checkpoints?.stop();
      return handle.db.destroy();
    },
  };
}
