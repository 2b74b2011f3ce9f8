#!/usr/bin/env node
// `evalforge` on PATH (package.json "bin"): loads tsx from this project, then runs the TypeScript CLI.
import { register } from 'tsx/esm/api';

register();
await import('./evalforge.ts');
