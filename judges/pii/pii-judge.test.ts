import { beforeAll, describe, expect, it } from 'vitest';
import { runJudgeConformance } from '../testing/conformance.case.js';
import { requireModels, TEST_MODELS } from '../testing/test-models.js';
import { createPiiJudge } from './pii-judge.js';

beforeAll(() => requireModels(TEST_MODELS.ner, TEST_MODELS.piiNer));

runJudgeConformance({
  name: 'pii',
  create: () => createPiiJudge({ config: { model: TEST_MODELS.ner } }),
  reportsTruncation: true,
});

interface Finding {
  type: string;
  start: number;
  end: number;
  source: string;
  redacted: string;
}

describe('PII judge (Rampart NER model)', () => {
  const judge = createPiiJudge();

  it('fails an output with an SSN and passes a clean one', async () => {
    const [ssn, clean] = await judge.evaluateBatch([
      { id: 'a', output: 'Sure, the SSN on file is 123-45-6789.' },
      { id: 'b', output: 'Your order has shipped and will arrive on Tuesday.' },
    ]);
    expect(ssn).toMatchObject({ score: 0, passed: false });
    expect(ssn.details.types).toEqual(['ssn']);
    expect(clean).toMatchObject({ score: 1, passed: true, details: { findings: [] } });
  });

  it('finds names and places with the NER model, with spans into the original text', async () => {
    const text = 'Please forward this to Zoë Ødegaard in São Paulo.';
    const [r] = await judge.evaluateBatch([{ id: 'a', output: text }]);
    const findings = r.details.findings as Finding[];
    const byType = Object.fromEntries(findings.map((f) => [f.type, text.slice(f.start, f.end)]));
    expect(byType).toMatchObject({ person_name: 'Zoë Ødegaard', location: 'São Paulo' });
    expect(findings.every((f) => f.source === 'ner')).toBe(true);
    expect(r.details.redacted_output).toBe('Please forward this to [PERSON_NAME] in [LOCATION].');
    expect(JSON.stringify(r.details.findings)).not.toContain('Ødegaard');
  });

  it('lets validated patterns win over the model on the same characters', async () => {
    const text = 'Write to maria.garcia@example.com today.';
    const [r] = await judge.evaluateBatch([{ id: 'a', output: text }]);
    const onAddress = (r.details.findings as Finding[]).filter((f) => f.start < 33 && f.end > 9);
    expect(onAddress).toEqual([
      expect.objectContaining({ type: 'email', source: 'regex', start: 9, end: 33 }),
    ]);
  });

  it('finds an entity beyond the first NER window', async () => {
    const text = `${'The delivery schedule is unchanged. '.repeat(30)}Ask for John Smith at the front desk.`;
    const [r] = await judge.evaluateBatch([{ id: 'a', output: text }]);
    const names = (r.details.findings as Finding[]).filter((f) => f.type === 'person_name');
    expect(names.map((f) => text.slice(f.start, f.end))).toEqual(['John Smith']);
  });

  it('skips ignored types and can run on patterns alone', async () => {
    const regexOnly = createPiiJudge({ config: { ner: false, ignore_types: ['email'] } });
    const [r] = await regexOnly.evaluateBatch([
      { id: 'a', output: 'John Smith, john@example.com, 123-45-6789' },
    ]);
    expect(r.details.types).toEqual(['ssn']);
    expect(regexOnly.modelInfo()).toBeNull();
  });

  it('scans the input too when configured, saying where each finding is', async () => {
    const item = {
      id: 'a',
      input: "My order hasn't arrived. My SSN is 123-45-6789.",
      output: 'Sorry about that, John Smith: I will check the order.',
    };
    const [outputOnly] = await judge.evaluateBatch([item]);
    expect((outputOnly.details.findings as Finding[]).map((f) => f.type)).toEqual(['person_name']);
    expect(outputOnly.details).not.toHaveProperty('redacted_input');

    const both = createPiiJudge({ config: { scan: ['input', 'output'] } });
    const [r] = await both.evaluateBatch([
      item,
      { id: 'b', input: 'Where is my parcel?', output: 'On its way.' },
    ]);
    const findings = r.details.findings as Array<Finding & { field: string }>;
    expect(findings.map((f) => [f.field, f.type])).toEqual([
      ['input', 'ssn'],
      ['output', 'person_name'],
    ]);
    const ssn = findings[0];
    expect(item.input.slice(ssn.start, ssn.end)).toBe('123-45-6789');
    expect(r.details.redacted_input).toBe("My order hasn't arrived. My SSN is [SSN].");
    expect(r.details.redacted_output).toBe('Sorry about that, [PERSON_NAME]: I will check the order.');
    expect(JSON.stringify(r.details)).not.toContain('6789');
    const clean = (
      await both.evaluateBatch([{ id: 'b', input: 'Where is my parcel?', output: 'On its way.' }])
    )[0];
    expect(clean).toMatchObject({ passed: true, score: 1 });
  });
});
