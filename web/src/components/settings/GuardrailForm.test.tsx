import { fireEvent, render, screen, waitFor } from '@solidjs/testing-library';
import { describe, expect, it, vi } from 'vitest';
import type { Guardrail } from '../../api/client';
import { configWith, GuardrailForm } from './GuardrailForm';

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
    });
    await waitFor(() => expect(screen.queryByRole('alert')).toBeNull());
  });

  it("keeps the judge's other settings when the pass rate changes", () => {
    expect(configWith({ model_id: 'm', min_pass_rate: 0.5 }, 0.8)).toEqual({
      model_id: 'm',
      min_pass_rate: 0.8,
    });
    expect(configWith({ model_id: 'm', min_pass_rate: 0.5 }, null)).toEqual({ model_id: 'm' });
  });
});
