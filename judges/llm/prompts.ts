import type { ChatMessage } from './chat-caller.js';

/** Each quoted field is cut to this many characters: a huge output is judged on its start, never sent whole. */
export const MAX_PROMPT_FIELD_CHARS = 12_000;

export interface Criterion {
  name: string;
  description: string;
  weight: number;
}

export interface Scale {
  min: number;
  max: number;
}

export function clip(text: string): string {
  return text.length <= MAX_PROMPT_FIELD_CHARS
    ? text
    : `${text.slice(0, MAX_PROMPT_FIELD_CHARS)}\n[… truncated]`;
}

function section(title: string, body: string | null | undefined): string {
  return body === null || body === undefined ? '' : `[${title}]\n${clip(body)}\n[END ${title}]\n\n`;
}

/** The verdict shape a pointwise reply must have: reasoning first, with placeholders rather than example
 * values (a small model copies example values). */
export function pointwiseShape(criteria: Criterion[], scale: Scale, withReasoning = true): string {
  const placeholder = `<integer ${scale.min}-${scale.max}>`;
  const scores = `"criteria": {${criteria.map((c) => `${JSON.stringify(c.name)}: ${placeholder}`).join(', ')}}`;
  return withReasoning ? `{"reasoning": "${REASONING_PLACEHOLDER}", ${scores}}` : `{${scores}}`;
}

const REASONING_PLACEHOLDER = '<one or two short sentences>';

/**
 * G-Eval style: criteria with descriptions, explicit evaluation steps, then the reply: reasoning first and
 * the scores after it, so the scores follow from the reasoning (and, with `logprobs`, are read as a
 * probability-weighted mean at the score token). The reasoning is asked to stay short; a reply cut at
 * max_tokens before its scores gets one repair call that asks for the scores alone (repairPrompt).
 */
export function pointwisePrompt(opts: {
  rubric?: string;
  criteria: Criterion[];
  steps?: string[];
  scale: Scale;
  input?: string | null;
  reference?: string | null;
  output: string;
}): ChatMessage[] {
  const criteria = opts.criteria.map((c) => `- ${c.name}: ${c.description}`).join('\n');
  const steps = (opts.steps ?? DEFAULT_STEPS).map((s, i) => `${i + 1}. ${s}`).join('\n');
  const system =
    'You are an impartial evaluator of AI assistant responses.\n' +
    (opts.rubric ? `Rubric:\n${opts.rubric}\n\n` : '') +
    `Score the RESPONSE on each criterion with an integer from ${opts.scale.min} (worst) to ${opts.scale.max} (best).\n` +
    `Criteria:\n${criteria}\n\nEvaluation steps:\n${steps}\n\n` +
    'Reply with only a JSON object, no code fence and no other text, in this shape (reasoning first, then the scores):\n' +
    pointwiseShape(opts.criteria, opts.scale);
  const user =
    section('QUESTION', opts.input) +
    section('REFERENCE ANSWER', opts.reference) +
    section('RESPONSE', opts.output);
  return [
    { role: 'system', content: system },
    { role: 'user', content: user.trimEnd() },
  ];
}

export const DEFAULT_STEPS = [
  'Read the question and, if given, the reference answer.',
  'Read the response and check it against each criterion.',
  'Write your reasoning in one or two short sentences, then give each criterion its score.',
];

/** The pairwise verdict's shape, reasoning first. */
export function pairwiseShape(withReasoning = true): string {
  const winner = '"winner": "A" | "B" | "tie"';
  return withReasoning ? `{"reasoning": "${REASONING_PLACEHOLDER}", ${winner}}` : `{${winner}}`;
}

/** Two answers, labelled A and B; the caller asks twice with the positions swapped. */
export function pairwisePrompt(opts: {
  rubric?: string;
  input?: string | null;
  first: string;
  second: string;
}): ChatMessage[] {
  const system =
    'You are an impartial judge comparing two AI assistant responses to the same question.\n' +
    (opts.rubric ? `Rubric:\n${opts.rubric}\n\n` : '') +
    'Judge which response is better. Do not let the order of the responses, their length or their style ' +
    'influence you. Reply with only a JSON object, no code fence and no other text, in this shape ' +
    '(reasoning first, then the winner):\n' +
    pairwiseShape();
  const user =
    section('QUESTION', opts.input) + section('RESPONSE A', opts.first) + section('RESPONSE B', opts.second);
  return [
    { role: 'system', content: system },
    { role: 'user', content: user.trimEnd() },
  ];
}

/** Kept of an unusable first reply when it is shown back to the model in the repair call. */
const REPAIR_REPLY_CHARS = 2_000;

/**
 * The one repair call after an unusable reply: the same task, the model's own first reply (its reasoning,
 * when it ran out of tokens or strayed from the shape), what was wrong, and a request for the verdict JSON
 * alone (`shape`, without reasoning), so it fits any token budget. Still one system and one user message.
 */
export function repairPrompt(
  messages: ChatMessage[],
  previousReply: string,
  problem: string,
  shape: string,
): ChatMessage[] {
  const [system, user] = messages;
  const reply = previousReply.trim();
  const shown =
    reply === ''
      ? ''
      : `\n\n[YOUR PREVIOUS REPLY]\n${reply.length > REPAIR_REPLY_CHARS ? `${reply.slice(0, REPAIR_REPLY_CHARS)} [… cut]` : reply}\n[END YOUR PREVIOUS REPLY]`;
  return [
    system,
    {
      role: 'user',
      content:
        `${user.content}${shown}\n\n(Your previous reply could not be used: ${problem}. ` +
        `Reply now with only the JSON object, without reasoning, in this shape: ${shape})`,
    },
  ];
}
