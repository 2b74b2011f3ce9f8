import type { z } from 'zod';
import { JUDGE_CATALOG, LLM_JUDGE_PAIRWISE_DEFAULT_THRESHOLD } from '../catalog.js';
import { mapWithConcurrency } from '../concurrency.js';
import { llmJudgeOptions } from '../config-schemas.js';
import { JudgeConfigError, type JudgeDeps, type JudgeSettings, parseJudgeConfig } from '../settings.js';
import {
  errorResult,
  hasReference,
  type Judge,
  type JudgeItem,
  type JudgeResult,
  type JudgeUsage,
  MISSING_REFERENCE,
  round6,
  unitScore,
} from '../types.js';
import type { ChatCaller, ChatMessage, JsonSchemaResponseFormat } from './chat-caller.js';
import { pairwisePrompt, pointwisePrompt, withCorrection } from './prompts.js';
import { parseJsonLenient } from './verdict-parser.js';
import {
  pairwiseVerdict,
  pairwiseVerdictSchema,
  pointwiseVerdict,
  pointwiseVerdictSchema,
  type Verdict,
  type Winner,
} from './verdicts.js';

/** One try plus one retry per call; after that the item gets a recorded judge error. */
export const LLM_JUDGE_ATTEMPTS = 2;
const RAW_REPLY_KEPT_CHARS = 500;

type LlmJudgeConfig = z.infer<typeof llmJudgeOptions>;

interface CallOutcome<T> {
  verdict: Verdict<T>;
  usage: JudgeUsage;
  attempts: number;
  raw: string;
}

/**
 * LLM-as-judge. Pointwise: G-Eval style criteria scored on a scale, score = weighted mean rescaled to [0, 1].
 * Pairwise: the output against the reference, asked twice with positions swapped (win 1, tie 0.5, loss 0,
 * averaged), so a judge that always prefers one position scores 0.5 and is flagged inconsistent.
 */
export function createLlmJudge(settings: JudgeSettings = {}, deps: JudgeDeps = {}): Judge {
  const config = parseJudgeConfig(llmJudgeOptions, 'llm_judge', settings.config);
  const caller = deps.chatCaller;
  if (!caller)
    throw new JudgeConfigError('llm_judge needs a judge model endpoint (no ChatCaller configured)');
  const threshold =
    settings.threshold ??
    (config.mode === 'pairwise'
      ? LLM_JUDGE_PAIRWISE_DEFAULT_THRESHOLD
      : JUDGE_CATALOG.llm_judge.defaultThreshold);

  const judgeOne = (item: JudgeItem): Promise<JudgeResult> =>
    config.mode === 'pairwise'
      ? pairwise(caller, config, item, threshold)
      : pointwise(caller, config, item, threshold);

  return {
    type: 'llm_judge',
    kind: 'llm',
    modelInfo: () => ({ modelId: caller.model, revision: null, dtype: null, device: 'none' }),
    evaluateBatch: (items) => mapWithConcurrency(items, config.concurrency, judgeOne),
  };
}

async function pointwise(
  caller: ChatCaller,
  config: LlmJudgeConfig,
  item: JudgeItem,
  threshold: number,
): Promise<JudgeResult> {
  const messages = pointwisePrompt({
    rubric: config.rubric,
    criteria: config.criteria,
    steps: config.evaluation_steps,
    scale: config.scale,
    input: item.input,
    reference: config.use_reference ? item.reference : null,
    output: item.output,
    structured: config.structured_output,
  });
  const format = config.structured_output ? pointwiseVerdictSchema(config.criteria, config.scale) : undefined;
  const outcome = await callForVerdict(caller, config, messages, format, (parsed, raw) =>
    pointwiseVerdict(parsed, raw, config.criteria, config.scale),
  );
  if (!outcome.verdict.ok) return judgeError(outcome);
  const { min, max } = config.scale;
  const totalWeight = config.criteria.reduce((s, c) => s + c.weight, 0);
  const scores = outcome.verdict.value;
  const score = unitScore(
    config.criteria.reduce((s, c) => s + (c.weight * (scores[c.name] - min)) / (max - min), 0) / totalWeight,
  );
  return {
    score,
    passed: score >= threshold,
    details: {
      criteria: scores,
      scale: config.scale,
      reasoning: outcome.verdict.reasoning,
      attempts: outcome.attempts,
    },
    usage: outcome.usage,
  };
}

const WIN_POINTS: Record<Winner, number> = { A: 1, tie: 0.5, B: 0 };

