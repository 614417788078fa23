import { execFile } from 'node:child_process';
import { readlinkSync } from 'node:fs';
import { chmod, lstat, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/**
 * Builds the app and packages it for Linux as a folder (electron-builder's `dir` target), the way a packaging machine
 * does, but against a stand-in for Electron's own files: the build machines cannot download Electron, and what is
 * checked here (which files go into the asar, what is unpacked, the fuses) is electron-builder's work, not Electron's.
 * Used by electron/packaging-build.test.ts and bench/package.bench.ts.
 */

const run = promisify(execFile);
const require = createRequire(import.meta.url);
export const ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * The wire @electron/fuses looks for in the Electron binary: a sentinel, the wire's version and length, then one
 * byte per fuse ('1' on, '0' off), in Electron's order: runAsNode, cookie encryption, NODE_OPTIONS, --inspect,
 * asar integrity, only-load-from-asar, browser V8 snapshot, file:// privileges. Set as Electron ships them.
 */
export const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
const SHIPPED_FUSES = '10110001';

/** Why the real build cannot run from here, or null when it can. */
export function cannotPackageReason(): string | null {
  // `npm list`, which electron-builder asks for the production dependencies, does not follow a node_modules that
  // is a symbolic link (a git worktree sharing the main checkout's): it reports fontkit's and pdfkit's own
  // dependencies as extraneous and electron-builder leaves them out of the asar.
  try {
    readlinkSync(join(ROOT, 'node_modules'));
    return 'node_modules est un lien symbolique : npm list n’y voit pas l’arbre des dépendances';
  } catch {
    return null;
  }
}

/**
 * The files electron-builder expects in an unpacked Electron for Linux: the `electron` executable (renamed to the
 * app's, fuses flipped), `locales/*.pak` (trimmed to electronLanguages), `resources/`, the licences. Placeholders
 * except the fuse wire. No `resources/default_app.asar`: electron-builder hashes every archive in resources/ for
 * the asar integrity record, and a placeholder is not an archive.
 */
export async function fakeElectronDist(dir: string): Promise<string> {
  await mkdir(join(dir, 'locales'), { recursive: true });
  await mkdir(join(dir, 'resources'), { recursive: true });
  await writeFile(
    join(dir, 'electron'),
    Buffer.concat([
      Buffer.from('#!/bin/sh\necho "stand-in for Electron"\nexit 1\n'),
      Buffer.from([0]),
      Buffer.from(FUSE_SENTINEL, 'latin1'),
      Buffer.from([1, SHIPPED_FUSES.length]),
      Buffer.from(SHIPPED_FUSES, 'latin1'),
      Buffer.from([0]),
    ]),
  );
  await chmod(join(dir, 'electron'), 0o755);
  for (const locale of ['fr', 'en-US', 'de', 'es', 'ja', 'zh-CN']) {
    await writeFile(join(dir, 'locales', `${locale}.pak`), locale);
  }
  for (const file of [
    'chrome-sandbox',
    'chrome_100_percent.pak',
    'icudtl.dat',
    'libffmpeg.so',
    'resources.pak',
    'snapshot_blob.bin',
    'v8_context_snapshot.bin',
    'LICENSE',
    'LICENSES.chromium.html',
  ]) {
    await writeFile(join(dir, file), 'stand-in');
  }
  await writeFile(join(dir, 'version'), require('electron/package.json').version as string);
  return dir;
}

/** `electron-vite build`: out/main, out/preload, out/renderer, as `npm run build` writes them. */
export async function buildApp(): Promise<void> {
  await run(
    process.execPath,
    [join(ROOT, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'],
    {
      cwd: ROOT,
      maxBuffer: 32 * 1024 * 1024,
    },
  );
}

export interface LinuxPackage {
  /** linux-unpacked/: what a deb or an AppImage would hold. */
  appDir: string;
  executable: string;
  asar: string;
  unpacked: string;
  /** electron-builder's own output, for a failing test's message. */
  log: string;
}

/**
 * `electron-builder --linux dir --x64` with electron-builder.yml as it is, only Electron's files and the output folder
 * changed (`-c.` overrides, as on the command line).
 */
export async function packageLinuxDir(options: {
  electronDist: string;
  output: string;
  overrides?: Record<string, string>;
}): Promise<LinuxPackage> {
  const overrides = {
    electronDist: options.electronDist,
    'directories.output': options.output,
    ...options.overrides,
  };
  const built = run(
    process.execPath,
    [
      join(ROOT, 'node_modules', 'electron-builder', 'cli.js'),
      '--linux',
      'dir',
      '--x64',
      '--publish',
      'never',
      ...Object.entries(overrides).map(([k, v]) => `-c.${k}=${v}`),
    ],
    {
      cwd: ROOT,
      maxBuffer: 32 * 1024 * 1024,
      // No update check, no colours in the log kept for a failure message.
      env: {
        ...process.env,
        CI: 'true',
        FORCE_COLOR: '0',
        ELECTRON_BUILDER_CACHE: join(options.output, '.cache'),
      },
    },
  );
  const { stdout, stderr } = await built.catch((error: Error & { stdout?: string; stderr?: string }) => {
    throw new Error(`electron-builder a échoué :\n${error.stdout ?? ''}\n${error.stderr ?? ''}`);
  });
  const appDir = join(options.output, 'linux-unpacked');
  return {
    appDir,
    executable: join(appDir, 'guichet-famille'),
    asar: join(appDir, 'resources', 'app.asar'),
    unpacked: join(appDir, 'resources', 'app.asar.unpacked'),
    log: `${stdout}\n${stderr}`,
  };
}

/** Bytes under a folder (or of a file), links not followed. */
export async function sizeOf(path: string): Promise<number> {
  const s = await lstat(path);
  if (!s.isDirectory()) return s.size;
  let total = 0;
  for (const entry of await readdir(path)) total += await sizeOf(join(path, entry));
  return total;
}

/** The bare module names out/main's bundles import at run time (node: builtins and electron aside). */
export async function runtimeImports(outMain: string): Promise<Set<string>> {
  const found = new Set<string>();
  for (const file of await readdir(outMain)) {
    if (!file.endsWith('.js') && !file.endsWith('.cjs') && !file.endsWith('.mjs')) continue;
    if (!(await stat(join(outMain, file))).isFile()) continue;
    const text = await readFile(join(outMain, file), 'utf8');
    const specifiers = [
      ...text.matchAll(/^\s*import\s+(?:[^'";]*?\s+from\s+)?["']([^"']+)["']/gm),
      ...text.matchAll(/\bimport\(\s*["']([^"']+)["']\s*\)/g),
      ...text.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g),
    ].map((m) => m[1] as string);
    for (const s of specifiers) {
      if (s.startsWith('.') || s.startsWith('/') || s.startsWith('node:') || s === 'electron') continue;
      found.add(s);
    }
  }
  return found;
}

/** `date-fns/locale/fr` → `date-fns`, `@date-fns/tz` → `@date-fns/tz`. */
export const packageOf = (specifier: string): string =>
  specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/');
