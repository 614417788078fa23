import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCore } from '../core/app.ts';
import { writeSetting } from '../core/db/settings.ts';
import { SYNC_SETTINGS } from '../core/sync/credential-format.ts';
import { vaultWith } from '../core/secrets/credential-vault.ts';
import { ADMIN_TOKEN, townServer, type TownServer } from '../server/harness.ts';
import { ENROL_AGAIN } from '../electron/sync-runner.ts';
import { RESULTS_DIR, startHarness, type Harness } from './harness.ts';

/**
 * A counter PC whose database was restored from another PC's backup: the sync credential in it was sealed with the
 * other PC's key, which this data folder does not have. Every agent sees that the PC must be connected again, and
 * nothing is sent.
 */
const AT = '2026-09-14T10:00:00+02:00';
const POLLED = { timeout: 10_000 };
const SHOTS = process.env.GF_SHOTS_DIR ?? RESULTS_DIR;

let t: TownServer;
let h: Harness;
let page: Page;
let device: { deviceId: string; credential: string };

const indicator = () => page.getByRole('group', { name: 'Synchronisation avec le serveur central' });

beforeAll(async () => {
  await mkdir(SHOTS, { recursive: true });
  t = await townServer({ sqlite: ':memory:' }, AT);
  const res = await fetch(`${t.http.url}/devices`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Guichet A' }),
  });
  device = (await res.json()) as { deviceId: string; credential: string };
  h = await startHarness({
    clock: () => new Date(AT),
    sync: { intervalMs: 600_000 },
    async beforeOpen(path) {
      const core = await openCore({ path, scryptLogN: 10 });
      await writeSetting(core.db, SYNC_SETTINGS.serverUrl, t.http.url);
      // Sealed on the other PC, with its key.
      await writeSetting(
        core.db,
        SYNC_SETTINGS.credential,
        vaultWith(randomBytes(32)).seal(device.credential),
      );
      await core.close();
    },
  });
  page = await h.openApp();
});

afterAll(async () => {
  await h?.close();
  await t?.close();
});

describe('a counter restored from another PC’s backup, in Chromium', () => {
  it('tells every agent the PC must be connected again, sends nothing, and is connected again by the administrator', async () => {
    await expect.poll(() => indicator().getByRole('alert').innerText(), POLLED).toBe(ENROL_AGAIN);
    expect(await page.getByTestId('sync-state').innerText()).toBe('Non relié au serveur');
    await page.mouse.move(0, 0);
    await page.screenshot({ path: join(SHOTS, 'sync-enrol-again.png'), fullPage: true });
    const seen = () =>
      t.store.db.selectFrom('devices').select('last_seen_at').where('id', '=', device.deviceId).execute();
    expect(await seen()).toEqual([{ last_seen_at: null }]);

    await indicator().getByRole('button', { name: 'Relier ce poste' }).click();
    const form = page.getByRole('form', { name: 'Relier ce poste au serveur central' });
    await form.getByLabel('Adresse du serveur').fill(t.http.url);
    await form.getByLabel('Identifiant du poste').fill(device.credential);
    await form.getByRole('button', { name: 'Relier ce poste' }).click();
    await expect.poll(() => page.getByTestId('sync-state').innerText(), POLLED).toMatch(/^En ligne/);
    expect(await indicator().getByRole('alert').count()).toBe(0);
    await page.mouse.move(0, 0);
    await page.screenshot({ path: join(SHOTS, 'sync-enrolled-again.png'), fullPage: true });
  });

  it('ran without a script error or a CSP violation', () => {
    expect(h.pageErrors).toEqual([]);
  });
});
