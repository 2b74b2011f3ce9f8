import { A, useSearchParams } from '@solidjs/router';
import { createResource, For, Show } from 'solid-js';
import { listDatasets, listProjects } from '../api/management';
import { DataTable } from '../components/DataTable';
import { Loadable } from '../components/Loadable';
import { dateTime, int } from '../lib/format';

/** Project picker shared by the dataset manager and settings: the choice lives in the URL. */
export function ProjectPicker(props: { value: string | undefined; onChange: (id: string) => void }) {
  const [projects, { refetch }] = createResource(() => listProjects());
  return (
    <Loadable resource={projects} label="projects" retry={refetch}>
      {(page) => (
        <label>
          Project
          <select value={props.value ?? ''} onChange={(e) => props.onChange(e.currentTarget.value)}>
            <option value="">choose a project…</option>
            <For each={page().items}>{(p) => <option value={p.id}>{p.name}</option>}</For>
          </select>
        </label>
      )}
    </Loadable>
  );
}

export function DatasetsPage() {
  const [search, setSearch] = useSearchParams<{ project?: string }>();
  const [datasets, { refetch }] = createResource(() => search.project, listDatasets);
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
          <Loadable resource={datasets} label="datasets" retry={refetch}>
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
      </Show>
    </>
  );
}
