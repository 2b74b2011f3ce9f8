import { fireEvent, render, screen, within } from '@solidjs/testing-library';
import { describe, expect, it, vi } from 'vitest';
import { fieldKind, type JsonSchema, newItem, SchemaForm } from './SchemaForm';

/** Shaped like GET /api/judges' config schemas (assertions, toxicity, format). */
const SCHEMA: JsonSchema = {
  type: 'object',
  properties: {
    assertions: {
      description: 'all must hold to pass',
      type: 'array',
      items: {
        type: 'object',
        properties: {
          type: { type: 'string', enum: ['equals', 'contains', 'regex'] },
          value: { type: 'string', description: 'the expected text' },
          case_sensitive: { type: 'boolean', default: true },
        },
        required: ['type'],
      },
    },
    rubric: { type: 'string', maxLength: 20000 },
    regex: { type: 'string' },
    batch_size: { type: 'integer', minimum: 1, maximum: 512 },
    min_pass_rate: { type: 'number', minimum: 0, maximum: 1 },
    on_error: { type: 'string', enum: ['fail', 'skip'], description: 'what an error counts as' },
    json: { type: 'boolean', description: 'the output must parse as JSON' },
    toxic_labels: { type: 'array', items: { type: 'string' } },
    json_schema: { type: 'object', additionalProperties: {} },
    markdown: {
      type: 'object',
      properties: { lists: { type: 'boolean' }, min_headings: { type: 'integer' } },
    },
  },
  additionalProperties: false,
};

const last = (fn: ReturnType<typeof vi.fn>) => fn.mock.calls.at(-1)?.[0];

