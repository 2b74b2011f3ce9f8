import {
  A,
  createAsync,
  type RoutePreloadFuncArgs,
  revalidate,
  useAction,
  useNavigate,
  useSearchParams,
} from '@solidjs/router';
import { createSignal, createUniqueId, Show } from 'solid-js';
import { createDataset, type UploadFormat, uploadFormatOf, uploadSamples } from '../api/actions';
import { ApiRequestError } from '../api/client';
import { getDatasets, getProjects } from '../api/queries';
import { DataTable } from '../components/DataTable';
import { Loadable } from '../components/Loadable';
import { ProjectPicker } from '../components/ProjectPicker';
import { SettingsForm } from '../components/settings/SettingsForm';
import { dateTime, int } from '../lib/format';
import { createSubmitter } from '../lib/submit';

const PASTE_EXAMPLE = `input_text,reference_output
What is 2 + 2?,4
Name the capital of France.,Paris`;

/** The pasted text's format when it is plain to see: JSON Lines or a JSON array, else CSV. */
export function guessFormat(text: string): UploadFormat {
  const start = text.trimStart();
  if (start.startsWith('[')) return 'json';
  if (start.startsWith('{')) {
    const firstLine = start.split('\n')[0].trim();
    return firstLine.endsWith('}') ? 'jsonl' : 'json';
  }
  return 'csv';
}

const formError = (message: string) => new ApiRequestError(0, 'invalid_input', message);

/**
 * A new dataset from a file (CSV, JSON, JSONL) or pasted text: the dataset is created, then the
 * samples go through the upload API (all or nothing: a bad row is listed and nothing is stored). A
 * refused upload keeps the created dataset, and the next try uploads to it.
 */
function NewDatasetForm(props: { project: string }) {
  const id = createUniqueId();
  const submit = createSubmitter();
  const create = useAction(createDataset);
  const upload = useAction(uploadSamples);
  const navigate = useNavigate();
  const [source, setSource] = createSignal<'paste' | 'file'>('paste');
  /** The dataset created by a try whose upload was refused: the next try fills it. */
  const [created, setCreated] = createSignal<{ id: string; name: string } | null>(null);

  const onSubmit = async (form: HTMLFormElement) => {
    const data = new FormData(form);
    const name = String(data.get('name') ?? '').trim();
    const description = String(data.get('description') ?? '').trim();
    let file: File;
    let format: UploadFormat;
    if (source() === 'paste') {
      const text = String(data.get('text') ?? '');
      if (!text.trim())
        return submit.setError(formError('paste the samples (CSV with a header row, or JSONL)'));
      const chosen = String(data.get('format') ?? 'auto');
      format = chosen === 'auto' ? guessFormat(text) : (chosen as UploadFormat);
      file = new File([text], `pasted.${format}`, { type: 'text/plain' });
    } else {
      const picked = data.get('file');
      if (!(picked instanceof File) || !picked.name) return submit.setError(formError('choose a file'));
      const byName = uploadFormatOf(picked.name);
      if (!byName) return submit.setError(formError('a .csv, .json, .jsonl or .ndjson file'));
      file = picked;
      format = byName;
    }
    const done = await submit.run(async () => {
      let dataset = created();
      if (!dataset || dataset.name !== name) {
        const made = await create(props.project, name, description || null);
        dataset = { id: made.id, name: made.name };
        setCreated(dataset);
      }
      await upload(dataset.id, file, format, 'append');
      return dataset;
    });
    if (done) {
      setCreated(null);
      form.reset();
      navigate(`/datasets/${done.id}`);
    }
  };

  return (
    <section class="panel" aria-labelledby={`new-dataset-${id}`}>
      <h2 id={`new-dataset-${id}`}>New dataset</h2>
      <SettingsForm
        label="New dataset"
        submitter={submit}
        submitLabel="Create dataset"
        busyLabel="Uploading…"
        errorId={`new-dataset-error-${id}`}
        onSubmit={onSubmit}
        note={
          <Show when={created()}>
            {(d) => (
              <span class="muted">Dataset "{d().name}" was created; fix the samples and try again.</span>
            )}
          </Show>
        }
      >
        <div class="field">
          <label>
            Name
            <input name="name" type="text" required autocomplete="off" placeholder="Support QA v1" />
          </label>
        </div>
        <div class="field field-wide">
          <label>
            Description
            <input name="description" type="text" autocomplete="off" placeholder="Optional" />
          </label>
        </div>
        <fieldset class="field-wide">
          <legend>Samples</legend>
          <label class="check">
            <input
              type="radio"
              name="source"
              value="paste"
              checked={source() === 'paste'}
              onChange={() => setSource('paste')}
            />
            Paste CSV or JSONL
          </label>
          <label class="check">
            <input
              type="radio"
              name="source"
              value="file"
              checked={source() === 'file'}
              onChange={() => setSource('file')}
            />
            Upload a file
          </label>
        </fieldset>
        <Show
          when={source() === 'paste'}
          fallback={
            <div class="field field-wide">
              <label>
                File
                <input name="file" type="file" accept=".csv,.json,.jsonl,.ndjson" />
              </label>
              <span class="hint">
                CSV with a header row (input_text required), a JSON array, or JSON Lines.
              </span>
            </div>
          }
        >
          <div class="field field-wide">
            <label>
              Samples text
              <textarea name="text" rows={8} spellcheck={false} placeholder={PASTE_EXAMPLE} />
            </label>
            <span class="hint">
              CSV: a header row with input_text (and optionally reference_output, system_prompt, sample_key,
              metadata; other columns go into metadata). JSONL: one sample object per line.
            </span>
          </div>
          <div class="field">
            <label>
              Format
              <select name="format">
                <option value="auto">detect</option>
                <option value="csv">CSV</option>
                <option value="jsonl">JSONL</option>
                <option value="json">JSON</option>
              </select>
            </label>
          </div>
        </Show>
      </SettingsForm>
    </section>
  );
}

export const preloadDatasets = ({ location }: RoutePreloadFuncArgs) => {
  const project = (location.query as { project?: string }).project;
  void getProjects();
  if (project) void getDatasets(project);
};

export function DatasetsPage() {
  const [search, setSearch] = useSearchParams<{ project?: string }>();
  const datasets = createAsync(async () => (search.project ? getDatasets(search.project) : undefined));
  return (
    <>
      <h1>Datasets</h1>
      <form class="filters" onSubmit={(e) => e.preventDefault()}>
        <ProjectPicker
          value={search.project}
          onChange={(project) => setSearch({ project: project || undefined })}
        />
      </form>
      <Show when={search.project} fallback={<p class="empty">Choose a project to see its datasets.</p>}>
        <section class="panel">
          <Loadable data={datasets} label="datasets" retry={() => revalidate(getDatasets.key)}>
            {(list) => (
              <DataTable
                columns={['Dataset', 'Latest version', 'Samples', 'Tags', 'Updated']}
                rows={list()}
                empty="No datasets in this project."
              >
                {(d) => (
                  <tr>
                    <td>
                      <A href={`/datasets/${d.id}`}>{d.name}</A>
                      <Show when={d.description}>
                        <div class="muted">{d.description}</div>
                      </Show>
                    </td>
                    <td class="num">v{d.version}</td>
                    <td class="num">{int(d.sample_count)}</td>
                    <td>{d.tags.join(', ') || '–'}</td>
                    <td>{dateTime(d.updated_at)}</td>
                  </tr>
                )}
              </DataTable>
            )}
          </Loadable>
        </section>
        <NewDatasetForm project={search.project ?? ''} />
      </Show>
    </>
  );
}