async function pairwise(
  caller: ChatCaller,
  config: LlmJudgeConfig,
  item: JudgeItem,
  threshold: number,
): Promise<JudgeResult> {
  if (!hasReference(item)) return errorResult(`llm_judge pairwise ${MISSING_REFERENCE}`);
  const parse = (parsed: unknown, raw: string) => pairwiseVerdict(parsed, raw);
  const format = config.structured_output ? pairwiseVerdictSchema() : undefined;
  const ask = (first: string, second: string) =>
    callForVerdict(
      caller,
      config,
      pairwisePrompt({
        rubric: config.rubric,
        input: item.input,
        first,
        second,
        structured: config.structured_output,
      }),
      format,
      parse,
    );
  // Output first, then reference first: position bias shows up as disagreement between the two.
  const [asFirst, asSecond] = await Promise.all([
    ask(item.output, item.reference),
    ask(item.reference, item.output),
  ]);
  const usage = addUsage(asFirst.usage, asSecond.usage);
  for (const outcome of [asFirst, asSecond])
    if (!outcome.verdict.ok) return judgeError({ ...outcome, usage });
  if (!asFirst.verdict.ok || !asSecond.verdict.ok) throw new Error('unreachable');
  const pointsFirst = WIN_POINTS[asFirst.verdict.value];
  const pointsSecond = 1 - WIN_POINTS[asSecond.verdict.value];
  const score = round6((pointsFirst + pointsSecond) / 2);
  return {
    score,
    passed: score >= threshold,
    details: {
      verdicts: { output_first: asFirst.verdict.value, output_second: asSecond.verdict.value },
      // Both orders must agree on the output's result; otherwise the judge followed positions, not content.
      consistent: pointsFirst === pointsSecond,
      reasoning: [asFirst.verdict.reasoning, asSecond.verdict.reasoning],
      attempts: asFirst.attempts + asSecond.attempts,
    },
    usage,
  };
}

async function callForVerdict<T>(
  caller: ChatCaller,
  config: LlmJudgeConfig,
  messages: ChatMessage[],
  responseFormat: JsonSchemaResponseFormat | undefined,
  read: (parsed: unknown, raw: string) => Verdict<T>,
): Promise<CallOutcome<T>> {
  let usage: JudgeUsage = { inputTokens: 0, outputTokens: 0 };
  let verdict: Verdict<T> = { ok: false, error: 'not called' };
  let raw = '';
  let attempt = 0;
  while (attempt < LLM_JUDGE_ATTEMPTS) {
    attempt++;
    const prompt =
      attempt === 1 || raw === '' ? messages : withCorrection(messages, verdict.ok ? '' : verdict.error);
    try {
      const reply = await withDeadline(config.timeout_ms, (signal) =>
        caller.call(prompt, {
          temperature: config.temperature,
          maxTokens: config.max_tokens,
          signal,
          ...(responseFormat && { responseFormat }),
        }),
      );
      usage = addUsage(usage, {
        inputTokens: reply.inputTokens ?? 0,
        outputTokens: reply.outputTokens ?? 0,
        ...(reply.costUsd != null && { costUsd: reply.costUsd }),
      });
      raw = reply.text;
      const parsed = parseJsonLenient(reply.text);
      verdict = read(parsed.ok ? parsed.value : undefined, reply.text);
      if (!verdict.ok && reply.finishReason === 'length')
        verdict = { ok: false, error: `${verdict.error} (reply cut at max_tokens)` };
    } catch (err) {
      raw = '';
      verdict = { ok: false, error: `judge call failed: ${(err as Error).message}` };
    }
    if (verdict.ok) break;
  }
  return { verdict, usage, attempts: attempt, raw };
}

function judgeError<T>(outcome: CallOutcome<T>): JudgeResult {
  const error = outcome.verdict.ok ? 'unknown' : outcome.verdict.error;
  return {
    ...errorResult(`llm_judge: ${error} (after ${outcome.attempts} attempts)`, {
      raw_reply: outcome.raw.slice(0, RAW_REPLY_KEPT_CHARS),
      attempts: outcome.attempts,
    }),
    usage: outcome.usage,
  };
}

/** Aborts the call at the deadline and stops waiting even if the caller ignores its signal. */
async function withDeadline<T>(ms: number, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new Error(`timed out after ${ms} ms`));
    }, ms);
  });
  try {
    return await Promise.race([run(controller.signal), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

function addUsage(a: JudgeUsage, b: JudgeUsage): JudgeUsage {
  const sum: JudgeUsage = {
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
  };
  if (a.costUsd !== undefined || b.costUsd !== undefined) sum.costUsd = (a.costUsd ?? 0) + (b.costUsd ?? 0);
  return sum;
}
