import { describe, expect, it } from 'vitest';
import { MAX_INTEGER_RANGE_VALUES, toGrammarSchema } from './local-llm-json-schema.js';

const ok = (schema: unknown) => {
  const result = toGrammarSchema(schema);
  if (!result.ok) throw new Error(result.error);
  return result.schema;
};
const error = (schema: unknown) => {
  const result = toGrammarSchema(schema);
  if (result.ok) throw new Error(`accepted: ${JSON.stringify(result.schema)}`);
  return result.error;
};

describe('JSON Schema → the subset node-llama-cpp enforces', () => {
  it('keeps an OpenAI strict-mode schema as it is, dropping annotations', () => {
    const schema = {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      title: 'Verdict',
      type: 'object',
      properties: {
        criteria: {
          type: 'object',
          properties: { quality: { type: 'integer', enum: [1, 2, 3, 4, 5] } },
          required: ['quality'],
          additionalProperties: false,
        },
        reasoning: { type: 'string', description: 'why' },
        tags: { type: 'array', items: { type: 'string', maxLength: 10 }, maxItems: 3 },
        flag: { type: ['boolean', 'null'] },
        when: { type: 'string', format: 'date' },
      },
      required: ['criteria', 'reasoning', 'tags', 'flag', 'when'],
      additionalProperties: false,
    };
    expect(ok(schema)).toEqual({
      type: 'object',
      properties: {
        criteria: {
          type: 'object',
          properties: { quality: { enum: [1, 2, 3, 4, 5] } },
        },
        reasoning: { type: 'string', description: 'why' },
        tags: { type: 'array', items: { type: 'string', maxLength: 10 }, maxItems: 3 },
        flag: { type: ['boolean', 'null'] },
        when: { type: 'string', format: 'date' },
      },
    });
  });

  it('rewrites integer minimum/maximum as an enum, anyOf as oneOf, and typed unions', () => {
    expect(ok({ type: 'integer', minimum: 1, maximum: 4 })).toEqual({ enum: [1, 2, 3, 4] });
    expect(ok({ type: 'integer', minimum: 0.5, maximum: 2.5 })).toEqual({ enum: [1, 2] });
    expect(ok({ anyOf: [{ type: 'string' }, { type: 'null' }] })).toEqual({
      oneOf: [{ type: 'string' }, { type: 'null' }],
    });
    expect(ok({ type: ['object', 'null'], properties: { a: { type: 'number' } } })).toEqual({
      oneOf: [{ type: 'object', properties: { a: { type: 'number' } } }, { type: 'null' }],
    });
    expect(ok({ type: 'object' })).toEqual({ type: 'object', additionalProperties: true });
    expect(ok({ type: 'string', const: 'x' })).toEqual({ const: 'x' });
    expect(ok({ $defs: { n: { type: 'integer' } }, type: 'array', items: { $ref: '#/$defs/n' } })).toEqual({
      $defs: { n: { type: 'integer' } },
      type: 'array',
      items: { $ref: '#/$defs/n' },
    });
  });

  it.each([
    [{ type: 'string', pattern: '^a' }, /"pattern" for type string/],
    [
      { type: 'object', properties: { n: { type: 'number', minimum: 0 } } },
      /at \/properties\/n: .*"minimum"/,
    ],
    [{ type: 'integer', minimum: 0 }, /needs both minimum and maximum/],
    [{ type: 'integer', minimum: 0, maximum: MAX_INTEGER_RANGE_VALUES }, /wider than/],
    [{ type: 'integer', minimum: 3, maximum: 2 }, /no integer lies between/],
    [{ allOf: [{ type: 'string' }] }, /unsupported keyword "allOf"/],
    [{ description: 'anything' }, /without a type/],
    [{ type: 'string', format: 'email' }, /format "email"/],
    [{ $ref: '#/definitions/x' }, /must point into #\/\$defs\//],
    [{ type: 'object', properties: { a: { type: 'string' } }, required: ['b'] }, /"b" is not in properties/],
    [{ type: 'object', patternProperties: {} }, /"patternProperties"/],
    [{ type: 'date' }, /unknown type "date"/],
    [{ enum: [1, 'a'], type: 'integer' }, /"a" is not of type/],
    [{ enum: [] }, /non-empty list/],
    [{ type: 'array', items: true }, /true\/false schemas/],
    [{ type: 'string', minLength: -1 }, /non-negative integer/],
  ])('refuses what it cannot enforce: %j', (schema, message) => {
    const text = error(schema);
    expect(text).toMatch(message);
    expect(text).toMatch(/^response_format\.json_schema\.schema/);
  });
});
