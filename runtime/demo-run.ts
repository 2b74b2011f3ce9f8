/**
 * On a fresh `npm start` (the demo was just seeded and the local model server is up), one eval run of the
 * demo dataset on the keyless SmolLM2 endpoint with every demo guardrail's judge, so the dashboard opens
 * on real scores without any API key. Started through the API, as any client would, with an
 * Idempotency-Key so a supervisor restart never starts a second one.
 */
import type { DemoSeed } from './seed/index.js';

export type ApiRequest = (path: string, init: RequestInit) => Promise<Response>;

export interface DemoRun {
  runId: string;
  workflowId: string | null;
}

export async function startDemoRun(request: ApiRequest, demo: DemoSeed): Promise<DemoRun> {
  const res = await request('/api/eval/run', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': `demo-run-${demo.projectId}` },
    body: JSON.stringify({
      project_id: demo.projectId,
      dataset_id: demo.datasetId,
      endpoint_id: demo.localEndpointId,
      trigger_type: 'manual',
    }),
  });
  const body = (await res.json().catch(() => null)) as {
    id?: string;
    workflow_id?: string | null;
    error?: { message?: string };
  } | null;
  if (!res.ok || !body?.id) {
    throw new Error(`demo run not started: HTTP ${res.status} ${body?.error?.message ?? ''}`.trim());
  }
  return { runId: body.id, workflowId: body.workflow_id ?? null };
}
