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

/** G-Eval style: criteria with descriptions, explicit evaluation steps, reasoning before the scores. */
export function pointwisePrompt(opts: {
  rubric?: string;
  criteria: Criterion[];
  steps?: string[];
  scale: Scale;
  input?: string | null;
  reference?: string | null;
  output: string;
  /**
   * The reply is constrained to the verdict schema (verdicts.ts): scores first, and the shape shows
   * placeholders, not example values, which a small model copies when decoding cannot go wrong anyway.
   */
  structured?: boolean;
}): ChatMessage[] {
  const criteria = opts.criteria.map((c) => `- ${c.name}: ${c.description}`).join('\n');
  const defaultSteps = opts.structured ? SCORES_FIRST_STEPS : DEFAULT_STEPS;
  const steps = (opts.steps ?? defaultSteps).map((s, i) => `${i + 1}. ${s}`).join('\n');
  const example = Object.fromEntries(opts.criteria.map((c) => [c.name, opts.scale.max]));
  const placeholder = `<integer ${opts.scale.min}-${opts.scale.max}>`;
  const shape = opts.structured
    ? `{"criteria": {${opts.criteria.map((c) => `${JSON.stringify(c.name)}: ${placeholder}`).join(', ')}}, "reasoning": "<one short sentence>"}`
    : JSON.stringify({ reasoning: 'one or two sentences', criteria: example });
  const system =
    'You are an impartial evaluator of AI assistant responses.\n' +
    (opts.rubric ? `Rubric:\n${opts.rubric}\n\n` : '') +
    `Score the RESPONSE on each criterion with an integer from ${opts.scale.min} (worst) to ${opts.scale.max} (best).\n` +
    `Criteria:\n${criteria}\n\nEvaluation steps:\n${steps}\n\n` +
    'Reply with only a JSON object, no code fence and no other text, in this shape:\n' +
    shape;
  const user =
    section('QUESTION', opts.input) +
    section('REFERENCE ANSWER', opts.reference) +
    section('RESPONSE', opts.output);
  return [
    { role: 'system', content: system },
    { role: 'user', content: user.trimEnd() },
  ];
}

const DEFAULT_STEPS = [
  'Read the question and, if given, the reference answer.',
  'Read the response and check it against each criterion.',
  'Write your reasoning briefly, then give each criterion its score.',
];

const SCORES_FIRST_STEPS = [
  DEFAULT_STEPS[0],
  DEFAULT_STEPS[1],
  'Give each criterion its score, then say why in one short sentence.',
];

/** Two answers, labelled A and B; the caller asks twice with the positions swapped. */
export function pairwisePrompt(opts: {
  rubric?: string;
  input?: string | null;
  first: string;
  second: string;
  /** Constrained to the verdict schema: the winner first. */
  structured?: boolean;
}): ChatMessage[] {
  const shape = opts.structured
    ? '{"winner": "A" | "B" | "tie", "reasoning": "<one short sentence>"}'
    : JSON.stringify({ reasoning: 'one or two sentences', winner: 'A | B | tie' });
  const system =
    'You are an impartial judge comparing two AI assistant responses to the same question.\n' +
    (opts.rubric ? `Rubric:\n${opts.rubric}\n\n` : '') +
    'Judge which response is better. Do not let the order of the responses, their length or their style ' +
    'influence you. Reply with only a JSON object, no code fence and no other text, in this shape:\n' +
    shape;
  const user =
    section('QUESTION', opts.input) + section('RESPONSE A', opts.first) + section('RESPONSE B', opts.second);
  return [
    { role: 'system', content: system },
    { role: 'user', content: user.trimEnd() },
  ];
}

/** The retry: same prompt, plus why the last reply could not be used. */
export function withCorrection(messages: ChatMessage[], problem: string): ChatMessage[] {
  const [system, user] = messages;
  return [
    system,
    {
      role: 'user',
      content: `${user.content}\n\n(Your previous reply could not be used: ${problem}. Reply with only the JSON object.)`,
    },
  ];
}
