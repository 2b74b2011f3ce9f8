/**
 * Serves the built dashboard (web/dist, `npm run build:web`) at `/`: its files, and index.html
 * for any other GET outside the API so client-side routes (/runs/…) survive a reload.
 * Mounted last: API routes, /openapi.json and /docs win, and unknown /api paths keep their JSON 404.
 */
import fs from 'node:fs';
import path from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono, type MiddlewareHandler } from 'hono';
import { PROJECT_ROOT } from '../lib/project-root.js';

export const DASHBOARD_DIR = path.join(PROJECT_ROOT, 'web/dist');
/** Vite puts content-hashed files under assets/: they never change, so browsers may keep them. */
const ASSET_CACHE = 'public, max-age=31536000, immutable';

const isApiPath = (p: string) => p === '/api' || p.startsWith('/api/');

export function staticDashboard(dir = DASHBOARD_DIR) {
  const app = new Hono();
  const indexFile = path.join(dir, 'index.html');
  // Created on first use so a server started before `npm run build:web` picks the build up.
  let files: MiddlewareHandler | null = null;
  let spaFallback: MiddlewareHandler | null = null;

  app.on(['GET', 'HEAD'], '*', async (c, next) => {
    if (isApiPath(c.req.path)) return next();
    if (!fs.existsSync(indexFile)) {
      return c.text('The dashboard is not built: run `npm run build:web` (npm run setup does it).', 503);
    }
    files ??= serveStatic({ root: dir });
    spaFallback ??= serveStatic({ path: indexFile });
    const served = (await files(c, async () => {})) as Response | undefined;
    if (served) {
      served.headers.set('Cache-Control', c.req.path.startsWith('/assets/') ? ASSET_CACHE : 'no-cache');
      return served;
    }
    // A missing hashed asset is a real 404, not the app shell.
    if (c.req.path.startsWith('/assets/')) return next();
    const shell = (await spaFallback(c, next)) as Response;
    shell?.headers.set('Cache-Control', 'no-cache');
    return shell;
  });
  return app;
}
