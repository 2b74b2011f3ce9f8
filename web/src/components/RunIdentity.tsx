import { Show } from 'solid-js';
import type { Run } from '../api/client';

/** "GPT-4o mini (gpt-4o-mini) · Support FAQ v3": what ran on what, beside the run's id. */
export function runIdentityText(
  run: Pick<Run, 'endpoint_name' | 'model_name' | 'dataset_name' | 'dataset_version'>,
) {
  const model =
    run.endpoint_name && run.model_name && run.endpoint_name !== run.model_name
      ? `${run.endpoint_name} (${run.model_name})`
      : (run.endpoint_name ?? run.model_name ?? '');
  const dataset = run.dataset_name
    ? `${run.dataset_name}${run.dataset_version !== null && run.dataset_version !== undefined ? ` v${run.dataset_version}` : ''}`
    : '';
  return [model, dataset].filter(Boolean).join(' · ');
}

export function RunIdentity(props: { run: Run }) {
  return (
    <Show when={runIdentityText(props.run)}>{(text) => <span class="run-identity">{text()}</span>}</Show>
  );
}
