/**
 * Authorization matrix, generated from the app's own OpenAPI document and route table: every operation,
 * with its path filled with project A's objects and a minimal valid body, is called
 *   (a) without a key → 401, (b) with a revoked key of project A → 401, (c) with project B's key → 403/404
 * (never 2xx, never 5xx). Operations that name nothing of A (lists, the judge catalogue) may answer B, but
 * must not show any of A's rows; admin-only operations refuse every project key. A control call with A's
 * own key proves each request is one the route accepts, so a refusal above is the auth check and not a
 * typo in the fixture or a body the validator rejects. A route added without a check fails here; a route
 * outside the OpenAPI document must be listed (PUBLIC_ROUTES or ADMIN_ROUTES_OUTSIDE_OPENAPI, with its
 * reason), or it fails too. A new path parameter or object kind without a fixture fails with a message
 * saying so; objects of kinds created under /api/projects/{id}/… are made through their own API.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EvalResult, EvalRun } from '../db/entities/index.js';
import { createProjectFixture, type ProjectFixture } from '../test/fixtures/projects.js';
import { completeRun, createRunRow, insertResults } from '../test/fixtures/runs.js';
import { bearer, createTestApi, type TestApi } from './test-support.js';

const ADMIN_KEY = 'admin-key-for-the-authorization-matrix-0123';
const admin = bearer(ADMIN_KEY);

/**
 * Reachable without a key by design, each with its reason. Every other route must refuse a caller
 * without a valid key. Patterns use the route table's syntax (`:param`).
 */
const PUBLIC_ROUTES: Record<string, string> = {
  'GET /api/health': 'liveness/readiness probes of load balancers and orchestrators; no tenant data',
  'GET /api/ci/badge/:project_id':
    "README renderers (GitHub's camo) fetch the SVG without credentials; it shows only the gate state",
  'POST /api/webhook/github': 'plain repository webhook: authenticated by its HMAC signature',
  'POST /api/github/webhooks': 'GitHub App webhook: authenticated by its HMAC signature',
  'GET /openapi.json': 'the API description; no tenant data',
  'GET /api/schemas/evalforge.json': "evalforge.yaml's JSON Schema, fetched by editors; no tenant data",
  'GET /docs': 'Swagger UI over /openapi.json',
  'GET /docs/init.js': 'Swagger UI',
  'GET /docs/assets/:file': 'Swagger UI assets',
  'GET /*': 'the dashboard (static files); it reads data through the API with a key',
  'HEAD /*': 'the dashboard (static files)',
};

/**
 * Routes outside the OpenAPI document that are not public: each refuses every caller but the admin key
 * (no key, a revoked key, any project key). Listed with the reason they are not in the document.
 */
const ADMIN_ROUTES_OUTSIDE_OPENAPI: Record<string, string> = {
  'GET /metrics': 'the Prometheus scrape (text format, not JSON); admin key outside dev mode',
};

/** Operations that span projects: the admin key (or dev mode) only; every project key gets 403. */
const ADMIN_ONLY = new Set(['POST /api/projects']);

/** Statuses A's own key may get in the control call besides 2xx, with the reason. */
const CONTROL_EXPECTED: Record<string, { status: number; why: string }> = {
  'POST /api/eval/runs/{id}/cancel': { status: 409, why: 'the run has already finished' },
  'DELETE /api/projects/{id}': { status: 409, why: 'the project has runs (force=true would delete them)' },
  'DELETE /api/endpoints/{id}': { status: 409, why: 'runs used the endpoint (it can be archived instead)' },
  'DELETE /api/datasets/{id}': { status: 409, why: 'runs used the dataset (it can be archived instead)' },
};

/** Route middleware, not endpoints. */
const isMiddleware = (r: { method: string; path: string }) =>
  r.method === 'ALL' && (r.path === '/*' || r.path === '/api/*');

