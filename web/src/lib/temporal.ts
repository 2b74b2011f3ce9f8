import type { Health } from '../api/client';

/** Link to a workflow in the Temporal Web UI, when the server knows where the UI is. */
export function temporalWorkflowUrl(
  health: Health | null | undefined,
  workflowId: string | null | undefined,
) {
  const base = health?.temporal.ui_url;
  if (!base || !workflowId) return null;
  return `${base.replace(/\/+$/, '')}/namespaces/${encodeURIComponent(health.temporal.namespace)}/workflows/${encodeURIComponent(workflowId)}`;
}
