import { fireEvent, render, screen, waitFor } from '@solidjs/testing-library';
import { createSignal, Show } from 'solid-js';
import { describe, expect, it, vi } from 'vitest';
import { ApiRequestError, type Result } from '../api/client';
import { fakeApi, resetFakeApi } from '../testing/api';
import { makeResult, makeScore } from '../testing/results';
import { renderRoute } from '../testing/router';
import { ConfirmDialog, Dialog, focusableIn } from './Dialog';
import { ResultsTable } from './ResultsTable';
import { SampleDetail } from './SampleDetail';

/** The run page's drill-down: the results table opens a sample in the dialog. */
function DrillDown() {
  const results = [
    makeResult({ sample_key: 's1' }),
    makeResult({
      sample_key: 's2',
      llm_output: 'long '.repeat(600),
      scores: [makeScore('pii', 1, true, { details: { findings: [] } })],
    }),
  ];
  const [opened, setOpened] = createSignal<Result | null>(null);
  return (
    <>
      <button type="button">Before the table</button>
      <ResultsTable results={results} judges={['pii']} onOpen={setOpened} />
      <Show when={opened()}>
        {(r) => (
          <Dialog title={`Sample ${r().sample_key}`} onClose={() => setOpened(null)}>
            <SampleDetail result={r()} />
          </Dialog>
        )}
      </Show>
    </>
  );
}

/** Presses Tab (or Shift+Tab) as a browser would: the handler may keep focus in; otherwise focus moves on. */
function tab(shift = false) {
  const active = document.activeElement as HTMLElement;
  const notPrevented = fireEvent.keyDown(active, { key: 'Tab', shiftKey: shift });
  if (notPrevented) {
    const all = focusableIn(document.body);
    const next = all[all.indexOf(active) + (shift ? -1 : 1)];
    next?.focus();
  }
  return document.activeElement as HTMLElement;
}

describe('Dialog', () => {
  it('traps Tab and Shift+Tab inside the sample drill-down and returns focus to the opening button', async () => {
    // On the run page, where the drill-down (and its human review) lives.
    fakeApi({
      'GET /api/eval/runs/{id}/reviews': () => ({ items: [], total: 0, offset: 0, limit: 500 }),
    });
    renderRoute('/runs/:id', DrillDown, '/runs/run-1');
    const opener = await screen.findByRole('button', { name: 'Open sample s2' });
    opener.focus();
    fireEvent.click(opener);
    const dialog = await screen.findByRole('dialog', { name: 'Sample s2' });
    expect(document.activeElement).toBe(dialog);

    const inside = focusableIn(dialog);
    // The close button, the model output's "Show more" and the human review's controls at least.
    expect(inside.length).toBeGreaterThanOrEqual(3);
    expect(inside[0].getAttribute('aria-label')).toBe('Close');
    expect(inside.some((el) => el.getAttribute('aria-label') === 'Show more of model output')).toBe(true);

    // Cycling forward through every control comes back to the first, never leaving the dialog.
    const visited = Array.from({ length: inside.length + 1 }, () => tab());
    expect(visited.every((el) => dialog.contains(el))).toBe(true);
    expect(visited.at(-2)).toBe(inside.at(-1));
    expect(visited.at(-1)).toBe(inside[0]);
    // Backwards from the first control wraps to the last.
    expect(tab(true)).toBe(inside.at(-1));
    expect(tab(true)).toBe(inside.at(-2));

    // Focus that wanders outside (a click on the page behind) is pulled back in.
    screen.getByRole('button', { name: 'Before the table' }).focus();
    expect(dialog.contains(document.activeElement)).toBe(true);

    fireEvent.keyDown(document.activeElement as HTMLElement, { key: 'Escape' });
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(document.activeElement).toBe(opener);
    resetFakeApi();
  });

  it('closes from the close button too, and only the innermost of nested dialogs answers Escape', async () => {
    const outerClose = vi.fn();
    const [inner, setInner] = createSignal(true);
    render(() => (
      <Dialog title="Outer" onClose={outerClose}>
        <p>outer body</p>
        <Show when={inner()}>
          <Dialog title="Inner" onClose={() => setInner(false)}>
            <input aria-label="Inner field" />
          </Dialog>
        </Show>
      </Dialog>
    ));
    const innerDialog = screen.getByRole('dialog', { name: 'Inner' });
    expect(document.activeElement).toBe(innerDialog);
    fireEvent.keyDown(innerDialog, { key: 'Escape' });
    expect(screen.queryByRole('dialog', { name: 'Inner' })).toBeNull();
    expect(outerClose).not.toHaveBeenCalled();
    const outer = screen.getByRole('dialog', { name: 'Outer' });
    fireEvent.click(outer.querySelector('button[aria-label="Close"]') as HTMLElement);
    expect(outerClose).toHaveBeenCalledTimes(1);
  });
});

describe('ConfirmDialog', () => {
  it('focuses the safe choice, disables both buttons while confirming, and shows the API error', async () => {
    let reject!: (e: unknown) => void;
    const onConfirm = vi.fn(
      () =>
        new Promise((_, r) => {
          reject = r;
        }),
    );
    const onClose = vi.fn();
    render(() => (
      <ConfirmDialog title="Delete endpoint?" confirmLabel="Delete" onConfirm={onConfirm} onClose={onClose}>
        <p>It goes for good.</p>
      </ConfirmDialog>
    ));
    const keep = screen.getByRole('button', { name: 'Cancel' });
    expect(document.activeElement).toBe(keep);
    fireEvent.click(screen.getByRole('button', { name: 'Delete' }));
    expect(onConfirm).toHaveBeenCalledTimes(1);
    const working = screen.getByRole('button', { name: 'Working…' }) as HTMLButtonElement;
    expect(working.disabled).toBe(true);
    expect((keep as HTMLButtonElement).disabled).toBe(true);
    reject(new ApiRequestError(409, 'in_use', 'endpoint is used by 2 runs; archive it instead', { runs: 2 }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('endpoint is used by 2 runs; archive it instead');
    expect(alert.textContent).toContain('(in_use)');
    expect(alert.textContent).toContain('{"runs":2}');
    expect(onClose).not.toHaveBeenCalled();
    expect((screen.getByRole('button', { name: 'Delete' }) as HTMLButtonElement).disabled).toBe(false);
  });

  it('closes once the action succeeds', async () => {
    const onClose = vi.fn();
    render(() => (
      <ConfirmDialog title="Revoke key?" confirmLabel="Revoke" onConfirm={async () => {}} onClose={onClose}>
        <p>Clients using it stop working.</p>
      </ConfirmDialog>
    ));
    fireEvent.click(screen.getByRole('button', { name: 'Revoke' }));
    await waitFor(() => expect(onClose).toHaveBeenCalledTimes(1));
  });
});
