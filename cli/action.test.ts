/**
 * .github/actions/evalforge/action.yml read as GitHub reads it: inputs, outputs and steps that refer to each
 * other, the bundled CLI it runs, and no install step (the CLI is one committed file; only Node is set up).
 * cli/cli.test.ts and cli/config.test.ts run its steps against a real server.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { PROJECT_ROOT } from '../lib/project-root.js';
import { CLI_BUNDLE } from '../scripts/build-cli.js';

const ACTION_DIR = path.join(PROJECT_ROOT, '.github/actions/evalforge');

interface Step {
  id?: string;
  name?: string;
  uses?: string;
  run?: string;
  shell?: string;
  if?: string;
  env?: Record<string, string>;
  with?: Record<string, unknown>;
}
interface Action {
  name: string;
  description: string;
  inputs: Record<string, { description: string; required?: boolean; default?: string }>;
  outputs: Record<string, { description: string; value: string }>;
  runs: { using: string; steps: Step[] };
}

const action = parseYaml(fs.readFileSync(path.join(ACTION_DIR, 'action.yml'), 'utf8')) as Action;
const steps = action.runs.steps;
const expressions = (text: string) => [...text.matchAll(/\$\{\{\s*(.+?)\s*\}\}/g)].map((m) => m[1]);
const stepText = (s: Step) => JSON.stringify({ ...s, run: undefined });

/** Outputs the bundled CLI writes to $GITHUB_OUTPUT itself (cli/github-output.ts callers). */
function cliOutputs(): Set<string> {
  const names = new Set<string>();
  for (const file of ['cli/commands/run.ts', 'cli/commands/comment.ts']) {
    const source = fs.readFileSync(path.join(PROJECT_ROOT, file), 'utf8');
    for (const m of source.matchAll(/writeGithubOutput\(\s*ctx\.env,\s*'([\w-]+)'/g)) names.add(m[1]);
  }
  return names;
}

describe('the composite action (action.yml)', () => {
  it('is a composite action whose steps have ids and shells where they need them', () => {
    expect(action.runs.using).toBe('composite');
    expect(action.name).toBeTruthy();
    for (const step of steps) {
      expect(Boolean(step.uses) !== Boolean(step.run), JSON.stringify(step)).toBe(true);
      if (step.run) expect(step.shell).toBe('bash');
    }
    const ids = steps.flatMap((s) => (s.id ? [s.id] : []));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('refers only to inputs it declares, and uses every input it declares', () => {
    const declared = Object.keys(action.inputs);
    const used = new Set<string>();
    for (const step of steps) {
      for (const expr of expressions(stepText(step))) {
        for (const [, name] of expr.matchAll(/\binputs\.([\w-]+)/g)) {
          expect(declared, `step ${step.id ?? step.name} uses inputs.${name}`).toContain(name);
          used.add(name);
        }
      }
    }
    expect([...used].sort()).toEqual([...declared].sort());
    // Only the server and the project are always needed: dataset/endpoint or config say what to run.
    const required = declared.filter((n) => action.inputs[n].required);
    expect(required.sort()).toEqual(['project', 'url']);
    for (const [name, input] of Object.entries(action.inputs)) {
      expect(input.description, name).toBeTruthy();
      if (!input.required) expect(input.default, `${name} needs a default`).toBeDefined();
    }
  });

  it('never pastes an expression into a script: inputs reach bash through the environment', () => {
    for (const step of steps.filter((s) => s.run)) expect(expressions(step.run as string)).toEqual([]);
  });

  it("sets each output from a step that writes it, run-id and comment-url from the CLI's own writes", () => {
    const written = cliOutputs();
    expect([...written].sort()).toEqual(['comment-url', 'run-id']);
    const byId = new Map(steps.filter((s) => s.id).map((s) => [s.id as string, s]));
    expect(Object.keys(action.outputs).sort()).toEqual(['comment-url', 'exit-code', 'passed', 'run-id']);
    for (const [name, output] of Object.entries(action.outputs)) {
      const m = /^\$\{\{\s*steps\.([\w-]+)\.outputs\.([\w-]+)\s*\}\}$/.exec(output.value);
      expect(m, `output ${name}: ${output.value}`).not.toBeNull();
      const [, stepId, stepOutput] = m as RegExpExecArray;
      expect(stepOutput).toBe(name);
      const step = byId.get(stepId);
      expect(step, `output ${name} names step ${stepId}`).toBeDefined();
      const run = step?.run ?? '';
      const bySelf = new RegExp(
        `${stepOutput}=[^\\n]*(GITHUB_OUTPUT|\\$GITHUB_OUTPUT)|GITHUB_OUTPUT[^\\n]*${stepOutput}=`,
      ).test(run);
      const byCli = written.has(stepOutput) && run.includes('evalforge.mjs');
      expect(bySelf || byCli, `step ${stepId} writes ${stepOutput}`).toBe(true);
    }
    // The step that reads the run's id comes after the step that sets it.
    const comment = byId.get('comment') as Step;
    expect(stepText(comment)).toContain('steps.run.outputs.run-id');
    expect(steps.indexOf(comment)).toBeGreaterThan(steps.indexOf(byId.get('run') as Step));
    expect(comment.if).toMatch(/!cancelled\(\)/);
    expect(comment.if).toContain("inputs.comment == 'true'");
  });

  it('sets up Node and runs the committed bundle with it: no install step, no tsx', () => {
    const setup = steps.findIndex((s) => s.uses?.startsWith('actions/setup-node@'));
    expect(setup).toBe(0);
    const engines = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')).engines.node;
    expect(engines).toMatch(new RegExp(`>=${steps[setup].with?.['node-version']}\\b`));
    for (const step of steps) {
      const text = `${step.run ?? ''} ${step.uses ?? ''}`;
      expect(text).not.toMatch(/\b(npm|npx|yarn|pnpm|bun)\b/);
      expect(text).not.toMatch(/\btsx\b/);
    }
    const scripts = steps.filter((s) => s.run?.includes('evalforge.mjs'));
    expect(scripts.map((s) => s.id)).toEqual(['run', 'comment']);
    for (const step of scripts) {
      const [, rel] = /"\$GITHUB_ACTION_PATH\/([^"]+evalforge\.mjs)"/.exec(step.run as string) ?? [];
      expect(rel, `step ${step.id} runs the bundle from the action's checkout`).toBeDefined();
      expect(path.relative(PROJECT_ROOT, path.resolve(ACTION_DIR, rel))).toBe(CLI_BUNDLE);
      expect(step.run).toMatch(/\bnode "\$(cli|GITHUB_ACTION_PATH)/);
    }
    expect(fs.existsSync(path.join(PROJECT_ROOT, CLI_BUNDLE))).toBe(true);
  });
});
