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
import type { ChatCaller, ChatMessage, JsonSchemaResponseFormat, TokenLogprob } from './chat-caller.js';
import { weightedScores } from './logprob-scores.js';
import { pairwisePrompt, pairwiseShape, pointwisePrompt, pointwiseShape, repairPrompt } from './prompts.js';
import { parseJsonLenient } from './verdict-parser.js';
import {
  pairwiseVerdict,
  pairwiseVerdictSchema,
  pointwiseVerdict,
  pointwiseVerdictSchema,
  type Verdict,
  type Winner,
} from './verdicts.js';

/** One try plus one repair per call; after that the item gets a recorded judge error. */
export const LLM_JUDGE_ATTEMPTS = 2;
const RAW_REPLY_KEPT_CHARS = 500;
/** Alternatives asked per token for probability-weighted scores: enough for every point of a 1-5 or 1-10
 * scale, within OpenAI's limit of 20. */
const MIN_TOP_LOGPROBS = 5;

type LlmJudgeConfig = z.infer<typeof llmJudgeOptions>;

interface CallOutcome<T> {
  verdict: Verdict<T>;
  usage: JudgeUsage;
  attempts: number;
  raw: string;
  /** The verdict came from the repair call (the first reply, e.g. cut in its reasoning, is `firstReply`). */
  repaired: boolean;
  firstReply: string;
  /** Token log-probabilities of the reply the verdict came from, when the server returned them. */
  logprobs: TokenLogprob[] | null;
}

/** What one verdict needs: the prompt, its schema, the verdict shape without reasoning for the repair call,
 * and the reader. */
interface VerdictRequest<T> {
  messages: ChatMessage[];
  format?: JsonSchemaResponseFormat;
  repairFormat?: JsonSchemaResponseFormat;
  repairShape: string;
  read: (parsed: unknown, raw: string) => Verdict<T>;
  logprobs?: { top: number };
}

/**
 * LLM-as-judge. Pointwise: G-Eval style criteria scored on a scale, reasoning first, then the scores;
 * score = weighted mean rescaled to [0, 1], each criterion probability-weighted when the server returns
 * logprobs. Pairwise: the output against the reference, asked twice with positions swapped (win 1, tie 0.5,
 * loss 0, averaged), so a judge that always prefers one position scores 0.5 and is flagged inconsistent.
 * An unusable reply gets one repair call asking for the verdict JSON alone (counted in usage).
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

  const judgeOne = async (item: JudgeItem, scoped: ChatCaller): Promise<JudgeResult> => {
    const result =
      config.mode === 'pairwise'
        ? await pairwise(scoped, config, item, threshold)
        : await pointwise(scoped, config, item, threshold);
    // A small judge model's verdicts are shown as a demonstration, never as judgement.
    return config.demonstration ? { ...result, details: { ...result.details, demonstration: true } } : result;
  };

  return {
    type: 'llm_judge',
    kind: 'llm',
    modelInfo: () => ({ modelId: caller.model, revision: null, dtype: null, device: 'none' }),
    evaluateBatch: (items, options = {}) => {
      const { signal } = options;
      const scoped = signal ? callerUntil(caller, signal) : caller;
      // Once aborted no item starts (its placeholder is discarded by the caller with the rest).
      return mapWithConcurrency(items, config.concurrency, (item) =>
        signal?.aborted ? Promise.resolve(errorResult(CANCELLED)) : judgeOne(item, scoped),
      );
    },
  };
}

const CANCELLED = 'llm_judge: cancelled before this item was judged';

/** The caller with `signal` added to every call's own: an abort ends calls in flight and refuses new ones
 * (a repair attempt included), so no model call is paid for after it. */
function callerUntil(caller: ChatCaller, signal: AbortSignal): ChatCaller {
  return {
    ...caller,
    call: (messages, options = {}) => {
      if (signal.aborted) return Promise.reject(new Error('cancelled'));
      return caller.call(messages, {
        ...options,
        signal: options.signal ? AbortSignal.any([options.signal, signal]) : signal,
      });
    },
  };
}

