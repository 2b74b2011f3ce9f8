import { JUDGE_CATALOG } from './catalog.js';
import { type AssertionOptions as Assertion, assertionsOptions } from './config-schemas.js';
import { MAX_REGEX_INPUT_CHARS } from './format.js';
import { type RegexOutcome, testRegexes } from './safe-regex.js';
import { JudgeConfigError, type JudgeSettings, parseJudgeConfig } from './settings.js';
import { errorResult, type Judge, type JudgeItem, type JudgeResult, MISSING_REFERENCE } from './types.js';

/** Cheap deterministic checks. Score = share of assertions that hold; passing needs all (default threshold 1). */
export function createAssertionsJudge(settings: JudgeSettings = {}): Judge {
  const config = parseJudgeConfig(assertionsOptions, 'assertions', settings.config);
  const threshold = settings.threshold ?? JUDGE_CATALOG.assertions.defaultThreshold;
  // Configured patterns are checked here (a bad one is a config error); they run in safe-regex's thread.
  for (const a of config.assertions) if (a.type === 'regex' && a.value !== undefined) compile(a);

  /** `regexMatched`: the verdict of this assertion's regex on this output, when it is a regex. */
  const holds = (a: Assertion, output: string, expected: string, regexMatched?: boolean): boolean => {
    const fold = (s: string) => (a.case_sensitive ? s : s.toLowerCase());
    const [got, want] = a.trim
      ? [fold(output.trim()), fold(expected.trim())]
      : [fold(output), fold(expected)];
    switch (a.type) {
      case 'equals':
        return got === want;
      case 'contains':
        return got.includes(want);
      case 'not_contains':
        return !got.includes(want);
      case 'starts_with':
        return got.startsWith(want);
      case 'ends_with':
        return got.endsWith(want);
      case 'regex':
        return regexMatched === true;
    }
  };

  return {
    type: 'assertions',
    kind: 'rule',
    modelInfo: () => null,
    async evaluateBatch(items: readonly JudgeItem[]): Promise<JudgeResult[]> {
      const missingReference = (item: JudgeItem) =>
        config.assertions.some((a) => a.reference) &&
        (item.reference === null || item.reference === undefined);
      const expected = (a: Assertion, item: JudgeItem) =>
        a.reference ? (item.reference as string) : (a.value as string);
      // Every (item, regex assertion) pair in one batch for the regex thread.
      const tasks: Array<{ item: number; assertion: number }> = [];
      items.forEach((item, i) => {
        if (missingReference(item)) return;
        config.assertions.forEach((a, k) => {
          if (a.type === 'regex') tasks.push({ item: i, assertion: k });
        });
      });
      const outcomes = await testRegexes(
        tasks.map(({ item, assertion }) => {
          const a = config.assertions[assertion];
          return {
            source: expected(a, items[item]),
            flags: a.case_sensitive ? '' : 'i',
            input: items[item].output.slice(0, MAX_REGEX_INPUT_CHARS),
          };
        }),
      );
      const outcomeOf = new Map<string, RegexOutcome>();
      tasks.forEach((t, n) => {
        outcomeOf.set(`${t.item}:${t.assertion}`, outcomes[n]);
      });
      return items.map((item, i) => {
        if (missingReference(item)) {
          return errorResult(`assertions with reference: true ${MISSING_REFERENCE}`);
        }
        const regexOutcomes = config.assertions.map((_a, k) => outcomeOf.get(`${i}:${k}`));
        // A reference used as a regex can be an invalid pattern, and any pattern can run past its time
        // limit: that sample errors (naming the pattern), the batch goes on.
        const failed = regexOutcomes.find((o) => o !== undefined && 'error' in o);
        if (failed && 'error' in failed) return errorResult(`assertions ${failed.error}`);
        const checks = config.assertions.map((a, k) => {
          const outcome = regexOutcomes[k];
          const matched = outcome && 'matched' in outcome ? outcome.matched : undefined;
          return { type: a.type, passed: holds(a, item.output, expected(a, item), matched) };
        });
        const score = checks.filter((c) => c.passed).length / checks.length;
        return { score, passed: score >= threshold, details: { checks } };
      });
    },
  };
}

function compile(a: Assertion): RegExp {
  try {
    return new RegExp(a.value as string, a.case_sensitive ? '' : 'i');
  } catch (err) {
    throw new JudgeConfigError(`assertions regex is invalid: ${(err as Error).message}`);
  }
}