type JsonSchema = Record<string, unknown>;
interface Operation {
  method: string;
  path: string;
  op: {
    parameters?: { name: string; in: string; required?: boolean; schema?: JsonSchema }[];
    requestBody?: { content: Record<string, { schema?: JsonSchema }> };
  };
}
const opName = (o: { method: string; path: string }) => `${o.method.toUpperCase()} ${o.path}`;
const toRoutePattern = (openApiPath: string) => openApiPath.replace(/\{([^}]+)\}/g, ':$1');

let api: TestApi;
let doc: { paths: Record<string, Record<string, Operation['op']>>; components?: { schemas?: JsonSchema } };
let operations: Operation[];
let a: ProjectFixture;
let b: ProjectFixture;
let keyA: string;
let revokedKeyA: string;
let keyB: string;
/** A spare key of A: the one the revoke route revokes in the control call. */
let spareKeyIdA: string;
let runsA: EvalRun[];
let resultIdA: string;
let guardrailIdA: string;
const SHA_A = 'a1b2c3d'.padEnd(40, '0');
const REPO_A = { owner: 'tenant-a-org', repo: 'tenant-a-repo' };
/** Ids of A's rows (and unique names): none may appear in an answer to B. */
const secretsOfA = new Set<string>();
/** Path parameters by resource for `{id}`, and by name for the others. */
let resourceIds: Record<string, string>;
let paramValues: Record<string, string>;
/** Ids of extra objects created through the API (provider secrets…) by collection name. */
const extraIds: Record<string, string> = {};

async function keyFor(projectId: string, name: string) {
  const res = await api.call('POST', `/api/projects/${projectId}/api-keys`, { name }, admin);
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()) as { id: string; key: string };
}

async function projectWithEverything(label: string) {
  const fx = await createProjectFixture(api.db.dataSource, {
    samples: 3,
    guardrails: [{ judge_type: 'pii', threshold: 0.5, is_blocking: true }],
  });
  await api.db.dataSource.query('UPDATE projects SET name = $2 WHERE id = $1', [
    fx.project.id,
    `tenant-${label}-project`,
  ]);
  return fx;
}

async function finishedRun(fx: ProjectFixture) {
  const run = await createRunRow(api.db.dataSource, fx, {
    trigger_type: 'ci',
    git_commit_sha: SHA_A,
    git_branch: 'feature',
    git_base_branch: 'main',
    pr_number: 7,
  });
  await insertResults(api.db.dataSource, run, [0, 1, 2], (i) => ({
    llm_output: `tenant output ${i}`,
    scores: { pii: { score: 1, passed: true } },
  }));
  return completeRun(api.db.dataSource, run);
}

