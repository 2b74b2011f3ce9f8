import type { JsonSchemaResponseFormat } from './chat-caller.js';
import type { Criterion, Scale } from './prompts.js';
import { numberField, scoreFromText } from './verdict-parser.js';

export type Verdict<T> = { ok: true; value: T; reasoning: string | null } | { ok: false; error: string };

function asRecord(value: unknown): Record<string, unknown> | null {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;
}

function reasoningOf(o: Record<string, unknown> | null): string | null {
  const r = o?.reasoning ?? o?.reason ?? o?.explanation;
  return typeof r === 'string' ? r : null;
}

/** Criterion scores from any of the shapes models produce:
 * {criteria: {name: 4}}, {criteria: {name: {score: 4}}}, {criteria: [{name, score}]}, [{criterion, score}],
 * [{...verdict}], {score: 4} (one criterion, or the same score for all), or "score: 4" in plain text. */
export function pointwiseVerdict(
  parsed: unknown,
  rawText: string,
  criteria: Criterion[],
  scale: Scale,
): Verdict<Record<string, number>> {
  let root = parsed;
  if (Array.isArray(root) && root.length === 1 && asRecord(root[0])?.criteria !== undefined) root = root[0];
  const object = asRecord(root);
  const entries: Array<[string, unknown]> = [];
  const collect = (container: unknown) => {
    if (Array.isArray(container)) {
      for (const row of container) {
        const r = asRecord(row);
        const name = r?.name ?? r?.criterion;
        if (r && typeof name === 'string') entries.push([name, r.score ?? r.rating]);
      }
    } else {
      for (const [name, value] of Object.entries(asRecord(container) ?? {})) {
        entries.push([name, asRecord(value) ? (asRecord(value)!.score ?? asRecord(value)!.rating) : value]);
      }
    }
  };
  if (Array.isArray(root)) collect(root);
  else if (object?.criteria !== undefined) collect(object.criteria);
  else if (object?.scores !== undefined) collect(object.scores);

  const overall =
    numberField(object?.score ?? object?.rating) ?? (parsed === undefined ? scoreFromText(rawText) : null);
  const scores: Record<string, number> = {};
  for (const c of criteria) {
    const match = entries.find(([name]) => name.toLowerCase() === c.name.toLowerCase());
    const value = match ? numberField(match[1]) : overall;
    if (value === null) return { ok: false, error: `no score for criterion "${c.name}"` };
    if (value < scale.min || value > scale.max) {
      return { ok: false, error: `score ${value} for "${c.name}" is outside ${scale.min}..${scale.max}` };
    }
    scores[c.name] = value;
  }
  return { ok: true, value: scores, reasoning: reasoningOf(object) };
}

export type Winner = 'A' | 'B' | 'tie';

const WINNER_ALIASES: Record<string, Winner> = {
  a: 'A',
  '1': 'A',
  first: 'A',
  'response a': 'A',
  b: 'B',
  '2': 'B',
  second: 'B',
  'response b': 'B',
  tie: 'tie',
  draw: 'tie',
  equal: 'tie',
  none: 'tie',
  c: 'tie',
};

export function pairwiseVerdict(parsed: unknown, rawText: string): Verdict<Winner> {
  const object = asRecord(Array.isArray(parsed) ? parsed[0] : parsed);
  let raw = object?.winner ?? object?.better ?? object?.choice;
  if (raw === undefined && parsed === undefined)
    raw = /"?winner"?\s*[:=]\s*"?([A-Za-z0-9 ]+?)"?\s*[,}\n]/i.exec(rawText)?.[1];
  const winner =
    typeof raw === 'string' || typeof raw === 'number'
      ? WINNER_ALIASES[String(raw).trim().toLowerCase()]
      : undefined;
  if (!winner)
    return { ok: false, error: `no winner A, B or tie in reply (got ${JSON.stringify(raw ?? null)})` };
  return { ok: true, value: winner, reasoning: reasoningOf(object) };
}

/** Scales up to this many points list their values (`enum`); wider ones use minimum/maximum, which some
 * strict servers (older OpenAI strict mode) reject. */
export const MAX_ENUM_SCALE_POINTS = 21;

function scoreSchema(scale: Scale): Record<string, unknown> {
  const points = scale.max - scale.min + 1;
  return points <= MAX_ENUM_SCALE_POINTS
    ? { type: 'integer', enum: Array.from({ length: points }, (_, i) => scale.min + i) }
    : { type: 'integer', minimum: scale.min, maximum: scale.max };
}

/**
 * The pointwise verdict as a strict JSON Schema (OpenAI strict rules: all properties required, no extra
 * ones). Reasoning comes before the scores, as the prompt asks: the scores are decided after the model has
 * written why (G-Eval). Servers decode properties in schema order. A reply cut at max_tokens inside its
 * reasoning gets one repair call with `withReasoning: false`: the scores alone.
 */
export function pointwiseVerdictSchema(
  criteria: Criterion[],
  scale: Scale,
  withReasoning = true,
): JsonSchemaResponseFormat {
  const scores = {
    type: 'object',
    properties: Object.fromEntries(criteria.map((c) => [c.name, scoreSchema(scale)])),
    required: criteria.map((c) => c.name),
    additionalProperties: false,
  };
  return {
    name: withReasoning ? 'pointwise_verdict' : 'pointwise_scores',
    schema: {
      type: 'object',
      properties: withReasoning ? { reasoning: { type: 'string' }, criteria: scores } : { criteria: scores },
      required: withReasoning ? ['reasoning', 'criteria'] : ['criteria'],
      additionalProperties: false,
    },
  };
}

/** The pairwise verdict (what pairwiseVerdict reads), reasoning first for the same reason. */
export function pairwiseVerdictSchema(withReasoning = true): JsonSchemaResponseFormat {
  const winner = { type: 'string', enum: ['A', 'B', 'tie'] };
  return {
    name: withReasoning ? 'pairwise_verdict' : 'pairwise_winner',
    schema: {
      type: 'object',
      properties: withReasoning ? { reasoning: { type: 'string' }, winner } : { winner },
      required: withReasoning ? ['reasoning', 'winner'] : ['winner'],
      additionalProperties: false,
    },
  };
}
