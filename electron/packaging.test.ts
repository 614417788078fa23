import { readFileSync, type Stats } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import viteConfig from '../electron.vite.config.ts';

/**
 * Packaging cannot run here (it needs the Electron binary), so the configuration is checked with
 * electron-builder's own pieces: js-yaml (its YAML reader), its JSON schema, and its file matcher.
 * These are electron-builder internals (app-builder-lib/out/...): an upgrade may move them.
 */
const require = createRequire(import.meta.url);
const yaml = require('js-yaml') as { load(text: string): unknown };
const builderLib = require.resolve('app-builder-lib/package.json');
const { validateConfiguration } = require(
  builderLib.replace('package.json', 'out/util/config/config.js'),
) as {
  validateConfiguration(config: unknown, logger: { isEnabled: boolean; add(): void }): Promise<void>;
};
const { FileMatcher } = require(builderLib.replace('package.json', 'out/fileMatcher.js')) as {
  FileMatcher: new (
    from: string,
    to: string,
    expand: (s: string) => string,
    patterns: string[],
  ) => { createFilter(): (file: string, stat: Stats) => boolean };
};
const { Minimatch } = require(require.resolve('minimatch', { paths: [builderLib] })) as {
  Minimatch: new (pattern: string, options: { dot: boolean }) => { match(path: string): boolean };
};

interface BuilderConfig {
  appId: string;
  productName: string;
  npmRebuild: boolean;
  asar: boolean;
  asarUnpack: string[];
  files: string[];
  win: { target: { target: string; arch: string[] }[] };
  nsis: Record<string, unknown>;
  linux: { target: string[]; maintainer?: string };
  electronFuses?: Record<string, boolean>;
}

const config = yaml.load(
  readFileSync(fileURLToPath(new URL('../electron-builder.yml', import.meta.url)), 'utf8'),
) as BuilderConfig;

describe('electron-builder.yml', () => {
  it('matches electron-builder’s configuration schema', async () => {
    await expect(validateConfiguration(config, { isEnabled: false, add() {} })).resolves.toBeUndefined();
  }, 30_000);

  it('names the app', () => {
    expect(config.appId).toBe('fr.guichet-famille.app');
    expect(config.productName).toBe('Guichet Famille');
  });

  it('builds a French NSIS installer for Windows, offering a per-machine install', () => {
    expect(config.win.target.map((t) => t.target)).toEqual(['nsis']);
    expect(config.nsis).toMatchObject({
      oneClick: false,
      selectPerMachineByDefault: true,
      allowElevation: true,
      language: '1036',
      installerLanguages: ['fr_FR'],
    });
  });

  it('builds an AppImage and a deb for Linux, with the maintainer a deb requires', () => {
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.linux.maintainer).toMatch(/<.+@.+>/);
  });

  it('never rebuilds native modules: better-sqlite3’s N-API prebuilds are used as shipped', () => {
    expect(config.npmRebuild).toBe(false);
  });

  it('unpacks better-sqlite3’s native binary from the asar', () => {
    expect(config.asar).toBe(true);
    expect(config.asarUnpack).toContain('**/node_modules/better-sqlite3/**/*.node');
    const unpack = config.asarUnpack.map((p) => new Minimatch(p, { dot: true }));
    for (const binary of ['win32-x64', 'linux-x64']) {
      expect(unpack.some((m) => m.match(`node_modules/better-sqlite3/prebuilds/${binary}.node`))).toBe(true);
    }
  });

  it('turns off the fuses that make the binary a plain Node runtime', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
    });
  });

  describe('files, as electron-builder’s matcher reads them', () => {
    const file = { isDirectory: () => false } as Stats;
    const appFiles = new FileMatcher('/app', '/dest', (s) => s, config.files).createFilter();
    // For node_modules electron-builder keeps only the exclusions, after an implicit "**/*".
    const moduleFiles = new FileMatcher('/app', '/dest', (s) => s, [
      '**/*',
      ...config.files.filter((p) => p.startsWith('!')),
    ]).createFilter();

    it.each([
      'out/main/index.js',
      'out/main/core-host.js',
      'out/main/chunks/ipc-contract-a1b2c3.js',
      'out/main/fonts/DejaVuSans.ttf',
      'out/preload/index.cjs',
      'out/renderer/index.html',
      'out/renderer/assets/a.js',
      'package.json',
    ])('packs %s', (path) => expect(appFiles(`/app/${path}`, file)).toBe(true));

    it.each([
      'core/app.ts',
      'migrations/index.ts',
      'electron/main/index.ts',
      'electron/browser-host/server.ts',
      'electron/ipc-contract.test.ts',
      'renderer/src/main.tsx',
      'e2e/counter.e2e.ts',
      'bench/run.ts',
      'scripts/start.ts',
      'out/main/index.js.map',
      'out/renderer/README.md',
      'tsconfig.json',
      'electron.vite.config.ts',
    ])('leaves out %s', (path) => expect(appFiles(`/app/${path}`, file)).toBe(false));

    it('keeps better-sqlite3’s runtime and Windows/Linux binaries, drops its sources and other platforms', () => {
      const bs = (p: string) => moduleFiles(`/app/node_modules/better-sqlite3/${p}`, file);
      expect(bs('lib/index.js')).toBe(true);
      expect(bs('package.json')).toBe(true);
      expect(bs('LICENSE')).toBe(true);
      expect(bs('prebuilds/win32-x64.node')).toBe(true);
      expect(bs('prebuilds/linux-x64.node')).toBe(true);
      expect(bs('prebuilds/linux-arm64.node')).toBe(true);
      expect(bs('prebuilds/darwin-arm64.node')).toBe(false);
      expect(bs('prebuilds/linuxmusl-x64.node')).toBe(false);
      expect(bs('deps/sqlite3/sqlite3.c')).toBe(false);
      expect(bs('src/better_sqlite3.cpp')).toBe(false);
      expect(bs('README.md')).toBe(false);
      expect(moduleFiles('/app/node_modules/kysely/dist/esm/index.js', file)).toBe(true);
      expect(moduleFiles('/app/node_modules/zod/LICENSE.md', file)).toBe(true);
    });
  });
});

