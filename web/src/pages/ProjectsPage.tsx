import { A } from '@solidjs/router';
import { createResource, For, Show } from 'solid-js';
import { api, type Run, unwrap } from '../api/client';
import { listProjects, type Project } from '../api/management';
import { StatusBadge, VerdictBadge } from '../components/Badges';
import { Loadable } from '../components/Loadable';
import { pct, shortDate, shortId } from '../lib/format';
import { overallPassRate, readSummary } from '../lib/summary';

/** Latest runs shown per project card. */
const RUNS_PER_PROJECT = 5;

interface ProjectWithRuns {
  project: Project;
  runs: Run[];
  totalRuns: number;
}

async function latestRuns(projectId: string) {
  return unwrap(
    api.GET('/api/eval/runs', {
      params: { query: { project_id: projectId, limit: RUNS_PER_PROJECT, offset: 0 } },
    }),
  );
}

async function loadOverview(): Promise<ProjectWithRuns[]> {
  const page = await listProjects();
  return Promise.all(
    page.items.map(async (project) => {
      const runs = await latestRuns(project.id);
      return { project, runs: runs.items, totalRuns: runs.total };
    }),
  );
}

function ProjectCard(props: { item: ProjectWithRuns }) {
  // The headline is the newest run with a verdict: a run still in progress has none yet.
  const latest = () => props.item.runs.find((r) => readSummary(r.summary).verdict);
  return (
    <section class="panel project-card" aria-labelledby={`p-${props.item.project.id}`}>
      <div class="panel-head">
        <h2 id={`p-${props.item.project.id}`}>
          <A href={`/projects/${props.item.project.id}`}>{props.item.project.name}</A>
        </h2>
        <span class="muted">{props.item.totalRuns} runs</span>
      </div>
      <Show when={props.item.project.description}>
        <p class="muted">{props.item.project.description}</p>
      </Show>
      <Show when={latest()} fallback={<p class="muted">No finished runs yet.</p>}>
        {(run) => (
          <p class="overall">
            <VerdictBadge verdict={readSummary(run().summary).verdict} />{' '}
            {pct(overallPassRate(readSummary(run().summary)))} pass{' '}
            <span class="muted">
              in the latest finished run ({shortDate(run().completed_at ?? run().created_at)})
            </span>
          </p>
        )}
      </Show>
      <ul class="run-list" aria-label={`Latest runs of ${props.item.project.name}`}>
        <For each={props.item.runs}>
          {(run) => (
            <li class="run-mini">
              <A href={`/runs/${run.id}`}>Run {shortId(run.id)}</A>
              <StatusBadge status={run.status} />
              <span class="muted">
                {run.git_branch ? `${run.git_branch} · ` : ''}
                {shortDate(run.created_at)}
              </span>
              <span class="num">{pct(overallPassRate(readSummary(run.summary)))}</span>
            </li>
          )}
        </For>
      </ul>
      <p class="toolbar">
        <A href={`/projects/${props.item.project.id}`}>All runs</A>
        <A href={`/projects/${props.item.project.id}/trends`}>Trends</A>
        <A href={`/datasets?project=${props.item.project.id}`}>Datasets</A>
      </p>
    </section>
  );
}

export function ProjectsPage() {
  const [overview, { refetch }] = createResource(loadOverview);
  return (
    <>
      <h1>Projects</h1>
      <Loadable resource={overview} label="projects" retry={refetch}>
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
              <For each={data()}>{(item) => <ProjectCard item={item} />}</For>
            </div>
          </Show>
        )}
      </Loadable>
    </>
  );
}
