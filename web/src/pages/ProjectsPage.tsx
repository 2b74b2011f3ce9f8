import { A, createAsync, revalidate } from '@solidjs/router';
import { For, Show } from 'solid-js';
import type { Project, Run } from '../api/client';
import { getProjectsOverview } from '../api/queries';
import { StatusBadge } from '../components/Badges';
import { GateBadge, GateLine } from '../components/Gate';
import { Loadable } from '../components/Loadable';
import { shortDate, shortId } from '../lib/format';

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
                No projects yet. Create one with the API (see API docs) or run `npm run seed`.
              </p>
            }
          >
            <div class="project-list">
              <For each={data()}>{(item) => <ProjectCard {...item} />}</For>
            </div>
          </Show>
        )}
      </Loadable>
    </>
  );
}
