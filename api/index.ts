export { type App, createApp } from './app.js';
export { type ApiDeps, createApiDeps } from './deps.js';
export { ApiError } from './errors.js';
