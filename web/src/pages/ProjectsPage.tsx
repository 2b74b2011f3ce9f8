import { A, createAsync, revalidate, useAction, useNavigate } from '@solidjs/router';
import { createUniqueId, For, Show } from 'solid-js';
import { createProject } from '../api/actions';
import type { Project, Run } from '../api/client';
import { getProjectsOverview } from '../api/queries';
import { StatusBadge } from '../components/Badges';
import { GateBadge, GateLine } from '../components/Gate';
import { Loadable } from '../components/Loadable';
import { SettingsForm } from '../components/settings/SettingsForm';
import { shortDate, shortId } from '../lib/format';
import { createSubmitter } from '../lib/submit';

export const preloadProjects = () => {
  void getProjectsOverview();
};

function ProjectCard(props: { project: Project; runs: Run[]; totalRuns: number }) {
  // The headline is the newest run the gate has decided: a run in progress is still pending.
  const latest = () => props.runs.find((r) => r.gate.state !== 'pending');
  return (
    <section class="panel project-card" aria-labelledby={`p-${props.project.id}`}>
      <div class="panel-head">
        <h2 id={`p-${props.project.id}`}>
          <A href={`/projects/${props.project.id}`}>{props.project.name}</A>
        </h2>
        <span class="muted">{props.totalRuns} runs</span>
      </div>
      <Show when={props.project.description}>
        <p class="muted">{props.project.description}</p>
      </Show>
      <Show when={latest()} fallback={<p class="muted">No finished runs yet.</p>}>
        {(run) => (
          <>
            <div class="overall">
              <GateLine gate={run().gate} />
            </div>
            <p class="muted">
              The gate on the latest finished run ({shortDate(run().completed_at ?? run().created_at)}).
            </p>
          </>
        )}
      </Show>
      <ul class="run-list" aria-label={`Latest runs of ${props.project.name}`}>
        <For each={props.runs}>
          {(run) => (
            <li class="run-mini">
              <A href={`/runs/${run.id}`}>Run {shortId(run.id)}</A>
              <StatusBadge status={run.status} />
              <span class="muted">
                {run.git_branch ? `${run.git_branch} · ` : ''}
                {shortDate(run.created_at)}
              </span>
              <GateBadge gate={run.gate} />
            </li>
          )}
        </For>
      </ul>
      <p class="toolbar">
        <A href={`/projects/${props.project.id}`}>All runs</A>
        <A href={`/projects/${props.project.id}/trends`}>Trends</A>
        <A href={`/datasets?project=${props.project.id}`}>Datasets</A>
      </p>
    </section>
  );
}

/** A new project; on success its page opens, to add a dataset, an endpoint and a first run. */
function NewProjectForm() {
  const id = createUniqueId();
  const submit = createSubmitter();
  const create = useAction(createProject);
  const navigate = useNavigate();
  const onSubmit = async (form: HTMLFormElement) => {
    const data = new FormData(form);
    const name = String(data.get('name') ?? '').trim();
    const description = String(data.get('description') ?? '').trim();
    const project = await submit.run(() => create(name, description || null));
    if (project) navigate(`/projects/${project.id}`);
  };
  return (
    <section class="panel" aria-labelledby={`new-project-${id}`}>
      <h2 id={`new-project-${id}`}>New project</h2>
      <SettingsForm
        label="New project"
        submitter={submit}
        submitLabel="Create project"
        busyLabel="Creating…"
        errorId={`new-project-error-${id}`}
        onSubmit={onSubmit}
      >
        <div class="field">
          <label>
            Name
            <input name="name" type="text" required placeholder="Support bot" autocomplete="off" />
          </label>
        </div>
        <div class="field field-wide">
          <label>
            Description
            <input name="description" type="text" placeholder="Optional" autocomplete="off" />
          </label>
        </div>
      </SettingsForm>
    </section>
  );
}

export function ProjectsPage() {
  const overview = createAsync(() => getProjectsOverview());
  return (
    <>
      <h1>Projects</h1>
      <Loadable data={overview} label="projects" retry={() => revalidate(getProjectsOverview.key)}>
        {(data) => (
          <Show
            when={data().length}
            fallback={
              <p class="empty">
                No projects yet. Create one below: then add a dataset, a model endpoint and a guardrail, and
                start your first eval run.
              </p>
            }
          >
            <div class="project-list">
              <For each={data()}>{(item) => <ProjectCard {...item} />}</For>
            </div>
          </Show>
        )}
      </Loadable>
      <NewProjectForm />
    </>
  );
}