async function pointwise(
  caller: ChatCaller,
  config: LlmJudgeConfig,
  item: JudgeItem,
  threshold: number,
): Promise<JudgeResult> {
  const { criteria, scale } = config;
  const messages = pointwisePrompt({
    rubric: config.rubric,
    criteria,
    steps: config.evaluation_steps,
    scale,
    input: item.input,
    reference: config.use_reference ? item.reference : null,
    output: item.output,
  });
  const points = scale.max - scale.min + 1;
  const outcome = await callForVerdict(caller, config, {
    messages,
    format: config.structured_output ? pointwiseVerdictSchema(criteria, scale) : undefined,
    repairFormat: config.structured_output ? pointwiseVerdictSchema(criteria, scale, false) : undefined,
    repairShape: pointwiseShape(criteria, scale, false),
    read: (parsed, raw) => pointwiseVerdict(parsed, raw, criteria, scale),
    ...(config.logprobs && { logprobs: { top: Math.max(MIN_TOP_LOGPROBS, Math.min(points, 20)) } }),
  });
  if (!outcome.verdict.ok) return judgeError(outcome);
  const scores = outcome.verdict.value;
  const weighted = outcome.logprobs
    ? weightedScores(
        outcome.logprobs,
        criteria.map((c) => c.name),
        scale,
      )
    : {};
  const used = Object.fromEntries(criteria.map((c) => [c.name, weighted[c.name]?.value ?? scores[c.name]]));
  const weightedNames = criteria.filter((c) => weighted[c.name]).map((c) => c.name);
  const totalWeight = criteria.reduce((s, c) => s + c.weight, 0);
  const score = unitScore(
    criteria.reduce((s, c) => s + (c.weight * (used[c.name] - scale.min)) / (scale.max - scale.min), 0) /
      totalWeight,
  );
  return {
    score,
    passed: score >= threshold,
    details: {
      criteria: scores,
      scale,
      reasoning: outcome.verdict.reasoning ?? (outcome.repaired ? clipReply(outcome.firstReply) : null),
      scoring:
        weightedNames.length === criteria.length
          ? 'probability_weighted'
          : weightedNames.length > 0
            ? 'partly_probability_weighted'
            : 'sampled',
      ...(weightedNames.length > 0 && {
        weighted_criteria: Object.fromEntries(weightedNames.map((n) => [n, round6(weighted[n]!.value)])),
        probability_mass: Object.fromEntries(weightedNames.map((n) => [n, round6(weighted[n]!.mass)])),
      }),
      attempts: outcome.attempts,
      ...(outcome.repaired && { repaired: true }),
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
  const ask = (first: string, second: string) =>
    callForVerdict(caller, config, {
      messages: pairwisePrompt({ rubric: config.rubric, input: item.input, first, second }),
      format: config.structured_output ? pairwiseVerdictSchema() : undefined,
      repairFormat: config.structured_output ? pairwiseVerdictSchema(false) : undefined,
      repairShape: pairwiseShape(false),
      read: (parsed, raw) => pairwiseVerdict(parsed, raw),
    });
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
      ...((asFirst.repaired || asSecond.repaired) && { repaired: true }),
    },
    usage,
  };
}

/**
 * The first call, and when its reply is unusable one more: a repair call that shows the model its own reply
 * and asks for the verdict JSON alone (its smaller schema when structured), or, when the first call failed
 * outright (error, timeout, empty reply), the same prompt again.
 */
async function callForVerdict<T>(
  caller: ChatCaller,
  config: LlmJudgeConfig,
  request: VerdictRequest<T>,
): Promise<CallOutcome<T>> {
  let usage: JudgeUsage = { inputTokens: 0, outputTokens: 0 };
  let verdict: Verdict<T> = { ok: false, error: 'not called' };
  let raw = '';
  let firstReply = '';
  let repaired = false;
  let logprobs: TokenLogprob[] | null = null;
  let attempt = 0;
  while (attempt < LLM_JUDGE_ATTEMPTS) {
    attempt++;
    const repair = attempt > 1 && raw.trim() !== '';
    const prompt = repair
      ? repairPrompt(request.messages, raw, verdict.ok ? '' : verdict.error, request.repairShape)
      : request.messages;
    const responseFormat = repair ? request.repairFormat : request.format;
    try {
      const reply = await withDeadline(config.timeout_ms, (signal) =>
        caller.call(prompt, {
          temperature: config.temperature,
          maxTokens: config.max_tokens,
          signal,
          ...(responseFormat && { responseFormat }),
          ...(request.logprobs && { logprobs: request.logprobs }),
        }),
      );
      usage = addUsage(usage, {
        inputTokens: reply.inputTokens ?? 0,
        outputTokens: reply.outputTokens ?? 0,
        ...(reply.costUsd != null && { costUsd: reply.costUsd }),
      });
      raw = reply.text;
      if (attempt === 1) firstReply = reply.text;
      repaired = repair;
      logprobs = reply.logprobs ?? null;
      const parsed = parseJsonLenient(reply.text);
      verdict = request.read(parsed.ok ? parsed.value : undefined, reply.text);
      if (!verdict.ok && reply.finishReason === 'length')
        verdict = { ok: false, error: `${verdict.error} (reply cut at max_tokens)` };
    } catch (err) {
      raw = '';
      logprobs = null;
      verdict = { ok: false, error: `judge call failed: ${(err as Error).message}` };
    }
    if (verdict.ok) break;
  }
  return { verdict, usage, attempts: attempt, raw, repaired: verdict.ok && repaired, firstReply, logprobs };
}

function clipReply(text: string): string {
  return text.length <= RAW_REPLY_KEPT_CHARS ? text : `${text.slice(0, RAW_REPLY_KEPT_CHARS)}…`;
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
