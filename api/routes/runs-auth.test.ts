/** Outside dev mode, a project key sees only its own project's runs and analytics. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EvalRun } from '../../db/entities/index.js';
import { createProjectFixture, type ProjectFixture } from '../../test/fixtures/projects.js';
import { createApiKey } from '../services/api-keys.js';
import { bearer, createTestApi, type TestApi } from '../test-support.js';

let api: TestApi;
let mine: ProjectFixture;
let theirs: ProjectFixture;
let myKey: string;
let myRun: EvalRun;
let theirRun: EvalRun;

async function completedRun(fx: ProjectFixture) {
  return api.db.dataSource.getRepository(EvalRun).save({
    project_id: fx.project.id,
    dataset_id: fx.dataset.id,
    dataset_version_id: fx.version.id,
    endpoint_id: fx.endpoint.id,
    status: 'completed',
    summary: { verdict: 'pass', judges: {} },
  });
}

beforeAll(async () => {
  api = await createTestApi({ mode: 'production' });
  mine = await createProjectFixture(api.db.dataSource, { samples: 2 });
  theirs = await createProjectFixture(api.db.dataSource, { samples: 2 });
  myKey = (await createApiKey(api.db.dataSource, mine.project.id, 'ci')).key;
  myRun = await completedRun(mine);
  theirRun = await completedRun(theirs);
});
afterAll(async () => {
  await api?.close();
});

describe('run routes with API keys', () => {
  it('needs a key', async () => {
    expect((await api.call('GET', '/api/eval/runs')).status).toBe(401);
    expect((await api.call('GET', `/api/eval/runs/${myRun.id}`)).status).toBe(401);
  });

  it("lists only the key's project and refuses another project's filter", async () => {
    const list = await (await api.call('GET', '/api/eval/runs', undefined, bearer(myKey))).json();
    expect(list.items.map((r: { id: string }) => r.id)).toEqual([myRun.id]);
    const other = await api.call(
      'GET',
      `/api/eval/runs?project_id=${theirs.project.id}`,
      undefined,
      bearer(myKey),
    );
    expect(other.status).toBe(403);
  });

  it("answers 403 for another project's run, results, export, comparison and trends", async () => {
    const forbidden = [
      `/api/eval/runs/${theirRun.id}`,
      `/api/eval/runs/${theirRun.id}/status`,
      `/api/eval/runs/${theirRun.id}/results`,
      `/api/eval/runs/${theirRun.id}/export?format=csv`,
      `/api/eval/regressions/${theirRun.id}`,
      `/api/eval/compare?run_ids=${myRun.id},${theirRun.id}`,
      `/api/eval/trends/${theirs.project.id}`,
    ];
    for (const path of forbidden) {
      const res = await api.call('GET', path, undefined, bearer(myKey));
      expect(res.status, path).toBe(403);
      expect((await res.json()).error.code, path).toBe('forbidden');
    }
    expect((await api.call('GET', `/api/eval/runs/${myRun.id}`, undefined, bearer(myKey))).status).toBe(200);
    const start = await api.call(
      'POST',
      '/api/eval/run',
      { project_id: theirs.project.id, dataset_id: theirs.dataset.id, endpoint_id: theirs.endpoint.id },
      bearer(myKey),
    );
    expect(start.status).toBe(403);
  });

  it('keeps the badge public', async () => {
    expect((await api.call('GET', `/api/ci/badge/${theirs.project.id}`)).status).toBe(200);
  });
});
