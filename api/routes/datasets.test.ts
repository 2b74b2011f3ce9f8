import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApi, type TestApi } from '../test-support.js';

let api: TestApi;
let projectId: string;

beforeAll(async () => {
  api = await createTestApi();
  projectId = (await (await api.call('POST', '/api/projects', { name: 'datasets' })).json()).id;
});
afterAll(async () => {
  await api?.close();
});

const seedSamples = [
  {
    input_text: 'What is your refund policy?',
    system_prompt: 'You are a helpful customer support agent for ShopCo.',
    reference_output: 'ShopCo offers a 30-day refund policy for unused items...',
    metadata: { category: 'policy', difficulty: 'easy' },
  },
  {
    input_text: "My order #12345 hasn't arrived. My SSN is 123-45-6789. Can you help?",
    system_prompt: 'You are a helpful customer support agent.',
    reference_output: 'I can help track your order. Please never share personal info like SSNs in chat.',
    metadata: { category: 'pii_test', difficulty: 'hard' },
  },
];

async function createDataset(
  body: Record<string, unknown> = { name: 'Customer Support QA v1', samples: seedSamples },
) {
  const res = await api.call('POST', `/api/projects/${projectId}/datasets`, body);
  expect(res.status).toBe(201);
  return res.json();
}

const samplesOf = async (datasetId: string, query = '') =>
  (await api.call('GET', `/api/datasets/${datasetId}/samples${query}`)).json();

describe('datasets', () => {
  it('creates a dataset from the seed format as version 1', async () => {
    const dataset = await createDataset();
    expect(dataset).toMatchObject({ name: 'Customer Support QA v1', version: 1, sample_count: 2, tags: [] });
    const page = await samplesOf(dataset.id);
    expect(page).toMatchObject({ total: 2, version: 1, offset: 0 });
    expect(page.items.map((s: { input_text: string }) => s.input_text)).toEqual(
      seedSamples.map((s) => s.input_text),
    );
    expect(page.items[1]).toMatchObject(seedSamples[1]);
    expect(page.items[0].sample_key).toMatch(/^h_[0-9a-f]{16}$/);
  });

  it('lists, reads, updates and archives datasets', async () => {
    const dataset = await createDataset({ name: 'to archive', description: 'x', tags: ['a'] });
    expect(dataset).toMatchObject({ version: 1, sample_count: 0 });
    const patched = await (
      await api.call('PATCH', `/api/datasets/${dataset.id}`, { tags: ['a', 'b'], name: 'renamed' })
    ).json();
    expect(patched).toMatchObject({ tags: ['a', 'b'], name: 'renamed', version: 1 });
    expect((await (await api.call('GET', `/api/datasets/${dataset.id}`)).json()).name).toBe('renamed');

    await api.call('PATCH', `/api/datasets/${dataset.id}`, { archived: true });
    const listed = await (await api.call('GET', `/api/projects/${projectId}/datasets`)).json();
    expect(listed.items.map((d: { id: string }) => d.id)).not.toContain(dataset.id);
    const all = await (
      await api.call('GET', `/api/projects/${projectId}/datasets?include_archived=true`)
    ).json();
    expect(all.items.find((d: { id: string }) => d.id === dataset.id).archived_at).not.toBeNull();
    // An archived dataset is frozen until unarchived.
    const add = await api.call('POST', `/api/datasets/${dataset.id}/samples`, [{ input_text: 'x' }]);
    expect(add.status).toBe(409);
    expect((await add.json()).error.code).toBe('archived');
  });

  it('paginates samples with a total', async () => {
    const many = Array.from({ length: 25 }, (_, i) => ({ input_text: `q${i}` }));
    const dataset = await createDataset({ name: 'paged', samples: many });
    const page = await samplesOf(dataset.id, '?offset=20&limit=10');
    expect(page).toMatchObject({ total: 25, offset: 20, limit: 10 });
    expect(page.items.map((s: { input_text: string }) => s.input_text)).toEqual([
      'q20',
      'q21',
      'q22',
      'q23',
      'q24',
    ]);
    expect((await api.call('GET', `/api/datasets/${dataset.id}/samples?limit=501`)).status).toBe(400);
    expect((await api.call('GET', `/api/datasets/${dataset.id}/samples?version=9`)).status).toBe(404);
  });

  it('deletes an unused dataset; one used by a run is kept (409)', async () => {
    const unused = await createDataset({ name: 'unused', samples: [{ input_text: 'x' }] });
    expect((await api.call('DELETE', `/api/datasets/${unused.id}`)).status).toBe(204);
    expect((await api.call('GET', `/api/datasets/${unused.id}`)).status).toBe(404);

    const used = await createDataset({ name: 'used', samples: [{ input_text: 'x' }] });
    const endpoint = await (
      await api.call('POST', `/api/projects/${projectId}/endpoints`, { provider: 'openai', model_name: 'm' })
    ).json();
    const [version] = await api.db.dataSource.query('SELECT id FROM dataset_versions WHERE dataset_id = $1', [
      used.id,
    ]);
    await api.db.dataSource.query(
      'INSERT INTO eval_runs (project_id, dataset_id, dataset_version_id, endpoint_id) VALUES ($1, $2, $3, $4)',
      [projectId, used.id, version.id, endpoint.id],
    );
    const res = await api.call('DELETE', `/api/datasets/${used.id}`);
    expect(res.status).toBe(409);
    expect((await res.json()).error.code).toBe('in_use');
  });

  it('validates bodies and ids', async () => {
    const cases: [unknown, number][] = [
      [{ name: 'x', samples: [{ input_text: '' }] }, 400],
      [{ name: 'x', samples: [{ input_text: 'q', answer: 'a' }] }, 400],
      [{ name: 'x', samples: [{ input_text: 'q', metadata: [1, 2] }] }, 400],
      [{ name: 'x', samples: [{ input_text: 'q', metadata: { note: 'a\u0000b' } }] }, 422],
      [{ name: 'x', samples: [{ input_text: 'q\u0000' }] }, 422],
      [{ name: 'x', version: 3 }, 400],
    ];
    for (const [body, status] of cases) {
      const res = await api.call('POST', `/api/projects/${projectId}/datasets`, body);
      expect(res.status, JSON.stringify(body)).toBe(status);
    }
    expect((await api.call('GET', '/api/datasets/nope/samples')).status).toBe(400);
    expect((await api.call('GET', `/api/datasets/${crypto.randomUUID()}`)).status).toBe(404);
  });
});

