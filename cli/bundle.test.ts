/**
 * cli/dist/evalforge.mjs, the CLI the GitHub Action runs with plain `node`: committed, so it must be what
 * `npm run build:cli` makes of the sources today, and it must run without tsx or node_modules.
 */
import fs from 'node:fs';
import { isBuiltin } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../lib/project-root.js';
import { buildCliBundle, CLI_BUNDLE } from '../scripts/build-cli.js';
import { CLI_BUNDLE_PATH, runCliBundle, startNodeScript } from '../test/helpers/cli-bundle.js';
import { EXIT } from './exit-codes.js';
import { USAGE } from './usage.js';

describe('the bundled CLI', () => {
  it('is up to date with its sources (rebuilt, byte for byte)', async () => {
    expect(path.relative(PROJECT_ROOT, CLI_BUNDLE_PATH)).toBe(CLI_BUNDLE);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'evalforge-bundle-'));
    const { outfile, inputs } = await buildCliBundle(path.join(dir, 'evalforge.mjs'));
    expect(inputs).toContain('cli/commands/run.ts');
    expect(inputs).toContain('core/eval-config.ts');
    const fresh = fs.readFileSync(outfile);
    const committed = fs.existsSync(CLI_BUNDLE_PATH) ? fs.readFileSync(CLI_BUNDLE_PATH) : Buffer.alloc(0);
    // On failure: run `npm run build:cli` and commit cli/dist/evalforge.mjs.
    expect(committed.equals(fresh), `${CLI_BUNDLE} is stale: run "npm run build:cli" and commit it`).toBe(
      true,
    );
  });

  it('imports nothing but Node built-ins', () => {
    const code = fs.readFileSync(CLI_BUNDLE_PATH, 'utf8');
    const specifiers = [
      ...code.matchAll(/^\s*(?:import|export)\s[^'";]*?\bfrom\s+['"]([^'"]+)['"]/gm),
      ...code.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g),
      ...code.matchAll(/\b__require\(\s*['"]([^'"]+)['"]\s*\)/g),
    ].map((m) => m[1]);
    expect(specifiers.length).toBeGreaterThan(0);
    expect(specifiers.filter((s) => !isBuiltin(s))).toEqual([]);
  });

  it('runs with plain node: --help and validate', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'evalforge-bundle-run-'));
    // No node_modules anywhere above the working directory or next to the bundle's copy.
    const copy = path.join(dir, 'evalforge.mjs');
    fs.copyFileSync(CLI_BUNDLE_PATH, copy);
    const env = { HOME: dir };
    const help = await runCliBundle(['--help'], { cwd: dir, env });
    expect(help.code, help.stderr).toBe(EXIT.OK);
    expect(help.stdout).toBe(USAGE);

    fs.writeFileSync(
      path.join(dir, 'evalforge.yaml'),
      'endpoint: prod\ndataset: { path: samples.csv }\nguardrails: [{ judge: pii }]\n',
    );
    fs.writeFileSync(path.join(dir, 'samples.csv'), 'input_text\nhello\n');
    const valid = await startNodeScript(copy, ['validate'], { cwd: dir, env }).result;
    expect(valid.code, valid.stderr).toBe(EXIT.OK);
    expect(valid.stdout).toBe('evalforge.yaml: valid (dataset samples.csv, 17 bytes)\n');

    fs.writeFileSync(
      path.join(dir, 'bad.yaml'),
      'endpoint: prod\ndataset: { path: samples.csv }\nrepetitions: 0\n',
    );
    const invalid = await startNodeScript(copy, ['validate', '-c', 'bad.yaml'], { cwd: dir, env }).result;
    expect(invalid.code).toBe(EXIT.USAGE);
    expect(invalid.stdout).toBe('bad.yaml: repetitions: Too small: expected number to be >=1\n');
  });
});
