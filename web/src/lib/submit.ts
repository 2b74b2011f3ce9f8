import { createSignal } from 'solid-js';

/**
 * A form's submit state: `busy` while the request runs (controls disable), `error` with what the
 * API answered, cleared on the next try. `run` resolves to the action's value, or undefined on failure.
 */
export function createSubmitter() {
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<unknown>(null);
  const run = async <T>(action: () => Promise<T>): Promise<T | undefined> => {
    if (busy()) return undefined;
    setBusy(true);
    setError(null);
    try {
      return await action();
    } catch (err) {
      setError(err);
      return undefined;
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, setError, run };
}