describe('SchemaForm', () => {
  it('picks a control for each kind of property', () => {
    const p = SCHEMA.properties!;
    expect(fieldKind(p.assertions)).toBe('objects');
    expect(fieldKind(p.rubric)).toBe('text');
    expect(fieldKind(p.regex)).toBe('string');
    expect(fieldKind(p.batch_size)).toBe('number');
    expect(fieldKind(p.on_error)).toBe('enum');
    expect(fieldKind(p.json)).toBe('boolean');
    expect(fieldKind(p.toxic_labels)).toBe('strings');
    expect(fieldKind(p.json_schema)).toBe('json');
    expect(fieldKind(p.markdown)).toBe('object');
    expect(newItem(p.assertions.items!)).toEqual({ type: 'equals' });
  });

  it('labels every field, shows descriptions as hints, and leaves out omitted properties', () => {
    render(() => (
      <SchemaForm schema={SCHEMA} omit={['min_pass_rate']} onChange={() => {}} label="Judge settings" />
    ));
    const group = screen.getByRole('group', { name: 'Judge settings' });
    for (const label of [
      'Rubric',
      'Regex',
      'Batch size',
      'On error',
      'Json',
      'Toxic labels (one per line)',
    ]) {
      expect(within(group).getByLabelText(label)).toBeTruthy();
    }
    expect(screen.queryByLabelText('Min pass rate')).toBeNull();
    const onError = screen.getByLabelText('On error') as HTMLSelectElement;
    expect(document.getElementById(onError.getAttribute('aria-describedby')!)?.textContent).toBe(
      'what an error counts as.',
    );
    expect([...onError.options].map((o) => o.value)).toEqual(['', 'fail', 'skip']);
    expect(screen.getByLabelText('Batch size').getAttribute('min')).toBe('1');
  });

  it('reports only what was set: strings, numbers, enums, booleans, string lists, JSON', () => {
    const onChange = vi.fn();
    render(() => <SchemaForm schema={SCHEMA} onChange={onChange} />);
    fireEvent.input(screen.getByLabelText('Regex'), { target: { value: '^ok' } });
    fireEvent.input(screen.getByLabelText('Batch size'), { target: { value: '16' } });
    fireEvent.change(screen.getByLabelText('On error'), { target: { value: 'skip' } });
    fireEvent.click(screen.getByLabelText('Json'));
    fireEvent.change(screen.getByLabelText('Toxic labels (one per line)'), {
      target: { value: 'toxic\n\n insult \n' },
    });
    fireEvent.change(screen.getByLabelText('Json schema (JSON)'), { target: { value: '{"type":"object"}' } });
    fireEvent.click(screen.getByLabelText('Markdown lists'));
    expect(last(onChange)).toEqual({
      regex: '^ok',
      batch_size: 16,
      on_error: 'skip',
      json: true,
      toxic_labels: ['toxic', 'insult'],
      json_schema: { type: 'object' },
      markdown: { lists: true },
    });
    // Emptied fields go away again (the server's default applies).
    fireEvent.input(screen.getByLabelText('Regex'), { target: { value: '' } });
    fireEvent.input(screen.getByLabelText('Batch size'), { target: { value: '' } });
    fireEvent.change(screen.getByLabelText('On error'), { target: { value: '' } });
    expect(last(onChange)).not.toHaveProperty('regex');
    expect(last(onChange)).not.toHaveProperty('batch_size');
    expect(last(onChange)).not.toHaveProperty('on_error');
  });

  it('flags JSON that does not parse and keeps the last good value', () => {
    const onChange = vi.fn();
    render(() => <SchemaForm schema={SCHEMA} onChange={onChange} />);
    const box = screen.getByLabelText('Json schema (JSON)');
    fireEvent.change(box, { target: { value: '{nope' } });
    expect(box.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByText('not valid JSON')).toBeTruthy();
    expect(onChange).not.toHaveBeenCalled();
  });

  it('adds, edits and removes items of an array of objects', () => {
    const onChange = vi.fn();
    render(() => <SchemaForm schema={SCHEMA} onChange={onChange} />);
    fireEvent.click(screen.getByRole('button', { name: 'Add assertions item' }));
    fireEvent.click(screen.getByRole('button', { name: 'Add assertions item' }));
    expect(last(onChange)).toEqual({ assertions: [{ type: 'equals' }, { type: 'equals' }] });
    fireEvent.change(screen.getByLabelText('Assertions 1 type'), { target: { value: 'contains' } });
    fireEvent.input(screen.getByLabelText('Assertions 1 value'), { target: { value: 'refund' } });
    fireEvent.click(screen.getByLabelText('Assertions 2 case sensitive')); // default true → false
    expect(last(onChange)).toEqual({
      assertions: [
        { type: 'contains', value: 'refund' },
        { type: 'equals', case_sensitive: false },
      ],
    });
    // A required enum has no "not set" choice.
    expect(
      [...(screen.getByLabelText('Assertions 1 type') as HTMLSelectElement).options].map((o) => o.value),
    ).toEqual(['equals', 'contains', 'regex']);
    fireEvent.click(screen.getByRole('button', { name: 'Remove assertions 2' }));
    expect(last(onChange)).toEqual({ assertions: [{ type: 'contains', value: 'refund' }] });
    expect(screen.queryByLabelText('Assertions 2 type')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Remove assertions 1' }));
    expect(last(onChange)).toEqual({});
  });

  it('starts from an initial value and keeps keys it cannot show', () => {
    const onChange = vi.fn();
    render(() => (
      <SchemaForm
        schema={SCHEMA}
        initial={{ regex: 'x', assertions: [{ type: 'regex', value: '\\d' }], legacy: 1 }}
        onChange={onChange}
      />
    ));
    expect((screen.getByLabelText('Regex') as HTMLInputElement).value).toBe('x');
    expect((screen.getByLabelText('Assertions 1 type') as HTMLSelectElement).value).toBe('regex');
    expect((screen.getByLabelText('Assertions 1 value') as HTMLInputElement).value).toBe('\\d');
    expect((screen.getByLabelText('Assertions 1 case sensitive') as HTMLInputElement).checked).toBe(true);
    fireEvent.input(screen.getByLabelText('Regex'), { target: { value: 'y' } });
    expect(last(onChange)).toEqual({ regex: 'y', assertions: [{ type: 'regex', value: '\\d' }], legacy: 1 });
  });
});
