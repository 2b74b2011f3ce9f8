/**
 * The GitHub Action runs the CLI as one bundled file (cli/dist/evalforge.mjs, cli/bundle.test.ts) with plain
 * node: the CLI (and every project file it imports) may import Node built-ins, plus the two small pure-JS
 * packages the evalforge.yaml schema needs (bundled in), and nothing else at runtime.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../runtime/child-process.js';

const IMPORT = /^\s*(?:import|export)\s+(type\s+)?(?:[^'";]*?\s+from\s+)?['"]([^'"]+)['"]/gm;

function runtimeImports(entry: string) {
  const seen = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const [, typeOnly, spec] of fs.readFileSync(file, 'utf8').matchAll(IMPORT)) {
      if (typeOnly) continue; // erased when tsx strips types
      if (spec.startsWith('.')) visit(path.resolve(path.dirname(file), spec.replace(/\.js$/, '.ts')));
      else packages.add(spec);
    }
  };
  visit(entry);
  return { files: [...seen].map((f) => path.relative(PROJECT_ROOT, f)), packages: [...packages] };
}

/** What core/eval-config.ts parses and validates the file with; the bundle carries them. */
const BUNDLED_PACKAGES = ['yaml', 'zod'];

describe('the CLI', () => {
  it('imports only Node built-ins at runtime, and the packages its bundle carries', () => {
    const { files, packages } = runtimeImports(path.join(PROJECT_ROOT, 'cli/evalforge.ts'));
    expect(files).toContain('cli/commands/run.ts');
    expect(files).toContain('core/eval-config.ts');
    expect(packages.filter((p) => !p.startsWith('node:')).sort()).toEqual(BUNDLED_PACKAGES);
  });
});
