/**
 * API test helpers: the real app over a test database and a test Temporal namespace, requested
 * in-process with app.request() (same routing, middleware and error handling as over HTTP).
 */
import { type ProviderKeySettings, providerKeySettingsFromEnv } from '../core/provider-keys.js';
import { createLogger } from '../lib/logger.js';
import { generateEncryptionKey } from '../lib/secret-box.js';
import {
  createTestDatabase,
  createTestTemporal,
  type TestDatabase,
  type TestTemporal,
} from '../test/helpers/index.js';
import { createApp } from './app.js';
import type { ApiDeps } from './deps.js';
import type { ApiSettings } from './settings.js';

export interface TestApi {
  app: ReturnType<typeof createApp>;
  deps: ApiDeps;
  db: TestDatabase;
  temporal: TestTemporal;
  /** JSON request; `body` is JSON-encoded unless it is a string. */
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Response>;
  close(): Promise<void>;
}

export function testApiDeps(
  db: Pick<TestDatabase, 'dataSource'>,
  temporal: Pick<TestTemporal, 'client'>,
  opts: { mode?: ApiDeps['mode']; settings?: Partial<ApiSettings>; providerKeys?: ProviderKeySettings } = {},
): ApiDeps {
  return {
    dataSource: db.dataSource,
    temporal: temporal.client,
    logger: createLogger('test-api', process.env.LOG_LEVEL ?? 'silent'),
    mode: opts.mode ?? 'dev',
    temporalUiUrl: null,
    settings: opts.settings,
    // A fresh encryption key per app (provider secrets work) and the default api_key_env allowlist.
    providerKeys: opts.providerKeys ?? testProviderKeys(),
  };
}

/** Provider key settings with a fresh random encryption key, as a configured server has. */
export const testProviderKeys = (): ProviderKeySettings =>
  providerKeySettingsFromEnv((name) =>
    name === 'EVALFORGE_ENCRYPTION_KEY' ? generateEncryptionKey() : undefined,
  );

/** A fresh database and Temporal namespace; pass `db`/`temporal` to share them between apps. */
export async function createTestApi(
  opts: {
    mode?: ApiDeps['mode'];
    settings?: Partial<ApiSettings>;
    providerKeys?: ProviderKeySettings;
    db?: TestDatabase;
    temporal?: TestTemporal;
  } = {},
): Promise<TestApi> {
  const [db, temporal] = await Promise.all([
    opts.db ?? createTestDatabase(),
    opts.temporal ?? createTestTemporal(),
  ]);
  const deps = testApiDeps(db, temporal, opts);
  const app = createApp(deps);
  return {
    app,
    deps,
    db,
    temporal,
    call: async (method, path, body, headers = {}) =>
      app.request(path, {
        method,
        headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      }),
    close: async () => {
      if (!opts.temporal) await temporal.close();
      if (!opts.db) await db.drop();
    },
  };
}

export const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
