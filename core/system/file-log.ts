import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { formatWithOptions } from 'node:util';

/**
 * The logs of a counter PC, one file per process (main.log, core.log, renderer.log in the data folder's `journaux`),
 * in electron-log's line format (`[2026-12-04 14:03:12.041] [error] …`) so IT reads them all alike. Plain Node: the
 * core host and the browser host have no Electron to ask, and one writer for every process is one format to test.
 * Rotated like electron-log: past `maxBytes`, the file becomes `<name>.old.log` (the previous old one goes).
 */
export type LogLevel = 'error' | 'warn' | 'info';

export interface FileLog {
  file: string;
  write(level: LogLevel, ...parts: unknown[]): void;
  error(...parts: unknown[]): void;
  warn(...parts: unknown[]): void;
  info(...parts: unknown[]): void;
}

export const DEFAULT_MAX_BYTES = 1024 * 1024;

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Local time, as electron-log writes it: the PC's clock is what IT compares with Windows' own event log. */
export function logTimestamp(d: Date): string {
  return (
    `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ` +
    `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`
  );
}

export function oldLogFile(file: string): string {
  return file.replace(/(\.log)?$/, '.old.log');
}

export function createFileLog(
  file: string,
  options: { maxBytes?: number; clock?: () => Date; echo?: boolean } = {},
): FileLog {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const clock = options.clock ?? (() => new Date());
  mkdirSync(dirname(file), { recursive: true });
  function write(level: LogLevel, ...parts: unknown[]): void {
    const line = `[${logTimestamp(clock())}] [${level}] ${formatWithOptions({ breakLength: Infinity }, ...parts)}\n`;
    try {
      if (existsSync(file) && statSync(file).size + line.length > maxBytes)
        renameSync(file, oldLogFile(file));
      appendFileSync(file, line);
    } catch {
      // A log that cannot be written (disk full, folder gone) must not take the counter down with it.
    }
  }
  return {
    file,
    write,
    error: (...p) => write('error', ...p),
    warn: (...p) => write('warn', ...p),
    info: (...p) => write('info', ...p),
  };
}

/**
 * Sends this thread's console to the log as well: the core's own messages (`console.error('[core] …')`) then reach
 * the file without every module knowing about it.
 */
export function teeConsole(log: FileLog): void {
  const original = { log: console.log, info: console.info, warn: console.warn, error: console.error };
  console.log = (...p: unknown[]) => (log.info(...p), original.log(...p));
  console.info = (...p: unknown[]) => (log.info(...p), original.info(...p));
  console.warn = (...p: unknown[]) => (log.warn(...p), original.warn(...p));
  console.error = (...p: unknown[]) => (log.error(...p), original.error(...p));
}

/** The last `lines` lines of a log and of its rotated predecessor, oldest first. */
export function tailLog(file: string, lines: number): string[] {
  const read = (f: string) => (existsSync(f) ? readFileSync(f, 'utf8').split('\n').filter(Boolean) : []);
  return [...read(oldLogFile(file)), ...read(file)].slice(-lines);
}

/** One log per process, in the data folder's `journaux` (LOG_FOLDER). */
export const LOG_FOLDER = 'journaux';
export const MAIN_LOG_FILE = 'main.log';
export const CORE_LOG_FILE = 'core.log';
export const RENDERER_LOG_FILE = 'renderer.log';
