/**
 * `npm run bench:judges`: samples/s per judge on this machine's CPU, and the similarity judge against raw
 * onnxruntime-node inference on the same model and texts (target: the judge at >= 0.9x raw).
 * Needs `npm run models`. The throughput rows run toxicity and zero-shot on the tiny test models (they
 * measure the pipeline); the quality table that follows runs each judge's offline default on labelled sets.
 *
 *   npm run bench:judges [-- --samples 512]
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { encodeBatch } from '../../judges/inference/encode.js';
import { DEFAULT_INFERENCE_BATCH_SIZE } from '../../judges/inference/inference.js';
import { loadModel } from '../../judges/inference/model-loader.js';
import { modelDir, modelSourceFromEnv } from '../../judges/inference/models-dir.js';
import { createJudge } from '../../judges/registry.js';
import { DEFAULT_SIMILARITY_MODEL } from '../../judges/similarity.js';
import { readStsPairs } from '../../judges/testing/sts-benchmark.js';
import { TEST_MODELS } from '../../judges/testing/test-models.js';
import type { JudgeItem } from '../../judges/types.js';
import { llmJudgeSection } from './judges/llm-judge.js';
import { piiSection } from './judges/pii.js';
import { similaritySection } from './judges/similarity.js';
import { printQualityTable } from './judges/table.js';
import { toxicitySection } from './judges/toxicity.js';
import { zeroShotSection } from './judges/zero-shot.js';

const samplesArg = process.argv.indexOf('--samples');
const SAMPLES = samplesArg > 0 ? Number(process.argv[samplesArg + 1]) : 512;
const quiet = { info() {}, warn() {} };
/** Sessions allocate per input shape on first use: warm up on a slice of the same texts. */
const WARM_UP_SAMPLES = 64;

const pairs = readStsPairs();
const items: JudgeItem[] = Array.from({ length: SAMPLES }, (_, i) => {
  const p = pairs[i % pairs.length];
  return { id: String(i), output: p.first, reference: p.second, input: 'Describe the scene.' };
});

const judges: Array<[string, string, Record<string, unknown>]> = [
  ['similarity (MiniLM fp32)', 'similarity', {}],
  ['similarity (MiniLM int8)', 'similarity', { dtype: 'int8' }],
  ['pii (regex + Rampart q4 NER)', 'pii', {}],
  ['pii (regex only)', 'pii', { ner: false }],
  ['toxicity (tiny test model)', 'toxicity', { model: TEST_MODELS.toxicity }],
  [
    'zero_shot (tiny test model, 2 labels)',
    'zero_shot',
    { model: TEST_MODELS.nli, labels: ['polite', 'rude'] },
  ],
  [
    'format (json schema + markdown)',
    'format',
    { json_schema: { type: 'object' }, markdown: { lists: true } },
  ],
  [
    'assertions (3)',
    'assertions',
    {
      assertions: [
        { type: 'contains', value: 'a' },
        { type: 'regex', value: '^A' },
        { type: 'starts_with', reference: true },
      ],
    },
  ],
];

console.log(`judges on CPU, ${SAMPLES} samples each (STS sentences), after a warm-up pass`);
for (const [label, type, config] of judges) {
  const judge = createJudge(type, { config }, { logger: quiet });
  await judge.evaluateBatch(items.slice(0, WARM_UP_SAMPLES));
  const started = performance.now();
  await judge.evaluateBatch(items);
  const seconds = (performance.now() - started) / 1000;
  console.log(`${label.padEnd(40)} ${(SAMPLES / seconds).toFixed(1).padStart(9)} samples/s`);
}

// Raw onnxruntime-node on the same model: the same texts (outputs and references), tokenised beforehand,
// in batches of the judge's size; only session.run is timed.
const require = createRequire(import.meta.url);
const ort = require('onnxruntime-node') as typeof import('onnxruntime-node');
const source = modelSourceFromEnv();
const loaded = await loadModel(
  { task: 'embedding', modelId: DEFAULT_SIMILARITY_MODEL, dtype: 'fp32' },
  { source, logger: quiet },
);
const session = await ort.InferenceSession.create(
  path.join(modelDir(source, DEFAULT_SIMILARITY_MODEL), 'onnx', 'model.onnx'),
);
const texts = items.flatMap((i) => [i.output, i.reference as string]);
const feeds = [];
for (let i = 0; i < texts.length; i += DEFAULT_INFERENCE_BATCH_SIZE) {
  const e = encodeBatch(loaded.tokenizer, texts.slice(i, i + DEFAULT_INFERENCE_BATCH_SIZE), loaded.maxTokens);
  const tensor = (t: typeof e.input_ids) => new ort.Tensor('int64', t.data as BigInt64Array, t.dims);
  feeds.push({
    input_ids: tensor(e.input_ids),
    attention_mask: tensor(e.attention_mask),
    token_type_ids: tensor(e.token_type_ids),
  });
}
for (const feed of feeds.slice(0, WARM_UP_SAMPLES / DEFAULT_INFERENCE_BATCH_SIZE)) await session.run(feed);
let started = performance.now();
for (const feed of feeds) await session.run(feed);
const rawRate = SAMPLES / ((performance.now() - started) / 1000);
const judge = createJudge('similarity', {}, { logger: quiet });
await judge.evaluateBatch(items.slice(0, WARM_UP_SAMPLES));
started = performance.now();
await judge.evaluateBatch(items);
const judgeRate = SAMPLES / ((performance.now() - started) / 1000);
console.log(
  `similarity judge ${judgeRate.toFixed(1)} samples/s vs raw onnxruntime-node ${rawRate.toFixed(1)} samples/s ` +
    `(2 embeddings per sample): ${(judgeRate / rawRate).toFixed(2)}x (target >= 0.9x)`,
);

// Quality on labelled sets, one table built from each judge's section (scripts/bench/judges/<judge>.ts).
console.log('\nquality on labelled sets (README, Benchmarks)');
await printQualityTable([piiSection, similaritySection, toxicitySection, zeroShotSection, llmJudgeSection]);
