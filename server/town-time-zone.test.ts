import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, townServer, type TownServer } from './harness.ts';

const run = promisify(execFile);
const cli = fileURLToPath(new URL('./admin-cli.ts', import.meta.url));

let town: TownServer | null = null;
afterEach(async () => {
  await town?.close();
  town = null;
});

describe('the town’s zone, set centrally', { timeout: 60_000 }, () => {
  it('is set with the administrator’s command line and reaches a counter at its next sync', async () => {
    // Saturday 5 December, 01:00 at La Réunion; still Friday 4 in Paris and in UTC.
    const t = (town = await townServer({ sqlite: ':memory:' }, '2026-12-04T21:00:00Z'));
    const counter = await t.counter('Guichet 1');
    expect(await counter.core.invoke('system.clock', {})).toMatchObject({
      ok: true,
      data: { today: '2026-12-04', timeZone: 'Europe/Paris' },
    });

    const env = { ...process.env, GF_ADMIN_TOKEN: ADMIN_TOKEN };
    const set = await run(process.execPath, [cli, '--url', t.http.url, 'time-zone', 'Indian/Reunion'], {
      env,
    });
    expect(set.stdout).toContain('Fuseau horaire de la commune : La Réunion (UTC+4).');
    await expect(
      run(process.execPath, [cli, '--url', t.http.url, 'time-zone', 'Asia/Tokyo'], { env }),
    ).rejects.toMatchObject({ stderr: expect.stringContaining('fuseau horaire non pris en charge') });

    expect((await counter.sync.syncOnce()).ok).toBe(true);
    expect(await counter.core.invoke('system.clock', {})).toMatchObject({
      ok: true,
      data: { today: '2026-12-05', timeZone: 'Indian/Reunion' },
    });
  });
});
