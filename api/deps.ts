/**
 * What the API needs from the world, passed in explicitly: tests build their own
 * (test database, test Temporal server); production builds it with createApiDeps.
 */
import { Client, Connection } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import type { ProviderKeySettings } from '../core/provider-keys.js';
import { createDataSource } from '../db/data-source.js';
import { createLogger, type Logger } from '../lib/logger.js';
import { type ApiSettings, apiSettingsFromEnv } from './settings.js';

export interface ApiDeps {
  dataSource: DataSource;
  temporal: Client;
  logger: Logger;
  mode: 'dev' | 'production';
  temporalUiUrl: string | null;
  /** Limits and the admin key; DEFAULT_API_SETTINGS fill what is left out. */
  settings?: Partial<ApiSettings>;
  /** Encryption keyring and api_key_env allowlist; read from the environment when left out. */
  providerKeys?: ProviderKeySettings;
}

export async function createApiDeps(opts: {
  databaseUrl: string;
  temporalAddress: string;
  namespace: string;
  mode: 'dev' | 'production';
  temporalUiUrl: string | null;
  settings?: Partial<ApiSettings>;
}): Promise<ApiDeps & { close(): Promise<void> }> {
  // Settings first: a bad variable fails before any connection is opened.
  const settings = opts.settings ?? apiSettingsFromEnv();
  const dataSource = createDataSource({ url: opts.databaseUrl, applicationName: 'evalforge-api' });
  await dataSource.initialize();
  const connection = await Connection.connect({ address: opts.temporalAddress });
  const temporal = new Client({ connection, namespace: opts.namespace });
  return {
    dataSource,
    temporal,
    logger: createLogger('api'),
    mode: opts.mode,
    temporalUiUrl: opts.temporalUiUrl,
    settings,
    close: async () => {
      await connection.close();
      await dataSource.destroy();
    },
  };
}
