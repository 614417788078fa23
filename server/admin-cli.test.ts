import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, careEvening, townServer, type TownServer } from './harness.ts';

const run = promisify(execFile);
const cli = fileURLToPath(new URL('./admin-cli.ts', import.meta.url));

let town: TownServer | null = null;
afterEach(async () => {
  await town?.close();
  town = null;
});

const admin = (t: TownServer, ...args: string[]) =>
  run(process.execPath, [cli, '--url', t.http.url, ...args], {
    env: { ...process.env, GF_ADMIN_TOKEN: ADMIN_TOKEN },
  });

describe('the central administrator’s command line', { timeout: 60_000 }, () => {
  it('enrols a PC, runs the month with the central series, revokes the PC', async () => {
    const t = (town = await townServer({ sqlite: ':memory:' }));
    const enrolled = await admin(t, 'enrol', 'Guichet Accueil');
    expect(enrolled.stdout).toContain('Poste « Guichet Accueil » enrôlé, série G01.');
    const credential = enrolled.stdout.trim().split('\n').at(-1) as string;
    const me = await fetch(`${t.http.url}/device`, { headers: { authorization: `Bearer ${credential}` } });
    expect(await me.json()).toMatchObject({ name: 'Guichet Accueil', seriesPrefix: 'G01', revoked: false });

    await t.call('booking.book', careEvening(t, t.zoe, ['2026-09-08']));
    t.at('2026-10-05T09:00:00+02:00');
    expect((await admin(t, 'run-month', '2026-09', '2026-10-05')).stdout).toMatch(/1 facture\(s\)/);
    const numbers = await t.store.db.selectFrom('invoices').select('number').execute();
    expect(numbers.map((n) => n.number)).toEqual(['FAC-2026-000001']);

    const deviceId = credential.split('.')[0] as string;
    expect((await admin(t, 'revoke', deviceId)).stdout).toContain('Poste révoqué');
    const after = await fetch(`${t.http.url}/device`, { headers: { authorization: `Bearer ${credential}` } });
    expect(await after.json()).toMatchObject({ revoked: true });
    // A wrong token changes nothing and says so.
    await expect(
      run(process.execPath, [cli, '--url', t.http.url, 'enrol', 'Intrus'], {
        env: { ...process.env, GF_ADMIN_TOKEN: 'faux' },
      }),
    ).rejects.toMatchObject({ stderr: expect.stringContaining('Enrôlement refusé (401)') });
  });
});
