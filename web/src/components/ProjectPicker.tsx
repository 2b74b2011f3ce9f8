import { createAsync, revalidate } from '@solidjs/router';
import { For } from 'solid-js';
import { getProjects } from '../api/queries';
import { Loadable } from './Loadable';

/** Project picker of the dataset manager and settings: the choice lives in the URL. */
export function ProjectPicker(props: { value: string | undefined; onChange: (id: string) => void }) {
  const projects = createAsync(() => getProjects());
  return (
    <Loadable data={projects} label="projects" retry={() => revalidate(getProjects.key)}>
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
