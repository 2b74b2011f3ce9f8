import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { staticDashboard } from './static-dashboard.js';

let dir: string;
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'evalforge-dist-'));
});
afterAll(() => fs.rm(dir, { recursive: true, force: true }));

describe('staticDashboard', () => {
  it('answers 503 with the build command until the dashboard is built, then serves it', async () => {
    const app = staticDashboard(dir);
    const before = await app.request('/');
    expect(before.status).toBe(503);
    expect(await before.text()).toContain('npm run build:web');

    await fs.mkdir(path.join(dir, 'assets'));
    await fs.writeFile(path.join(dir, 'index.html'), '<div id="root"></div>');
    await fs.writeFile(path.join(dir, 'assets/app-abc123.js'), 'console.log(1)');
    const index = await app.request('/');
    expect(index.status).toBe(200);
    expect(index.headers.get('cache-control')).toBe('no-cache');
    const asset = await app.request('/assets/app-abc123.js');
    expect(asset.headers.get('content-type')).toContain('javascript');
    expect(asset.headers.get('cache-control')).toContain('immutable');
  });

  it('falls back to index.html for client routes only', async () => {
    const app = staticDashboard(dir);
    await fs.writeFile(path.join(dir, 'index.html'), '<div id="root"></div>');
    const route = await app.request('/runs/123?x=1');
    expect(route.status).toBe(200);
    expect(await route.text()).toBe('<div id="root"></div>');
    // API paths, missing hashed assets and paths escaping the folder are not the app shell.
    expect((await app.request('/api/unknown')).status).toBe(404);
    expect((await app.request('/assets/gone.js')).status).toBe(404);
    const traversal = await app.request('/..%2f..%2fetc/passwd');
    expect(await traversal.text()).not.toContain('root:');
    expect((await app.request('/', { method: 'POST' })).status).toBe(404);
  });
});
