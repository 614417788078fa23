import { execFile, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { extractAll, extractFile, listPackage } from '@electron/asar';
import { getCurrentFuseWire } from '@electron/fuses';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../migrations/index.ts';
import {
  buildApp,
  cannotPackageReason,
  fakeElectronDist,
  packageLinuxDir,
  packageOf,
  ROOT,
  runtimeImports,
  type LinuxPackage,
} from './packaging-build.ts';

/*
 * The packaged app, built for real: `electron-vite build`, then electron-builder with electron-builder.yml as it is,
 * for Linux as a folder, against a stand-in for Electron's own files (electron/packaging-build.ts). What is checked
 * is what a counter PC would receive: the code that runs, the native module where Electron can load it, the
 * dependencies it needs and nothing a developer or the server needs.
 */

const run = promisify(execFile);
const skip = cannotPackageReason();
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
};

let dir = '';
let built: LinuxPackage;
let files: string[] = [];

describe.skipIf(skip !== null)(
  `the packaged app (electron-builder --linux dir)${skip ? ` — ignoré : ${skip}` : ''}`,
  { timeout: 180_000 },
  () => {
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'gf-package-'));
      await buildApp();
      built = await packageLinuxDir({
        electronDist: await fakeElectronDist(join(dir, 'electron-dist')),
        output: join(dir, 'dist'),
      });
      files = listPackage(built.asar, { isPack: false }).map((f) => f.replace(/\\/g, '/'));
    }, 180_000);
    afterAll(async () => {
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    it('renames the executable, keeps French and English locales, flips the fuses', async () => {
      expect(existsSync(built.executable)).toBe(true);
      expect((await readdir(join(built.appDir, 'locales'))).sort()).toEqual(['en-US.pak', 'fr.pak']);
      // '0' off, '1' on: no plain-Node mode, no NODE_OPTIONS, no --inspect in the installed app.
      const wire = (await getCurrentFuseWire(built.executable)) as Record<string, unknown>;
      expect([wire[0], wire[2], wire[3]]).toEqual([48, 48, 48]);
      expect(existsSync(join(built.appDir, 'LICENSE.electron.txt'))).toBe(true);
    });

    it('unpacks better-sqlite3’s binary for this platform only, where Electron can load it', async () => {
      const natives = (await readdir(built.unpacked, { recursive: true }))
        .map((f) => String(f).replace(/\\/g, '/'))
        .filter((f) => f.endsWith('.node'));
      expect(natives).toEqual(['node_modules/better-sqlite3/prebuilds/linux-x64.node']);
      // In the archive it is only a pointer to the unpacked copy.
      expect(files.filter((f) => f.endsWith('.node'))).toEqual([
        '/node_modules/better-sqlite3/prebuilds/linux-x64.node',
      ]);
      expect(files.some((f) => f.startsWith('/node_modules/better-sqlite3/build/'))).toBe(false);
      expect(files.some((f) => f.startsWith('/node_modules/better-sqlite3/deps/'))).toBe(false);
    });

    it('carries no dev-only files: no sources, tests, maps, e2e, bench, server, docs', () => {
      const own = files.filter((f) => !f.startsWith('/node_modules'));
      expect(own.filter((f) => !/^\/(out(\/|$)|package\.json$)/.test(f))).toEqual([]);
      expect(files.filter((f) => /\.(map|tsx?)$|\.test\.|\.e2e\./.test(f) && !f.endsWith('.d.ts'))).toEqual(
        [],
      );
      for (const folder of [
        'core',
        'server',
        'bench',
        'e2e',
        'renderer',
        'electron',
        'scripts',
        'migrations',
        'docs',
      ])
        expect(files.some((f) => f.startsWith(`/${folder}/`))).toBe(false);
    });

    it('leaves React (bundled by vite) and the server’s pg and pino out of node_modules', () => {
      const modules = new Set(
        files
          .filter((f) => f.startsWith('/node_modules/'))
          .map((f) => packageOf(f.slice('/node_modules/'.length))),
      );
      for (const name of ['react', 'react-dom', 'scheduler', 'pg', 'pg-pool', 'pino', '@electric-sql/pglite'])
        expect(modules.has(name), name).toBe(false);
      for (const name of Object.keys(pkg.dependencies)) expect(modules.has(name), name).toBe(true);
      // The renderer's bundle has React inside it.
      const renderer = files.filter((f) => /^\/out\/renderer\/assets\/.*\.js$/.test(f));
      expect(renderer).toHaveLength(1);
      expect(extractFile(built.asar, (renderer[0] as string).slice(1)).toString()).toContain(
        'react.transitional.element',
      );
    });

    it('has the migrations inside the core host bundle and the DejaVu fonts beside it, where the PDF code looks', () => {
      // The core runs in its own process (electron/core-host): its bundle, not the window's main, holds the schema.
      // Its entry loads the core as a chunk beside it (electron/core-host/entry.ts).
      const main = files
        .filter((f) => /^\/out\/main\/[^/]+\.js$/.test(f) && f !== '/out/main/index.js')
        .map((f) => extractFile(built.asar, f.slice(1)).toString())
        .join('\n');
      for (const m of MIGRATIONS) expect(main).toContain(`"${m.name}"`);
      // core/pdf/fonts.ts: new URL(`./fonts/${file}`, import.meta.url), i.e. out/main/fonts/ once bundled.
      expect(main).toContain('new URL(`./fonts/${file}`, import.meta.url)');
      for (const font of ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf', 'LICENSE-DejaVu.txt'])
        expect(files).toContain(`/out/main/fonts/${font}`);
    });

    it('declares as dependencies exactly what the main process loads, and the packaged tree can load all of it', async () => {
      const extracted = join(dir, 'extracted');
      extractAll(built.asar, extracted);
      const imports = await runtimeImports(join(extracted, 'out', 'main'));
      expect([...new Set([...imports].map(packageOf))].sort()).toEqual(Object.keys(pkg.dependencies).sort());
      // Loaded from the packaged tree alone, as the app's main process would: every module, the native binary,
      // the fonts through fontkit, a date in French, a PDF (pdfkit reads its own data files as it starts).
      const probe = join(extracted, 'out', 'main', 'probe.mjs');
      await writeFile(
        probe,
        `${[...imports].map((s, i) => `import * as m${i} from ${JSON.stringify(s)};`).join('\n')}
import { readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { format, formatDistanceStrict } from 'date-fns';
import { fr } from 'date-fns/locale/fr';
import { create } from 'fontkit';
import PDFDocument from 'pdfkit';
const db = new Database(':memory:');
const sqlite = db.prepare('select sqlite_version() as v').get().v;
const ttf = readFileSync(new URL('./fonts/DejaVuSans.ttf', import.meta.url));
const font = create(ttf).familyName;
const date = format(new Date(2026, 11, 4), 'EEEE d MMMM yyyy', { locale: fr });
const distance = formatDistanceStrict(new Date(2026, 11, 4), new Date(2026, 11, 1));
const doc = new PDFDocument({ info: { CreationDate: new Date(0) } });
const chunks = [];
doc.on('data', (c) => chunks.push(c));
const pdf = new Promise((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
doc.registerFont('R', ttf).font('R').text('Total : 1\u202f234,56 €');
doc.end();
const bytes = (await pdf).length;
console.log(JSON.stringify({ loaded: ${imports.size}, sqlite, font, date, distance, pdf: bytes > 1000 }));
`,
      );
      const { stdout } = await run(process.execPath, [probe], { cwd: join(dir, 'extracted') });
      expect(JSON.parse(stdout)).toEqual({
        loaded: imports.size,
        sqlite: expect.stringMatching(/^3\./),
        font: 'DejaVu Sans',
        date: 'vendredi 4 décembre 2026',
        // date-fns's own default language, kept for that reason.
        distance: '3 days',
        pdf: true,
      });
    });
  },
);

/*
 * With a real Electron (node_modules/electron/path.txt and its dist/, downloaded on a packaging machine), the same
 * package is started and must reach its first screen. Not through playwright's `_electron`: it needs `--inspect`,
 * which the packaged binary's fuses refuse; Chromium's remote debugging port is not a Node option and stays open.
 */
const electronDir = join(ROOT, 'node_modules', 'electron');
const realElectron =
  existsSync(join(electronDir, 'path.txt')) && existsSync(join(electronDir, 'dist'))
    ? join(electronDir, 'dist')
    : null;
const smokeSkip =
  skip ??
  (realElectron
    ? null
    : 'pas de binaire Electron ici (node_modules/electron/path.txt absent : jamais téléchargé)');

describe.skipIf(smokeSkip !== null)(
  `the packaged app starts${smokeSkip ? ` — ignoré : ${smokeSkip}` : ''}`,
  { timeout: 240_000 },
  () => {
    it('shows the first-start screen of an installed counter', async () => {
      const work = await mkdtemp(join(tmpdir(), 'gf-smoke-'));
      try {
        await buildApp();
        const app = await packageLinuxDir({
          electronDist: realElectron as string,
          output: join(work, 'dist'),
        });
        const child = spawn(
          app.executable,
          [
            '--remote-debugging-port=0',
            ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
            '--disable-gpu',
          ],
          {
            env: { ...process.env, HOME: work, XDG_CONFIG_HOME: join(work, 'config') },
            stdio: ['ignore', 'pipe', 'pipe'],
          },
        );
        try {
          const ws = await new Promise<string>((resolve, reject) => {
            let err = '';
            const timer = setTimeout(() => reject(new Error(`pas de DevTools : ${err}`)), 60_000);
            child.stderr.on('data', (d: Buffer) => {
              err += d.toString();
              const m = /DevTools listening on (ws:\/\/\S+)/.exec(err);
              if (m) {
                clearTimeout(timer);
                resolve(m[1] as string);
              }
            });
            child.once('exit', (code) => reject(new Error(`arrêtée (${code}) : ${err}`)));
          });
          const browser = await chromium.connectOverCDP(ws);
          const context = browser.contexts()[0];
          const page = context?.pages()[0] ?? (await context?.waitForEvent('page'));
          await page?.getByText('Premier démarrage : compte administrateur').waitFor({ timeout: 60_000 });
          await browser.close();
        } finally {
          child.kill('SIGTERM');
        }
      } finally {
        await rm(work, { recursive: true, force: true });
      }
    });
  },
);
