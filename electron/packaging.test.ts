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
  win: { target: { target: string; arch: string[] }[] } & Record<string, unknown>;
  nsis: Record<string, unknown>;
  msi: Record<string, unknown>;
  linux: { target: string[]; maintainer?: string } & Record<string, unknown>;
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

  it('builds a French NSIS installer and an MSI for Windows, both for all users of the PC', () => {
    expect(config.win.target).toEqual([
      { target: 'nsis', arch: ['x64'] },
      { target: 'msi', arch: ['x64'] },
    ]);
    // perMachine: Program Files and HKLM, no "only for me" page; /S installs silently for all users.
    expect(config.nsis).toMatchObject({
      oneClick: false,
      perMachine: true,
      allowElevation: true,
      deleteAppDataOnUninstall: false,
      language: '1036',
      installerLanguages: ['fr_FR'],
    });
    expect(config.msi).toMatchObject({ perMachine: true, runAfterFinish: false });
  });

  it('has the NSIS installer create the machine-wide data folder, modifiable by every user of the PC', () => {
    expect(config.nsis.include).toBe('build/installer.nsh');
    const script = readFileSync(fileURLToPath(new URL('../build/installer.nsh', import.meta.url)), 'utf8');
    // ProgramData ($APPDATA once the context is « all »), the folder electron/data-folder.ts resolves by default.
    expect(script).toMatch(/SetShellVarContext all\s+CreateDirectory "\$APPDATA\\Guichet Famille"/);
    expect(script).toContain('icacls "$APPDATA\\Guichet Famille" /grant *S-1-5-32-545:(OI)(CI)M');
  });

  it('keeps one fixed MSI upgrade code, so that a new MSI upgrades the installed one', () => {
    expect(config.msi.upgradeCode).toBe('FF54328B-4CFD-4853-9788-630954507F43');
    expect(config.msi.upgradeCode).toMatch(
      /^[0-9A-F]{8}-[0-9A-F]{4}-4[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}$/,
    );
  });

  it('holds no signing secret: certificates and passwords come from the packaging machine’s environment', () => {
    const text = readFileSync(fileURLToPath(new URL('../electron-builder.yml', import.meta.url)), 'utf8');
    for (const key of ['cscLink', 'cscKeyPassword', 'certificatePassword', 'certificateFile'])
      expect(JSON.stringify(config)).not.toContain(key);
    // The placeholder names the variables electron-builder reads.
    expect(text).toMatch(/WIN_CSC_LINK.*WIN_CSC_KEY_PASSWORD/s);
  });

  it('names an author (the publisher Windows shows) and ships the icons electron-builder looks for', () => {
    const pkg = JSON.parse(readFileSync(fileURLToPath(new URL('../package.json', import.meta.url)), 'utf8'));
    expect(pkg.author).toBe('Guichet Famille');
    const png = readFileSync(fileURLToPath(new URL('../build/icon.png', import.meta.url)));
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([512, 512]);
    const ico = readFileSync(fileURLToPath(new URL('../build/icon.ico', import.meta.url)));
    const sizes = Array.from({ length: ico.readUInt16LE(4) }, (_, i) => ico[6 + 16 * i] || 256);
    expect(sizes).toContain(256); // electron-builder refuses a Windows icon without it
    expect(sizes).toContain(16);
  });

  it('leaves the server’s and the renderer’s packages out of the production dependencies it copies', () => {
    const pkg = JSON.parse(readFileSync(fileURLToPath(new URL('../package.json', import.meta.url)), 'utf8'));
    for (const name of ['react', 'react-dom', 'pg', 'pino', '@electric-sql/pglite']) {
      expect(pkg.dependencies[name], name).toBeUndefined();
      expect(pkg.devDependencies[name], name).toBeDefined();
    }
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
    // The macros electron-builder expands in patterns, for the Windows x64 package unless said otherwise.
    const macros =
      (os = 'win', arch = 'x64') =>
      (s: string) =>
        s.replaceAll('${os}', os).replaceAll('${arch}', arch);
    const appFiles = new FileMatcher('/app', '/dest', macros(), config.files).createFilter();
    // For node_modules electron-builder keeps only the exclusions, after an implicit "**/*".
    const modulesOf = (os: string) =>
      new FileMatcher('/app', '/dest', macros(os), [
        '**/*',
        ...config.files.filter((p) => p.startsWith('!')),
      ]).createFilter();
    const moduleFiles = modulesOf('win');

    it('is only set at the top level: a platform’s own list of exclusions would pack the whole repository', () => {
      expect(config.win.files).toBeUndefined();
      expect(config.linux.files).toBeUndefined();
    });

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

    it.each([
      ['win', 'win32-x64.node'],
      ['linux', 'linux-x64.node'],
    ])('keeps better-sqlite3’s runtime and, for %s, its own binary only; drops its sources', (os, binary) => {
      const filter = modulesOf(os);
      const bs = (p: string) => filter(`/app/node_modules/better-sqlite3/${p}`, file);
      expect(bs('lib/index.js')).toBe(true);
      expect(bs('package.json')).toBe(true);
      expect(bs('LICENSE')).toBe(true);
      const prebuilds = [
        'win32-x64.node',
        'win32-arm64.node',
        'linux-x64.node',
        'linux-arm64.node',
        'linuxmusl-x64.node',
        'darwin-arm64.node',
      ].filter((p) => bs(`prebuilds/${p}`));
      expect(prebuilds).toEqual([binary]);
      expect(bs('deps/sqlite3/sqlite3.c')).toBe(false);
      expect(bs('src/better_sqlite3.cpp')).toBe(false);
      // A binary node-gyp compiled on the packaging machine would be loaded first, whatever its platform.
      expect(bs('build/Release/better_sqlite3.node')).toBe(false);
      expect(bs('README.md')).toBe(false);
    });

    it('keeps what runs and drops what never loads in the main process', () => {
      const m = (p: string) => moduleFiles(`/app/node_modules/${p}`, file);
      expect(m('kysely/dist/esm/index.js')).toBe(true);
      expect(m('zod/LICENSE.md')).toBe(true);
      expect(m('zod/v4/core/core.js')).toBe(true);
      expect(m('zod/src/v4/core/core.ts')).toBe(false);
      expect(m('pdfkit/js/pdfkit.node.mjs')).toBe(true);
      expect(m('pdfkit/js/data/Helvetica.afm')).toBe(true);
      expect(m('pdfkit/js/pdfkit.standalone.js')).toBe(false);
      expect(m('pdfkit/js/pdfkit.browser.mjs')).toBe(false);
      expect(m('date-fns/locale/fr.js')).toBe(true);
      expect(m('date-fns/locale/fr/_lib/localize.js')).toBe(true);
      expect(m('date-fns/locale/en-US.js')).toBe(true);
      expect(m('date-fns/locale/_lib/buildLocalizeFn.js')).toBe(true);
      expect(m('date-fns/locale/de.js')).toBe(false);
      expect(m('date-fns/locale/fr-CA/_lib/localize.js')).toBe(false);
      expect(m('date-fns/format.js')).toBe(true);
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
