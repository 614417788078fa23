import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  buildApp,
  cannotPackageReason,
  fakeElectronDist,
  packageLinuxDir,
  ROOT,
  sizeOf,
} from '../electron/packaging-build.ts';
import { msSince, now, result, type BenchResult } from './stats.ts';

const MB = 1024 * 1024;

/**
 * What the packaged app weighs (the Linux folder, as electron/packaging-build.test.ts builds it): `package.asar_mb`
 * is app.asar, the code and the dependencies Electron reads from the archive; its baseline is out/, the app's own
 * bundles, so the ratio says how much the dependencies add. The unpacked native binary is printed beside it.
 */
export async function run(): Promise<BenchResult[]> {
  const skip = cannotPackageReason();
  if (skip) {
    console.log(`  ignoré : ${skip}`);
    return [];
  }
  const dir = mkdtempSync(join(tmpdir(), 'gf-bench-package-'));
  try {
    const start = now();
    await buildApp();
    const built = await packageLinuxDir({
      electronDist: await fakeElectronDist(join(dir, 'electron-dist')),
      output: join(dir, 'dist'),
    });
    const asar = (await sizeOf(built.asar)) / MB;
    const unpacked = (await sizeOf(built.unpacked)) / MB;
    const out = (await sizeOf(join(ROOT, 'out'))) / MB;
    console.log(
      `  app.asar ${asar.toFixed(1)} Mo, app.asar.unpacked ${unpacked.toFixed(1)} Mo, out/ ${out.toFixed(1)} Mo (construit en ${(msSince(start) / 1000).toFixed(1)} s)`,
    );
    return [result('package.asar_mb', asar, 'MB', out)];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
