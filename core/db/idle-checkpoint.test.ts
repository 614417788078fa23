import type Database from 'better-sqlite3';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { openCore } from '../app.ts';
import { IDLE_CHECKPOINT_MS } from './idle-checkpoint.ts';

const tempFile = () => join(mkdtempSync(join(tmpdir(), 'gf-checkpoint-')), 'store.sqlite');

/** Some 2,500 pages of 4 KiB through 250 commits: well past SQLite's own 1,000-page checkpoint. */
function writeMany(raw: Database.Database): void {
  raw.exec('CREATE TABLE filler (x TEXT)');
  const insert = raw.prepare('INSERT INTO filler (x) VALUES (?)');
  for (let commit = 0; commit < 250; commit++)
    raw.transaction(() => {
      for (let i = 0; i < 10; i++) insert.run('x'.repeat(4000));
    })();
}

describe('the WAL checkpoint between calls', () => {
  it('leaves the commits alone: a run of writes never waits for the file to be brought up to date', async () => {
    const path = tempFile();
    const core = await openCore({ path });
    const before = statSync(path).size;
    writeMany(core.raw);
    // Everything is still in the WAL: no commit copied it back into the file.
    expect(statSync(path).size).toBe(before);
    await core.close();
  });

  it('copies the WAL into the file once the core is idle, and keeps doing so', async () => {
    const path = tempFile();
    const core = await openCore({ path });
    writeMany(core.raw);
    await sleep(IDLE_CHECKPOINT_MS * 3);
    expect(statSync(path).size).toBeGreaterThan(2500 * 4096);
    const first = statSync(path).size;
    core.raw.prepare('INSERT INTO filler (x) SELECT x FROM filler').run();
    await sleep(IDLE_CHECKPOINT_MS * 3);
    expect(statSync(path).size).toBeGreaterThan(first * 1.9);
    await core.close();
  });
});
