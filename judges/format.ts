import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { JUDGE_CATALOG } from './catalog.js';
import { formatOptions, type MarkdownOptions } from './config-schemas.js';
import { testRegexes } from './safe-regex.js';
import { JudgeConfigError, type JudgeSettings, parseJudgeConfig } from './settings.js';
import { errorResult, type Judge, type JudgeItem, type JudgeResult } from './types.js';

/** User regexes only see this much of an output: bounds the cost of a pathological pattern. */
export const MAX_REGEX_INPUT_CHARS = 100_000;
const MAX_MESSAGE_CHARS = 300;
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

interface Check {
  name: string;
  passed: boolean;
  message?: string;
}

/** Rule-based format compliance, no model. Score = share of checks passed; passing needs all of them
 * unless the project lowers the threshold. */
export function createFormatJudge(settings: JudgeSettings = {}): Judge {
  const config = parseJudgeConfig(formatOptions, 'format', settings.config);
  const threshold = settings.threshold ?? JUDGE_CATALOG.format.defaultThreshold;
  const schema = config.json_schema ? compileSchema(config.json_schema) : null;
  const regex = config.regex ? compileRegex(config.regex, config.regex_flags) : null;

  /** `regexMatched`: the regex's verdict on this output, run off the main thread (safe-regex.ts). */
  const check = (output: string, regexMatched: boolean): Check[] => {
    const checks: Check[] = [];
    if (config.json || schema) {
      const parsed = parseJsonOutput(output);
      checks.push({ name: 'json', passed: parsed.ok, message: parsed.ok ? undefined : parsed.error });
      if (schema) {
        const valid = parsed.ok && schema(parsed.value);
        checks.push({
          name: 'json_schema',
          passed: Boolean(valid),
          message: valid ? undefined : parsed.ok ? schemaErrors(schema) : 'not JSON',
        });
      }
    }
    if (regex) {
      const passed = regexMatched;
      checks.push({
        name: 'regex',
        passed,
        message: passed ? undefined : `does not match /${regex.source}/`,
      });
    }
    const length = [...output].length;
    if (config.min_length !== undefined) {
      const passed = length >= config.min_length;
      checks.push({
        name: 'min_length',
        passed,
        message: passed ? undefined : `${length} < ${config.min_length} characters`,
      });
    }
    if (config.max_length !== undefined) {
      const passed = length <= config.max_length;
      checks.push({
        name: 'max_length',
        passed,
        message: passed ? undefined : `${length} > ${config.max_length} characters`,
      });
    }
    if (config.markdown) checks.push(...markdownChecks(output, config.markdown));
    return checks;
  };

  return {
    type: 'format',
    kind: 'rule',
    modelInfo: () => null,
    async evaluateBatch(items: readonly JudgeItem[]): Promise<JudgeResult[]> {
      const matches = regex
        ? await testRegexes(
            items.map((item) => ({
              source: regex.source,
              flags: regex.flags,
              input: item.output.slice(0, MAX_REGEX_INPUT_CHARS),
            })),
          )
        : [];
      return items.map((item, i) => {
        const match = matches[i];
        // A pattern that ran past its time limit on this output: an error naming it, not a stalled worker.
        if (match && 'error' in match) return errorResult(`format ${match.error}`);
        const checks = check(item.output, match?.matched ?? false);
        const score = checks.filter((c) => c.passed).length / checks.length;
        return { score, passed: score >= threshold, details: { checks } };
      });
    },
  };
}

function compileSchema(schema: Record<string, unknown>): ValidateFunction {
  const ajv = addFormats(new Ajv({ allErrors: true, strict: false }));
  try {
    return ajv.compile(schema);
  } catch (err) {
    throw new JudgeConfigError(`format json_schema is not a valid JSON Schema: ${(err as Error).message}`);
  }
}

function compileRegex(source: string, flags = ''): RegExp {
  try {
    return new RegExp(source, flags);
  } catch (err) {
    throw new JudgeConfigError(`format regex is invalid: ${(err as Error).message}`);
  }
}

function schemaErrors(validate: ValidateFunction): string {
  return (validate.errors ?? [])
    .map((e) => `${e.instancePath || '/'} ${e.message}`)
    .join('; ')
    .slice(0, MAX_MESSAGE_CHARS);
}

/** JSON, optionally wrapped in one Markdown code fence (models add them even when told not to). */
export function parseJsonOutput(output: string): { ok: true; value: unknown } | { ok: false; error: string } {
  const fenced = /^\s*```(?:json)?\s*\n([\s\S]*?)\n?```\s*$/i.exec(output);
  try {
    return { ok: true, value: JSON.parse(fenced ? fenced[1] : output) };
  } catch (err) {
    return { ok: false, error: (err as Error).message.slice(0, MAX_MESSAGE_CHARS) };
  }
}

function markdownChecks(output: string, want: MarkdownOptions): Check[] {
  const structure = markdownStructure(output);
  const checks: Check[] = [];
  for (const heading of want.headings ?? []) {
    const passed = structure.headings.some((h) => h.toLowerCase() === heading.toLowerCase());
    checks.push({
      name: `heading:${heading}`,
      passed,
      message: passed ? undefined : `no "${heading}" heading`,
    });
  }
  if (want.min_headings !== undefined) {
    const passed = structure.headings.length >= want.min_headings;
    checks.push({
      name: 'min_headings',
      passed,
      message: passed ? undefined : `${structure.headings.length} headings`,
    });
  }
  const presence = [
    ['lists', structure.lists, 'no list'],
    ['code_blocks', structure.codeBlocks, 'no fenced code block'],
    ['tables', structure.tables, 'no table'],
  ] as const;
  for (const [name, count, missing] of presence) {
    if (want[name]) checks.push({ name, passed: count > 0, message: count > 0 ? undefined : missing });
  }
  return checks;
}

/** Headings, lists, fenced code blocks and pipe tables; lines inside fences are code, not structure. */
export function markdownStructure(text: string): {
  headings: string[];
  lists: number;
  codeBlocks: number;
  tables: number;
} {
  const out = { headings: [] as string[], lists: 0, codeBlocks: 0, tables: 0 };
  let inFence = false;
  const lines = text.split(/\r?\n/);
  lines.forEach((line, i) => {
    if (/^\s*(```|~~~)/.test(line)) {
      if (!inFence) out.codeBlocks++;
      inFence = !inFence;
      return;
    }
    if (inFence) return;
    const heading = /^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$/.exec(line);
    if (heading) out.headings.push(heading[1]);
    else if (/^\s*(?:[-*+]|\d+[.)])\s+\S/.test(line)) out.lists++;
    else if (
      /^\s*\|.*\|\s*$/.test(line) &&
      /^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$/.test(lines[i + 1] ?? '')
    ) {
      out.tables++;
    }
  });
  return out;
}
