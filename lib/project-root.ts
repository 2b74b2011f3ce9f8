import { fileURLToPath } from 'node:url';

/** The repository root (where package.json is), however the process was started. */
export const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));
