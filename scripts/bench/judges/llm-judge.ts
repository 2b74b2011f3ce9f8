/**
 * LLM-as-judge on 62 labelled (question, answer, correct?) pairs written for this benchmark
 * (data/llm-judge.jsonl): 31 questions (general knowledge, arithmetic, ShopCo policies), each with one right
 * and one wrong answer, so a judge whose score follows the question rather than the answer scores 0.5 on
 * "paired". Pointwise, one criterion (correctness, 1-5), default threshold 0.6, reasoning first, logprobs
 * asked for (G-Eval weighting where returned), one repair call per unusable reply.
 * Figures: accuracy of `passed` against the label, ROC-AUC of the score, paired accuracy (the right answer
 * scored above the wrong one, ties ½), judge errors, share of scores that were probability-weighted.
 *
 * Judges: the local SmolLM2-135M server (when `npm run models` put it in models/; structured output, as the
 * demo), and any OpenAI-compatible endpoint named with
 *   --llm-url https://api.openai.com/v1 --llm-model gpt-4o-mini [--llm-key-env OPENAI_API_KEY] [--llm-structured]
 * `--llm-reference` also shows the judge the reference answer; `--llm-only-endpoint` skips the local model;
 * `--llm-limit N` judges the first N pairs (quick checks); `--skip-llm-judge` skips the section (the local
 * model takes several minutes on two cores).
 */
import OpenAI from 'openai';
import { createOpenAIChatCaller } from '../../../judges/llm/chat-caller.js';
import { createLlmJudge } from '../../../judges/llm/llm-judge.js';
import type { JudgeItem, JudgeResult } from '../../../judges/types.js';
import { localLlmModelExists, localLlmModelPath } from '../../../runtime/local-llm-model.js';
import { startLocalLlmServer } from '../../../runtime/local-llm-server.js';
import { accuracy, readBenchData, rocAuc } from './classification.js';
import type { QualityRow, QualitySection } from './table.js';

interface LabelledAnswer {
  question: string;
  reference: string;
  answer: string;
  correct: boolean;
}

const CRITERIA = [
  {
    name: 'correctness',
    description: 'The response answers the question, and every fact and number in it is correct.',
    weight: 1,
  },
];

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
}

async function judgeRows(
  label: string,
  client: OpenAI,
  model: string,
  config: Record<string, unknown>,
): Promise<QualityRow[]> {
  const limit = Number(flag('--llm-limit') ?? Number.POSITIVE_INFINITY);
  const data = readBenchData<LabelledAnswer>('llm-judge.jsonl').slice(0, limit);
  const withReference = process.argv.includes('--llm-reference');
  const judge = createLlmJudge(
    { config: { criteria: CRITERIA, use_reference: withReference, ...config } },
    { chatCaller: createOpenAIChatCaller({ client, model }) },
  );
  const items: JudgeItem[] = data.map((d, i) => ({
    id: String(i),
    input: d.question,
    output: d.answer,
    reference: d.reference,
  }));
  const started = performance.now();
  const results: JudgeResult[] = await judge.evaluateBatch(items);
  const seconds = (performance.now() - started) / 1000;
  const truth = data.map((d) => d.correct);
  // An item the judge could not score counts as a wrong verdict (it neither passed nor failed on merit).
  const predicted = results.map((r) => (r.error ? null : r.passed));
  const scores = results.map((r) => r.score ?? 0.5);
  let pairedWins = 0;
  let pairs = 0;
  for (let i = 0; i + 1 < data.length; i += 2) {
    if (data[i].question !== data[i + 1].question || data[i].correct === data[i + 1].correct) continue;
    const [right, wrong] = data[i].correct ? [scores[i], scores[i + 1]] : [scores[i + 1], scores[i]];
    pairs++;
    pairedWins += right > wrong ? 1 : right === wrong ? 0.5 : 0;
  }
  const errors = results.filter((r) => r.error).length;
  const weighted = results.filter((r) => String(r.details.scoring ?? '').includes('weighted')).length;
  const repaired = results.filter((r) => r.details.repaired).length;
  if (process.argv.includes('--llm-errors')) {
    results.forEach((r, i) => {
      console.error(
        `${label} #${i} ${data[i].correct ? 'right' : 'wrong'} score=${r.score?.toFixed(3) ?? 'error'} ` +
          `${r.error ?? JSON.stringify(r.details.weighted_criteria ?? r.details.criteria)} ${data[i].answer}`,
      );
    });
  }
  return [
    {
      judge: label,
      subset: `${data.length} answers, ${withReference ? 'with' : 'without'} reference`,
      n: data.length,
      metrics: {
        accuracy: accuracy(
          predicted.map((p, i) => (p === null ? !truth[i] : p)),
          truth,
        ),
        AUC: rocAuc(scores, truth),
        paired: pairs === 0 ? Number.NaN : pairedWins / pairs,
        errors,
        'weighted share': weighted / data.length,
        repaired,
      },
      itemsPerSecond: data.length / seconds,
    },
  ];
}

export const llmJudgeSection: QualitySection = {
  name: 'llm_judge',
  async run() {
    const rows: QualityRow[] = [];
    if (process.argv.includes('--skip-llm-judge')) return rows;
    if (!process.argv.includes('--llm-only-endpoint') && localLlmModelExists()) {
      const server = await startLocalLlmServer({ modelPath: localLlmModelPath(), port: 0 });
      try {
        const client = new OpenAI({ baseURL: server.url, apiKey: 'no-key', maxRetries: 0 });
        rows.push(
          ...(await judgeRows('llm_judge (local SmolLM2-135M, structured)', client, 'smollm2-135m-instruct', {
            structured_output: true,
            max_tokens: 200,
            concurrency: 2,
            timeout_ms: 300_000,
          })),
        );
      } finally {
        await server.close();
      }
    }
    const url = flag('--llm-url');
    if (url) {
      const model = flag('--llm-model');
      if (!model) throw new Error('--llm-url needs --llm-model');
      const keyEnv = flag('--llm-key-env');
      const apiKey = keyEnv ? process.env[keyEnv] : 'no-key';
      if (!apiKey) throw new Error(`--llm-key-env ${keyEnv}: the variable is not set`);
      const client = new OpenAI({ baseURL: url, apiKey, maxRetries: 2 });
      rows.push(
        ...(await judgeRows(`llm_judge (${model})`, client, model, {
          structured_output: process.argv.includes('--llm-structured'),
          concurrency: 4,
        })),
      );
    }
    return rows;
  },
};