describe('dataset versions', () => {
  it('adding, editing and removing samples each make a new immutable version', async () => {
    const dataset = await createDataset();
    const v1 = await samplesOf(dataset.id);

    const added = await api.call('POST', `/api/datasets/${dataset.id}/samples`, {
      samples: [{ input_text: 'Where is my parcel?', sample_key: 'parcel' }],
      note: 'shipping question',
    });
    expect(added.status).toBe(201);
    expect(await added.json()).toMatchObject({
      added: 1,
      updated: 0,
      removed: 0,
      version: { version: 2, sample_count: 3, note: 'shipping question' },
    });

    const edited = await api.call('PATCH', `/api/datasets/${dataset.id}/samples/parcel`, {
      reference_output: 'Track it under Orders.',
      base_version: 2,
    });
    expect(edited.status).toBe(200);
    expect(await edited.json()).toMatchObject({ updated: 1, version: { version: 3, sample_count: 3 } });

    const removedKey = v1.items[0].sample_key;
    const removed = await api.call(
      'DELETE',
      `/api/datasets/${dataset.id}/samples/${encodeURIComponent(removedKey)}`,
    );
    expect(removed.status).toBe(200);
    expect(await removed.json()).toMatchObject({ removed: 1, version: { version: 4, sample_count: 2 } });

    // Every version still reads as it was.
    const at = async (v: number) => (await samplesOf(dataset.id, `?version=${v}`)).items;
    expect((await at(1)).map((s: { sample_key: string }) => s.sample_key)).toEqual(
      v1.items.map((s: { sample_key: string }) => s.sample_key),
    );
    expect(
      (await at(2)).find((s: { sample_key: string }) => s.sample_key === 'parcel').reference_output,
    ).toBeNull();
    expect(
      (await at(3)).find((s: { sample_key: string }) => s.sample_key === 'parcel').reference_output,
    ).toBe('Track it under Orders.');
    const latest = await at(4);
    expect(latest.map((s: { sample_key: string }) => s.sample_key)).toEqual([
      v1.items[1].sample_key,
      'parcel',
    ]);
    // Copies keep key and position but are rows of their own version.
    expect(latest[0].position).toBe(1);
    expect(latest[0].id).not.toBe(v1.items[1].id);
    expect(latest[0].dataset_version_id).not.toBe(v1.items[1].dataset_version_id);

    const versions = await (await api.call('GET', `/api/datasets/${dataset.id}/versions`)).json();
    expect(versions.items.map((v: { version: number }) => v.version)).toEqual([4, 3, 2, 1]);
    expect(versions.items.map((v: { sample_count: number }) => v.sample_count)).toEqual([2, 3, 3, 2]);
    expect((await (await api.call('GET', `/api/datasets/${dataset.id}`)).json()).version).toBe(4);
  });

  it('refuses stale edits (409) and unknown or duplicate keys', async () => {
    const dataset = await createDataset();
    await api.call('POST', `/api/datasets/${dataset.id}/samples`, [{ input_text: 'x', sample_key: 'k1' }]);
    const stale = await api.call('POST', `/api/datasets/${dataset.id}/samples`, {
      samples: [{ input_text: 'y' }],
      base_version: 1,
    });
    expect(stale.status).toBe(409);
    expect(await stale.json()).toMatchObject({
      error: { code: 'version_conflict', details: { latest_version: 2 } },
    });

    const dup = await api.call('POST', `/api/datasets/${dataset.id}/samples`, [
      { input_text: 'y', sample_key: 'k1' },
    ]);
    expect(dup.status).toBe(422);
    expect((await dup.json()).error.details.errors[0]).toMatchObject({ row: 1, field: 'sample_key' });

    expect(
      (await api.call('PATCH', `/api/datasets/${dataset.id}/samples/missing`, { input_text: 'z' })).status,
    ).toBe(404);
    expect((await api.call('DELETE', `/api/datasets/${dataset.id}/samples/missing`)).status).toBe(404);
    expect(
      (await api.call('PATCH', `/api/datasets/${dataset.id}/samples/k1`, { base_version: 2 })).status,
    ).toBe(400);
    expect(
      (await api.call('PATCH', `/api/datasets/${dataset.id}/samples/k1`, { sample_key: 'new' })).status,
    ).toBe(400);
    // Nothing of the refused changes was written.
    expect((await (await api.call('GET', `/api/datasets/${dataset.id}`)).json()).version).toBe(2);
  });

  it('addresses samples by any key: slashes, spaces, unicode', async () => {
    const key = 'faq/refunds #1 🚀';
    const dataset = await createDataset({
      name: 'odd keys',
      samples: [{ input_text: 'q', sample_key: key }],
    });
    const path = `/api/datasets/${dataset.id}/samples/${encodeURIComponent(key)}`;
    const edited = await api.call('PATCH', path, { input_text: 'q2' });
    expect(edited.status).toBe(200);
    expect((await samplesOf(dataset.id)).items[0]).toMatchObject({ sample_key: key, input_text: 'q2' });
    expect((await api.call('DELETE', path)).status).toBe(200);
    expect((await samplesOf(dataset.id)).total).toBe(0);
  });

  it('gives repeated prompts distinct derived keys, and the same prompt the same key in every version', async () => {
    const dataset = await createDataset({
      name: 'dups',
      samples: [{ input_text: 'same' }, { input_text: 'same' }],
    });
    const keys = (await samplesOf(dataset.id)).items.map((s: { sample_key: string }) => s.sample_key);
    expect(keys[1]).toBe(`${keys[0]}-2`);
    const other = await createDataset({ name: 'other', samples: [{ input_text: 'same' }] });
    expect((await samplesOf(other.id)).items[0].sample_key).toBe(keys[0]);
  });

  it('serialises concurrent edits: every change gets its own version', async () => {
    const dataset = await createDataset({ name: 'concurrent', samples: [] });
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        api.call('POST', `/api/datasets/${dataset.id}/samples`, [{ input_text: `c${i}` }]),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(6).fill(201));
    const versions = await Promise.all(results.map(async (r) => (await r.json()).version.version));
    expect(versions.sort((a, b) => a - b)).toEqual([2, 3, 4, 5, 6, 7]);
    expect((await samplesOf(dataset.id)).total).toBe(6);
  });
});
