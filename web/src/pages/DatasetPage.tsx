import {
  A,
  createAsync,
  type RoutePreloadFuncArgs,
  revalidate,
  useAction,
  useParams,
  useSearchParams,
} from '@solidjs/router';
import { createSignal, For, Show } from 'solid-js';
import { updateSampleMetadata, uploadFormatOf, uploadSamples } from '../api/actions';
import { ApiRequestError, type Sample, type SampleQuery, type UploadResult } from '../api/client';
import { getDataset, getDatasetVersions, getSamples } from '../api/queries';
import { DataTable } from '../components/DataTable';
import { ErrorBox, Loadable } from '../components/Loadable';
import { LongText } from '../components/LongText';
import { Pagination } from '../components/Pagination';
import { dateTime, int } from '../lib/format';

const FIRST_PAGE = { offset: 0, limit: 50 };

const samplesQuery = (version: number | undefined, page: { offset: number; limit: number }): SampleQuery => ({
  ...page,
  version,
});
const versionOf = (search: { version?: string }) => (search.version ? Number(search.version) : undefined);

export const preloadDataset = ({ params, location }: RoutePreloadFuncArgs) => {
  const id = params.id!; // the route's :id
  void getDataset(id);
  void getDatasetVersions(id);
  void getSamples(id, samplesQuery(versionOf(location.query as { version?: string }), FIRST_PAGE));
};

interface RowError {
  row?: number;
  line?: number;
  field?: string | null;
  reason?: string;
}

/** The 422 invalid_rows report: {errors: [{row, line?, field, reason}], error_count, truncated}. */
export function rowErrors(err: unknown): { errors: RowError[]; count: number } {
  if (!(err instanceof ApiRequestError)) return { errors: [], count: 0 };
  const d = (err.details ?? {}) as { errors?: unknown; error_count?: unknown };
  const errors = Array.isArray(d.errors) ? (d.errors as RowError[]) : [];
  return { errors, count: typeof d.error_count === 'number' ? d.error_count : errors.length };
}

/** A new version's queries reload through the action: the page follows without being told. */
function UploadForm(props: { datasetId: string }) {
  const upload = useAction(uploadSamples);
  const [file, setFile] = createSignal<File | null>(null);
  const [mode, setMode] = createSignal<'append' | 'replace'>('append');
  const [state, setState] = createSignal<{ busy: boolean; error?: unknown; done?: UploadResult }>({
    busy: false,
  });
  const submit = async (e: Event) => {
    e.preventDefault();
    const f = file();
    if (!f) return;
    const format = uploadFormatOf(f.name);
    if (!format) {
      setState({ busy: false, error: new Error('Choose a .csv, .json or .jsonl file.') });
      return;
    }
    setState({ busy: true });
    try {
      const done = await upload(props.datasetId, f, format, mode());
      setState({ busy: false, done });
    } catch (error) {
      setState({ busy: false, error });
    }
  };
  const errors = () => rowErrors(state().error);
  return (
    <form class="filters" onSubmit={submit} aria-label="Upload samples">
      <label>
        File (CSV, JSON or JSONL)
        <input
          type="file"
          name="file"
          accept=".csv,.json,.jsonl,.ndjson,text/csv,application/json"
          onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)}
        />
      </label>
      <label>
        Mode
        <select value={mode()} onChange={(e) => setMode(e.currentTarget.value as 'append' | 'replace')}>
          <option value="append">append to latest version</option>
          <option value="replace">replace all samples</option>
        </select>
      </label>
      <button type="submit" disabled={!file() || state().busy}>
        {state().busy ? 'Uploading…' : 'Upload'}
      </button>
      <Show when={state().done}>
        {(d) => (
          <p class="banner banner-info" role="status">
            Created version {d().version.version}: {d().added} added, {d().updated} updated, {d().removed}{' '}
            removed ({d().rows} rows read).
          </p>
        )}
      </Show>
      <Show when={state().error}>
        <div style={{ width: '100%' }}>
          <ErrorBox error={state().error} title="Upload rejected — nothing was stored" />
          <Show when={errors().errors.length}>
            <div class="upload-errors">
              <p>
                {errors().count} invalid {errors().count === 1 ? 'row' : 'rows'}
                {errors().count > errors().errors.length ? ` (first ${errors().errors.length} listed)` : ''}:
              </p>
              <table class="compact" aria-label="Row errors">
                <thead>
                  <tr>
                    <th scope="col">Row</th>
                    <th scope="col">Field</th>
                    <th scope="col">Problem</th>
                  </tr>
                </thead>
                <tbody>
                  <For each={errors().errors}>
                    {(r) => (
                      <tr>
                        <td class="num">
                          {r.row ?? '–'}
                          {r.line ? <span class="muted"> (line {r.line})</span> : null}
                        </td>
                        <td>{r.field ?? '–'}</td>
                        <td>{r.reason ?? ''}</td>
                      </tr>
                    )}
                  </For>
                </tbody>
              </table>
            </div>
          </Show>
        </div>
      </Show>
    </form>
  );
}

