import { createAsync } from '@solidjs/router';
import { fireEvent, render, screen } from '@solidjs/testing-library';
import { createSignal } from 'solid-js';
import { describe, expect, it } from 'vitest';
import { Loadable } from './Loadable';

describe('Loadable', () => {
  it('shows loading, then a failure with "Try again", then the data once the retry loads it', async () => {
    let calls = 0;
    const [attempt, setAttempt] = createSignal(0);
    render(() => {
      const data = createAsync(async () => {
        attempt();
        calls++;
        if (calls === 1) throw new Error('the API did not answer');
        return { name: 'loaded' };
      });
      return (
        <Loadable data={data} label="things" retry={async () => setAttempt((n) => n + 1)}>
          {(d) => <p>{d().name}</p>}
        </Loadable>
      );
    });
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Could not load things');
    expect(alert.textContent).toContain('the API did not answer');
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByText('loaded')).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();
    expect(calls).toBe(2);
  });

  it('keeps showing the data while it reloads', async () => {
    const [n, setN] = createSignal(1);
    let release: () => void = () => {};
    render(() => {
      const data = createAsync(async () => {
        const value = n();
        if (value > 1) await new Promise<void>((r) => (release = r));
        return value;
      });
      return (
        <Loadable data={data} label="numbers">
          {(d) => <p>value {d()}</p>}
        </Loadable>
      );
    });
    expect(await screen.findByText('value 1')).toBeTruthy();
    setN(2);
    expect(screen.queryByRole('status')).toBeNull();
    expect(screen.getByText('value 1')).toBeTruthy();
    release();
    expect(await screen.findByText('value 2')).toBeTruthy();
  });

  it('recovers every view of the data when one of them retries', async () => {
    let calls = 0;
    const [attempt, setAttempt] = createSignal(0);
    render(() => {
      const data = createAsync(async () => {
        attempt();
        if (++calls === 1) throw new Error('timeout');
        return 'rows';
      });
      return (
        <>
          <Loadable data={data} label="table" retry={async () => setAttempt((n) => n + 1)}>
            {(d) => <p>table of {d()}</p>}
          </Loadable>
          <Loadable data={data} label="chart">
            {(d) => <p>chart of {d()}</p>}
          </Loadable>
        </>
      );
    });
    expect(await screen.findAllByRole('alert')).toHaveLength(2);
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByText('table of rows')).toBeTruthy();
    expect(await screen.findByText('chart of rows')).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();
  });
});
