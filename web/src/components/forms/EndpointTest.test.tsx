import { fireEvent, render, screen, waitFor } from '@solidjs/testing-library';
import { describe, expect, it, vi } from 'vitest';
import { ApiRequestError } from '../../api/client';
import { EndpointTest } from './EndpointTest';

describe('EndpointTest', () => {
  it('tests on open and shows the reply and latency; tests again on request', async () => {
    const test = vi.fn(async () => ({
      ok: true,
      latency_ms: 42,
      reply: 'Yes, it works.',
      error: null,
      error_kind: null,
    }));
    render(() => <EndpointTest label="fake" test={test} />);
    const status = screen.getByRole('status');
    await waitFor(() => expect(status.textContent).toContain('Yes, it works.'));
    expect(status.textContent).toContain('answered in 42 ms');
    expect(status.getAttribute('data-test-state')).toBe('ok');
    fireEvent.click(screen.getByRole('button', { name: 'Test again' }));
    await waitFor(() => expect(test).toHaveBeenCalledTimes(2));
  });

  it('shows why a test failed, from the outcome or from the API', async () => {
    render(() => (
      <EndpointTest
        label="fake"
        test={async () => ({
          ok: false,
          latency_ms: 3,
          reply: null,
          error: 'auth (HTTP 401): bad key [redacted]',
          error_kind: 'auth',
        })}
      />
    ));
    await waitFor(() => expect(screen.getByRole('status').textContent).toContain('auth (HTTP 401)'));
    expect(screen.getByRole('status').textContent).toContain('after 3 ms');
    expect(screen.getByRole('status').querySelector('.error-kind')?.textContent?.trim()).toBe('auth');
    expect(screen.getByRole('status').getAttribute('data-test-state')).toBe('failed');
  });

  it('shows an API refusal as a failed test', async () => {
    render(() => (
      <EndpointTest
        label="fake"
        test={async () => {
          throw new ApiRequestError(404, 'not_found', 'endpoint not found');
        }}
      />
    ));
    await waitFor(() =>
      expect(screen.getByRole('status').textContent).toContain('endpoint not found (not_found)'),
    );
  });
});
