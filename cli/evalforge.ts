/** The `evalforge` executable's entry (run through tsx by bin.mjs, or `npx tsx cli/evalforge.ts`). */
import { main } from './main.js';

process.exitCode = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
});
