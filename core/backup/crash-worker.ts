/**
 * Test helper, run as a child process by backup.test.ts: writes households and takes backups as fast as it
 * can until it is killed. Prints "ready" once it has started writing.
 */
import { LEFEVRE, openTestCore } from '../test/fixtures.ts';
import { backupNow } from './backup.ts';

const [path, backupDir] = process.argv.slice(2) as [string, string];
const core = await openTestCore({ path });
let n = 0;
for (;;) {
  const r = await core.invoke('family.createHousehold', { ...LEFEVRE, name: `Foyer ${n++}` });
  if (!r.ok) throw new Error(r.error.message);
  if (n === 5) process.stdout.write('ready\n');
  if (n % 20 === 0) await backupNow(core.raw, backupDir, 'test', new Date(Date.now() + n * 1000));
}
