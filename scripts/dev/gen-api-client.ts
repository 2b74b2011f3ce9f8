/** Regenerates api/client/schema.d.ts from /openapi.json: `npm run gen:api-client`. */
import fs from 'node:fs/promises';
import path from 'node:path';
import { CLIENT_TYPES_PATH, clientTypesSource } from '../../api/client/openapi-document.js';
import { PROJECT_ROOT } from '../../runtime/child-process.js';

await fs.writeFile(CLIENT_TYPES_PATH, await clientTypesSource());
console.log(`wrote ${path.relative(PROJECT_ROOT, CLIENT_TYPES_PATH)}`);
