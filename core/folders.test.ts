import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const CORE = import.meta.dirname;

/**
 * Pairs of folders that still import each other, each with why and until when. Every one is a debt: the test fails
 * on a pair not listed here, and on a listed pair that no longer exists (then take it off the list).
 */
const KNOWN_PAIRS: Record<string, string> = {
  // core/api/labels.ts says the contract's codes in the agent's words, read from the modules that own those words.
  // They move to the shared French values (another branch of issue 12's time); then labels.ts reads them there.
  'activities ↔ api': 'labels.ts ← ACTIVITY_KIND_LABELS',
  'api ↔ auth': 'labels.ts ← ROLE_LABELS',
  'api ↔ payments': 'labels.ts ← MODE_LABELS',
  'api ↔ requests': 'labels.ts ← KIND_LABELS, STATE_LABELS',
};

/** Every source file of core/ (tests aside), by path from core/. */
function sources(dir = CORE): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sources(path);
    return /\.ts$/.test(entry.name) && !/\.(test|d)\.ts$/.test(entry.name) ? [relative(CORE, path)] : [];
  });
}

/**
 * The modules a file loads: its imports and re-exports, less those of types only, which are erased and tie no
 * module's loading to another's (a layer may name the types of the one above it, as the kernel names permissions).
 */
function loads(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(join(CORE, file), 'utf8'), ts.ScriptTarget.Latest);
  const out: string[] = [];
  for (const node of source.statements) {
    let specifier: ts.Expression | undefined;
    if (ts.isImportDeclaration(node)) {
      const clause = node.importClause;
      const named = clause?.namedBindings;
      const typesOnly =
        clause?.isTypeOnly ||
        (clause &&
          !clause.name &&
          named &&
          ts.isNamedImports(named) &&
          named.elements.length > 0 &&
          named.elements.every((e) => e.isTypeOnly));
      if (!typesOnly) specifier = node.moduleSpecifier;
    } else if (ts.isExportDeclaration(node) && !node.isTypeOnly) {
      specifier = node.moduleSpecifier;
    }
    if (specifier && ts.isStringLiteral(specifier) && specifier.text.startsWith('.'))
      out.push(relative(CORE, resolve(dirname(join(CORE, file)), specifier.text)));
  }
  return out;
}

const folderOf = (path: string): string | null =>
  path.includes(sep) && !path.startsWith('..') ? (path.split(sep)[0] ?? null) : null;

describe('core’s folders', () => {
  it('never import each other both ways: a piece both need moves down, into a folder below both', () => {
    const edges = new Map<string, string[]>();
    for (const file of sources()) {
      const from = folderOf(file);
      if (!from) continue;
      for (const target of loads(file)) {
        const to = folderOf(target);
        if (!to || to === from) continue;
        const key = `${from} → ${to}`;
        edges.set(key, [...(edges.get(key) ?? []), `${file} → ${target}`]);
      }
    }
    const pairs = new Map<string, string[]>();
    for (const [key, why] of edges) {
      const [a, b] = key.split(' → ') as [string, string];
      const back = edges.get(`${b} → ${a}`);
      if (a < b && back) pairs.set(`${a} ↔ ${b}`, [...why, ...back]);
    }
    const fresh = [...pairs].filter(([pair]) => !Object.hasOwn(KNOWN_PAIRS, pair));
    expect(Object.fromEntries(fresh)).toEqual({});
    const gone = Object.keys(KNOWN_PAIRS).filter((pair) => !pairs.has(pair));
    expect(gone, 'paires résolues : à retirer de KNOWN_PAIRS').toEqual([]);
  });
});
