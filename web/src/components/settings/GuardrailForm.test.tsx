import { fireEvent, render, screen, waitFor, within } from '@solidjs/testing-library';
import { describe, expect, it, vi } from 'vitest';
import type { Guardrail } from '../../api/client';
import { configWith, type GuardrailFields, GuardrailForm, type JudgeInfo } from './GuardrailForm';

const JUDGES: JudgeInfo[] = [
  {
    type: 'assertions',
    kind: 'rule',
    description: 'Rule-based checks.',
    default_threshold: 1,
    config_schema: {
      type: 'object',
      properties: {
        assertions: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              type: { type: 'string', enum: ['equals', 'contains'] },
              value: { type: 'string' },
            },
            required: ['type'],
          },
        },
        min_pass_rate: { type: 'number', minimum: 0, maximum: 1 },
      },
    },
  },
  {
    type: 'format',
    kind: 'rule',
    description: 'Format checks.',
    default_threshold: 1,
    config_schema: { type: 'object', properties: { json: { type: 'boolean' } } },
  },
];

const guardrail: Guardrail = {
  id: '00000000-0000-4000-8000-000000000003',
  project_id: '00000000-0000-4000-8000-000000000002',
  judge_type: 'similarity',
  threshold: 0.7,
  is_blocking: false,
  config: { min_pass_rate: 0.9, model_id: 'minilm' },
  enabled: true,
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-01-01T00:00:00Z',
};

