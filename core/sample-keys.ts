/**
 * sample_key is "the same sample" across dataset versions. Given keys are kept; otherwise the key is
 * derived from the content (system prompt + input), so re-uploading an edited file pairs every
 * unchanged sample with its earlier self — runs on the two versions can then be compared sample by sample.
 */
import crypto from 'node:crypto';

const DERIVED_KEY_HEX_CHARS = 16;

export function deriveSampleKey(systemPrompt: string | null | undefined, inputText: string) {
  const digest = crypto
    .createHash('sha256')
    .update(JSON.stringify([systemPrompt ?? null, inputText]))
    .digest('hex');
  return `h_${digest.slice(0, DERIVED_KEY_HEX_CHARS)}`;
}

/** Hands out derived keys unique within one version: a repeated prompt gets `-2`, `-3`, … */
export class SampleKeyAllocator {
  constructor(private readonly taken: Set<string>) {}

  has(key: string) {
    return this.taken.has(key);
  }

  claim(key: string) {
    this.taken.add(key);
  }

  derive(systemPrompt: string | null | undefined, inputText: string) {
    const base = deriveSampleKey(systemPrompt, inputText);
    let key = base;
    for (let n = 2; this.taken.has(key); n++) key = `${base}-${n}`;
    this.taken.add(key);
    return key;
  }
}
