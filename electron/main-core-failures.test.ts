import { mkdirSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { CRASHED_MESSAGE, OPEN_FAILED_MESSAGE } from './core-host/protocol.ts';

/**
 * The core host failing under the real main entry: the agent reads why in French, then the app stops. Each case
 * starts the app afresh (the module registry is reset), on the one stand-in for Electron held here.
 */
const fake = await vi.hoisted(() => import('./testing/fake-electron.ts'));
vi.mock('electron', () => ({ ...fake.electron, default: fake.electron }));

type Handler = (event: unknown, ...args: unknown[]) => Promise<unknown>;

async function startApp(userData: string): Promise<Handler> {
  fake.state.userData = userData;
  await import('./main/index.ts');
  await vi.waitFor(() => expect(fake.electron.ipcMain.handle).toHaveBeenCalled());
  return fake.electron.ipcMain.handle.mock.calls[0]?.[1] as Handler;
}

const fromWindow = () => {
  const window = fake.windows.at(-1);
  return { sender: window?.webContents, senderFrame: { ...window?.webContents.mainFrame } };
};

const STARTS = { timeout: 10_000 };
/** A real core starts in a worker for each case: on a loaded machine that alone can take seconds. */
const CASE_TIMEOUT = 30_000;

describe('main process when the core host fails', () => {
  beforeEach(() => {
    vi.clearAllMocks();
    vi.resetModules();
    fake.forks.length = 0;
  });

  it(
    'says the database could not be opened when the file cannot be, and stops',
    async () => {
      const userData = await mkdtemp(join(tmpdir(), 'gf-userdata-'));
      // A folder where the database file should be: SQLite cannot open it.
      mkdirSync(join(userData, 'guichet-famille.sqlite'));
      vi.spyOn(console, 'error').mockImplementation(() => {});
      const handler = await startApp(userData);
      await vi.waitFor(() => expect(fake.electron.app.exit).toHaveBeenCalledWith(1), STARTS);
      expect(fake.electron.dialog.showErrorBox).toHaveBeenCalledExactlyOnceWith(
        'Guichet Famille',
        expect.stringMatching(/^La base de données du poste n’a pas pu être ouverte\..*\n\n.+/s),
      );
      expect(fake.electron.dialog.showErrorBox.mock.calls[0]?.[1]).toContain(OPEN_FAILED_MESSAGE);
      expect(fake.forks[0]?.output).toContain('unable to open database file');
      // A call the window makes meanwhile is answered, in the same words.
      expect(await handler(fromWindow(), 'system.info', {})).toEqual({
        ok: false,
        error: { code: 'INTERNAL', message: OPEN_FAILED_MESSAGE },
      });
    },
    CASE_TIMEOUT,
  );

  it(
    'says the core stopped when its process dies after start, and stops',
    async () => {
      const handler = await startApp(await mkdtemp(join(tmpdir(), 'gf-userdata-')));
      expect(await handler(fromWindow(), 'system.info', {})).toMatchObject({ ok: true });
      vi.spyOn(console, 'error').mockImplementation(() => {});
      // Killed from outside, as a crash or the system would end it.
      fake.forks[0]?.kill();
      await vi.waitFor(() => expect(fake.electron.app.exit).toHaveBeenCalledWith(1), STARTS);
      expect(fake.electron.dialog.showErrorBox).toHaveBeenCalledExactlyOnceWith(
        'Guichet Famille',
        expect.stringContaining(`${CRASHED_MESSAGE}\n\n`),
      );
      expect(await handler(fromWindow(), 'system.info', {})).toEqual({
        ok: false,
        error: { code: 'INTERNAL', message: CRASHED_MESSAGE },
      });
    },
    CASE_TIMEOUT,
  );
});