beforeAll(async () => {
  api = await createTestApi({
    mode: 'production',
    settings: { adminKey: ADMIN_KEY, rateLimitPerMinute: 0 },
  });
  a = await projectWithEverything('A');
  b = await projectWithEverything('B');
  keyA = (await keyFor(a.project.id, 'a')).key;
  const revoked = await keyFor(a.project.id, 'revoked');
  revokedKeyA = revoked.key;
  const del = await api.call(
    'DELETE',
    `/api/projects/${a.project.id}/api-keys/${revoked.id}`,
    undefined,
    admin,
  );
  expect(del.status).toBe(200);
  spareKeyIdA = (await keyFor(a.project.id, 'spare')).id;
  keyB = (await keyFor(b.project.id, 'b')).key;

  runsA = [await finishedRun(a), await finishedRun(a)];
  await finishedRun(b);
  const [result] = await api.db.dataSource.getRepository(EvalResult).find({
    where: { run_id: runsA[0].id },
    take: 1,
  });
  resultIdA = result.id;
  const [guardrail] = await api.db.dataSource.query(
    'SELECT id FROM guardrail_configs WHERE project_id = $1',
    [a.project.id],
  );
  guardrailIdA = guardrail.id;

  const link = await api.call(
    'PUT',
    `/api/github/repositories/${REPO_A.owner}/${REPO_A.repo}`,
    { project_id: a.project.id, dataset_id: a.dataset.id, endpoint_id: a.endpoint.id },
    admin,
  );
  expect(link.status, await link.clone().text()).toBe(200);
  const linkId = (await link.json()).id as string;
  const linkB = await api.call(
    'PUT',
    '/api/github/repositories/tenant-b-org/tenant-b-repo',
    { project_id: b.project.id, dataset_id: b.dataset.id, endpoint_id: b.endpoint.id },
    admin,
  );
  expect(linkB.status).toBe(200);

  doc = await (await api.call('GET', '/openapi.json')).json();
  operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => ({ method, path, op })),
  );

  resourceIds = { projects: a.project.id };
  // Objects of kinds added after this test was written, created through their own API when they exist.
  for (const o of operations) {
    const m = /^\/api\/projects\/\{id\}\/([a-z-]+)$/.exec(o.path);
    if (o.method !== 'post' || !m || ['endpoints', 'datasets', 'guardrails', 'api-keys'].includes(m[1]))
      continue;
    const res = await call(o, admin);
    expect(res.status, `${opName(o)} as admin: ${await res.clone().text()}`).toBeLessThan(300);
    extraIds[m[1]] = (await res.json()).id;
  }

  resourceIds = {
    projects: a.project.id,
    endpoints: a.endpoint.id,
    datasets: a.dataset.id,
    guardrails: guardrailIdA,
    runs: runsA[0].id,
    ...extraIds,
  };
  paramValues = {
    project_id: a.project.id,
    run_id: runsA[0].id,
    result_id: resultIdA,
    key_id: spareKeyIdA,
    sample_key: 's0',
    commit_sha: SHA_A,
    owner: REPO_A.owner,
    repo: REPO_A.repo,
  };
  for (const id of [
    a.project.id,
    a.endpoint.id,
    a.dataset.id,
    a.version.id,
    guardrailIdA,
    ...runsA.map((r) => r.id),
    resultIdA,
    spareKeyIdA,
    revoked.id,
    linkId,
    ...Object.values(extraIds),
    'tenant-A-project',
    REPO_A.repo,
  ]) {
    secretsOfA.add(id);
  }
}, 120_000);

afterAll(async () => {
  await api?.close();
});

// ---------------------------------------------------------------------------------------------------
// Filling requests from the document

function deref(schema: JsonSchema | undefined): JsonSchema {
  let s = schema ?? {};
  while (typeof s.$ref === 'string') {
    const name = s.$ref.replace('#/components/schemas/', '');
    s = ((doc.components?.schemas ?? {}) as Record<string, JsonSchema>)[name] ?? {};
  }
  return s;
}

/** A minimal value the schema accepts: its example when it has one, else built from required fields. */
function sampleOf(schema: JsonSchema | undefined, depth = 0): unknown {
  const s = deref(schema);
  if (depth > 8) return undefined;
  if ('example' in s) return structuredClone(s.example);
  if ('const' in s) return s.const;
  if (Array.isArray(s.enum)) return s.enum[0];
  if ('default' in s) return structuredClone(s.default);
  for (const k of ['oneOf', 'anyOf'] as const) {
    const options = s[k] as JsonSchema[] | undefined;
    if (options) return sampleOf(options.find((o) => deref(o).type !== 'null') ?? options[0], depth + 1);
  }
  if (Array.isArray(s.allOf)) {
    return Object.assign({}, ...(s.allOf as JsonSchema[]).map((p) => sampleOf(p, depth + 1)));
  }
  const type = Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type;
  switch (type) {
    case 'object': {
      const props = (s.properties ?? {}) as Record<string, JsonSchema>;
      const required = (s.required ?? []) as string[];
      return Object.fromEntries(required.map((k) => [k, sampleOf(props[k], depth + 1)]));
    }
    case 'array':
      return Array.from({ length: Math.max(1, Number(s.minItems ?? 1)) }, () =>
        sampleOf(s.items as JsonSchema, depth + 1),
      );
    case 'integer':
    case 'number':
      return Number(s.minimum ?? (s.exclusiveMinimum !== undefined ? Number(s.exclusiveMinimum) + 1 : 1));
    case 'boolean':
      return true;
    case 'string':
      if (s.format === 'uuid') return crypto.randomUUID();
      if (s.format === 'uri') return 'https://example.com/v1';
      if (s.format === 'date-time') return new Date().toISOString();
      return 'x'.repeat(Math.max(1, Number(s.minLength ?? 1)));
    default:
      return undefined;
  }
}

