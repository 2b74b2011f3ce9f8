import { describe, expect, it } from 'vitest';
import { responseCacheKey } from './response-cache.js';

const parts = {
  projectId: '7d3f1c2a-5b6e-4f80-9a1b-2c3d4e5f6a7b',
  provider: 'openai',
  endpointUrl: 'https://api.example.com/v1',
  model: 'gpt-x',
  params: { temperature: 0, top_p: undefined, max_tokens: 64 },
  messages: [{ role: 'user' as const, content: 'hello' }],
};

describe('responseCacheKey', () => {
  it('is stable across key order and undefined values', () => {
    const reordered = { ...parts, params: { max_tokens: 64, top_p: undefined, temperature: 0 } };
    expect(responseCacheKey(reordered)).toBe(responseCacheKey(parts));
  });

  it('never shares an entry between projects, endpoints, models, params or prompts', () => {
    const base = responseCacheKey(parts);
    for (const changed of [
      { ...parts, projectId: '1b2c3d4e-5f60-4718-9a0b-1c2d3e4f5a6b' },
      { ...parts, endpointUrl: 'https://other.example.com/v1' },
      { ...parts, model: 'gpt-y' },
      { ...parts, params: { ...parts.params, temperature: 1 } },
      { ...parts, messages: [{ role: 'user' as const, content: 'hello!' }] },
    ]) {
      expect(responseCacheKey(changed)).not.toBe(base);
    }
  });
});
