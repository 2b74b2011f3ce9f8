/**
 * Regenerates schemas/evalforge.schema.json, the JSON Schema of evalforge.yaml for editors, from
 * core/eval-config.ts: `npm run gen:config-schema`. core/eval-config.test.ts fails while the file is stale.
 */
import fs from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { EVAL_CONFIG_SCHEMA_FILE, evalConfigJsonSchemaText } from '../core/eval-config.js';

const target = fileURLToPath(new URL(`../${EVAL_CONFIG_SCHEMA_FILE}`, import.meta.url));
await fs.mkdir(new URL('../schemas/', import.meta.url), { recursive: true });
await fs.writeFile(target, evalConfigJsonSchemaText());
console.log(`wrote ${EVAL_CONFIG_SCHEMA_FILE}`);
