/**
 * Test helper, run as a child process by backup.test.ts until it is killed.
 *   crash-worker.ts <db> <backups>             writes households and takes backups as fast as it can; prints "ready"
 *                                              once it has started writing.
 *   crash-worker.ts <db> <backups> mid-backup  takes one whole backup, then starts another that never ends; prints
 *                                              "copying" once that copy has begun, so the test kills it mid-copy.
 */
import { LEFEVRE, openTestCore } from '../test/fixtures.ts';
import { backupNow } from './backup.ts';

const [path, backupDir, mode] = process.argv.slice(2) as [string, string, string | undefined];
const core = await openTestCore({ path });
let n = 0;
if (mode === 'mid-backup') {
  for (; n < 20; n++) await core.invoke('family.createHousehold', { ...LEFEVRE, name: `Foyer ${n}` });
  await backupNow(core.raw, backupDir, 'test');
  // A copy of 0 pages per step never moves on: the backup stays under way, its file half written, until the kill.
  const backup = core.raw.backup.bind(core.raw);
  let said = false;
  core.raw.backup = (file, options) =>
    backup(file, {
      ...options,
      progress: () => {
        if (!said) process.stdout.write('copying\n');
        said = true;
        return 0;
      },
    });
  await backupNow(core.raw, backupDir, 'test');
}
for (;;) {
  const r = await core.invoke('family.createHousehold', { ...LEFEVRE, name: `Foyer ${n++}` });
  if (!r.ok) throw new Error(r.error.message);
  if (n === 5) process.stdout.write('ready\n');
  if (n % 20 === 0) await backupNow(core.raw, backupDir, 'test', new Date(Date.now() + n * 1000));
}
