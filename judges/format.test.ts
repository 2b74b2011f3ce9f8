import { describe, expect, it } from 'vitest';
import { createFormatJudge, markdownStructure, parseJsonOutput } from './format.js';
import { JudgeConfigError } from './settings.js';
import { runJudgeConformance } from './testing/conformance.case.js';

runJudgeConformance({
  name: 'format',
  create: () => createFormatJudge({ config: { max_length: 100, regex: '\\S' } }),
});

const schema = {
  type: 'object',
  required: ['answer', 'confidence'],
  properties: {
    answer: { type: 'string' },
    confidence: { type: 'number', minimum: 0, maximum: 1 },
    url: { type: 'string', format: 'uri' },
  },
};

async function one(config: Record<string, unknown>, output: string, threshold?: number) {
  const [r] = await createFormatJudge({ config, threshold }).evaluateBatch([{ id: 'x', output }]);
  return r as typeof r & { details: { checks: { name: string; passed: boolean; message?: string }[] } };
}

describe('format judge', () => {
  it('checks JSON parsing, allowing one code fence', async () => {
    expect((await one({ json: true }, '{"a": 1}')).passed).toBe(true);
    expect((await one({ json: true }, '```json\n{"a": 1}\n```')).passed).toBe(true);
    const bad = await one({ json: true }, '{"a": 1');
    expect(bad).toMatchObject({ score: 0, passed: false });
    expect(bad.details.checks[0].message).toMatch(/JSON/);
  });

  it('validates against a JSON Schema with ajv, reporting where it fails', async () => {
    const ok = await one(
      { json_schema: schema },
      '{"answer": "42", "confidence": 0.9, "url": "https://example.com"}',
    );
    expect(ok).toMatchObject({ score: 1, passed: true });
    const wrong = await one({ json_schema: schema }, '{"answer": 42, "confidence": 2}');
    expect(wrong.score).toBe(0.5); // parses, but the schema fails
    const message = wrong.details.checks.find((c) => c.name === 'json_schema')?.message;
    expect(message).toMatch(/\/answer must be string/);
    expect(message).toMatch(/\/confidence must be <= 1/);
    const badFormat = await one(
      { json_schema: schema },
      '{"answer": "a", "confidence": 0.1, "url": "not a uri"}',
    );
    expect(badFormat.passed).toBe(false);
  });

  it('checks regex and length in characters (not UTF-16 units)', async () => {
    expect((await one({ regex: '^Answer: \\d+$' }, 'Answer: 42')).passed).toBe(true);
    expect((await one({ regex: '^answer', regex_flags: 'i' }, 'ANSWER here')).passed).toBe(true);
    expect((await one({ regex: '^Answer: \\d+$' }, 'Answer: forty-two')).passed).toBe(false);
    expect((await one({ max_length: 3 }, '👍👍👍')).passed).toBe(true);
    const long = await one({ min_length: 2, max_length: 3 }, 'four');
    expect(long.score).toBe(0.5);
  });

  it('checks markdown structure outside code fences', async () => {
    const doc =
      '# Summary\nText\n\n## Steps\n- one\n- two\n\n```\n# not a heading\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n';
    expect(markdownStructure(doc)).toEqual({
      headings: ['Summary', 'Steps'],
      lists: 2,
      codeBlocks: 1,
      tables: 1,
    });
    const r = await one(
      { markdown: { headings: ['summary', 'Steps', 'Risks'], lists: true, tables: true, code_blocks: true } },
      doc,
    );
    expect(r.details.checks.filter((c) => !c.passed).map((c) => c.name)).toEqual(['heading:Risks']);
    expect(r.score).toBeCloseTo(5 / 6, 10);
    expect(r.passed).toBe(false);
  });

  it('passes partial compliance when the project lowers the threshold', async () => {
    expect((await one({ min_length: 2, max_length: 3 }, 'four', 0.5)).passed).toBe(true);
  });

  it('rejects configs with no checks, a bad schema or a bad regex', () => {
    expect(() => createFormatJudge({ config: {} })).toThrow(JudgeConfigError);
    expect(() => createFormatJudge({ config: { json_schema: { type: 'nonsense' } } })).toThrow(/JSON Schema/);
    expect(() => createFormatJudge({ config: { regex: '(' } })).toThrow(
      /regex: not a valid regular expression/,
    );
    // Settings that produce no check would score 0/0 on every sample.
    for (const config of [
      { regex_flags: 'i' },
      { markdown: {} },
      { markdown: { lists: false, headings: [] } },
    ]) {
      expect(() => createFormatJudge({ config }), JSON.stringify(config)).toThrow(/give at least one check/);
    }
  });

  it('parses fenced JSON and reports errors', () => {
    expect(parseJsonOutput('```\n[1,2]\n```')).toEqual({ ok: true, value: [1, 2] });
    expect(parseJsonOutput('nope').ok).toBe(false);
  });
});
