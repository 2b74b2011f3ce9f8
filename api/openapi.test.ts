import fs from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { compileErrors, validate } from '@readme/openapi-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiClient } from './client/index.js';
import { CLIENT_TYPES_PATH, clientTypesSource } from './client/openapi-document.js';
import { createTestApi, type TestApi } from './test-support.js';

const ADMIN_KEY = 'openapi-test-admin-key-0123456789';

let api: TestApi;
interface Operation {
  summary?: string;
  responses: Record<string, unknown>;
  requestBody?: { content: Record<string, unknown> };
}
interface OpenApiDoc {
  openapi: string;
  security: unknown;
  paths: Record<string, Record<string, Operation>>;
  components: {
    securitySchemes: Record<string, unknown>;
    schemas: Record<string, { example?: unknown; properties?: Record<string, { description?: string }> }>;
  };
}

let doc: OpenApiDoc;
let server: ReturnType<typeof serve>;
let baseUrl: string;

beforeAll(async () => {
  api = await createTestApi({ mode: 'production', settings: { adminKey: ADMIN_KEY } });
  doc = await (await api.app.request('/openapi.json')).json();
  server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: api.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await api?.close();
});

const MY_PATHS = [
  '/api/projects',
  '/api/projects/{id}',
  '/api/projects/{id}/endpoints',
  '/api/endpoints/{id}',
  '/api/projects/{id}/datasets',
  '/api/datasets/{id}',
  '/api/datasets/{id}/versions',
  '/api/datasets/{id}/samples',
  '/api/datasets/{id}/samples/{sample_key}',
  '/api/datasets/{id}/upload',
  '/api/projects/{id}/guardrails',
  '/api/guardrails/{id}',
  '/api/projects/{id}/api-keys',
  '/api/projects/{id}/api-keys/{key_id}',
];

describe('/openapi.json', () => {
  it('validates as OpenAPI 3.x', async () => {
    expect(doc.openapi).toMatch(/^3\.1\./);
    const result = await validate(structuredClone(doc) as never);
    expect(result.valid, result.valid ? '' : compileErrors(result)).toBe(true);
  });

  it('documents every management route with a summary, auth, errors and examples', () => {
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(doc.security).toEqual([{ bearerAuth: [] }]);
    for (const path of MY_PATHS) {
      expect(doc.paths[path], path).toBeDefined();
      for (const [method, op] of Object.entries(doc.paths[path])) {
        expect(op.summary, `${method} ${path}`).toBeTruthy();
        expect(Object.keys(op.responses), `${method} ${path}`).toEqual(
          expect.arrayContaining(['400', '401', '403', '429']),
        );
      }
    }
    for (const name of [
      'ProjectCreate',
      'EndpointCreate',
      'DatasetCreate',
      'SampleInput',
      'GuardrailUpsert',
      'ApiKeyCreate',
    ]) {
      expect(doc.components.schemas[name].example, name).toBeDefined();
    }
    expect(doc.components.schemas.EndpointCreate.properties?.api_key_env.description).toMatch(
      /environment variable/,
    );
    expect(Object.keys(doc.paths['/api/datasets/{id}/upload'].post.requestBody?.content ?? {})).toEqual(
      expect.arrayContaining(['text/csv', 'application/json', 'application/x-ndjson', 'multipart/form-data']),
    );
  });
});

describe('/docs', () => {
  it('serves Swagger UI from local assets only (works offline)', async () => {
    const res = await fetch(`${baseUrl}/docs`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('/openapi.json');
    expect(html).not.toMatch(/https?:\/\/|src="\/\//);
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    expect(assets).toEqual(expect.arrayContaining(['/docs/assets/swagger-ui-bundle.js', '/docs/init.js']));
    for (const asset of assets) {
      const a = await fetch(`${baseUrl}${asset}`);
      expect(a.status, asset).toBe(200);
      expect(a.headers.get('content-type'), asset).toMatch(/css|javascript|png/);
      expect((await a.arrayBuffer()).byteLength, asset).toBeGreaterThan(0);
    }
    expect((await fetch(`${baseUrl}/docs/assets/package.json`)).status).toBe(404);
    expect((await fetch(`${baseUrl}/docs/assets/..%2F..%2Fpackage.json`)).status).toBe(404);
  });
});

describe('generated client', () => {
  it('is up to date with /openapi.json (run `npm run gen:api-client` after API changes)', async () => {
    const committed = await fs.readFile(CLIENT_TYPES_PATH, 'utf8');
    const fresh = await clientTypesSource(doc as unknown as Record<string, unknown>);
    expect(fresh === committed, 'api/client/schema.d.ts is stale: run `npm run gen:api-client`').toBe(true);
  });

  it('creates a project, an endpoint and a dataset, and uploads samples over HTTP', async () => {
    const admin = createApiClient(baseUrl, { apiKey: ADMIN_KEY });
    const project = await admin.POST('/api/projects', { body: { name: 'Client project' } });
    expect(project.response.status).toBe(201);
    const projectId = project.data!.id;
    const key = await admin.POST('/api/projects/{id}/api-keys', {
      params: { path: { id: projectId } },
      body: { name: 'client' },
    });
    const client = createApiClient(baseUrl, { apiKey: key.data!.key });

    const endpoint = await client.POST('/api/projects/{id}/endpoints', {
      params: { path: { id: projectId } },
      body: {
        provider: 'openai',
        model_name: 'gpt-4o-mini',
        api_key_env: 'OPENAI_API_KEY',
        config: { temperature: 0 },
      },
    });
    expect(endpoint.data).toMatchObject({ provider: 'openai', api_key_env: 'OPENAI_API_KEY' });

    const dataset = await client.POST('/api/projects/{id}/datasets', {
      params: { path: { id: projectId } },
      body: { name: 'Customer Support QA v1', samples: [{ input_text: 'What is your refund policy?' }] },
    });
    expect(dataset.data).toMatchObject({ version: 1, sample_count: 1 });
    const datasetId = dataset.data!.id;

    const upload = await client.POST('/api/datasets/{id}/upload', {
      params: { path: { id: datasetId }, query: { mode: 'append' } },
      body: 'input_text,reference_output\n"Where is my order?","Check Orders."\nCan I pay by invoice?,Yes\n' as never,
      bodySerializer: (body: unknown) => body as string,
      headers: { 'content-type': 'text/csv' },
    });
    expect(upload.response.status).toBe(201);
    expect(upload.data).toMatchObject({ rows: 2, added: 2, version: { version: 2, sample_count: 3 } });

    const samples = await client.GET('/api/datasets/{id}/samples', {
      params: { path: { id: datasetId }, query: { limit: 10 } },
    });
    expect(samples.data?.items.map((s) => s.input_text)).toEqual([
      'What is your refund policy?',
      'Where is my order?',
      'Can I pay by invoice?',
    ]);

    const denied = await createApiClient(baseUrl).GET('/api/projects/{id}', {
      params: { path: { id: projectId } },
    });
    expect(denied.response.status).toBe(401);
    expect(denied.error).toMatchObject({ error: { code: 'unauthorized' } });
  });
});
