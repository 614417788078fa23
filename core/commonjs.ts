import { createRequire } from 'node:module';

/**
 * Node's `require`, for the few packages the core loads as CommonJS. Node 22 loads an ES module package file by
 * file, and for each one reads the package's package.json afresh: date-fns's holds a 140 KB `exports` map, and its
 * three functions the core uses cost 0.4 s of the counter's start on a busy PC that way, 0.06 s as CommonJS.
 * Called as a method, `commonjs.require(name)`: the packaging checks (electron/packaging-build.ts) find what the
 * bundle loads by its require calls, and a module-level `require` of our own would clash with the one
 * electron-vite's bundles declare.
 */
export const commonjs = { require: createRequire(import.meta.url) };