describe('GuardrailForm', () => {
  it('creates with judge, threshold, pass rate, blocking and enabled, and warns before replacing', async () => {
    const onSubmit = vi.fn(async () => ({}));
    render(() => <GuardrailForm existing={['pii']} submitLabel="Add guardrail" onSubmit={onSubmit} />);
    fireEvent.input(screen.getByLabelText('Judge'), { target: { value: 'pii' } });
    expect(screen.getByText('Replaces the existing guardrail for this judge.')).toBeTruthy();
    fireEvent.input(screen.getByLabelText('Judge'), { target: { value: 'toxicity' } });
    expect(screen.queryByText('Replaces the existing guardrail for this judge.')).toBeNull();
    fireEvent.input(screen.getByLabelText('Score threshold'), { target: { value: '0.8' } });
    fireEvent.input(screen.getByLabelText('Minimum pass rate'), { target: { value: '0.99' } });
    fireEvent.click(screen.getByLabelText('Blocking (a failure fails the run)'));
    expect((screen.getByLabelText('Enabled') as HTMLInputElement).checked).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: 'Add guardrail' }));
    expect(onSubmit).toHaveBeenCalledWith({
      judge_type: 'toxicity',
      threshold: 0.8,
      min_pass_rate: 0.99,
      is_blocking: true,
      enabled: true,
      config: {},
    });
    await waitFor(() => expect((screen.getByLabelText('Judge') as HTMLInputElement).value).toBe(''));
  });

  it('edits a guardrail from its values, refuses a pass rate outside 0–1 before calling the API', async () => {
    const onSubmit = vi.fn(async () => ({}));
    render(() => <GuardrailForm initial={guardrail} submitLabel="Save" onSubmit={onSubmit} />);
    expect(screen.queryByLabelText('Judge')).toBeNull();
    expect((screen.getByLabelText('Score threshold') as HTMLInputElement).value).toBe('0.7');
    expect((screen.getByLabelText('Minimum pass rate') as HTMLInputElement).value).toBe('0.9');
    fireEvent.input(screen.getByLabelText('Minimum pass rate'), { target: { value: '95' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('min_pass_rate: a pass rate between 0 and 1');
    expect(screen.getByLabelText('Minimum pass rate').getAttribute('aria-invalid')).toBe('true');
    expect(onSubmit).not.toHaveBeenCalled();
    fireEvent.input(screen.getByLabelText('Minimum pass rate'), { target: { value: '' } });
    fireEvent.click(screen.getByLabelText('Enabled'));
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(onSubmit).toHaveBeenCalledWith({
      judge_type: 'similarity',
      threshold: 0.7,
      min_pass_rate: null,
      is_blocking: false,
      enabled: false,
      config: { model_id: 'minilm' },
    });
    await waitFor(() => expect(screen.queryByRole('alert')).toBeNull());
  });

  it('starts the next guardrail enabled again after one is added (they were saved disabled)', async () => {
    const onSubmit = vi.fn(async (_: GuardrailFields) => ({}));
    render(() => <GuardrailForm submitLabel="Add guardrail" onSubmit={onSubmit} />);
    const add = async (judge: string) => {
      fireEvent.input(screen.getByLabelText('Judge'), { target: { value: judge } });
      fireEvent.input(screen.getByLabelText('Score threshold'), { target: { value: '0.5' } });
      fireEvent.click(screen.getByRole('button', { name: 'Add guardrail' }));
      await waitFor(() => expect((screen.getByLabelText('Judge') as HTMLInputElement).value).toBe(''));
    };
    await add('pii');
    fireEvent.click(screen.getByLabelText('Blocking (a failure fails the run)'));
    await add('toxicity');
    expect((screen.getByLabelText('Enabled') as HTMLInputElement).checked).toBe(true);
    expect((screen.getByLabelText('Blocking (a failure fails the run)') as HTMLInputElement).checked).toBe(
      false,
    );
    await add('format');
    expect(onSubmit.mock.calls.map((c) => [c[0].judge_type, c[0].enabled, c[0].is_blocking])).toEqual([
      ['pii', true, false],
      ['toxicity', true, true],
      ['format', true, false],
    ]);
  });

  it("edits the judge's settings in the form generated from its config schema", async () => {
    const onSubmit = vi.fn(async (_: GuardrailFields) => ({}));
    render(() => <GuardrailForm judges={JUDGES} submitLabel="Add guardrail" onSubmit={onSubmit} />);
    expect(screen.queryByRole('group', { name: 'Judge settings (assertions)' })).toBeNull();
    fireEvent.input(screen.getByLabelText('Judge'), { target: { value: 'assertions' } });
    const group = await screen.findByRole('group', { name: 'Judge settings (assertions)' });
    expect(within(group).queryByLabelText('Min pass rate')).toBeNull(); // its own field above
    expect(screen.getByText('Rule-based checks.')).toBeTruthy();
    expect(screen.getByLabelText('Score threshold').getAttribute('placeholder')).toBe('1');
    fireEvent.click(within(group).getByRole('button', { name: 'Add assertions item' }));
    fireEvent.change(within(group).getByLabelText('Assertions 1 type'), { target: { value: 'contains' } });
    fireEvent.input(within(group).getByLabelText('Assertions 1 value'), { target: { value: 'refund' } });
    fireEvent.input(screen.getByLabelText('Score threshold'), { target: { value: '1' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add guardrail' }));
    expect(onSubmit.mock.calls[0][0].config).toEqual({ assertions: [{ type: 'contains', value: 'refund' }] });
    // Cleared for the next one; another judge gets its own form.
    await waitFor(() => expect((screen.getByLabelText('Judge') as HTMLInputElement).value).toBe(''));
    fireEvent.input(screen.getByLabelText('Judge'), { target: { value: 'format:json' } });
    const format = await screen.findByRole('group', { name: 'Judge settings (format)' });
    fireEvent.click(within(format).getByLabelText('Json'));
    fireEvent.input(screen.getByLabelText('Score threshold'), { target: { value: '1' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add guardrail' }));
    expect(onSubmit.mock.calls[1][0]).toMatchObject({ judge_type: 'format:json', config: { json: true } });
  });

  it("keeps the judge's other settings when the pass rate changes", () => {
    expect(configWith({ model_id: 'm', min_pass_rate: 0.5 }, 0.8)).toEqual({
      model_id: 'm',
      min_pass_rate: 0.8,
    });
    expect(configWith({ model_id: 'm', min_pass_rate: 0.5 }, null)).toEqual({ model_id: 'm' });
  });
});
