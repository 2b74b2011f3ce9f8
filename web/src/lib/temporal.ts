import { createResource } from 'solid-js';
import type { Health } from '../api/client';

/** /api/health answers 503 with the same body when a dependency is down: read it either way. */
export async function fetchHealth(): Promise<Health | null> {
  try {
    const res = await fetch('/api/health');
    return (await res.json()) as Health;
  } catch {
    return null;
  }
}

/** Link to a workflow in the Temporal Web UI, when the server knows where the UI is. */
export function temporalWorkflowUrl(
  health: Health | null | undefined,
  workflowId: string | null | undefined,
) {
  const base = health?.temporal.ui_url;
  if (!base || !workflowId) return null;
  return `${base.replace(/\/+$/, '')}/namespaces/${encodeURIComponent(health.temporal.namespace)}/workflows/${encodeURIComponent(workflowId)}`;
}

export const createHealthResource = () => createResource(fetchHealth)[0];
