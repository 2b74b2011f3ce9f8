// What test/global-setup.ts provides to every test file (vitest `inject`).
import 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string;
    temporalAddress: string;
    workflowBundlePath: string;
  }
}