describe('electron.vite.config.ts', () => {
  const cfg = viteConfig as {
    main: { build: { externalizeDeps: unknown; rolldownOptions: { input: Record<string, string> } } };
    preload: {
      build: {
        externalizeDeps: unknown;
        rolldownOptions: {
          input: Record<string, string>;
          output: { format: string; entryFileNames: string };
        };
      };
    };
    renderer: { root: string; build: { outDir: string; rolldownOptions: { input: Record<string, string> } } };
  };

  it('builds main from electron/main/index.ts to out/main/index.js, the "main" of package.json', () => {
    expect(cfg.main.build.rolldownOptions.input.index).toMatch(/electron[/\\]main[/\\]index\.ts$/);
    expect(cfg.main.build.externalizeDeps).toBe(true);
    const pkg = JSON.parse(readFileSync(fileURLToPath(new URL('../package.json', import.meta.url)), 'utf8'));
    expect(pkg.main).toBe('out/main/index.js');
  });

  it('builds the core host beside main’s bundle, as out/main/core-host.js (main-process.test: the file forked)', () => {
    expect(cfg.main.build.rolldownOptions.input['core-host']).toMatch(
      /electron[/\\]core-host[/\\]entry\.ts$/,
    );
  });

  it('builds the sandboxed preload as self-contained CommonJS named index.cjs', () => {
    expect(cfg.preload.build.rolldownOptions.input.index).toMatch(/electron[/\\]preload[/\\]index\.ts$/);
    expect(cfg.preload.build.rolldownOptions.output).toEqual({ format: 'cjs', entryFileNames: '[name].cjs' });
    expect(cfg.preload.build.externalizeDeps).toBe(false);
  });

  it('builds the renderer from renderer/index.html into out/renderer', () => {
    expect(cfg.renderer.root).toMatch(/renderer$/);
    expect(cfg.renderer.build.rolldownOptions.input.index).toMatch(/renderer[/\\]index\.html$/);
    expect(cfg.renderer.build.outDir).toMatch(/out[/\\]renderer$/);
  });
});
