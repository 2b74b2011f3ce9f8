import { type Accessor, createEffect, createSignal, onCleanup } from 'solid-js';
import { apiKeyStore, type Progress, type Run, runEventsUrl } from '../api/client';
import { readSse } from './sse';

/** Wait before reopening a dropped event stream. */
const RECONNECT_MS = 2_000;

export interface RunEventHandlers {
  onResult?: (result: { id: string; sample_id: string; status: string }) => void;
  onDone?: (run: Run) => void;
}

/**
 * Live progress of a run from its server-sent events (`progress`, `result`, `done`) while
 * `active()` is true; reconnects when the stream drops, stops after `done`.
 */
export function createRunEvents(
  runId: Accessor<string>,
  active: Accessor<boolean>,
  handlers: RunEventHandlers,
) {
  const [progress, setProgress] = createSignal<Progress | null>(null);
  const [connected, setConnected] = createSignal(false);
  createEffect(() => {
    if (!active()) return;
    const url = runEventsUrl(runId());
    const abort = new AbortController();
    let finished = false;
    const onEvent = ({ event, data }: { event: string; data: string }) => {
      const payload = JSON.parse(data);
      if (event === 'progress') setProgress(payload);
      else if (event === 'result') handlers.onResult?.(payload);
      else if (event === 'done') {
        finished = true;
        handlers.onDone?.(payload);
      }
    };
    void (async () => {
      while (!finished && !abort.signal.aborted) {
        const key = apiKeyStore.get();
        await readSse(url, {
          headers: key ? { authorization: `Bearer ${key}` } : {},
          signal: abort.signal,
          onOpen: () => setConnected(true),
          onEvent,
        }).catch(() => {});
        setConnected(false);
        if (!finished && !abort.signal.aborted) await new Promise((r) => setTimeout(r, RECONNECT_MS));
      }
    })();
    onCleanup(() => {
      abort.abort();
      setConnected(false);
    });
  });
  return { progress, connected };
}

/** Calls `fn` at most once per `ms`, trailing: bursts of events become one refresh. */
export function throttle(fn: () => void, ms: number) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const throttled = () => {
    if (timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      fn();
    }, ms);
  };
  onCleanup(() => clearTimeout(timer));
  return throttled;
}
