import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { JUDGE_CATALOG } from './catalog.js';
import { JUDGE_CONFIG_OPTIONS, judgeConfigSchema } from './config-schemas.js';
import { createFormatJudge } from './format.js';
import { JUDGE_TYPES } from './judge-types.js';
import { JUDGE_REGISTRY } from './registry.js';
import { JudgeConfigError } from './settings.js';

/** The smallest config each judge accepts. */
const MINIMAL: Record<string, Record<string, unknown>> = {
  toxicity: {},
  pii: {},
  similarity: {},
  zero_shot: { labels: ['polite'] },
  format: { json: true },
  assertions: {},
  llm_judge: {},
};
const SHARED = { min_pass_rate: z.number().min(0).max(1).optional(), queue: z.string().optional() };

const issuesOf = (type: string, config: unknown) =>
  judgeConfigSchema(type, SHARED)
    .safeParse(config)
    .error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`) ?? [];

describe('judge config schemas', () => {
  it('has a schema and a catalog entry for every judge type, and the registry uses that catalog', () => {
    expect(Object.keys(JUDGE_CONFIG_OPTIONS)).toEqual([...JUDGE_TYPES]);
    expect(Object.keys(JUDGE_CATALOG)).toEqual([...JUDGE_TYPES]);
    for (const type of JUDGE_TYPES) {
      expect(JUDGE_REGISTRY[type]).toMatchObject(JUDGE_CATALOG[type]);
      expect(issuesOf(type, MINIMAL[type]), type).toEqual([]);
    }
  });

  it('refuses unknown keys at the boundary, for every judge and inside nested objects', () => {
    for (const type of JUDGE_TYPES) {
      expect(issuesOf(type, { ...MINIMAL[type], model_id: 'x' }), type).toEqual([
        ': Unrecognized key: "model_id"',
      ]);
    }
    expect(issuesOf('format', { markdown: { heading: ['Summary'] } })).toContain(
      'markdown: Unrecognized key: "heading"',
    );
    expect(
      issuesOf('assertions', { assertions: [{ type: 'contains', value: 'x', ignore_case: true }] }),
    ).toEqual(['assertions.0: Unrecognized key: "ignore_case"']);
  });

  it("accepts the caller's shared settings next to the judge's options; the judge's own definition wins", () => {
    expect(issuesOf('format', { max_length: 10, min_pass_rate: 0.9, queue: 'judges.cpu' })).toEqual([]);
    expect(issuesOf('format', { max_length: 10, min_pass_rate: 2 })).toEqual([
      'min_pass_rate: Too big: expected number to be <=1',
    ]);
    // A model judge's queue is judges.cpu or judges.gpu even though the shared `queue` is any string.
    expect(issuesOf('toxicity', { queue: 'judges.gpu' })).toEqual([]);
    expect(issuesOf('toxicity', { queue: 'llm' })).toHaveLength(1);
    // Named variants use their base type's schema.
    expect(issuesOf('zero_shot:politeness', { labels: ['polite'], min_pass_rate: 0.5 })).toEqual([]);
    expect(() => judgeConfigSchema('vibes')).toThrow(JudgeConfigError);
  });

  it('requires a format config to ask for at least one check, with valid patterns and schemas', () => {
    for (const config of [{}, { json: false }, { regex_flags: 'i' }, { markdown: { headings: [] } }]) {
      expect(issuesOf('format', config), JSON.stringify(config)).toEqual([
        ': give at least one check: json, json_schema, regex, min_length, max_length or markdown (headings, min_headings, lists, code_blocks, tables)',
      ]);
    }
    for (const config of [
      { min_length: 0 },
      { markdown: { tables: true } },
      { json_schema: { type: 'object' } },
    ]) {
      expect(issuesOf('format', config), JSON.stringify(config)).toEqual([]);
    }
    expect(issuesOf('format', { regex: '(' })[0]).toMatch(/^regex: not a valid regular expression/);
    expect(issuesOf('format', { regex: 'a', regex_flags: 'ii' })[0]).toMatch(
      /^regex: not a valid regular expression/,
    );
    expect(issuesOf('format', { json_schema: { type: 'nonsense' } })[0]).toMatch(
      /^json_schema: not a valid JSON Schema/,
    );
    expect(issuesOf('format', { min_length: 5, max_length: 2 })).toEqual([
      'min_length: must not exceed max_length',
    ]);
  });

  it("checks each judge's own cross-field rules", () => {
    expect(issuesOf('zero_shot', {})).toEqual(['labels: Invalid input: expected array, received undefined']);
    expect(issuesOf('zero_shot', { labels: ['polite'], positive_labels: ['kind'] })).toEqual([
      'positive_labels: not in labels: kind',
    ]);
    expect(issuesOf('assertions', { assertions: [{ type: 'contains' }] })).toEqual([
      'assertions.0: needs a value or reference: true',
    ]);
    expect(issuesOf('assertions', { assertions: [{ type: 'regex', value: '[' }] })[0]).toMatch(
      /^assertions\.0\.value: not a valid regular expression/,
    );
    expect(issuesOf('llm_judge', { scale: { min: 5, max: 1 } })).toEqual([
      'scale: scale.max must be greater than scale.min',
    ]);
    expect(issuesOf('llm_judge', { endpoint_id: 'gpt-4o' })).toHaveLength(1);
    expect(issuesOf('llm_judge', { endpoint_id: crypto.randomUUID(), rubric: 'be kind' })).toEqual([]);
  });

  it('leaves keys that belong to others alone at run time', async () => {
    const judge = createFormatJudge({ config: { max_length: 5, min_pass_rate: 0.9, on_error: 'skip' } });
    const [result] = await judge.evaluateBatch([{ id: 'a', output: 'abc' }]);
    expect(result).toMatchObject({ score: 1, passed: true });
  });

  it('converts every schema to JSON Schema, refusing additional properties', () => {
    for (const type of JUDGE_TYPES) {
      const schema = z.toJSONSchema(judgeConfigSchema(type, SHARED), { io: 'input' });
      expect(schema, type).toMatchObject({ type: 'object', additionalProperties: false });
      expect(Object.keys(schema.properties ?? {}), type).toContain('min_pass_rate');
    }
  });

  it('loads no model runtime: the API imports these modules', () => {
    const heavy = ['onnxruntime-node', '@huggingface/transformers'];
    for (const entry of ['config-schemas.ts', 'catalog.ts', 'judge-types.ts']) {
      const reached = valueImports(path.join(import.meta.dirname, entry));
      expect(
        [...reached].filter((m) => heavy.some((h) => m.startsWith(h))),
        entry,
      ).toEqual([]);
    }
    // The walk does find a model runtime where there is one.
    expect(valueImports(path.join(import.meta.dirname, 'toxicity.ts'))).toContain(
      '@huggingface/transformers',
    );
  });
});

/** Every module a file loads at run time, following relative imports (type-only imports load nothing). */
function valueImports(file: string, seen = new Set<string>()): Set<string> {
  const source = fs.readFileSync(file, 'utf8');
  const statements = source.matchAll(
    /^(?:import|export)\s+(type\s+)?(?:[^;'"]*?\sfrom\s+)?['"]([^'"]+)['"]/gm,
  );
  for (const [, typeOnly, specifier] of statements) {
    if (typeOnly || seen.has(specifier)) continue;
    if (!specifier.startsWith('.')) {
      seen.add(specifier);
      continue;
    }
    const target = path.resolve(path.dirname(file), specifier.replace(/\.js$/, '.ts'));
    if (seen.has(target)) continue;
    seen.add(target);
    valueImports(target, seen);
  }
  return seen;
}
