/** What the shared middleware puts on a request's context; route apps type `c.get(...)` with ApiEnv. */
import type { Logger } from '../../lib/logger.js';

export type AuthContext =
  /** Dev mode without a key: full access (the API is bound to localhost). */
  | { kind: 'anonymous' }
  /** The EVALFORGE_ADMIN_KEY bearer: every project. */
  | { kind: 'admin' }
  /** A project API key: its own project only. */
  | { kind: 'project_key'; projectId: string; keyId: string };

export interface ApiVariables {
  requestId: string;
  /** Request-scoped logger carrying request_id. */
  log: Logger;
  auth: AuthContext;
}

export type ApiEnv = { Variables: ApiVariables };
