import { A, createAsync, useAction, useNavigate } from '@solidjs/router';
import { createEffect, createSignal, createUniqueId, For, Show } from 'solid-js';
import { startRun } from '../../api/actions';
import { getDatasets, getDatasetVersions, getEndpoints, getGuardrails, getRuns } from '../../api/queries';
import { latestOr } from '../../lib/async';
import { dateTime, judgeLabel, shortId } from '../../lib/format';
import { createSubmitter } from '../../lib/submit';
import { Dialog } from '../Dialog';
import { SettingsForm } from '../settings/SettingsForm';

/** Completed runs offered as the baseline. */
const BASELINE_CHOICES = { offset: 0, limit: 50 };

/**
 * "New run": a dataset (latest version or a pinned one), an endpoint, the judges (the project's
 * guardrails, enabled ones ticked), repetitions and an optional baseline run. Starts the run
 * (POST /api/eval/run) and opens its page.
 */
export function NewRunDialog(props: { project: string; onClose: () => void }) {
  const id = createUniqueId();
  const submit = createSubmitter();
  const start = useAction(startRun);
  const navigate = useNavigate();
  const datasets = createAsync(() => getDatasets(props.project));
  const endpoints = createAsync(() => getEndpoints(props.project, false));
  const guardrails = createAsync(() => getGuardrails(props.project));
  const baselines = createAsync(() =>
    getRuns({ project_id: props.project, status: 'completed', ...BASELINE_CHOICES }),
  );
  const [datasetId, setDatasetId] = createSignal('');
  // The first dataset once the list is there, unless one was picked.
  createEffect(() => {
    const list = latestOr(datasets);
    if (!datasetId() && list?.length) setDatasetId(list[0].id);
  });
  const versions = createAsync(async () => (datasetId() ? getDatasetVersions(datasetId()) : undefined));
  const latestVersion = () => latestOr(datasets)?.find((d) => d.id === datasetId())?.version;
  const hasEverything = () => !!latestOr(datasets)?.length && !!latestOr(endpoints)?.length;

  const onSubmit = async (form: HTMLFormElement) => {
    const data = new FormData(form);
    const text = (name: string) => String(data.get(name) ?? '').trim();
    const version = text('dataset_version');
    const baseline = text('baseline_run_id');
    const guardrailList = latestOr(guardrails) ?? [];
    const run = await submit.run(() =>
      start({
        project_id: props.project,
        dataset_id: datasetId(),
        ...(version ? { dataset_version: Number(version) } : {}),
        endpoint_id: text('endpoint_id'),
        // With guardrails, exactly the ticked judges; without, the API's default (the enabled guardrails: none).
        ...(guardrailList.length ? { judges: data.getAll('judges').map(String) } : {}),
        repetitions: Number(text('repetitions') || '1'),
        ...(baseline ? { baseline_run_id: baseline } : {}),
        trigger_type: 'manual',
        cache: false,
      }),
    );
    if (run) {
      props.onClose();
      navigate(`/runs/${run.id}`);
    }
  };

  return (
    <Dialog title="New run" onClose={props.onClose} class="new-run-dialog">
      <Show
        when={hasEverything() || !latestOr(datasets) || !latestOr(endpoints)}
        fallback={
          <p class="empty">
            A run needs a dataset and a model endpoint:{' '}
            <Show when={!latestOr(datasets)?.length}>
              <A href={`/datasets?project=${props.project}`}>add a dataset</A>{' '}
            </Show>
            <Show when={!latestOr(endpoints)?.length}>
              <A href={`/settings?project=${props.project}`}>add an endpoint</A>
            </Show>
          </p>
        }
      >
        <SettingsForm
          label="New run"
          submitter={submit}
          submitLabel="Start run"
          busyLabel="Starting…"
          errorId={`new-run-error-${id}`}
          onSubmit={onSubmit}
          onCancel={props.onClose}
        >
          <div class="field">
            <label>
              Dataset
              <select
                name="dataset_id"
                required
                value={datasetId()}
                onChange={(e) => setDatasetId(e.currentTarget.value)}
              >
                <For each={latestOr(datasets)}>
                  {(d) => (
                    <option value={d.id}>
                      {d.name} ({d.sample_count} samples)
                    </option>
                  )}
                </For>
              </select>
            </label>
          </div>
          <div class="field">
            <label>
              Version
              <select name="dataset_version">
                <option value="">latest{latestVersion() ? ` (v${latestVersion()})` : ''}</option>
                <For each={latestOr(versions)}>
                  {(v) => (
                    <option value={String(v.version)}>
                      v{v.version} · {v.sample_count} samples
                    </option>
                  )}
                </For>
              </select>
            </label>
          </div>
          <div class="field">
            <label>
              Endpoint
              <select name="endpoint_id" required>
                <For each={latestOr(endpoints)}>
                  {(e) => (
                    <option value={e.id}>
                      {e.name ?? `${e.provider}/${e.model_name}`} ({e.model_name})
                    </option>
                  )}
                </For>
              </select>
            </label>
          </div>
          <div class="field">
            <label>
              Repetitions
              <input name="repetitions" type="number" min="1" max="100" step="1" value="1" />
            </label>
            <span class="hint">Answers per sample (repeats bypass the cache).</span>
          </div>
          <fieldset class="field-wide">
            <legend>Judges</legend>
            <Show
              when={latestOr(guardrails)?.length}
              fallback={
                <p class="hint">
                  No guardrails yet: the run records the model's answers only.{' '}
                  <A href={`/settings?project=${props.project}`}>Add a guardrail</A> to score them.
                </p>
              }
            >
              <For each={latestOr(guardrails)}>
                {(g) => (
                  <label class="check">
                    <input type="checkbox" name="judges" value={g.judge_type} checked={g.enabled} />
                    {judgeLabel(g.judge_type)}
                    {g.enabled ? '' : ' (disabled guardrail)'}
                  </label>
                )}
              </For>
            </Show>
          </fieldset>
          <div class="field field-wide">
            <label>
              Baseline run
              <select name="baseline_run_id">
                <option value="">none</option>
                <For each={latestOr(baselines)?.items}>
                  {(r) => (
                    <option value={r.id}>
                      Run {shortId(r.id)} · {dateTime(r.created_at)}
                    </option>
                  )}
                </For>
              </select>
            </label>
            <span class="hint">A completed run to compare with for regressions.</span>
          </div>
        </SettingsForm>
      </Show>
    </Dialog>
  );
}
