import { JUDGE_CATALOG } from './catalog.js';
import { type AssertionOptions as Assertion, assertionsOptions } from './config-schemas.js';
import { MAX_REGEX_INPUT_CHARS } from './format.js';
import { JudgeConfigError, type JudgeSettings, parseJudgeConfig } from './settings.js';
import { errorResult, type Judge, type JudgeItem, type JudgeResult, MISSING_REFERENCE } from './types.js';

/** Cheap deterministic checks. Score = share of assertions that hold; passing needs all (default threshold 1). */
export function createAssertionsJudge(settings: JudgeSettings = {}): Judge {
  const config = parseJudgeConfig(assertionsOptions, 'assertions', settings.config);
  const threshold = settings.threshold ?? JUDGE_CATALOG.assertions.defaultThreshold;
  const regexes = config.assertions.map((a) =>
    a.type === 'regex' && a.value !== undefined ? compile(a) : null,
  );

  const holds = (a: Assertion, k: number, output: string, expected: string): boolean => {
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
        return (regexes[k] ?? compile({ ...a, value: expected })).test(
          output.slice(0, MAX_REGEX_INPUT_CHARS),
        );
    }
  };

  return {
    type: 'assertions',
    kind: 'rule',
    modelInfo: () => null,
    async evaluateBatch(items: readonly JudgeItem[]): Promise<JudgeResult[]> {
      return items.map((item) => {
        if (
          config.assertions.some((a) => a.reference) &&
          (item.reference === null || item.reference === undefined)
        ) {
          return errorResult(`assertions with reference: true ${MISSING_REFERENCE}`);
        }
        try {
          const checks = config.assertions.map((a, k) => ({
            type: a.type,
            passed: holds(a, k, item.output, a.reference ? (item.reference as string) : (a.value as string)),
          }));
          const score = checks.filter((c) => c.passed).length / checks.length;
          return { score, passed: score >= threshold, details: { checks } };
        } catch (err) {
          // A reference used as a regex can be an invalid pattern: that sample errors, the batch goes on.
          return errorResult((err as Error).message);
        }
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