/** References to objects in a body or query point at A's own objects (so B is refused for A's sake). */
function idFor(field: string): string | undefined {
  const ids: Record<string, string> = {
    project_id: a.project.id,
    dataset_id: a.dataset.id,
    endpoint_id: a.endpoint.id,
    run_id: runsA[0].id,
    baseline_run_id: runsA[1].id,
  };
  return ids[field];
}

/** The value with every id field pointing at A's object; `pointed` says whether there was one. */
function pointAtA(value: unknown): { value: unknown; pointed: boolean } {
  let pointed = false;
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (!v || typeof v !== 'object') return v;
    return Object.fromEntries(
      Object.entries(v).map(([k, x]) => {
        const id = typeof x === 'string' ? idFor(k) : undefined;
        if (id) pointed = true;
        return [k, id ?? walk(x)];
      }),
    );
  };
  return { value: walk(value), pointed };
}

function pathParam(o: Operation, name: string): string {
  if (name === 'id') {
    const collection = /\/api\/(?:eval\/)?([a-z-]+)\/\{id\}/.exec(o.path)?.[1];
    const value = collection ? resourceIds[collection] : undefined;
    if (!value)
      throw new Error(`${opName(o)}: no fixture for {id} of "${collection}": add one to the matrix`);
    return value;
  }
  const value =
    paramValues[name] ?? Object.entries(extraIds).find(([k]) => name.startsWith(k.slice(0, -1)))?.[1];
  if (!value) throw new Error(`${opName(o)}: no fixture for path parameter {${name}}: add one to the matrix`);
  return value;
}

interface Request {
  url: string;
  init: { method: string; headers: Record<string, string>; body?: string };
  /** Whether the request names one of A's objects (path, query or body). */
  namesA: boolean;
}

/** `unfiltered`: leave out optional filters naming A (lists read without a project_id). */
function buildRequest(o: Operation, headers: Record<string, string>, unfiltered = false): Request {
  let namesA = false;
  const path = o.path.replace(/\{([^}]+)\}/g, (_, name: string) => {
    namesA = true;
    return encodeURIComponent(pathParam(o, name));
  });
  const query = new URLSearchParams();
  const reqHeaders: Record<string, string> = { ...headers };
  for (const p of o.op.parameters ?? []) {
    if (p.in === 'query') {
      if (unfiltered && !p.required) continue;
      if (idFor(p.name)) {
        query.set(p.name, idFor(p.name) as string);
        namesA = true;
      } else if (p.name === 'run_ids') {
        query.set(p.name, runsA.map((r) => r.id).join(','));
        namesA = true;
      } else if (p.required) {
        query.set(p.name, String(sampleOf(p.schema)));
      }
    }
    if (p.in === 'header' && p.required) reqHeaders[p.name] = String(sampleOf(p.schema));
  }
  const content = o.op.requestBody?.content ?? {};
  let body: string | undefined;
  if (content['application/json']) {
    const { value, pointed } = pointAtA(sampleOf(content['application/json'].schema));
    body = JSON.stringify(value);
    reqHeaders['content-type'] = 'application/json';
    if (pointed) namesA = true;
  } else if (content['text/csv']) {
    body = 'input_text\nhello\n';
    reqHeaders['content-type'] = 'text/csv';
  }
  const qs = query.toString();
  return {
    url: `${path}${qs ? `?${qs}` : ''}`,
    init: { method: o.method.toUpperCase(), headers: reqHeaders, body },
    namesA,
  };
}

