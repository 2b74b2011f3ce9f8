import { A, createAsync, type RoutePreloadFuncArgs, revalidate, useSearchParams } from '@solidjs/router';
import { Show } from 'solid-js';
import { getDatasets, getProjects } from '../api/queries';
import { DataTable } from '../components/DataTable';
import { Loadable } from '../components/Loadable';
import { ProjectPicker } from '../components/ProjectPicker';
import { dateTime, int } from '../lib/format';

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
      </Show>
    </>
  );
}
