// The baseline of bench/startup-probe.ts: the counter's file opened by better-sqlite3 and one query answered.
import Database from 'better-sqlite3';

const db = new Database(process.argv[2]);
db.pragma('journal_mode = WAL');
db.prepare('SELECT value FROM settings WHERE key = ?').get('device.id');
process.send({ ready: true });
process.on('disconnect', () => db.close());
