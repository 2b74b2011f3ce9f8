/**
 * Interactive API docs at /docs, working offline: Swagger UI's assets are served from the
 * swagger-ui-dist npm package (no CDN), and the page loads /openapi.json from this server.
 */
import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Hono } from 'hono';
import { notFound } from '../errors.js';

export const DOCS_PATH = '/docs';
const ASSETS_PATH = `${DOCS_PATH}/assets`;

/** The only files served, with their content types: nothing else in the package is reachable. */
const ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'swagger-ui-standalone-preset.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
  'favicon-16x16.png': 'image/png',
};
const ASSET_MAX_AGE_S = 86_400;

const distDir = () => path.dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));

const page = (specUrl: string) => `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="UTF-8">
    <title>EvalForge API</title>
    <link rel="stylesheet" href="${ASSETS_PATH}/swagger-ui.css">
    <link rel="icon" type="image/png" href="${ASSETS_PATH}/favicon-32x32.png" sizes="32x32">
  </head>
  <body>
    <div id="swagger-ui" data-spec-url="${specUrl}"></div>
    <script src="${ASSETS_PATH}/swagger-ui-bundle.js"></script>
    <script src="${ASSETS_PATH}/swagger-ui-standalone-preset.js"></script>
    <script src="${DOCS_PATH}/init.js"></script>
  </body>
</html>
`;

const INIT_SCRIPT = `window.onload = function () {
  var root = document.getElementById('swagger-ui');
  window.ui = SwaggerUIBundle({
    url: root.getAttribute('data-spec-url'),
    dom_id: '#swagger-ui',
    deepLinking: true,
    persistAuthorization: true,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    layout: 'StandaloneLayout'
  });
};
`;

export function docsRoutes(opts: { specUrl: string }) {
  const app = new Hono();
  const cache = new Map<string, Buffer>();

  app.get(DOCS_PATH, (c) => c.html(page(opts.specUrl)));
  app.get(`${DOCS_PATH}/init.js`, (c) => {
    c.header('Content-Type', 'text/javascript; charset=utf-8');
    return c.body(INIT_SCRIPT);
  });
  app.get(`${ASSETS_PATH}/:file`, async (c) => {
    const file = c.req.param('file');
    const type = Object.hasOwn(ASSETS, file) ? ASSETS[file] : undefined;
    if (!type) throw notFound('docs asset', file);
    let body = cache.get(file);
    if (!body) {
      body = await fs.readFile(path.join(distDir(), file));
      cache.set(file, body);
    }
    c.header('Content-Type', type);
    c.header('Cache-Control', `public, max-age=${ASSET_MAX_AGE_S}`);
    return c.body(new Uint8Array(body));
  });
  return app;
}