function TagEditor(props: { datasetId: string; sample: Sample; baseVersion: number }) {
  const saveMetadata = useAction(updateSampleMetadata);
  const tags = () =>
    Array.isArray(props.sample.metadata.tags) ? (props.sample.metadata.tags as unknown[]).map(String) : [];
  const [error, setError] = createSignal<unknown>(null);
  const save = async (value: string) => {
    const next = [
      ...new Set(
        value
          .split(',')
          .map((t) => t.trim())
          .filter(Boolean),
      ),
    ];
    if (next.join(',') === tags().join(',')) return;
    setError(null);
    try {
      await saveMetadata(
        props.datasetId,
        props.sample.sample_key,
        { ...props.sample.metadata, tags: next },
        props.baseVersion,
      );
    } catch (err) {
      setError(err);
    }
  };
  return (
    <>
      <input
        type="text"
        value={tags().join(', ')}
        aria-label={`Tags of ${props.sample.sample_key}`}
        placeholder="tag, tag"
        onChange={(e) => save(e.currentTarget.value)}
      />
      <Show when={error()}>
        <span class="error-text" role="alert">
          {(error() as Error).message}
        </span>
      </Show>
    </>
  );
}

export function DatasetPage() {
  const params = useParams<{ id: string }>();
  const [search, setSearch] = useSearchParams<{ version?: string }>();
  const dataset = createAsync(() => getDataset(params.id));
  const versions = createAsync(() => getDatasetVersions(params.id));
  const [page, setPage] = createSignal(FIRST_PAGE);
  const version = () => versionOf(search);
  const samples = createAsync(() => getSamples(params.id, samplesQuery(version(), page())));
  return (
    <Loadable data={dataset} label="dataset" retry={() => revalidate(getDataset.key)}>
      {(d) => (
        <>
          <p class="crumbs">
            <A href={`/datasets?project=${d().project_id}`}>Datasets</A> /
          </p>
          <h1>
            {d().name} <span class="muted">v{d().version}</span>
          </h1>
          <Show when={d().description}>
            <p class="muted">{d().description}</p>
          </Show>
          <div class="grid-2">
            <section class="panel" aria-labelledby="versions-h">
              <h2 id="versions-h">Versions</h2>
              <Loadable data={versions} label="versions" retry={() => revalidate(getDatasetVersions.key)}>
                {(list) => (
                  <table class="compact">
                    <thead>
                      <tr>
                        <th scope="col">Version</th>
                        <th scope="col">Samples</th>
                        <th scope="col">Note</th>
                        <th scope="col">Created</th>
                      </tr>
                    </thead>
                    <tbody>
                      <For each={[...list()].sort((a, b) => b.version - a.version)}>
                        {(v) => (
                          <tr>
                            <td>
                              <button
                                type="button"
                                class="link-button"
                                aria-pressed={(version() ?? d().version) === v.version}
                                onClick={() => {
                                  setSearch({ version: String(v.version) });
                                  setPage((p) => ({ ...p, offset: 0 }));
                                }}
                              >
                                v{v.version}
                              </button>
                            </td>
                            <td class="num">{int(v.sample_count)}</td>
                            <td>{v.note ?? ''}</td>
                            <td>{dateTime(v.created_at)}</td>
                          </tr>
                        )}
                      </For>
                    </tbody>
                  </table>
                )}
              </Loadable>
            </section>
            <section class="panel" aria-labelledby="upload-h">
              <h2 id="upload-h">Upload samples</h2>
              <p class="muted">
                One sample per row: <code>input_text</code> (required), <code>reference_output</code>,{' '}
                <code>system_prompt</code>, <code>metadata</code>. A file with any bad row is rejected whole.
              </p>
              <UploadForm datasetId={d().id} />
            </section>
          </div>
          <section class="panel" aria-labelledby="samples-h">
            <h2 id="samples-h">Samples {version() ? `(v${version()})` : '(latest)'}</h2>
            <Loadable data={samples} label="samples" retry={() => revalidate(getSamples.key)}>
              {(data) => (
                <>
                  <div class="table-scroll">
                    <DataTable
                      class="results"
                      columns={['Key', 'Input', 'Reference', 'Category', 'Tags']}
                      rows={data().items}
                      empty="No samples."
                    >
                      {(s) => (
                        <tr>
                          <th scope="row">{s.sample_key}</th>
                          <td class="cell-text">
                            <LongText text={s.input_text} limit={200} />
                          </td>
                          <td class="cell-text">
                            <LongText text={s.reference_output} limit={200} />
                          </td>
                          <td>{typeof s.metadata.category === 'string' ? s.metadata.category : '–'}</td>
                          <td>
                            <Show
                              when={!version() || version() === d().version}
                              fallback={
                                Array.isArray(s.metadata.tags)
                                  ? (s.metadata.tags as unknown[]).map(String).join(', ')
                                  : ''
                              }
                            >
                              <TagEditor datasetId={d().id} sample={s} baseVersion={d().version} />
                            </Show>
                          </td>
                        </tr>
                      )}
                    </DataTable>
                  </div>
                  <Pagination
                    offset={data().offset}
                    limit={data().limit}
                    total={data().total}
                    onChange={setPage}
                    label="Sample pages"
                  />
                </>
              )}
            </Loadable>
          </section>
        </>
      )}
    </Loadable>
  );
}