function call(o: Operation, headers: Record<string, string>) {
  const req = buildRequest(o, headers);
  return api.app.request(req.url, req.init);
}

/** Destructive operations last (and the project itself very last), so the control calls keep A intact. */
function ordered(ops: Operation[]) {
  const rank = (o: Operation) =>
    o.method === 'delete' ? (o.path === '/api/projects/{id}' ? 3 : 2) : o.path.endsWith('/cancel') ? 1 : 0;
  return [...ops].sort((x, y) => rank(x) - rank(y));
}

const isPublicOperation = (o: Operation) =>
  `${o.method.toUpperCase()} ${toRoutePattern(o.path)}` in PUBLIC_ROUTES;

// ---------------------------------------------------------------------------------------------------

describe('authorization matrix', () => {
  it('covers every route: each is in the OpenAPI document or listed as public with its reason', () => {
    const documented = new Set(operations.map((o) => `${o.method.toUpperCase()} ${toRoutePattern(o.path)}`));
    const undocumented = new Set(
      api.app.routes
        .filter((r) => !isMiddleware(r))
        .map((r) => `${r.method} ${r.path}`)
        .filter((r) => !documented.has(r) && !(r in PUBLIC_ROUTES) && !(r in ADMIN_ROUTES_OUTSIDE_OPENAPI)),
    );
    expect([...undocumented], 'routes outside /openapi.json that are not listed here').toEqual([]);
    expect(operations.length).toBeGreaterThanOrEqual(45);
  });

  it('includes the human review routes and run PATCH (checked like every other run route)', () => {
    for (const name of [
      'PUT /api/eval/runs/{id}/results/{result_id}/review',
      'DELETE /api/eval/runs/{id}/results/{result_id}/review',
      'GET /api/eval/runs/{id}/reviews',
      'GET /api/eval/runs/{id}/reviews/summary',
      'PATCH /api/eval/runs/{id}',
    ]) {
      expect(
        operations.some((o) => opName(o) === name),
        name,
      ).toBe(true);
    }
  });

  it('refuses every non-public route without a key, and with a revoked key (401)', async () => {
    const failures: string[] = [];
    for (const o of ordered(operations)) {
      if (isPublicOperation(o)) continue;
      for (const [label, headers] of [
        ['no key', {}],
        ['revoked key', bearer(revokedKeyA)],
      ] as const) {
        const res = await call(o, headers);
        if (res.status !== 401)
          failures.push(`${opName(o)} with ${label}: ${res.status} ${await res.text()}`);
      }
      // Authentication comes before the body is read or validated: a malformed body learns nothing either.
      if (o.op.requestBody) {
        const req = buildRequest(o, {});
        const res = await api.app.request(req.url, { ...req.init, body: '{"not json' });
        if (res.status !== 401) failures.push(`${opName(o)} with a malformed body and no key: ${res.status}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('refuses the admin routes outside the document to everyone but the admin key', async () => {
    const failures: string[] = [];
    for (const name of Object.keys(ADMIN_ROUTES_OUTSIDE_OPENAPI)) {
      const [method, path] = name.split(' ');
      for (const [label, headers] of [
        ['no key', {}],
        ['revoked key', bearer(revokedKeyA)],
        ["A's key", bearer(keyA)],
        ["B's key", bearer(keyB)],
      ] as const) {
        const res = await api.app.request(path, { method, headers });
        if (res.status !== 401 && res.status !== 403) failures.push(`${name} with ${label}: ${res.status}`);
      }
      expect((await api.app.request(path, { method, headers: admin })).status, name).toBe(200);
    }
    expect(failures).toEqual([]);
  });

  it("refuses project B's key on everything of project A (403/404), and shows B none of A's rows", async () => {
    const failures: string[] = [];
    let scoped = 0;
    for (const o of ordered(operations)) {
      if (isPublicOperation(o)) continue;
      const req = buildRequest(o, bearer(keyB));
      const res = await api.app.request(req.url, req.init);
      const text = await res.text();
      if (req.namesA || ADMIN_ONLY.has(opName(o))) {
        scoped += 1;
        if (res.status !== 403 && res.status !== 404)
          failures.push(`${opName(o)} with B's key: ${res.status} ${text}`);
      } else {
        // Names nothing of A (lists without a filter, the judge catalogue): B may be answered, with B's rows only.
        if (res.status >= 500) failures.push(`${opName(o)} with B's key: ${res.status} ${text}`);
        const leaked = [...secretsOfA].filter((s) => text.includes(s));
        if (leaked.length) failures.push(`${opName(o)} with B's key shows A's ${leaked.join(', ')}`);
      }
    }
    expect(failures).toEqual([]);
    expect(scoped).toBeGreaterThanOrEqual(40);
  });

  it("lists only B's own rows to B's key when no filter names a project", async () => {
    const lists = operations.filter(
      (o) =>
        o.method === 'get' &&
        !o.path.includes('{') &&
        (o.op.parameters ?? []).some((p) => p.in === 'query' && p.name === 'project_id' && !p.required),
    );
    expect(lists.length).toBeGreaterThanOrEqual(2);
    for (const o of lists) {
      const req = buildRequest(o, bearer(keyB), true);
      const res = await api.app.request(req.url, req.init);
      expect(res.status, opName(o)).toBe(200);
      const text = await res.text();
      expect(
        [...secretsOfA].filter((x) => text.includes(x)),
        `${opName(o)} shows A's rows to B`,
      ).toEqual([]);
      expect(text, opName(o)).toContain(b.project.id);
    }
  });

  it("refuses admin-only operations to every project key, A's own included (403)", async () => {
    for (const o of operations.filter((x) => ADMIN_ONLY.has(opName(x)))) {
      for (const key of [keyA, keyB]) expect((await call(o, bearer(key))).status, opName(o)).toBe(403);
    }
  });

  it("refuses another project's filter on lists and CI status (403), the reported leak included", async () => {
    const res = await api.call(
      'GET',
      `/api/ci/status/${SHA_A}?project_id=${a.project.id}`,
      undefined,
      bearer(keyB),
    );
    expect(res.status).toBe(403);
    // Without a filter B sees only B's own run for the same commit.
    const own = await api.call('GET', `/api/ci/status/${SHA_A}`, undefined, bearer(keyB));
    expect(own.status).toBe(200);
    const body = await own.json();
    expect(body.runs.map((r: { project_id: string }) => r.project_id)).toEqual([b.project.id]);
    for (const path of [
      `/api/eval/runs?project_id=${a.project.id}`,
      `/api/github/repositories?project_id=${a.project.id}`,
      `/api/eval/trends/${a.project.id}`,
    ]) {
      expect((await api.call('GET', path, undefined, bearer(keyB))).status, path).toBe(403);
    }
    // B cannot take A's repository link over by naming its own project, dataset and endpoint.
    const hijack = await api.call(
      'PUT',
      `/api/github/repositories/${REPO_A.owner}/${REPO_A.repo}`,
      { project_id: b.project.id, dataset_id: b.dataset.id, endpoint_id: b.endpoint.id },
      bearer(keyB),
    );
    expect(hijack.status).toBe(403);
  });

  it("accepts every request above from A's own key (so the refusals are the auth checks)", async () => {
    const failures: string[] = [];
    for (const o of ordered(operations)) {
      if (isPublicOperation(o)) continue;
      if (ADMIN_ONLY.has(opName(o))) continue;
      const res = await call(o, bearer(keyA));
      const expected = CONTROL_EXPECTED[opName(o)];
      const ok = res.status < 300 || res.status === expected?.status;
      if (!ok) failures.push(`${opName(o)} with A's key: ${res.status} ${await res.text()}`);
      else await res.body?.cancel();
    }
    expect(failures).toEqual([]);
  });
});
