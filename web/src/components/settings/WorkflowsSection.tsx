import { A, createAsync, revalidate } from '@solidjs/router';
import { Show } from 'solid-js';
import type { RunListQuery } from '../../api/client';
import { getHealth, getRuns } from '../../api/queries';
import { latestOr } from '../../lib/async';
import { dateTime, shortId } from '../../lib/format';
import { temporalWorkflowUrl } from '../../lib/temporal';
import { StatusBadge } from '../Badges';
import { DataTable } from '../DataTable';
import { Loadable } from '../Loadable';

/** Runs listed with their Temporal workflow links. */
export const workflowRunsQuery = (projectId: string): RunListQuery => ({
  project_id: projectId,
  offset: 0,
  limit: 20,
});

/** The project's latest runs with a link to each one's workflow in the Temporal UI. */
export function WorkflowsSection(props: { project: string }) {
  const runs = createAsync(() => getRuns(workflowRunsQuery(props.project)));
  const health = createAsync(() => getHealth());
  return (
    <section class="panel" aria-labelledby="workflows-h">
      <h2 id="workflows-h">Run workflows</h2>
      <Loadable data={runs} label="runs" retry={() => revalidate(getRuns.key)}>
        {(page) => (
          <DataTable columns={['Run', 'Status', 'Workflow', 'Created']} rows={page().items} empty="No runs.">
            {(r) => (
              <tr>
                <td>
                  <A href={`/runs/${r.id}`}>Run {shortId(r.id)}</A>
                </td>
                <td>
                  <StatusBadge status={r.status} />
                </td>
                <td>
                  <Show
                    when={temporalWorkflowUrl(latestOr(health), r.workflow_id)}
                    fallback={<code>{r.workflow_id ?? '–'}</code>}
                  >
                    {(url) => (
                      <a href={url()} target="_blank" rel="noopener noreferrer">
                        {r.workflow_id} ↗
                      </a>
                    )}
                  </Show>
                </td>
                <td>{dateTime(r.created_at)}</td>
              </tr>
            )}
          </DataTable>
        )}
      </Loadable>
    </section>
  );
}
